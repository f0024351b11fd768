"""The Flexe sub-application: routes plus auth, rate-limit and error middlewares.

Middleware order, outermost first:
observe (log, latency) -> errors -> auth -> rate limit -> faults -> errors -> routes.
`errors` appears twice so that handler errors become Flexe bodies before the
rate limiter stamps its headers, and so that anything raised further out
(a malformed fault header) is rendered the same way.
"""

from __future__ import annotations

import hmac
import logging
from typing import TYPE_CHECKING

from aiohttp import web

from ..faults import FaultSpecError
from ..middleware import provider_middlewares
from . import (
    attachments,
    files,
    inbound,
    inventory,
    lines,
    orders,
    retail,
    shipments,
    webhooks,
)
from .errors import (
    CORRELATION_HEADER,
    FlexeError,
    Problem,
    correlation_id,
    error_response,
    problem_response,
)
from .ratelimit import FixedWindowLimiter
from .state import HOLDER_KEY, StateHolder

if TYPE_CHECKING:
    from aiohttp.typedefs import Handler

    from ..provider import ProviderSim
    from ..runtime import Sandbox

logger = logging.getLogger(__name__)

SLUG = "flexe"
_TOKEN_KEY = web.RequestKey("flexe_token", str)
_ROUTE_MODULES = (
    orders,
    lines,
    attachments,
    files,
    inventory,
    shipments,
    inbound,
    retail,
    webhooks,
)


def _http_problem(exc: web.HTTPException) -> tuple[Problem, dict[str, str]]:
    if exc.status == 404:
        return Problem("NOT_FOUND", "No such resource"), {}
    if exc.status == 405:
        allow = exc.headers.get("Allow", "")
        return Problem("METHOD_NOT_ALLOWED", f"Method not allowed; use {allow}"), {
            "Allow": allow
        }
    if exc.status == 413:
        return Problem("PAYLOAD_TOO_LARGE", "Request body too large"), {}
    return Problem(f"HTTP_{exc.status}", exc.reason), {}


@web.middleware
async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every failure under /flexe answers in Flexe's error format."""
    try:
        response = await handler(request)
    except FlexeError as exc:
        response = error_response(request, exc.status, exc.problems, exc.headers)
    except FaultSpecError as exc:
        response = error_response(
            request, 400, [Problem("INVALID_PARAMETER", exc.message, exc.field)]
        )
    except web.HTTPException as exc:
        problem, headers = _http_problem(exc)
        response = error_response(request, exc.status, [problem], headers)
    except Exception:
        logger.exception("flexe sandbox handler failed")
        response = problem_response(request, 500, "INTERNAL_ERROR", "Unexpected error")
    if not response.prepared:
        response.headers.setdefault(CORRELATION_HEADER, correlation_id(request))
    return response


def build_app(
    sandbox: Sandbox,
    provider: ProviderSim,
    holder: StateHolder,
    limiter: FixedWindowLimiter,
) -> web.Application:
    @web.middleware
    async def auth(request: web.Request, handler: Handler) -> web.StreamResponse:
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
                "UNAUTHORIZED",
                "Missing or invalid API token",
                {"WWW-Authenticate": 'Bearer realm="flexe"'},
            )
        request[_TOKEN_KEY] = token
        return await handler(request)

    @web.middleware
    async def rate_limit(request: web.Request, handler: Handler) -> web.StreamResponse:
        verdict = limiter.hit(request[_TOKEN_KEY], enforce=sandbox.settings.rate_limits)
        if verdict.allowed:
            response = await handler(request)
        else:
            response = problem_response(
                request,
                429,
                "RATE_LIMITED",
                f"{verdict.limit} requests per 60 seconds exceeded",
                {"Retry-After": str(verdict.retry_after)},
            )
        if not response.prepared:
            response.headers.update(verdict.headers())
        return response

    observe, inject_faults = provider_middlewares(sandbox, provider)
    app = web.Application(
        middlewares=[observe, errors, auth, rate_limit, inject_faults, errors]
    )
    app[HOLDER_KEY] = holder
    for module in _ROUTE_MODULES:
        app.add_routes(module.routes)
    return app
