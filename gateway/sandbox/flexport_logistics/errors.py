"""LAPI's problem+json errors (§2.5): the union body, headers and LapiError."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping

from aiohttp import web

from .vocabulary import VERSION

CORRELATION_HEADER = "x-correlation-id"
PROBLEM_TYPE = "application/problem+json"
_TYPE_BASE = (
    f"https://logistics-api.flexport.com/logistics/api/{VERSION}"
    "/documentation/spec#section/Errors/"
)
_CORRELATION_KEY = web.RequestKey("lapi_correlation_id", str)

TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    423: "Locked",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}
# Six-digit code for "order is in a state that does not allow it" (S2).
INVALID_ORDER_STATUS = 407001


class LapiError(Exception):
    """Raised by handlers; the error middleware renders it as problem+json.

    `code` is the six-digit LAPI code where one is defined, else the status.
    """

    def __init__(
        self,
        status: int,
        detail: str,
        code: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.code = status if code is None else code
        self.headers = dict(headers or {})


def bad_request(detail: str, code: int | None = None) -> LapiError:
    return LapiError(400, detail, code)


def not_found(detail: str) -> LapiError:
    return LapiError(404, detail)


def conflict(detail: str) -> LapiError:
    return LapiError(409, detail)


def unprocessable(detail: str) -> LapiError:
    return LapiError(422, detail)


def invalid_status(detail: str) -> LapiError:
    """400 + 407001: the order's status does not allow the operation."""
    return LapiError(400, detail, INVALID_ORDER_STATUS)


def correlation_id(request: web.Request) -> str:
    """One UUID v4 per request, shared by the header and any error's `instance`."""
    existing = request.get(_CORRELATION_KEY)
    if existing is None:
        existing = str(uuid.uuid4())
        request[_CORRELATION_KEY] = existing
    return existing


def problem_body(
    request: web.Request, status: int, detail: str, code: int | None = None
) -> dict[str, object]:
    title = TITLES.get(status, "Error")
    return {
        "type": _TYPE_BASE + f"{status}-{title.replace(' ', '-')}",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": correlation_id(request),
        "code": status if code is None else code,
        "message": detail,
    }


def problem_response(
    request: web.Request,
    status: int,
    detail: str,
    code: int | None = None,
    headers: Mapping[str, str] | None = None,
) -> web.Response:
    response = web.Response(
        body=json.dumps(problem_body(request, status, detail, code)).encode(),
        status=status,
        headers=dict(headers or {}),
    )
    response.content_type = PROBLEM_TYPE
    response.headers["Content-Language"] = "en"
    response.headers[CORRELATION_HEADER] = correlation_id(request)
    return response


def error_response(request: web.Request, exc: LapiError) -> web.Response:
    return problem_response(request, exc.status, exc.detail, exc.code, exc.headers)
