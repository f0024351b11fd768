"""The Flxpoint sub-application: routes plus auth, rate-limit and error middlewares.

Middleware order, outermost first:
observe (log, latency) -> errors -> auth -> rate limit -> faults -> errors -> routes.
`errors` appears twice so that handler errors become Flxpoint bodies before the
rate limiter stamps its pool headers, and so that anything raised further out
(a malformed fault header) is rendered the same way.
"""

from __future__ import annotations

import hmac
import logging
from typing import TYPE_CHECKING

from aiohttp import web

from ..faults import FaultSpecError
from ..middleware import provider_middlewares
from . import fulfillment_requests, inventory, orders, shipments
from .errors import FlxpointError, error_response
from .ratelimit import TokenBucket
from .state import HOLDER_KEY, StateHolder

if TYPE_CHECKING:
    from aiohttp.typedefs import Handler

    from ..provider import ProviderSim
    from ..runtime import Sandbox

logger = logging.getLogger(__name__)

SLUG = "flxpoint"
TOKEN_HEADER = "X-API-TOKEN"
UNAUTHORIZED = "Invalid or missing X-API-TOKEN"
RATE_LIMITED = "Rate limit exceeded (2 requests/second)"
_TOKEN_KEY = web.RequestKey("flxpoint_token", str)
_ROUTE_MODULES = (fulfillment_requests, shipments, inventory, orders)


def _http_error(exc: web.HTTPException) -> web.Response:
    if exc.status == 404:
        return error_response(404, "Not found")
    if exc.status == 405:
        allow = exc.headers.get("Allow", "")
        return error_response(405, f"Method not allowed; use {allow}", {"Allow": allow})
    if exc.status == 413:
        return error_response(413, "Request body too large")
    return error_response(exc.status, exc.reason)


@web.middleware
async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every failure under /flxpoint answers `{"error": "<message>"}`."""
    try:
        return await handler(request)
    except FlxpointError as exc:
        return error_response(exc.status, exc.message, exc.headers)
    except FaultSpecError as exc:
        return error_response(400, exc.message)
    except web.HTTPException as exc:
        return _http_error(exc)
    except Exception:
        logger.exception("flxpoint sandbox handler failed")
        return error_response(500, "Internal server error")


def build_app(
    sandbox: Sandbox,
    provider: ProviderSim,
    holder: StateHolder,
    limiter: TokenBucket,
) -> web.Application:
    @web.middleware
    async def auth(request: web.Request, handler: Handler) -> web.StreamResponse:
        """Only X-API-TOKEN counts: `Authorization: Bearer` is not accepted [E10]."""
        token = request.headers.get(TOKEN_HEADER, "").strip()
        expected = sandbox.config.tokens.get(SLUG)
        if (
            not token
            or expected is None
            or not hmac.compare_digest(token.encode(), expected.encode())
        ):
            return error_response(401, UNAUTHORIZED)
        request[_TOKEN_KEY] = token
        return await handler(request)

    @web.middleware
    async def rate_limit(request: web.Request, handler: Handler) -> web.StreamResponse:
        verdict = limiter.hit(request[_TOKEN_KEY], enforce=sandbox.settings.rate_limits)
        if verdict.allowed:
            response = await handler(request)
        else:
            response = error_response(
                429, RATE_LIMITED, {"Retry-After": str(verdict.retry_after)}
            )
        if not response.prepared:
            # setdefault: a 429 fault already says the pool is exhausted.
            for name, value in verdict.headers().items():
                response.headers.setdefault(name, value)
        return response

    observe, inject_faults = provider_middlewares(sandbox, provider)
    app = web.Application(
        middlewares=[observe, errors, auth, rate_limit, inject_faults, errors]
    )
    app[HOLDER_KEY] = holder
    for module in _ROUTE_MODULES:
        app.add_routes(module.routes)
    return app
