"""Flxpoint's error body `{"error": "<message>"}` and the exception handlers raise."""

from __future__ import annotations

from collections.abc import Mapping

from aiohttp import web


class FlxpointError(Exception):
    """Raised by handlers and the state machine; rendered as `{"error": message}`."""

    def __init__(
        self, status: int, message: str, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})


def bad_request(message: str) -> FlxpointError:
    """Flxpoint answers every validation or state problem with 400, never 422."""
    return FlxpointError(400, message)


def not_found(message: str) -> FlxpointError:
    return FlxpointError(404, message)


def error_response(
    status: int, message: str, headers: Mapping[str, str] | None = None
) -> web.Response:
    return web.json_response(
        {"error": message}, status=status, headers=dict(headers or {})
    )
