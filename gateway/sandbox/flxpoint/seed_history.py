"""Seed FR histories replayed through machine.py and shipping.py at past instants,
so seeded counters and shipments obey the same rules as API-made ones."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..clock import truncate_ms
from .machine import (
    ItemChange,
    acknowledge,
    adjust,
    cancel,
    mark_processed,
    route,
    set_status,
    void,
)
from .model import FulfillmentRequest
from .shipping import all_open_lines, carrier_details, partial_lines, ship
from .state import SHIPMENT_ID_START, SHIPMENT_ITEM_ID_START, FlxpointState
from .vocabulary import GENERATION_FAILURES, SHIPPED


@dataclass(frozen=True)
class Scenario:
    """One seeded FR history: how common, how old (hours), and its steps."""

    weight: int
    age_hours: tuple[float, float]
    # "processed", "acknowledge", "adjust", "maybe_acknowledge", "cross_dock",
    # a generation failure status, or None (stays Processing / Unprocessed).
    first: str | None
    shipping: str | None = None  # "partial" or "all"
    end: str | None = None  # "cancel" or "void"
    routed: bool = True


_DAY = 24
SCENARIOS = {
    "unprocessed": Scenario(14, (0.5, 48), None, routed=False),
    "processing": Scenario(26, (2, 96), None),
    "processing_partial": Scenario(3, (12, 96), None, "partial"),
    "processed": Scenario(8, (24, 20 * _DAY), "processed"),
    "processed_partial": Scenario(3, (48, 20 * _DAY), "processed", "partial"),
    "processed_shipped": Scenario(10, (72, 120 * _DAY), "processed", "all"),
    "acknowledged": Scenario(18, (6, 10 * _DAY), "acknowledge"),
    "acknowledged_adjusted": Scenario(6, (12, 10 * _DAY), "adjust"),
    "acknowledged_partial": Scenario(12, (24, 20 * _DAY), "acknowledge", "partial"),
    "acknowledged_shipped": Scenario(52, (72, 120 * _DAY), "acknowledge", "all"),
    "canceled": Scenario(10, (12, 90 * _DAY), "maybe_acknowledge", end="cancel"),
    "canceled_partial": Scenario(
        3, (72, 60 * _DAY), "acknowledge", "partial", "cancel"
    ),
    "voided": Scenario(5, (12, 90 * _DAY), "maybe_acknowledge", end="void"),
    "failed": Scenario(4, (2, 30 * _DAY), "Failed", routed=False),
    "additional_info": Scenario(
        4, (2, 30 * _DAY), "Additional Info Required", routed=False
    ),
    "max_length": Scenario(
        3, (2, 30 * _DAY), "PO/FR # Exceeds Max Length", routed=False
    ),
    "duplicate": Scenario(3, (2, 30 * _DAY), "Duplicate PO/FR #", routed=False),
    "cross_docked": Scenario(3, (24, 20 * _DAY), "cross_dock"),
    "cross_docked_shipped": Scenario(3, (72, 60 * _DAY), "cross_dock", "all"),
}
# Partial shipments need at least two units on the FR.
PARTIAL_SCENARIOS = frozenset(
    name for name, s in SCENARIOS.items() if s.shipping == "partial"
)


class _Timeline:
    """Strictly later instants between an FR's generation and the anchor."""

    def __init__(self, rng: random.Random, start: datetime, anchor: datetime) -> None:
        self._rng = rng
        self._at = start
        self._end = anchor - timedelta(seconds=1)

    def next(self, low: float = 0.05, high: float = 0.3) -> datetime:
        step = (self._end - self._at) * self._rng.uniform(low, high)
        self._at = truncate_ms(self._at + max(step, timedelta(milliseconds=1)))
        return self._at


def replay(
    st: FlxpointState,
    rng: random.Random,
    fr: FulfillmentRequest,
    name: str,
    anchor: datetime,
) -> None:
    scenario = SCENARIOS[name]
    time = _Timeline(rng, fr.generated_at, anchor)
    if scenario.first in GENERATION_FAILURES:
        set_status(st, fr, scenario.first, time.next(0.001, 0.01))
        return
    if not scenario.routed:
        return
    route(st, fr, time.next(0.001, 0.02))
    first = scenario.first
    if first == "maybe_acknowledge":
        first = "acknowledge" if rng.random() < 0.4 else None
    elif first == "acknowledge" and rng.random() < 0.08:
        first = "adjust"
    if first == "processed":
        mark_processed(st, fr, time.next())
    elif first == "acknowledge":
        acknowledge(st, fr, time.next())
    elif first == "adjust":
        _adjust(st, rng, fr, time.next())
    elif first == "cross_dock":
        set_status(st, fr, "Cross Docked", time.next())
    if scenario.shipping is not None:
        _ship(st, rng, fr, time, everything=scenario.shipping == "all")
    if scenario.end == "cancel":
        cancel(st, fr, time.next())
    elif scenario.end == "void":
        void(st, fr, time.next())


def _adjust(
    st: FlxpointState, rng: random.Random, fr: FulfillmentRequest, at: datetime
) -> None:
    """Short one unit (or a whole single-unit item) and kill the rest."""
    short = rng.choice(fr.items)
    if short.quantity < 2 and len(fr.items) < 2:
        acknowledge(st, fr, at)
        return
    changes = [
        ItemChange(
            item,
            item.quantity - 1 if item is short else item.quantity,
            None,
            None,
        )
        for item in fr.items
    ]
    adjust(st, fr, changes, at, kill=True)


def _ship(
    st: FlxpointState,
    rng: random.Random,
    fr: FulfillmentRequest,
    time: _Timeline,
    *,
    everything: bool,
) -> None:
    """A partial shipment, then (when `everything`) one more for the rest."""
    first = partial_lines(rng, fr)
    if first is not None and (not everything or rng.random() < 0.3):
        at = time.next()
        ship(st, fr, first, carrier_details(rng, fr, _before(rng, at)), at)
    if everything and fr.open_units > 0:
        at = time.next()
        ship(st, fr, all_open_lines(fr), carrier_details(rng, fr, _before(rng, at)), at)


def _before(rng: random.Random, at: datetime) -> datetime:
    """Sources report a shipment a little after the parcel left."""
    return truncate_ms(at - timedelta(minutes=rng.uniform(5, 240)))


def tidy(st: FlxpointState, rng: random.Random, anchor: datetime) -> None:
    """After replay: shipment ids ascend with insertedAt; invoices, channel sync,
    channel-side cancels and order timestamps follow the FRs."""
    ordered = sorted(st.shipments.values(), key=lambda s: (s.inserted_at, s.id))
    st.shipments = {}
    item_ids = itertools.count(SHIPMENT_ITEM_ID_START)
    for new_id, shipment in enumerate(ordered, start=SHIPMENT_ID_START):
        shipment.id = new_id
        for item in shipment.items:
            item.id, item.shipment_id = next(item_ids), new_id
        shipment.synced_to_channel = shipment.inserted_at < anchor - timedelta(hours=6)
        st.shipments[new_id] = shipment
    for fr in st.frs.values():
        fr.shipment_ids = [s.id for s in ordered if s.fr_id == fr.id]
        fr.invoiced = fr.fulfillment_status == SHIPPED and rng.random() < 0.7
    for order in st.orders.values():
        frs = st.frs_of(order)
        order.updated_at = max([order.updated_at, *(fr.updated_at for fr in frs)])
        if frs and all(fr.status == "Canceled" for fr in frs) and rng.random() < 0.6:
            order.canceled_at = order.updated_at
            order.note = "Canceled Via API"
