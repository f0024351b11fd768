"""FlxpointSim: Flxpoint as the runtime sees it (app, reset, advance, faults)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..events import SandboxEvent
from ..provider import ControlError
from .app import RATE_LIMITED, SLUG, build_app
from .errors import FlxpointError, error_response
from .machine import acknowledge, route
from .model import FulfillmentRequest
from .ratelimit import POOL_SIZE, TokenBucket
from .seed import build_state
from .shipping import all_open_lines, carrier_details, partial_lines, ship
from .state import FlxpointState, StateHolder
from .vocabulary import AWAITING, PARTIALLY_SHIPPED, SHIPPABLE_STATUSES

if TYPE_CHECKING:
    from datetime import datetime

    from aiohttp import web

    from ..deliveries import Outgoing
    from ..faults import Fault
    from ..runtime import Sandbox

# Status and message of each status fault.
_FAULTS = {
    "404": (404, "Not found"),
    "409": (409, "The request conflicts with the current state"),
    "429": (429, RATE_LIMITED),
    "500": (500, "Internal server error"),
    "503": (503, "Service temporarily unavailable"),
    "timeout": (504, "Gateway timeout"),
}
# A 404 fault on an object path names the object, as a real 404 would.
_NOT_FOUND_PATHS = (
    (re.compile(r"^/fulfillment-requests/([^/]+)"), "Fulfillment request {} not found"),
    (re.compile(r"^/shipments/([^/]+)"), "Shipment {} not found"),
    (re.compile(r"^/orders/([^/]+)"), "Order {} not found"),
)
ADVANCE_TYPES = ("fulfillment_request",)
# Statuses past acceptance, where advance reports the shipping status instead.
_ACCEPTED = ("Processed", "Acknowledged", "Cross Docked")


def advance_state(fr: FulfillmentRequest) -> str:
    """One name for where an FR is: its status until shipping starts, then the
    shipping status (Unprocessed, Processing, Acknowledged, Partially Shipped, ...)."""
    if fr.status in _ACCEPTED and fr.fulfillment_status != AWAITING:
        return fr.fulfillment_status
    return fr.status


class FlxpointSim:
    """Owns Flxpoint's state holder and token buckets; the runtime drives it
    through the ProviderSim protocol."""

    slug = SLUG

    def __init__(self, sandbox: Sandbox) -> None:
        self._sandbox = sandbox
        self._limiter = TokenBucket(sandbox.config.clock)
        self._holder = StateHolder(self._fresh_state())

    @property
    def prefix(self) -> str:
        return f"/{self.slug}"

    @property
    def state(self) -> FlxpointState:
        return self._holder.state

    def _fresh_state(self) -> FlxpointState:
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
        """Unprocessed -> Processing -> Acknowledged -> Partially Shipped -> Shipped.

        Processed and Cross Docked FRs ship the same way; a single open unit
        skips Partially Shipped. Everything else is terminal (409).
        """
        if kind not in ADVANCE_TYPES:
            raise ControlError(
                400,
                "INVALID_TYPE",
                f"Flxpoint type must be one of {', '.join(ADVANCE_TYPES)}",
                "type",
            )
        st = self.state
        fr = st.frs.get(int(object_id)) if _is_id(object_id) else None
        if fr is None:
            raise ControlError(
                404, "NOT_FOUND", f"No Flxpoint fulfillment request {object_id}"
            )
        previous = advance_state(fr)
        at = st.now()
        try:
            self._step(st, fr, at)
        except FlxpointError as exc:
            raise ControlError(409, "NOT_ADVANCEABLE", exc.message) from None
        return {
            "provider": self.slug,
            "type": kind,
            "id": object_id,
            "previousState": previous,
            "state": advance_state(fr),
        }

    def _step(self, st: FlxpointState, fr: FulfillmentRequest, at: datetime) -> None:
        if fr.status == "Unprocessed":
            route(st, fr, at)
        elif fr.status == "Processing":
            acknowledge(st, fr, at)
        elif fr.status in SHIPPABLE_STATUSES and fr.open_units > 0:
            lines = None
            if fr.fulfillment_status != PARTIALLY_SHIPPED:
                lines = partial_lines(st.rng, fr)
            ship(
                st,
                fr,
                lines or all_open_lines(fr),
                carrier_details(st.rng, fr, at),
                at,
            )
        else:
            raise FlxpointError(
                409,
                f"Fulfillment request {fr.id} is {advance_state(fr)}"
                " and cannot advance",
            )

    def webhook_deliveries(
        self, event: SandboxEvent, gateway_url: str | None
    ) -> list[Outgoing]:
        """None: Flxpoint pushes nothing to a Source (providers.md 4.6)."""
        return []

    def live_candidates(self) -> dict[str, list[str]]:
        """FRs to route, acknowledge or ship (shipping creates the shipments)."""
        ids = sorted(
            fr.id
            for fr in self.state.frs.values()
            if fr.status in ("Unprocessed", "Processing")
            or (fr.status in SHIPPABLE_STATUSES and fr.open_units > 0)
        )
        return {"fulfillment_request": [str(i) for i in ids]}

    def fault_response(self, request: web.Request, fault: Fault) -> web.Response:
        status, message = _FAULTS[fault.kind]
        headers: dict[str, str] = {}
        if status == 404:
            path = request.path[len(self.prefix) :]
            for pattern, template in _NOT_FOUND_PATHS:
                match = pattern.match(path)
                if match:
                    message = template.format(match.group(1))
                    break
        if status in (429, 503):
            headers["Retry-After"] = str(fault.retry_after)
        if status == 429:
            headers["X-Auth-Pool-Used"] = str(POOL_SIZE)
        return error_response(status, message, headers)


def _is_id(text: str) -> bool:
    return text.isascii() and text.isdigit()
