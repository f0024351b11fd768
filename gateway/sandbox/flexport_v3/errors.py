"""Flexport v3 errors: an `/api/error` inside the `/api/response` envelope (S3, E6)."""

from __future__ import annotations

from collections.abc import Mapping

from aiohttp import web

from .envelope import envelope

SERVICE_UNAVAILABLE = (
    "Error message received from Http Server, Code 503: Service Unavailable."
)
GATEWAY_TIMEOUT = "Error message received from Http Server, Code 504: Gateway Time-out."


class ApiError(Exception):
    """Raised by handlers; the error middleware renders it in the envelope."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})


def invalid_parameter(message: str) -> ApiError:
    return ApiError(400, "invalid_parameter", message)


def invalid_pagination(message: str) -> ApiError:
    return ApiError(400, "invalid_pagination", message)


def invalid_body(message: str) -> ApiError:
    return ApiError(400, "invalid_body", message)


def unprocessable(message: str) -> ApiError:
    return ApiError(422, "unprocessable_entity", message)


def not_found(resource: str, object_id: object) -> ApiError:
    """Rails' wording, which the real API shows for unknown ids."""
    return ApiError(404, "not_found", f"Couldn't find {resource} with id {object_id}")


def error_response(
    request: web.Request,
    status: int,
    code: str,
    message: str,
    headers: Mapping[str, str] | None = None,
) -> web.Response:
    error = {
        "_object": "/api/error",
        "status": status,
        "code": code,
        "message": message,
    }
    return web.json_response(
        envelope(request, None, error), status=status, headers=dict(headers or {})
    )
