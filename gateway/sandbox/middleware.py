"""Middlewares every simulated provider shares: request log, latency, faults.

A provider's sub-application stacks them around its own dialect-specific ones:
observe (outermost) -> provider errors, auth, rate limit -> inject_faults -> routes,
so faults hit only authenticated, admitted requests and the log sees every
request, including the rejected and faulted ones.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from .faults import Fault, fault_from_headers

if TYPE_CHECKING:
    from aiohttp.typedefs import Handler, Middleware

    from .provider import ProviderSim
    from .runtime import Sandbox

FAULT_KEY = web.RequestKey("sandbox_fault", str)

# Unparseable on purpose: a truncated JSON document served as application/json.
GARBAGE_BODY = b'{"data": [{"id": "5f1c", "state": "shi'


def relative_path(request: web.Request, prefix: str) -> str:
    return request.path[len(prefix) :] or "/"


def provider_middlewares(
    sandbox: Sandbox, provider: ProviderSim
) -> tuple[Middleware, Middleware]:
    """(observe, inject_faults) for one provider's sub-application."""

    @web.middleware
    async def observe(request: web.Request, handler: Handler) -> web.StreamResponse:
        params: dict[str, list[str]] = {}
        for key, value in request.query.items():
            params.setdefault(key, []).append(value)
        entry = sandbox.log.begin(
            provider.slug,
            request.method,
            relative_path(request, provider.prefix),
            request.rel_url.raw_query_string,
            params,
        )
        try:
            if sandbox.settings.latency_ms > 0:
                await sandbox.pause(sandbox.settings.latency_ms / 1000, request)
            response = await handler(request)
        except web.HTTPException as exc:
            entry.status = exc.status
            raise
        except BaseException:
            entry.status = 500
            raise
        finally:
            entry.fault = request.get(FAULT_KEY)
        entry.status = response.status
        return response

    @web.middleware
    async def inject_faults(
        request: web.Request, handler: Handler
    ) -> web.StreamResponse:
        fault = fault_from_headers(request.headers) or sandbox.faults.take(
            provider.slug, request.method, relative_path(request, provider.prefix)
        )
        if fault is None:
            return await handler(request)
        request[FAULT_KEY] = fault.kind
        return await answer_fault(sandbox, provider, request, fault)

    return observe, inject_faults


async def answer_fault(
    sandbox: Sandbox, provider: ProviderSim, request: web.Request, fault: Fault
) -> web.Response:
    if fault.kind == "garbage":
        return web.Response(body=GARBAGE_BODY, content_type="application/json")
    if fault.kind == "shape":
        return web.json_response({"unexpected": True})
    if fault.kind == "timeout":
        await sandbox.pause(sandbox.config.fault_timeout_s, request)
    return provider.fault_response(request, fault)
