"""Orders, their lines and allocation errors, with the unified status rules."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import Field

from gateway.models.common import Address, Domain, Money


class OrderStatus(StrEnum):
    """Unified order status (providers.md §7.1); UNKNOWN keeps unmapped raw values."""

    PENDING = "PENDING"
    ACCEPTED = "ACCEPTED"
    ALLOCATED = "ALLOCATED"
    IN_PROGRESS = "IN_PROGRESS"
    PARTIALLY_SHIPPED = "PARTIALLY_SHIPPED"
    SHIPPED = "SHIPPED"
    DELIVERED = "DELIVERED"
    CANCELLED = "CANCELLED"
    EXCEPTION = "EXCEPTION"
    UNKNOWN = "UNKNOWN"


class OrderKind(StrEnum):
    """Which kind of outbound order a provider object is."""

    DTC = "DTC"
    B2B = "B2B"
    RETAIL = "RETAIL"
    FULFILLMENT_REQUEST = "FULFILLMENT_REQUEST"


class Order(Domain):
    """An outbound order at one provider."""

    id: str
    kind: OrderKind
    external_id: str | None = None
    status: OrderStatus
    raw_status: str
    status_needs_lines: bool = Field(
        default=False,
        description="The status can only be told apart (IN_PROGRESS vs "
        "PARTIALLY_SHIPPED) once the lines are known.",
    )
    has_errors: bool = False
    created_at: datetime | None = None
    updated_at: datetime | None = None
    ship_by: datetime | None = None
    shipping_service: str | None = None
    location_id: str | None = None
    recipient: Address | None = None
    labels: dict[str, str] = Field(default_factory=dict)
    shipment_ids: tuple[str, ...] | None = None
    cancelled_at: datetime | None = None
    acknowledged: bool | None = Field(
        default=None, description="Fulfilment requests: the source acknowledged it."
    )
    shipping_status: str | None = Field(
        default=None, description="Fulfilment requests: the raw shipping status."
    )
    lines: tuple[OrderLine, ...] | None = Field(
        default=None,
        description="The lines, when the provider returns them inside the order; "
        "None means they must be fetched separately.",
    )
    shipments: tuple[Shipment, ...] | None = Field(
        default=None,
        description="The shipments, when embedded in the order payload.",
    )
    attachments: tuple[Attachment, ...] | None = Field(
        default=None,
        description="The attachments, when the order payload lists them; None "
        "means they must be fetched separately.",
    )


class OrderLine(Domain):
    """One SKU line of an order."""

    id: str
    order_id: str
    external_id: str | None = None
    sku: str
    provider_sku: str | None = None
    quantity: int
    unit_of_measure: str | None = None
    allocated_quantity: int | None = None
    shipped_quantity: int = 0
    cancelled_quantity: int = 0
    unit_price: Money | None = None
    created_at: datetime | None = None
    cancelled_at: datetime | None = None


class AllocationError(Domain):
    """Why a provider could not reserve inventory for an order or line."""

    order_id: str
    line_id: str | None = None
    order_external_id: str | None = None
    line_external_id: str | None = None
    code: str
    details: str | None = None
    created_at: datetime | None = None


def line_status(line: OrderLine, order_status: OrderStatus) -> OrderStatus:
    """A line's status from its quantities (providers.md §7.2), else its order's."""
    open_quantity = line.quantity - line.cancelled_quantity
    if line.quantity > 0 and line.cancelled_quantity >= line.quantity:
        return OrderStatus.CANCELLED
    if line.shipped_quantity > 0 and line.shipped_quantity >= open_quantity:
        return OrderStatus.SHIPPED
    if line.shipped_quantity > 0:
        return OrderStatus.PARTIALLY_SHIPPED
    if line.allocated_quantity is not None and line.allocated_quantity >= open_quantity:
        return OrderStatus.ALLOCATED
    return order_status


def refine_status(order: Order, lines: list[OrderLine]) -> OrderStatus:
    """The order status once its lines are known: any shipped unit means partial."""
    if order.status_needs_lines and any(line.shipped_quantity > 0 for line in lines):
        return OrderStatus.PARTIALLY_SHIPPED
    return order.status


from gateway.models.attachments import Attachment  # noqa: E402  (Order refers to it)
from gateway.models.shipments import Shipment  # noqa: E402  (Order refers to it)

Order.model_rebuild()
