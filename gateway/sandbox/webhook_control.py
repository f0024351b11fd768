"""/_sandbox/webhooks/: the deliveries log and redelivery (project design, §5)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from .control import ControlSurface, error_response, read_body, whole
from .provider import ControlError

if TYPE_CHECKING:
    from .deliveries import Delivery
    from .emitter import Emitter
    from .runtime import Sandbox

_REDELIVER_FIELDS = ("provider", "count", "eventId")


class WebhookControl(ControlSurface):
    """Handlers for one scope: the whole sandbox, or one provider under its
    prefix, where the provider is implied."""

    def __init__(self, sandbox: Sandbox, scope: str | None, emitter: Emitter) -> None:
        super().__init__(sandbox, scope)
        self._emitter = emitter

    def routes(self, base: str) -> list[web.RouteDef]:
        path = f"{base}/_sandbox/webhooks"
        return [
            web.get(f"{path}/deliveries", self.deliveries, allow_head=False),
            web.delete(f"{path}/deliveries", self.clear),
            web.post(f"{path}/redeliver", self.redeliver),
        ]

    async def deliveries(self, request: web.Request) -> web.Response:
        """Oldest first; `provider`, `since` (seq) and `eventId` narrow the list."""
        try:
            provider = self._provider(request.query.get("provider"), required=False)
            raw_since = request.query.get("since", "0")
            if not raw_since.isdigit():
                raise ControlError(
                    400, "INVALID_FIELD", "since must be an integer", "since"
                )
        except ControlError as exc:
            return error_response(exc)
        event_id = request.query.get("eventId")
        entries = [
            d.to_json()
            for d in self._emitter.log.entries(provider, int(raw_since))
            if event_id is None or d.outgoing.event_id == event_id
        ]
        return web.json_response(
            {"deliveries": entries, "lastSeq": self._emitter.log.last_seq}
        )

    async def clear(self, request: web.Request) -> web.Response:
        self._emitter.log.clear(self._scope)
        return web.Response(status=204)

    async def redeliver(self, request: web.Request) -> web.Response:
        """202 `{deliveries: [...]}`: the new entries, still pending.

        `eventId` resends every first delivery of that event (one per
        target); otherwise `count` (default 1) resends the last N first
        deliveries. Bytes and headers are exactly those sent the first time.
        """
        try:
            body = await read_body(request, _REDELIVER_FIELDS)
            provider = self._provider(body.get("provider"), required=False)
            chosen = self._choose(provider, body)
        except ControlError as exc:
            return error_response(exc)
        sent = self._emitter.redeliver(chosen)
        return web.json_response(
            {"deliveries": [d.to_json() for d in sent]}, status=202
        )

    def _choose(self, provider: str | None, body: dict[str, Any]) -> list[Delivery]:
        originals = self._emitter.log.originals(provider)
        event_id = body.get("eventId")
        if event_id is not None:
            if "count" in body:
                raise ControlError(
                    400, "INVALID_FIELD", "give count or eventId, not both", "count"
                )
            if not isinstance(event_id, str) or not event_id:
                raise ControlError(
                    400, "INVALID_FIELD", "eventId must be a string", "eventId"
                )
            chosen = [d for d in originals if d.outgoing.event_id == event_id]
            if not chosen:
                raise ControlError(404, "NOT_FOUND", f"No delivery of event {event_id}")
            return chosen
        count = whole(body.get("count", 1), "count", 1)
        if not originals:
            raise ControlError(404, "NOT_FOUND", "No deliveries to redeliver")
        return originals[-count:]


def add_webhook_routes(
    app: web.Application, sandbox: Sandbox, emitter: Emitter
) -> None:
    app.add_routes(WebhookControl(sandbox, None, emitter).routes(""))
    for slug, sim in sandbox.providers.items():
        app.add_routes(WebhookControl(sandbox, slug, emitter).routes(sim.prefix))
