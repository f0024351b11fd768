"""FlexeSim: Flexe as the sandbox runtime sees it (app, reset, advance, faults)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..events import SandboxEvent
from ..provider import ControlError
from . import delivery
from .app import SLUG, build_app
from .errors import problem_response
from .inbound import advance_inbound
from .machine import NotAdvanceable, advance
from .ratelimit import FixedWindowLimiter
from .retail import advance_retail
from .seed import build_state
from .state import FlexeState, StateHolder

if TYPE_CHECKING:
    from datetime import datetime

    from aiohttp import web

    from ..deliveries import Outgoing
    from ..faults import Fault
    from ..runtime import Sandbox

# Status, code and message of each status fault.
_FAULTS = {
    "404": (404, "NOT_FOUND", "Resource not found"),
    "409": (409, "CONFLICT", "The request conflicts with the current state"),
    "429": (429, "RATE_LIMITED", "100 requests per 60 seconds exceeded"),
    "500": (500, "INTERNAL_ERROR", "Unexpected error"),
    "503": (503, "SERVICE_UNAVAILABLE", "Service temporarily unavailable"),
    "timeout": (504, "GATEWAY_TIMEOUT", "The request timed out"),
}
ADVANCE_TYPES = ("order", "inbound_shipment", "retail_fulfillment_order")
# What the live clock moves on: a shipped order's next step (delivery) and
# inbound receipts change nothing an order board shows.
_LIVE_STATES = ("new", "allocated", "in_progress")


class FlexeSim:
    """Owns Flexe's state holder and rate limiter; the runtime drives it through
    the ProviderSim protocol."""

    slug = SLUG

    def __init__(self, sandbox: Sandbox) -> None:
        self._sandbox = sandbox
        self._limiter = FixedWindowLimiter(sandbox.config.clock)
        self._holder = StateHolder(
            self._fresh_state(), sandbox.config.inventory_page_size
        )

    @property
    def prefix(self) -> str:
        return f"/{self.slug}"

    @property
    def state(self) -> FlexeState:
        return self._holder.state

    def _fresh_state(self) -> FlexeState:
        st = build_state(self._sandbox.config, self._sandbox.clock.now)
        st.emit_to = self._publish
        return st

    def _publish(self, event_type: str, data: dict[str, Any], at: datetime) -> None:
        self._sandbox.events.publish(SandboxEvent(self.slug, event_type, data, at))

    def build_app(self) -> web.Application:
        return build_app(self._sandbox, self, self._holder, self._limiter)

    def reset(self) -> None:
        self._holder.state = self._fresh_state()
        self._limiter.clear()

    def advance(self, kind: str, object_id: str) -> dict[str, Any]:
        st = self.state
        at = st.now()
        try:
            if kind == "order":
                order = st.orders.get(object_id)
                if order is None:
                    raise ControlError(404, "NOT_FOUND", f"No Flexe order {object_id}")
                previous = order.state
                advance(st, order, at)
                state = order.state
            elif kind == "inbound_shipment":
                inbound = st.inbound.get(object_id)
                if inbound is None:
                    raise ControlError(
                        404, "NOT_FOUND", f"No Flexe inbound shipment {object_id}"
                    )
                previous = inbound.state
                advance_inbound(st, inbound, at)
                state = inbound.state
            elif kind == "retail_fulfillment_order":
                retail = st.retail.get(object_id)
                if retail is None:
                    raise ControlError(
                        404, "NOT_FOUND", f"No Flexe retail order {object_id}"
                    )
                previous = retail.state
                advance_retail(retail, at)
                state = retail.state
            else:
                raise ControlError(
                    400,
                    "INVALID_TYPE",
                    f"Flexe type must be one of {', '.join(ADVANCE_TYPES)}",
                    "type",
                )
        except NotAdvanceable as exc:
            raise ControlError(409, "NOT_ADVANCEABLE", str(exc)) from None
        return {
            "provider": self.slug,
            "type": kind,
            "id": object_id,
            "previousState": previous,
            "state": state,
        }

    def webhook_deliveries(
        self, event: SandboxEvent, gateway_url: str | None
    ) -> list[Outgoing]:
        return delivery.deliveries(event, self.state, self._sandbox.config, gateway_url)

    def live_candidates(self) -> dict[str, list[str]]:
        st = self.state
        return {
            "order": sorted(
                o.id for o in st.orders.values() if o.state in _LIVE_STATES
            ),
            "retail_fulfillment_order": sorted(
                r.shipment_id for r in st.retail.values() if r.state in _LIVE_STATES
            ),
        }

    def fault_response(self, request: web.Request, fault: Fault) -> web.Response:
        status, code, message = _FAULTS[fault.kind]
        path = request.path[len(self.prefix) :]
        if status == 404 and path.startswith("/v2/orders/"):
            code, message = "ORDER_NOT_FOUND", "Order not found"
        headers = (
            {"Retry-After": str(fault.retry_after)} if status in (429, 503) else {}
        )
        return problem_response(request, status, code, message, headers)
