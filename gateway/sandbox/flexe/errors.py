"""Flexe's error body `{errors:[{code,message,field}], correlationId}`, FlexeError."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from aiohttp import web

CORRELATION_HEADER = "X-Correlation-Id"
_CORRELATION_KEY = web.RequestKey("flexe_correlation_id", str)


@dataclass(frozen=True)
class Problem:
    """One entry of `errors[]`; `field` is a dotted JSON path or a parameter name."""

    code: str
    message: str
    field: str | None = None


class FlexeError(Exception):
    """Raised by handlers; the error middleware renders it in Flexe's format."""

    def __init__(
        self,
        status: int,
        problems: Sequence[Problem],
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(problems[0].message if problems else str(status))
        self.status = status
        self.problems = list(problems)
        self.headers = dict(headers or {})


def invalid_parameter(field: str, message: str) -> FlexeError:
    return FlexeError(400, [Problem("INVALID_PARAMETER", message, field)])


def invalid_body(message: str) -> FlexeError:
    return FlexeError(400, [Problem("INVALID_BODY", message)])


def validation_failed(problems: Sequence[Problem]) -> FlexeError:
    return FlexeError(422, problems)


def not_found(code: str, message: str) -> FlexeError:
    return FlexeError(404, [Problem(code, message)])


def conflict(code: str, message: str) -> FlexeError:
    return FlexeError(409, [Problem(code, message)])


def correlation_id(request: web.Request) -> str:
    """One id per request, shared by the header and any error body."""
    existing = request.get(_CORRELATION_KEY)
    if existing is None:
        existing = str(uuid.uuid4())
        request[_CORRELATION_KEY] = existing
    return existing


def error_response(
    request: web.Request,
    status: int,
    problems: Sequence[Problem],
    headers: Mapping[str, str] | None = None,
) -> web.Response:
    cid = correlation_id(request)
    body = {
        "errors": [
            {"code": p.code, "message": p.message, "field": p.field} for p in problems
        ],
        "correlationId": cid,
    }
    response = web.json_response(body, status=status, headers=dict(headers or {}))
    response.headers[CORRELATION_HEADER] = cid
    return response


def problem_response(
    request: web.Request,
    status: int,
    code: str,
    message: str,
    headers: Mapping[str, str] | None = None,
) -> web.Response:
    return error_response(request, status, [Problem(code, message)], headers)
