"""Flexport API v3 JSON as pydantic models (snake_case, as Flexport spells it)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class Wire(BaseModel):
    """Base of v3 payload models: tolerate new fields; integer ids become strings."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)


class ApiError(Wire):
    """`/api/error`: inside the envelope's `error`, or bare (providers.md §3.5)."""

    status: int | None = None
    code: str | None = None
    message: str | None = None


class Envelope(Wire):
    """`/api/response`: every answer is wrapped in one; `data` is required."""

    version: int | None = None
    data: Any
    error: ApiError | None = None


class Page(Wire, Generic[T]):
    """`/api/collections/paginated`: `next`/`prev` are absolute URLs or null."""

    prev: str | None = None
    next: str | None = None
    total_count: int | None = None
    data: list[T]


class RefObject(Wire):
    """`/api/refs/object`: a link to one object, with its id."""

    ref_type: str | None = None
    link: str | None = None
    id: str


class RefCollection(Wire):
    """`/api/refs/collection`: what `line_items` is unless expanded."""

    ref_type: str | None = None
    link: str


class Money(Wire):
    """`/money`: the amount is a decimal string."""

    amount: Decimal
    currency_code: str | None = None


class CompanyEntity(Wire):
    id: str | None = None
    name: str | None = None
    ref: str | None = None


class Party(Wire):
    """`purchase_orders/party`."""

    role: str
    company_entity: CompanyEntity | None = None


class Product(Wire):
    name: str | None = None
    sku: str | None = None


class LineItem(Wire):
    """`/purchase_orders/line_item`."""

    id: str
    purchase_order: RefObject | None = None
    line_item_number: int | None = None
    item_key: str | None = None
    units: int | None = None
    unit_cost: Money | None = None
    product: Product | None = None
    unit_of_measure: str | None = None


class PurchaseOrder(Wire):
    """`/purchase_order`; `line_items` is embedded only with `expand=line_items`."""

    id: str
    name: str
    status: str
    incoterm: str | None = None
    transportation_mode: str | None = None
    cargo_ready_date: date | None = None
    must_arrive_date: date | None = None
    archived_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    parties: list[Party] = Field(default_factory=list)
    line_items: Page[LineItem] | RefCollection | None = None


class FileMetadata(Wire):
    size: int | None = None
    uploaded_at: datetime | None = None


class Document(Wire):
    """`/document` (V6): documents belong to freight shipments."""

    id: str
    file_name: str | None = None
    document_type: str | None = None
    memo: str | None = None
    file_link: str | None = None
    archived_at: datetime | None = None
    file_metadata: FileMetadata | None = None
    shipment: RefObject | None = None


class BookingLineItem(Wire):
    """`/purchase_orders/booking_line_item`: units of a PO line on a booking."""

    id: str
    booking: RefObject
    purchase_order_line_item: RefObject | None = None
    units: int | None = None


class Booking(Wire):
    """`/booking`: links a PO to the freight shipment it was booked on."""

    id: str
    status: str | None = None
    purchase_order: RefObject | None = None
    shipment: RefObject | None = None


class EventContext(Wire):
    """`/order_management_event_data/<action>_context`."""

    purchase_order_version_id: str | None = None


class PurchaseOrderEventData(Wire):
    """`/order_management_event_data`: the PO header as it was at the event."""

    context: EventContext | None = None
    purchase_order: PurchaseOrder


class Event(Wire):
    """`/event`: a webhook body as it is (no further envelope), and a V7 item."""

    id: str = Field(min_length=1)
    type: str
    version: int | None = None
    created_at: datetime | None = None
    occurred_at: datetime | None = None
    data: dict[str, Any] = Field(default_factory=dict)
