"""FlexportLogisticsSim: LAPI as the sandbox runtime sees it (app, reset, advance)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..events import SandboxEvent
from ..provider import ControlError
from . import delivery, inbound_machine, order_machine, outbound_machine
from .app import PREFIX, SLUG, build_app
from .errors import problem_response
from .idempotency import IdempotencyStore
from .outbound_machine import NotAdvanceable
from .ratelimit import limiter
from .seed import build_state
from .state import LapiState, StateHolder, int_id

if TYPE_CHECKING:
    from datetime import datetime

    from aiohttp import web

    from ..deliveries import Outgoing
    from ..faults import Fault
    from ..runtime import Sandbox

# Status and detail of each status fault.
_FAULTS = {
    "404": (404, "The requested object cannot be found"),
    "409": (409, "The object with the same identifier already exists"),
    "429": (429, "Rate limit exceeded"),
    "500": (500, "An internal error has occurred"),
    "503": (503, "The service is temporarily unavailable"),
    "timeout": (504, "The request timed out"),
}
ADVANCE_TYPES = ("outbound", "order", "inbound")
# Statuses the live clock moves on from (inbounds stay with /_sandbox/advance).
_LIVE = {
    "outbound": ("PLANNED", "BOOKED", "IN_PROGRESS", "SHIPPED"),
    "order": ("CREATED", "PROCESSING", "PICKED", "PACKED", "SHIPPED"),
}


class FlexportLogisticsSim:
    """Owns LAPI's state, token bucket and idempotency store; the runtime drives it
    through the ProviderSim protocol."""

    slug = SLUG

    def __init__(self, sandbox: Sandbox) -> None:
        self._sandbox = sandbox
        self._limiter = limiter(sandbox.config.clock)
        self._idempotency = IdempotencyStore(sandbox.config.clock)
        self._holder = StateHolder(self._fresh_state, PREFIX)

    @property
    def prefix(self) -> str:
        return PREFIX

    @property
    def state(self) -> LapiState:
        return self._holder.state

    def _fresh_state(self) -> LapiState:
        st = build_state(self._sandbox.config, self._sandbox.clock.now)
        st.publish = self._publish
        return st

    def _publish(self, event_type: str, data: dict[str, Any], at: datetime) -> None:
        self._sandbox.events.publish(SandboxEvent(self.slug, event_type, data, at))

    def build_app(self) -> web.Application:
        return build_app(
            self._sandbox, self, self._holder, self._limiter, self._idempotency
        )

    def reset(self) -> None:
        self._holder.drop()
        self._limiter.clear()
        self._idempotency.clear()

    def advance(self, kind: str, object_id: str) -> dict[str, Any]:
        """`outbound`, `order` (DTC) and `inbound` move one status along."""
        st = self.state
        order_machine.tick(st, self._sandbox.clock.now())
        key = int_id(object_id)
        try:
            if kind == "outbound":
                outbound = st.outbounds.get(key)
                if outbound is None:
                    raise ControlError(404, "NOT_FOUND", f"No outbound {object_id}")
                previous = outbound.status
                outbound_machine.advance(st, outbound, st.now())
                status = outbound.status
            elif kind == "order":
                order = st.orders.get(key)
                if order is None:
                    raise ControlError(404, "NOT_FOUND", f"No DTC order {object_id}")
                previous = order.status
                order_machine.advance(st, order, st.now())
                status = order.status
            elif kind == "inbound":
                shipment = st.inbounds.get(key)
                if shipment is None:
                    raise ControlError(
                        404, "NOT_FOUND", f"No inbound shipment {object_id}"
                    )
                previous = shipment.status
                inbound_machine.advance(st, shipment, st.now())
                status = shipment.status
            else:
                raise ControlError(
                    400,
                    "INVALID_TYPE",
                    f"{self.slug} type must be one of {', '.join(ADVANCE_TYPES)}",
                    "type",
                )
        except NotAdvanceable as exc:
            raise ControlError(409, "NOT_ADVANCEABLE", str(exc)) from None
        return {
            "provider": self.slug,
            "type": kind,
            "id": object_id,
            "previousState": previous,
            "state": status,
        }

    def webhook_deliveries(
        self, event: SandboxEvent, gateway_url: str | None
    ) -> list[Outgoing]:
        return delivery.deliveries(event, self.state, self._sandbox.config, gateway_url)

    def live_candidates(self) -> dict[str, list[str]]:
        st = self.state
        outbounds = [
            o.id for o in st.outbounds.values() if o.status in _LIVE["outbound"]
        ]
        orders = [o.id for o in st.orders.values() if o.status in _LIVE["order"]]
        return {
            "outbound": [str(i) for i in sorted(outbounds)],
            "order": [str(i) for i in sorted(orders)],
        }

    def fault_response(self, request: web.Request, fault: Fault) -> web.Response:
        status, detail = _FAULTS[fault.kind]
        headers = (
            {"Retry-After": str(fault.retry_after)} if status in (429, 503) else {}
        )
        return problem_response(request, status, detail, headers=headers)
