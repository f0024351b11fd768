"""The LAPI sub-application: routes plus auth, rate-limit, idempotency and errors.

Middleware order, outermost first: observe (log, latency) -> errors -> auth ->
rate limit -> idempotency -> faults -> errors -> tick -> routes. `errors`
appears twice so that handler errors are problem+json before idempotency sees
them (only 2xx answers are stored), and so that anything raised further out is
rendered the same way. Idempotency sits outside faults so a request held by a
`timeout` fault is still "in flight" for a second request with the same key.
"""

from __future__ import annotations

import hmac
import logging
from typing import TYPE_CHECKING

from aiohttp import web

from ..faults import FaultSpecError
from ..middleware import provider_middlewares
from . import feed, inbounds, orders, outbounds, products, uploads, webhooks
from .errors import (
    CORRELATION_HEADER,
    LapiError,
    correlation_id,
    error_response,
    problem_response,
)
from .idempotency import TOKEN_KEY, IdempotencyStore, idempotency_middleware
from .order_machine import tick
from .ratelimit import TokenBucket
from .state import HOLDER_KEY, StateHolder
from .vocabulary import VERSION

if TYPE_CHECKING:
    from aiohttp.typedefs import Handler

    from ..provider import ProviderSim
    from ..runtime import Sandbox

logger = logging.getLogger(__name__)

SLUG = "flexport_logistics"
PREFIX = "/flexport-logistics"
# Pre-signed upload URLs (L4) carry their own credential: no bearer token, no
# rate limit, exactly like the storage URLs the real API hands out.
UPLOAD_PATH = "/_sandbox/uploads/"
_ROUTE_MODULES = (outbounds, uploads, orders, products, inbounds, feed, webhooks)


def _http_problem(request: web.Request, exc: web.HTTPException) -> web.Response:
    if exc.status == 405:
        # S2 lists "incorrect HTTP method" under 400 Bad Request.
        allow = exc.headers.get("Allow", "")
        return problem_response(
            request,
            400,
            f"Method {request.method} is not allowed; use {allow}",
            headers={"Allow": allow},
        )
    if exc.status == 404:
        return problem_response(request, 404, f"No such resource {request.path}")
    if exc.status == 413:
        return problem_response(request, 413, "Request body too large")
    return problem_response(request, exc.status, exc.reason)


@web.middleware
async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every failure under the prefix answers as problem+json; every response
    carries x-correlation-id."""
    try:
        response = await handler(request)
    except LapiError as exc:
        response = error_response(request, exc)
    except FaultSpecError as exc:
        response = problem_response(request, 400, exc.message)
    except web.HTTPException as exc:
        response = _http_problem(request, exc)
    except Exception:
        logger.exception("flexport_logistics sandbox handler failed")
        response = problem_response(request, 500, "An internal error has occurred")
    if not response.prepared:
        response.headers.setdefault(CORRELATION_HEADER, correlation_id(request))
    return response


async def unknown_version(request: web.Request) -> web.Response:
    raise LapiError(
        404, f"API version {request.match_info['version']} is not served; use {VERSION}"
    )


def build_app(
    sandbox: Sandbox,
    provider: ProviderSim,
    holder: StateHolder,
    limiter: TokenBucket,
    idempotency: IdempotencyStore,
) -> web.Application:
    def is_upload(request: web.Request) -> bool:
        return request.path.startswith(provider.prefix + UPLOAD_PATH)

    @web.middleware
    async def auth(request: web.Request, handler: Handler) -> web.StreamResponse:
        if is_upload(request):
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
            return problem_response(
                request,
                401,
                "The access token is invalid",
                headers={"WWW-Authenticate": 'Bearer realm="logistics-api"'},
            )
        request[TOKEN_KEY] = token
        return await handler(request)

    @web.middleware
    async def rate_limit(request: web.Request, handler: Handler) -> web.StreamResponse:
        if is_upload(request):
            return await handler(request)
        verdict = limiter.hit(request[TOKEN_KEY], enforce=sandbox.settings.rate_limits)
        if not verdict.allowed:
            return problem_response(
                request,
                429,
                "Rate limit exceeded",
                headers={"Retry-After": str(verdict.retry_after)},
            )
        return await handler(request)

    @web.middleware
    async def auto_advance(
        request: web.Request, handler: Handler
    ) -> web.StreamResponse:
        # Lazily, before anything reads or writes: orders placed through L6
        # move on with the clock, and the feed stays in time order.
        tick(holder.state, sandbox.clock.now())
        return await handler(request)

    observe, inject_faults = provider_middlewares(sandbox, provider)
    app = web.Application(
        middlewares=[
            observe,
            errors,
            auth,
            rate_limit,
            idempotency_middleware(idempotency),
            inject_faults,
            errors,
            auto_advance,
        ]
    )
    app[HOLDER_KEY] = holder
    for module in _ROUTE_MODULES:
        app.add_routes(module.routes)
    # Any other version is a 404 naming the served one. The lookahead keeps
    # this catch-all off 2024-04 paths, where it would turn a 405 into a 404.
    app.router.add_route(
        "*",
        r"/logistics/api/{version:(?!" + VERSION + r"/)[^/]+}/{tail:.*}",
        unknown_version,
    )
    return app
