"""Replaying seeded POs' history in time order: amendments, bookings, documents.

Actions of every PO are merged and run oldest first through machine.py, so
ids (POs, lines, bookings, shipments, events) grow with time across the
whole account and the V7 log reads as one history.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from ..clock import truncate_ms
from . import machine
from .model import Document, LineSpec, PoSpec, PurchaseOrder
from .state import FlexportV3State

Action = tuple[datetime, int, int, Callable[[datetime], None]]

_DOCUMENT_TYPES = {
    "ocean": (
        "commercial_invoice", "packing_list", "bill_of_lading", "certificate_of_origin",
    ),
    "air": ("commercial_invoice", "packing_list", "air_waybill"),
    "truck": ("commercial_invoice", "packing_list", "bill_of_lading"),
}  # fmt: skip


# How booked and closed POs got booked: all units at once, only some units
# (an open PO keeps unbooked units), or some units and then the rest.
_BOOKINGS = {
    "booked": ("full", "partial", "split", "partial"),
    "closed": ("full", "full", "partial", "split"),
}


@dataclass(frozen=True)
class Plan:
    """A seeded PO: the phase it ends in, when it was created, its first body."""

    phase: str
    created: datetime
    spec: PoSpec
    lines: list[LineSpec]


def _between(
    rng: random.Random, start: datetime, end: datetime, low: float, high: float
) -> datetime:
    return truncate_ms(start + (end - start) * rng.uniform(low, high))


def _amended(rng: random.Random, po: PurchaseOrder) -> tuple[PoSpec, list[LineSpec]]:
    """A buyer's early revision: more units on one line, sometimes one line dropped."""
    specs = [line.spec for line in po.lines]
    if len(specs) > 1 and rng.random() < 0.3:
        specs = specs[:-1]
    first = specs[0]
    more = first.units + (24 if first.unit_of_measure != "CTN" else 2)
    destinations = [(more, addr) for _, addr in first.destination_addresses]
    specs = [replace(first, units=more, destination_addresses=destinations), *specs[1:]]
    memo = po.spec.memo or "Revised quantities"
    return replace(po.spec, memo=memo), specs


def _partial(rng: random.Random, po: PurchaseOrder) -> dict[int, int]:
    """Units to book that leave at least one unit unbooked and book at least one."""
    share = {line.id: rng.randint(0, line.spec.units) for line in po.lines}
    first = po.lines[0]
    if sum(share.values()) == 0:
        share[first.id] = 1
    elif all(share[line.id] == line.spec.units for line in po.lines):
        share[first.id] -= 1
    return share


def _steps(
    st: FlexportV3State,
    rng: random.Random,
    index: int,
    plan: Plan,
    anchor: datetime,
) -> list[Action]:
    made: list[PurchaseOrder] = []

    def po() -> PurchaseOrder:
        return made[0]

    def at(low: float, high: float) -> datetime:
        return _between(rng, plan.created, anchor, low, high)

    steps: list[tuple[datetime, Callable[[datetime], None]]] = [
        (
            plan.created,
            lambda t: made.append(machine.create(st, plan.spec, plan.lines, t)),
        )
    ]
    if rng.random() < 0.3:
        steps.append(
            (at(0.02, 0.06), lambda t: machine.amend(st, po(), *_amended(rng, po()), t))
        )
    if plan.phase in ("acknowledged", "booked", "closed") or (
        plan.phase == "cancelled" and rng.random() < 0.4
    ):
        steps.append((at(0.06, 0.12), lambda t: machine.acknowledge(st, po(), t)))
    if plan.phase == "cancelled":
        steps.append(
            (at(0.15, 0.4), lambda t: machine.set_status(st, po(), "cancelled", t))
        )
    if plan.phase in ("booked", "closed"):
        # Cycled rather than drawn, so every seed has each kind of booking.
        how = _BOOKINGS[plan.phase][index % len(_BOOKINGS[plan.phase])]
        if how == "full":
            steps.append((at(0.2, 0.35), lambda t: _book(st, po(), t)))
        else:
            steps.append(
                (at(0.2, 0.35), lambda t: _book(st, po(), t, _partial(rng, po())))
            )
        if how == "split":
            steps.append((at(0.4, 0.55), lambda t: _book(st, po(), t)))
    if plan.phase == "closed":
        steps.append(
            (at(0.65, 0.9), lambda t: machine.set_status(st, po(), "closed", t))
        )
    return [(when, index, n, fn) for n, (when, fn) in enumerate(steps)]


def _book(
    st: FlexportV3State,
    po: PurchaseOrder,
    at: datetime,
    units: dict[int, int] | None = None,
) -> None:
    machine.book(st, po, at, units)


def replay(
    st: FlexportV3State, rng: random.Random, plans: list[Plan], anchor: datetime
) -> None:
    actions: list[Action] = []
    for index, plan in enumerate(plans):
        actions.extend(_steps(st, rng, index, plan, anchor))
    actions.sort(key=lambda a: (a[0], a[1], a[2]))
    for when, _, _, run in actions:
        run(when)
    _documents(st, rng, anchor)


def _documents(st: FlexportV3State, rng: random.Random, anchor: datetime) -> None:
    """Papers on about two thirds of the shipments that bookings made."""
    drafts: list[tuple[datetime, int, str, str, bool]] = []
    for booking in sorted(st.bookings.values(), key=lambda b: b.id):
        if rng.random() >= 0.65:
            continue
        po = st.pos[booking.po_id]
        kinds = _DOCUMENT_TYPES[po.spec.transportation_mode]
        for kind in rng.sample(kinds, rng.randint(1, len(kinds))):
            uploaded = _between(rng, booking.created_at, anchor, 0.05, 0.4)
            drafts.append(
                (uploaded, booking.shipment_id, po.spec.name, kind, rng.random() < 0.1)
            )
    drafts.sort()
    for uploaded, shipment_id, name, kind, archived in drafts:
        doc_id = st.new_id("document")
        file_name = f"{name}-{shipment_id}-{kind}.pdf"
        content = (
            f"%PDF-1.4\n% Flexport sandbox {kind} for {name}, "
            f"shipment {shipment_id}\n%%EOF\n"
        ).encode()
        st.documents[doc_id] = Document(
            id=doc_id,
            shipment_id=shipment_id,
            file_name=file_name,
            document_type=kind,
            memo="Superseded by a corrected copy" if archived else None,
            content_type="application/pdf",
            content=content,
            uploaded_at=uploaded,
            archived_at=_between(rng, uploaded, anchor, 0.1, 0.5) if archived else None,
        )
