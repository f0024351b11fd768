"""What a caller asks a provider to create or change in orders, lines and shipments.

Every input validates before any upstream call. Field aliases are the GraphQL
input's camelCase names, so a validation error's location is the path a client
sent (`lines.2.quantity`); snake_case names still work in Python.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import ConfigDict, Field, field_validator, model_validator
from pydantic.alias_generators import to_camel

from gateway.models.common import Address, Value
from gateway.models.orders import OrderKind


class Input(Value):
    """Base of every write input: strict about unknown keys, camelCase aliases."""

    model_config = ConfigDict(
        frozen=True,
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        str_strip_whitespace=True,
    )


class AddressInput(Address):
    """A recipient: name, street, city and country are required for a shipment."""

    model_config = Input.model_config

    name: str = Field(min_length=1, max_length=100)
    line1: str = Field(min_length=1, max_length=200)
    city: str = Field(min_length=1, max_length=100)
    country: str = Field(pattern=r"^[A-Z]{2}$")
    email: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+$")


class OrderLineCreate(Input):
    """One line of a new order."""

    sku: str = Field(min_length=1, max_length=100)
    quantity: int = Field(gt=0, le=1_000_000)
    unit_of_measure: str | None = Field(default=None, min_length=1, max_length=20)
    external_id: str | None = Field(default=None, min_length=1, max_length=100)


class Shipping(Input):
    """How an order should travel."""

    service: str | None = Field(default=None, min_length=1, max_length=100)
    carrier_account_id: str | None = Field(default=None, min_length=1, max_length=100)
    signature_required: bool | None = None


class Label(Input):
    """One key/value label on a Flexe order."""

    key: str = Field(min_length=1, max_length=100)
    value: str = Field(max_length=500)


class FlexeRetailOptions(Input):
    """Flexe retail fulfilment orders (F20): the retailer and the ship window."""

    customer_uuid: str | None = Field(default=None, min_length=1)
    ship_window_start: datetime
    ship_window_end: datetime
    purchase_order: str | None = Field(default=None, min_length=1)
    destination_retailer: str | None = Field(default=None, min_length=1)
    shipment_type: Literal["parcel", "ltl", "ftl"] | None = None
    carrier: str | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _window(self) -> FlexeRetailOptions:
        if self.ship_window_end <= self.ship_window_start:
            raise ValueError("shipWindowEnd must be after shipWindowStart")
        return self


class FlexeOrderOptions(Input):
    """Flexe-only parts of an order."""

    reservation_id: str | None = Field(default=None, min_length=1)
    labels: tuple[Label, ...] = ()
    retail: FlexeRetailOptions | None = None

    @field_validator("labels")
    @classmethod
    def _unique(cls, labels: tuple[Label, ...]) -> tuple[Label, ...]:
        keys = [label.key for label in labels]
        if len(keys) != len(set(keys)):
            raise ValueError("label keys must be unique")
        return labels

    def label_map(self) -> dict[str, str]:
        return {label.key: label.value for label in self.labels}


class FlexportLogisticsOrderOptions(Input):
    """Flexport Logistics-only parts of an order."""

    location_id: str | None = Field(default=None, min_length=1)
    shipping_partner: Literal["FLEXPORT", "THIRD_PARTY", "RECEIVER", "COLLECT"] = (
        "FLEXPORT"
    )
    shipping_type: Literal["PARCEL", "LTL", "FTL"] | None = None
    shipping_speed: str | None = Field(default=None, min_length=1)
    currency_code: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")


class OrderCreate(Input):
    """A new outbound order; `kind` picks the provider endpoint."""

    kind: OrderKind
    external_id: str = Field(min_length=1, max_length=100)
    recipient: AddressInput
    lines: tuple[OrderLineCreate, ...] = Field(min_length=1, max_length=500)
    shipping: Shipping | None = None
    ship_by: datetime | None = None
    notes: str | None = Field(default=None, max_length=1000)
    flexe: FlexeOrderOptions | None = None
    flexport_logistics: FlexportLogisticsOrderOptions | None = None

    @property
    def shipping_service(self) -> str | None:
        return self.shipping.service if self.shipping else None


class FlexeRetailUpdate(Input):
    """Changes to a Flexe retail fulfilment order (F21)."""

    scac: str | None = Field(default=None, pattern=r"^[A-Z]{2,4}$")
    bol_number: str | None = Field(default=None, min_length=1)


class FlexeOrderUpdate(Input):
    """Flexe-only changes to an order."""

    reservation_id: str | None = Field(default=None, min_length=1)
    labels: tuple[Label, ...] | None = None
    retail: FlexeRetailUpdate | None = None


class OrderUpdate(Input):
    """Changes to an order; only the fields given change (patch semantics)."""

    recipient: AddressInput | None = None
    shipping: Shipping | None = None
    notes: str | None = Field(default=None, max_length=1000)
    flexe: FlexeOrderUpdate | None = None

    @model_validator(mode="after")
    def _something(self) -> OrderUpdate:
        if not self.model_fields_set:
            raise ValueError("give at least one field to change")
        return self


class LineAcknowledgement(Input):
    """How much of one line a fulfiller accepts, and how much it cancels."""

    line_id: str = Field(min_length=1)
    acknowledged_quantity: int = Field(ge=0)
    cancelled_quantity: int = Field(default=0, ge=0)


class ShipmentCreate(Input):
    """Tracking reported for (part of) a fulfilment request."""

    order_id: str
    tracking_number: str = Field(min_length=1, max_length=100)
    carrier: str | None = Field(default=None, min_length=1)
    service: str | None = Field(default=None, min_length=1)
    tracking_url: str | None = Field(default=None, pattern=r"^https?://")
    shipped_at: datetime | None = None
    items: tuple[OrderLineCreate, ...] = ()
