"""POST /webhooks/{provider}: verify, parse, publish once, answer at once.

```
unknown provider, or one without webhooks        404
verify_webhook raises WebhookRejected             401, nothing published
body is not the provider's envelope               400, nothing published
broker unreachable                                503 (the provider redelivers)
otherwise                                         200 {"received", "published"}
```

Verification runs before anything else reads the body. Publishing is one
broker call per event (a redelivery is published once); cache invalidation
and subscriber fan-out happen in the broker's delivery, not here.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping

import orjson
from aiohttp import web

from gateway.broker import Broker
from gateway.errors import ProviderError, WebhookRejected
from gateway.providers.base import Capability, Provider

log = logging.getLogger("gateway.webhooks")


def webhook_handler(
    providers: Callable[[], Mapping[str, Provider]], broker: Callable[[], Broker]
) -> Callable[[web.Request], Awaitable[web.Response]]:
    """The aiohttp handler, over the app's providers and broker."""

    async def handle(request: web.Request) -> web.Response:
        slug = request.match_info["provider"]
        provider = providers().get(slug)
        if provider is None or Capability.WEBHOOKS not in provider.capabilities:
            return _error(404, "NOT_FOUND", f"no webhooks for provider {slug!r}")
        body = await request.read()
        headers = dict(request.headers)
        try:
            provider.verify_webhook(headers, body)
        except WebhookRejected as exc:
            log.warning("webhook rejected", extra={"provider": slug, "why": str(exc)})
            return _error(401, exc.code, str(exc))
        try:
            events = provider.parse_webhook(headers, body)
        except ProviderError as exc:
            return _error(400, exc.code, exc.detail)
        published = 0
        try:
            for event in events:
                if await broker().publish(event) is not None:
                    published += 1
        except ProviderError as exc:
            return _error(503, exc.code, exc.detail)
        return _json(200, {"received": len(events), "published": published})

    return handle


def _error(status: int, code: str, message: str) -> web.Response:
    return _json(
        status, {"errors": [{"message": message, "extensions": {"code": code}}]}
    )


def _json(status: int, data: object) -> web.Response:
    return web.Response(
        status=status, body=orjson.dumps(data), content_type="application/json"
    )
