"""The Flexport v3 sub-application: routes plus auth, version, rate-limit middlewares.

Middleware order, outermost first: arrival ticket -> observe (log, latency) ->
errors -> auth -> version -> rate limit -> faults -> errors -> routes.
`errors` appears twice so that handler errors are rendered before the rate
limiter sees the response, and so that anything raised further out (a
malformed fault header) is rendered the same way. File downloads under
`/_files/` stand in for pre-signed links: they need neither token nor version.
"""

from __future__ import annotations

import hmac
import logging
from typing import TYPE_CHECKING

from aiohttp import web

from ..faults import FaultSpecError
from ..middleware import provider_middlewares, relative_path
from . import bookings, documents, events, line_items, purchase_orders
from .concurrency import arrival_middleware
from .envelope import PREFIX
from .errors import ApiError, error_response
from .ratelimit import TokenBucket
from .state import HOLDER_KEY, StateHolder
from .vocabulary import SUPPORTED_VERSIONS

if TYPE_CHECKING:
    from aiohttp.typedefs import Handler

    from ..provider import ProviderSim
    from ..runtime import Sandbox

logger = logging.getLogger(__name__)

SLUG = "flexport_v3"
VERSION_HEADER = "Flexport-Version"
_TOKEN_KEY = web.RequestKey("flexport_v3_token", str)
_ROUTE_MODULES = (purchase_orders, line_items, bookings, documents, events)
_OPEN_PREFIX = "/_files/"


def _http_error(exc: web.HTTPException, request: web.Request) -> web.Response:
    if exc.status == 404:
        message = f"No route matches {request.method} {relative_path(request, PREFIX)}"
        return error_response(request, 404, "not_found", message)
    if exc.status == 405:
        allow = exc.headers.get("Allow", "")
        return error_response(
            request,
            405,
            "method_not_allowed",
            f"Method not allowed; use {allow}",
            {"Allow": allow},
        )
    if exc.status == 413:
        return error_response(
            request, 413, "payload_too_large", "Request body too large"
        )
    return error_response(request, exc.status, f"http_{exc.status}", exc.reason)


@web.middleware
async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every failure under the prefix answers with an `/api/error` envelope."""
    try:
        return await handler(request)
    except ApiError as exc:
        return error_response(request, exc.status, exc.code, exc.message, exc.headers)
    except FaultSpecError as exc:
        return error_response(request, 400, "invalid_parameter", exc.message)
    except web.HTTPException as exc:
        return _http_error(exc, request)
    except Exception:
        logger.exception("flexport_v3 sandbox handler failed")
        return error_response(
            request, 500, "internal_server_error", "Internal server error"
        )


def _is_open(request: web.Request) -> bool:
    return relative_path(request, PREFIX).startswith(_OPEN_PREFIX)


def build_app(
    sandbox: Sandbox, provider: ProviderSim, holder: StateHolder, limiter: TokenBucket
) -> web.Application:
    @web.middleware
    async def auth(request: web.Request, handler: Handler) -> web.StreamResponse:
        if _is_open(request):
            return await handler(request)
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        expected = sandbox.config.tokens.get(SLUG)
        token = token.strip()
        if (
            scheme.lower() != "bearer"
            or not token
            or expected is None
            or not hmac.compare_digest(token.encode(), expected.encode())
        ):
            return error_response(
                request,
                401,
                "unauthorized",
                "Invalid API token",
                {"WWW-Authenticate": 'Bearer realm="flexport"'},
            )
        request[_TOKEN_KEY] = token
        return await handler(request)

    @web.middleware
    async def version(request: web.Request, handler: Handler) -> web.StreamResponse:
        if _is_open(request):
            return await handler(request)
        sent = request.headers.get(VERSION_HEADER)
        if sent is None or sent.strip() not in SUPPORTED_VERSIONS:
            problem = (
                f"Missing {VERSION_HEADER} header"
                if sent is None
                else f"Unsupported {VERSION_HEADER} {sent.strip()!r}"
            )
            return error_response(
                request,
                400,
                "invalid_version",
                f"{problem}; supported versions: {', '.join(SUPPORTED_VERSIONS)}",
            )
        return await handler(request)

    @web.middleware
    async def rate_limit(request: web.Request, handler: Handler) -> web.StreamResponse:
        if _is_open(request):
            return await handler(request)
        verdict = limiter.hit(request[_TOKEN_KEY], enforce=sandbox.settings.rate_limits)
        if not verdict.allowed:
            return error_response(
                request,
                429,
                "rate_limited",
                "Too many requests",
                {"Retry-After": str(verdict.retry_after)},
            )
        return await handler(request)

    observe, inject_faults = provider_middlewares(sandbox, provider)
    app = web.Application(
        middlewares=[
            arrival_middleware(holder.arrivals),
            observe,
            errors,
            auth,
            version,
            rate_limit,
            inject_faults,
            errors,
        ]
    )
    app[HOLDER_KEY] = holder
    for module in _ROUTE_MODULES:
        app.add_routes(module.routes)
    return app
