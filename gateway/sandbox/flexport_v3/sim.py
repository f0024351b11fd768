"""FlexportV3Sim: Flexport API v3 as the sandbox runtime sees it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..events import SandboxEvent
from ..provider import ControlError
from . import webhooks
from .app import SLUG, build_app
from .envelope import PREFIX
from .errors import GATEWAY_TIMEOUT, SERVICE_UNAVAILABLE, error_response
from .machine import NotAdvanceable, advance, phase
from .model import PurchaseOrder
from .ratelimit import limiter
from .seed import build_state
from .state import FlexportV3State, StateHolder

if TYPE_CHECKING:
    from datetime import datetime

    from aiohttp import web

    from ..deliveries import Outgoing
    from ..faults import Fault
    from ..runtime import Sandbox

# Status, code and message of each status fault.
_FAULTS = {
    "404": (404, "not_found", "Not found"),
    "409": (409, "conflict", "The resource is being modified by another request"),
    "429": (429, "rate_limited", "Too many requests"),
    "500": (500, "internal_server_error", "Internal server error"),
    "503": (503, "service_unavailable", SERVICE_UNAVAILABLE),
    "timeout": (504, "gateway_timeout", GATEWAY_TIMEOUT),
}
# Paths whose 404 fault names the resource the way a real miss does.
_RESOURCES = {
    "purchase_orders": "PurchaseOrder",
    "purchase_order_line_items": "PurchaseOrderLineItem",
    "documents": "Document",
    "events": "Event",
    "booking_line_items": "BookingLineItem",
    "bookings": "Booking",
}
ADVANCE_TYPES = ("purchase_order",)


class FlexportV3Sim:
    """Owns the v3 state holder and token bucket; driven through ProviderSim."""

    slug = SLUG

    def __init__(self, sandbox: Sandbox) -> None:
        self._sandbox = sandbox
        self._limiter = limiter(sandbox.config.clock)
        self._holder = StateHolder(self._fresh_state())

    @property
    def prefix(self) -> str:
        return PREFIX

    @property
    def state(self) -> FlexportV3State:
        return self._holder.state

    def _fresh_state(self) -> FlexportV3State:
        st = build_state(self._sandbox.config, self._sandbox.clock.now)
        st.emit_to = self._publish
        return st

    def _publish(self, event_type: str, body: dict[str, Any], at: datetime) -> None:
        # `data` is the whole /event: for v3 that is the webhook body itself.
        self._sandbox.events.publish(SandboxEvent(self.slug, event_type, body, at))

    def build_app(self) -> web.Application:
        return build_app(self._sandbox, self, self._holder, self._limiter)

    def reset(self) -> None:
        self._holder.state = self._fresh_state()
        self._holder.arrivals.clear()
        self._limiter.clear()

    def _find(self, object_id: str) -> PurchaseOrder:
        """By integer id, or by name when exactly one PO carries it."""
        st = self.state
        if object_id.isdigit():
            po = st.pos.get(int(object_id))
            if po is not None:
                return po
        named = [po for po in st.pos.values() if po.spec.name == object_id]
        if len(named) > 1:
            raise ControlError(
                409, "AMBIGUOUS", f"{len(named)} purchase orders are named {object_id}"
            )
        if not named:
            raise ControlError(
                404, "NOT_FOUND", f"No Flexport v3 purchase order {object_id}"
            )
        return named[0]

    def advance(self, kind: str, object_id: str) -> dict[str, Any]:
        if kind not in ADVANCE_TYPES:
            raise ControlError(
                400,
                "INVALID_TYPE",
                f"Flexport v3 type must be one of {', '.join(ADVANCE_TYPES)}",
                "type",
            )
        po = self._find(object_id)
        previous = phase(po)
        try:
            advance(self.state, po, self.state.now())
        except NotAdvanceable as exc:
            raise ControlError(409, "NOT_ADVANCEABLE", str(exc)) from None
        return {
            "provider": self.slug,
            "type": kind,
            "id": str(po.id),
            "previousState": previous,
            "state": phase(po),
        }

    def webhook_deliveries(
        self, event: SandboxEvent, gateway_url: str | None
    ) -> list[Outgoing]:
        return webhooks.deliveries(event, self._sandbox.config, gateway_url)

    def live_candidates(self) -> dict[str, list[str]]:
        """Open POs: advance acknowledges, books, then closes them."""
        ids = sorted(po.id for po in self.state.pos.values() if po.status == "open")
        return {"purchase_order": [str(i) for i in ids]}

    def fault_response(self, request: web.Request, fault: Fault) -> web.Response:
        status, code, message = _FAULTS[fault.kind]
        parts = request.path[len(self.prefix) :].strip("/").split("/")
        if status == 404 and len(parts) == 2 and parts[0] in _RESOURCES:
            message = f"Couldn't find {_RESOURCES[parts[0]]} with id {parts[1]}"
        headers = (
            {"Retry-After": str(fault.retry_after)} if status in (429, 503) else {}
        )
        return error_response(request, status, code, message, headers)
