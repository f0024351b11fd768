"""Flexport v3 objects as the sandbox stores them (wire shapes live in serialize.py).

A PO's replaceable content is a `PoSpec` plus one `LineSpec` per line: exactly
what a V3 body carries, after validation. A full-replace amendment swaps the
specs, so "did anything change?" is a plain equality test.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# An /address, a contact, a product or an hs_code: wire keys to scalar values.
Fields = dict[str, Any]
Metadata = dict[str, Any]


@dataclass
class PartySpec:
    role: str
    entity_ref: str
    contacts: list[Fields] = field(default_factory=list)
    location_address: Fields | None = None


@dataclass
class Money:
    amount: str
    currency_code: str


@dataclass
class LineSpec:
    item_key: str
    units: int
    product: Fields
    line_type: str | None = "main_line"
    parent_line_key: str | None = None
    unit_cost: Money | None = None
    incoterm: str | None = None
    transportation_mode: str | None = None
    unit_of_measure: str | None = None
    must_arrive_date: str | None = None
    cargo_ready_date: str | None = None
    assigned_party_ref: str | None = None
    origin_port: str | None = None
    origin_address: Fields | None = None
    destination_port: str | None = None
    # (units, /address fields)
    destination_addresses: list[tuple[int, Fields]] = field(default_factory=list)
    hs_codes: list[Fields] = field(default_factory=list)
    measurements: list[Fields] = field(default_factory=list)
    metadata: Metadata = field(default_factory=dict)


@dataclass
class PoSpec:
    name: str
    status: str
    parties: list[PartySpec]
    incoterm: str
    transportation_mode: str
    priority: str | None = None
    order_type: str | None = None
    currency_code: str | None = None
    cargo_ready_date: str | None = None
    must_arrive_date: str | None = None
    issue_date: str | None = None
    origin_port: str | None = None
    origin_address: Fields | None = None
    destination_port: str | None = None
    destination_addresses: list[Fields] = field(default_factory=list)
    memo: str | None = None
    freight_payment_terms: str | None = None
    metadata: Metadata = field(default_factory=dict)

    def party_ref(self, role: str) -> str | None:
        return next((p.entity_ref for p in self.parties if p.role == role), None)


@dataclass
class BookingLine:
    """Units of one PO line booked on one booking (E6 `/booking_line_item`)."""

    id: int
    booking_id: int
    line_id: int
    units: int
    created_at: datetime


@dataclass
class Booking:
    """A booking of PO lines; each one results in one freight shipment."""

    id: int
    shipment_id: int
    po_id: int
    created_at: datetime
    lines: list[BookingLine] = field(default_factory=list)


@dataclass
class LineItem:
    id: int
    po_id: int
    line_item_number: int
    spec: LineSpec
    created_at: datetime
    booking_lines: list[BookingLine] = field(default_factory=list)

    @property
    def booked_units(self) -> int:
        return sum(b.units for b in self.booking_lines)


@dataclass
class PurchaseOrder:
    id: int
    spec: PoSpec
    created_at: datetime
    updated_at: datetime
    # Identifies the snapshot a webhook's context refers to; moves on every write.
    version_id: int
    lines: list[LineItem] = field(default_factory=list)
    bookings: list[Booking] = field(default_factory=list)
    archived_at: datetime | None = None
    acknowledged_at: datetime | None = None
    closed_at: datetime | None = None

    @property
    def status(self) -> str:
        return self.spec.status

    @property
    def has_active_booking(self) -> bool:
        return any(line.booked_units > 0 for line in self.lines)

    @property
    def shipment_ids(self) -> list[int]:
        return [b.shipment_id for b in self.bookings]

    @property
    def key(self) -> tuple[str, str | None, str | None]:
        """What V3 matches an amendment on: name + buyer + seller references."""
        return (
            self.spec.name,
            self.spec.party_ref("buyer"),
            self.spec.party_ref("seller"),
        )


@dataclass
class Document:
    id: int
    shipment_id: int
    file_name: str
    document_type: str
    memo: str | None
    content_type: str
    content: bytes
    uploaded_at: datetime
    archived_at: datetime | None = None


@dataclass
class Event:
    """One entry of V7; `body` is the whole `/event` object, frozen when it happened."""

    id: int
    type: str
    occurred_at: datetime
    po_id: int
    shipment_id: int | None
    body: dict[str, Any]
