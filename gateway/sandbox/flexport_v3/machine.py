"""PO life cycle (providers.md 3.4): create, amend, acknowledge, book, close, cancel.

These are the mechanics only; the rules that turn a V3 body into a 422 live in
upsert.py. The seed replays history through the same functions at past
instants, so the V7 event log and every `updated_at` obey one set of rules.
Every change records an `/event` (V7) and publishes it on the sandbox hook.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from .model import (
    Booking,
    BookingLine,
    Event,
    LineItem,
    LineSpec,
    PoSpec,
    PurchaseOrder,
)
from .serialize import po_header
from .state import FlexportV3State
from .vocabulary import PHASE_ACKNOWLEDGED, PHASE_BOOKED, PHASE_OPEN
from .webhooks import event_payload


class NotAdvanceable(Exception):
    """The PO is closed or cancelled."""


def record(
    st: FlexportV3State,
    po: PurchaseOrder,
    action: str,
    at: datetime,
    shipment_id: int | None = None,
) -> Event:
    event_type = f"/purchase_order#{action}"
    event_id = st.new_id("event")
    body = event_payload(
        event_id, event_type, at, po_header(po), po.version_id, shipment_id
    )
    event = Event(event_id, event_type, at, po.id, shipment_id, body)
    st.events[event_id] = event
    st.emit(event_type, body, at)
    return event


def _touch(st: FlexportV3State, po: PurchaseOrder, at: datetime) -> None:
    po.updated_at = at
    po.version_id = st.new_id("version")


def _new_line(
    st: FlexportV3State, po_id: int, number: int, spec: LineSpec, at: datetime
) -> LineItem:
    line = LineItem(st.new_id("line_item"), po_id, number, spec, at)
    st.lines[line.id] = line
    return line


def create(
    st: FlexportV3State, spec: PoSpec, line_specs: list[LineSpec], at: datetime
) -> PurchaseOrder:
    po = PurchaseOrder(st.new_id("purchase_order"), spec, at, at, st.new_id("version"))
    po.lines = [
        _new_line(st, po.id, number, line, at)
        for number, line in enumerate(line_specs, start=1)
    ]
    st.add_po(po)
    record(st, po, "created", at)
    return po


def same_content(po: PurchaseOrder, spec: PoSpec, line_specs: list[LineSpec]) -> bool:
    """Would this full replace leave everything but perhaps the status as it is?"""
    return (
        replace(po.spec, status=spec.status) == spec
        and [line.spec for line in po.lines] == line_specs
    )


def amend(
    st: FlexportV3State,
    po: PurchaseOrder,
    spec: PoSpec,
    line_specs: list[LineSpec],
    at: datetime,
) -> None:
    """Full replace. Lines match on item_key and keep their id and number."""
    changed = not same_content(po, spec, line_specs)
    previous = po.status
    old = {line.spec.item_key: line for line in po.lines}
    number = max((line.line_item_number for line in po.lines), default=0)
    kept: list[LineItem] = []
    for line_spec in line_specs:
        line = old.pop(line_spec.item_key, None)
        if line is None:
            number += 1
            line = _new_line(st, po.id, number, line_spec, at)
        line.spec = line_spec
        kept.append(line)
    for removed in old.values():
        del st.lines[removed.id]
    po.lines = kept
    po.spec = spec
    _touch(st, po, at)
    if changed:
        record(st, po, "updated", at)
    if spec.status != previous:
        _finish(st, po, spec.status, at)


def _finish(st: FlexportV3State, po: PurchaseOrder, status: str, at: datetime) -> None:
    if status == "closed":
        po.closed_at = at
        record(st, po, "closed", at)
    elif status == "cancelled":
        # Cancelling archives the PO (S3): hidden from V1 unless asked for.
        po.archived_at = at
        record(st, po, "cancelled", at)
        record(st, po, "archived", at)


def set_status(
    st: FlexportV3State, po: PurchaseOrder, status: str, at: datetime
) -> None:
    """A status change alone (what advance and the seed use)."""
    po.spec = replace(po.spec, status=status)
    _touch(st, po, at)
    _finish(st, po, status, at)


def acknowledge(st: FlexportV3State, po: PurchaseOrder, at: datetime) -> None:
    """The supplier acknowledged the PO; its status stays open (3.6)."""
    po.acknowledged_at = at
    record(st, po, "acknowledged", at)


def book(
    st: FlexportV3State,
    po: PurchaseOrder,
    at: datetime,
    units: dict[int, int] | None = None,
) -> Booking:
    """Book units of PO lines on a new shipment (default: every unbooked unit)."""
    wanted = units or {
        line.id: line.spec.units - line.booked_units for line in po.lines
    }
    booking = Booking(st.new_id("booking"), st.new_id("shipment"), po.id, at)
    for line in po.lines:
        count = wanted.get(line.id, 0)
        if count > 0:
            item = BookingLine(
                st.new_id("booking_line"), booking.id, line.id, count, at
            )
            line.booking_lines.append(item)
            booking.lines.append(item)
    po.bookings.append(booking)
    st.bookings[booking.id] = booking
    _touch(st, po, at)
    record(st, po, "updated", at, booking.shipment_id)
    return booking


def phase(po: PurchaseOrder) -> str:
    """Where `/_sandbox/advance` sees the PO: its status, or a milestone of `open`."""
    if po.status != "open":
        return po.status
    if po.has_active_booking:
        return PHASE_BOOKED
    return PHASE_ACKNOWLEDGED if po.acknowledged_at is not None else PHASE_OPEN


def advance(st: FlexportV3State, po: PurchaseOrder, at: datetime) -> None:
    """open -> acknowledged -> booked (every unit; no longer cancellable) -> closed."""
    current = phase(po)
    if current == PHASE_OPEN:
        acknowledge(st, po, at)
    elif current == PHASE_ACKNOWLEDGED:
        book(st, po, at)
    elif current == PHASE_BOOKED:
        set_status(st, po, "closed", at)
    else:
        raise NotAdvanceable(f"Purchase order {po.id} is {po.status}")
