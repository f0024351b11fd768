"""F19: webhook subscriptions; the emitter delivers matching events to them."""

from __future__ import annotations

from aiohttp import web

from .errors import not_found
from .model import Webhook
from .params import Params
from .serialize import webhook_json
from .state import current
from .validate import Checker, read_object
from .vocabulary import WEBHOOK_EVENTS

routes = web.RouteTableDef()

_FIELDS = ("name", "url", "events", "secret")


@routes.post("/v2/webhooks")
async def create_webhook(request: web.Request) -> web.Response:
    """201 `{id, name, url, events, createdAt}`; the secret is never echoed."""
    Params(request.query, ())
    st = current(request)
    body = await read_object(request)
    c = Checker()
    c.fields(body, "", _FIELDS)
    name = c.text(body, "name", required=True)
    url = c.text(body, "url", required=True, max_length=2048)
    if url is not None and not url.startswith(("http://", "https://")):
        c.fail("url", "url must be an http(s) URL")
    secret = c.text(body, "secret")
    events: list[str] = []
    for index, event in enumerate(c.array(body, "events", required=True) or []):
        if event not in WEBHOOK_EVENTS:
            c.fail(
                f"events.{index}",
                f"events.{index} must be one of {', '.join(WEBHOOK_EVENTS)}",
            )
        elif event not in events:
            events.append(event)
    c.done()
    assert name is not None
    assert url is not None
    webhook = Webhook(st.new_id(), name, url, events, secret, st.now())
    st.webhooks[webhook.id] = webhook
    return web.json_response(webhook_json(webhook), status=201)


@routes.delete("/v2/webhooks/{webhookId}")
async def delete_webhook(request: web.Request) -> web.Response:
    """204 on success."""
    Params(request.query, ())
    st = current(request)
    if st.webhooks.pop(request.match_info["webhookId"], None) is None:
        raise not_found(
            "WEBHOOK_NOT_FOUND", f"Webhook {request.match_info['webhookId']} not found"
        )
    return web.Response(status=204)
