"""L17-L18: webhook subscriptions, one per event type; the emitter delivers to them."""

from __future__ import annotations

from aiohttp import web

from .errors import conflict, not_found
from .model import Webhook
from .params import Params
from .serialize import webhook_json
from .state import current, int_id
from .validate import Checker, read_object
from .vocabulary import BASE, EVENT_TYPES, WEBHOOK_AUTH_METHODS, WEBHOOK_METHODS

routes = web.RouteTableDef()

_FIELDS = (
    "type", "url", "method", "authMethod", "username", "password", "token",
    "tokenHeader",
)  # fmt: skip
# Which credentials each authMethod needs (E3).
_NEEDS = {"BASIC_AUTH": ("username", "password"), "TOKEN": ("token", "tokenHeader")}


@routes.post(BASE + "/webhooks", name="create_webhook")
async def create_webhook(request: web.Request) -> web.Response:
    """L17: 202 with the subscription; a second one for the same type is 409."""
    Params(request.query, ())
    st = current(request)
    body = await read_object(request)
    c = Checker()
    c.fields(body, "", _FIELDS)
    kind = c.choice(body, "type", EVENT_TYPES, required=True)
    url = c.text(body, "url", required=True, max_length=2048)
    if url is not None and not url.startswith("https://"):
        c.fail("url", "must be an https URL")
    method = c.choice(body, "method", WEBHOOK_METHODS) or "POST"
    auth = c.choice(body, "authMethod", WEBHOOK_AUTH_METHODS) or "NONE"
    values = {name: c.text(body, name) for name in _FIELDS[4:]}
    for name in _NEEDS.get(auth, ()):
        if not values[name]:
            c.fail(name, f"is required when authMethod is {auth}")
    c.done()
    assert kind is not None
    assert url is not None
    if any(w.type == kind for w in st.webhooks.values()):
        raise conflict(f"A webhook for {kind} already exists")
    webhook = Webhook(
        id=next(st.ids.webhook),
        type=kind,
        url=url,
        method=method,
        auth_method=auth,
        username=values["username"],
        password=values["password"],
        token=values["token"],
        token_header=values["tokenHeader"],
        created_at=st.now(),
    )
    st.webhooks[webhook.id] = webhook
    return web.json_response(webhook_json(webhook), status=202)


@routes.get(BASE + "/webhooks")
async def list_webhooks(request: web.Request) -> web.Response:
    """L18: every subscription, oldest first."""
    Params(request.query, ())
    st = current(request)
    return web.json_response(
        [webhook_json(st.webhooks[i]) for i in sorted(st.webhooks)]
    )


@routes.delete(BASE + "/webhooks/{webhookId}")
async def delete_webhook(request: web.Request) -> web.Response:
    """L18: 204."""
    Params(request.query, ())
    raw = request.match_info["webhookId"]
    if current(request).webhooks.pop(int_id(raw), None) is None:
        raise not_found(f"Cannot find webhook {raw}")
    return web.Response(status=204)
