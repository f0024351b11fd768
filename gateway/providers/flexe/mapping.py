"""Flexe wire models -> domain models, status normalisation and error-body parsing."""

from __future__ import annotations

import logging
from typing import Any

from gateway.errors import ParsedError
from gateway.models import (
    Address,
    AllocationError,
    Attachment,
    Company,
    InboundShipment,
    InventoryLevel,
    Order,
    OrderKind,
    OrderLine,
    OrderStatus,
    PurchaseOrderLine,
    PurchaseOrderStatus,
    Shipment,
    ShipmentItem,
    ShipmentStatus,
)
from gateway.providers.flexe import wire

log = logging.getLogger("gateway.providers.flexe")

SLUG = "flexe"

STATUS_MAP: dict[str, OrderStatus] = {
    "new": OrderStatus.PENDING,
    "allocated": OrderStatus.ALLOCATED,
    "in_progress": OrderStatus.IN_PROGRESS,
    "shipped": OrderStatus.SHIPPED,
    "cancelled": OrderStatus.CANCELLED,
}
"""Flexe `state` -> unified status (providers.md §7.2); anything else is UNKNOWN."""

STATES_FOR_STATUS: dict[OrderStatus, tuple[str, ...]] = {
    OrderStatus.PENDING: ("new",),
    OrderStatus.EXCEPTION: ("new",),
    OrderStatus.ALLOCATED: ("allocated",),
    OrderStatus.IN_PROGRESS: ("in_progress",),
    OrderStatus.PARTIALLY_SHIPPED: ("in_progress",),
    OrderStatus.SHIPPED: ("shipped",),
    OrderStatus.DELIVERED: ("shipped",),
    OrderStatus.CANCELLED: ("cancelled",),
}
"""Unified status -> the Flexe states that can produce it (for list filters)."""


SHIPMENT_STATUS_MAP: dict[str, ShipmentStatus] = {
    "packed": ShipmentStatus.PACKED,
    "shipped": ShipmentStatus.SHIPPED,
    "delivered": ShipmentStatus.DELIVERED,
    "cancelled": ShipmentStatus.CANCELLED,
}

INBOUND_STATUS_MAP: dict[str, PurchaseOrderStatus] = {
    "expected": PurchaseOrderStatus.OPEN,
    "receiving": PurchaseOrderStatus.OPEN,
    "received": PurchaseOrderStatus.CLOSED,
    "cancelled": PurchaseOrderStatus.CANCELLED,
}
"""An inbound shipment is open until received (providers.md §7.2)."""


def to_status(state: str, has_errors: bool) -> OrderStatus:
    """Unified status of a Flexe order; allocation errors win until something ships."""
    status = STATUS_MAP.get(state)
    if status is None:
        log.warning("unknown Flexe order state", extra={"state": state})
        return OrderStatus.UNKNOWN
    if has_errors and status in (OrderStatus.PENDING, OrderStatus.ALLOCATED):
        return OrderStatus.EXCEPTION
    return status


def to_order(order: wire.Order, raw: dict[str, Any]) -> Order:
    """A Flexe outbound order as a domain Order (kind DTC: parcel to a person)."""
    recipient = order.recipient
    address = recipient.address if recipient else None
    return Order(
        provider=SLUG,
        raw=raw,
        id=order.id,
        kind=OrderKind.DTC,
        external_id=order.externalId,
        status=to_status(order.state, order.hasErrors),
        raw_status=order.state,
        status_needs_lines=order.state == "in_progress",
        has_errors=order.hasErrors,
        created_at=order.createdAt,
        updated_at=order.updatedAt,
        shipping_service=order.shipping.serviceType if order.shipping else None,
        location_id=order.reservationId,
        recipient=Address(
            name=recipient.name if recipient else None,
            line1=address.line1 if address else None,
            line2=join_parts(address.line2, address.line3) if address else None,
            city=address.city if address else None,
            region=address.region if address else None,
            postal_code=address.postcode if address else None,
            country=address.country if address else None,
            phone=recipient.phone if recipient else None,
            email=recipient.email if recipient else None,
        ),
        labels=order.labels,
        shipment_ids=tuple(order.shipmentIds)
        if order.shipmentIds is not None
        else None,
    )


def to_line(line: wire.Line, raw: dict[str, Any]) -> OrderLine:
    """A Flexe order line; a cancelled line's whole quantity counts as cancelled."""
    return OrderLine(
        provider=SLUG,
        raw=raw,
        id=line.id,
        order_id=line.orderId,
        external_id=line.externalId,
        sku=line.sku,
        provider_sku=line.sku,
        quantity=line.quantity,
        unit_of_measure=line.unitOfMeasure,
        allocated_quantity=line.allocatedQuantity,
        shipped_quantity=line.shippedQuantity or 0,
        cancelled_quantity=line.quantity if line.cancelledAt else 0,
        created_at=line.createdAt,
        cancelled_at=line.cancelledAt,
    )


def to_allocation_error(
    error: wire.AllocationError, raw: dict[str, Any]
) -> AllocationError:
    """One Flexe allocation error."""
    return AllocationError(
        provider=SLUG,
        raw=raw,
        order_id=error.orderId,
        line_id=error.orderLineId,
        order_external_id=error.orderExternalId,
        line_external_id=error.lineExternalId,
        code=error.code,
        details=error.details,
        created_at=error.createdAt,
    )


def to_attachment(
    attachment: wire.Attachment, raw: dict[str, Any], file_url: str | None
) -> Attachment:
    """A Flexe attachment; `file_url` is where its stored file can be fetched."""
    return Attachment(
        provider=SLUG,
        raw=raw,
        id=attachment.id,
        owner_id=attachment.orderId,
        type=attachment.documentType or attachment.type,
        name=attachment.displayName or attachment.fileKey,
        url=attachment.externalUrl or file_url,
        created_at=attachment.createdAt,
        removed_at=attachment.cancelledAt,
    )


def to_shipment(shipment: wire.Shipment, raw: dict[str, Any]) -> Shipment:
    """A Flexe shipment (parcel) of an order."""
    status = SHIPMENT_STATUS_MAP.get(shipment.state, ShipmentStatus.UNKNOWN)
    return Shipment(
        provider=SLUG,
        raw=raw,
        id=shipment.id,
        order_id=shipment.orderId,
        status=status,
        raw_status=shipment.state,
        carrier=shipment.carrier,
        service=shipment.serviceType,
        tracking_numbers=tuple(shipment.trackingNumbers),
        shipped_at=shipment.shippedAt,
        delivered_at=shipment.deliveredAt,
        items=tuple(
            ShipmentItem(sku=line.sku, quantity=line.quantity, line_id=line.lineId)
            for line in shipment.lines
        ),
    )


def to_inventory(item: wire.InventoryItem, raw: dict[str, Any]) -> InventoryLevel:
    """Stock of a SKU at one Flexe reservation (warehouse)."""
    return InventoryLevel(
        provider=SLUG,
        raw=raw,
        sku=item.sku,
        provider_sku=item.item_id,
        location_id=item.reservation_id,
        on_hand=item.quantity_on_hand.amount if item.quantity_on_hand else None,
        available=item.quantity_available.amount if item.quantity_available else None,
        allocated=item.quantity_allocated.amount if item.quantity_allocated else None,
        updated_at=item.last_updated_at,
    )


def to_inbound_shipment(
    inbound: wire.InboundShipment, raw: dict[str, Any]
) -> InboundShipment:
    """A Flexe inbound shipment (ASN) against a purchase-order number."""
    return InboundShipment(
        provider=SLUG,
        raw=raw,
        id=inbound.id,
        purchase_order_number=inbound.purchaseOrder or inbound.poNumber,
        status=INBOUND_STATUS_MAP.get(inbound.state, PurchaseOrderStatus.UNKNOWN),
        raw_status=inbound.state,
        supplier=Company(name=inbound.suplierOrVendor)
        if inbound.suplierOrVendor
        else None,
        location_id=inbound.reservationId,
        expected_arrival=inbound.dropoffDate,
        arrived_at=inbound.receivedAt,
        created_at=inbound.createdAt,
        updated_at=inbound.updatedAt,
        lines=tuple(
            PurchaseOrderLine(
                provider=SLUG,
                id=f"{inbound.id}/{index}",
                purchase_order_id=inbound.id,
                line_number=index + 1,
                sku=item.sku,
                quantity=item.quantity,
                unit_of_measure=item.unit,
                received_quantity=item.receivedQuantity,
            )
            for index, item in enumerate(inbound.items)
        ),
    )


def parse_error(data: Any) -> ParsedError:
    """Flexe's `{"errors":[{code, message, field}], "correlationId"}` body."""
    body = wire.ErrorBody.model_validate(data)
    if not body.errors:
        return ParsedError()
    first = body.errors[0]
    messages = [e.message for e in body.errors if e.message]
    fields = {e.field: e.message or "" for e in body.errors if e.field}
    return ParsedError(
        code=first.code, message="; ".join(messages) or None, fields=fields
    )


def join_parts(*parts: str | None) -> str | None:
    """The non-empty parts, comma-separated; None when there are none."""
    joined = ", ".join(p for p in parts if p)
    return joined or None
