"""create_app(settings): /graphql (and its websocket), uploads, webhooks, health."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping

import aiohttp
import orjson
from aiohttp import web

from gateway import graphiql, operation
from gateway.broker import Broker, broker_from_url
from gateway.cache import EntityCache, NullCache, cache_from_url
from gateway.errors import ProviderError
from gateway.event_effects import invalidation_hook
from gateway.http import Upstream, create_session
from gateway.polling import ChangePoller
from gateway.providers import build_providers
from gateway.providers.base import Provider
from gateway.settings import Settings
from gateway.upload_view import UploadView
from gateway.view import GatewayView
from gateway.webhooks import webhook_handler

log = logging.getLogger("gateway.app")

SETTINGS = web.AppKey("settings", Settings)
SESSION = web.AppKey("session", aiohttp.ClientSession)
PROVIDERS = web.AppKey("providers", dict[str, Provider])
ENTITY_CACHE: web.AppKey[EntityCache] = web.AppKey("entity_cache")
BROKER: web.AppKey[Broker] = web.AppKey("broker")

READY_TIMEOUT_S = 5.0


def create_app(settings: Settings) -> web.Application:
    """The gateway application; providers, the HTTP session and the entity cache
    live in cleanup_ctx."""
    # The outer bound; each GraphQL route answers its own limit with a JSON 413
    # (gateway.view for /graphql, gateway.upload_view for /graphql/upload).
    limits = settings.limits
    app = web.Application(
        middlewares=[json_errors],
        client_max_size=max(limits.max_body_bytes, limits.max_upload_bytes),
    )
    app[SETTINGS] = settings
    app.cleanup_ctx.append(_entity_cache)
    app.cleanup_ctx.append(_upstream)
    app.cleanup_ctx.append(_broker)

    def providers() -> Mapping[str, Provider]:
        found: dict[str, Provider] = app[PROVIDERS]
        return found

    def cache() -> EntityCache:
        return app[ENTITY_CACHE]

    def broker() -> Broker:
        return app[BROKER]

    view = GatewayView(
        settings=settings,
        providers=providers,
        cache=cache,
        broker=broker,
        render_ide=graphiql.graphiql_response if settings.graphiql else None,
    )
    app.router.add_route("*", "/graphql", view)
    app.on_shutdown.append(lambda _: view.close_sockets())

    async def drain_writes(app: web.Application) -> AsyncIterator[None]:
        yield
        # Torn down first (reverse order): a write whose client left still
        # needs the session, the cache and the broker to finish.
        await view.drain_orphaned_writes(settings.shutdown_grace_s)
        # Background refreshes use the session too: stop them before it closes.
        await app[ENTITY_CACHE].refresher.aclose()

    app.cleanup_ctx.append(drain_writes)
    app.router.add_route(
        "*",
        "/graphql/upload",
        UploadView(settings=settings, providers=providers, cache=cache),
    )
    app.router.add_post(
        "/webhooks/{provider}",
        # A disconnect cancels handlers (gateway.__main__): not a webhook's.
        operation.finish_despite_disconnect(
            webhook_handler(providers, broker), view.orphaned_writes
        ),
    )
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    if settings.graphiql:
        graphiql.add_graphiql_static(app)
    return app


async def _entity_cache(app: web.Application) -> AsyncIterator[None]:
    """One entity cache per app, shared by all its requests (see gateway.cache)."""
    settings = app[SETTINGS]
    cache: EntityCache = (
        cache_from_url(
            settings.cache_url,
            max_items=settings.cache.max_items,
            max_bytes=settings.cache.max_bytes,
            prefix=settings.cache.key_prefix,
        )
        if settings.cache.enabled
        else NullCache()
    )
    app[ENTITY_CACHE] = cache
    try:
        yield
    finally:
        await cache.close()


async def _broker(app: web.Application) -> AsyncIterator[None]:
    """The change-event broker (each event invalidates the cache it made stale)
    and the poller that feeds it for providers without webhooks."""
    settings = app[SETTINGS]
    broker = broker_from_url(settings.broker_url, settings.broker)
    broker.add_hook(invalidation_hook(app[ENTITY_CACHE]))
    await broker.start()
    app[BROKER] = broker
    # Providers that push nothing are polled, and what changed is published.
    providers: dict[str, Provider] = app[PROVIDERS]
    poller = ChangePoller(providers, broker, settings.polling)
    await poller.start()
    try:
        yield
    finally:
        await poller.aclose()
        await broker.aclose()


async def _upstream(app: web.Application) -> AsyncIterator[None]:
    session = create_session()
    app[SESSION] = session
    providers = build_providers(app[SETTINGS], session)
    app[PROVIDERS] = providers
    await asyncio.gather(*(provider.start() for provider in providers.values()))
    try:
        yield
    finally:
        await asyncio.gather(*(provider.close() for provider in providers.values()))
        await session.close()


async def healthz(request: web.Request) -> web.Response:
    """The process is up and serving."""
    return _json({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    """Every enabled provider answers an authenticated call.

    While some provider's circuit breaker is not closed, `circuits` gives each
    provider's state (`closed`, `open`, `half_open`) next to the ping results.
    """
    providers = request.app[PROVIDERS]

    async def check(provider: Provider) -> str:
        try:
            await asyncio.wait_for(provider.ping(), READY_TIMEOUT_S)
        except ProviderError as exc:
            return exc.code
        except TimeoutError:
            return "UPSTREAM_UNAVAILABLE"
        return "ok"

    results = await asyncio.gather(*(check(p) for p in providers.values()))
    states = {
        slug.upper(): state for slug, state in zip(providers, results, strict=True)
    }
    ready = all(state == "ok" for state in states.values())
    body: dict[str, object] = {
        "status": "ready" if ready else "unavailable",
        "providers": states,
    }
    circuits = {
        slug.upper(): upstream.breaker.state
        for slug, provider in providers.items()
        if isinstance(upstream := getattr(provider, "upstream", None), Upstream)
    }
    if any(state != "closed" for state in circuits.values()):
        body["circuits"] = circuits
    return _json(body, status=200 if ready else 503)


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def json_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every error answer outside GraphQL is JSON too, and never a traceback."""
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        return _json(
            {
                "errors": [
                    {"message": exc.reason, "extensions": {"code": str(exc.status)}}
                ]
            },
            status=exc.status,
            headers={k: v for k, v in exc.headers.items() if k.lower() == "allow"},
        )
    except Exception:
        log.exception("unhandled error serving %s", request.path)
        return _json(
            {
                "errors": [
                    {
                        "message": "Internal server error.",
                        "extensions": {"code": "INTERNAL"},
                    }
                ]
            },
            status=500,
        )


def _json(
    data: object, *, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    return web.Response(
        body=orjson.dumps(data),
        status=status,
        content_type="application/json",
        headers=headers,
    )
