"""Flxpoint wire models -> domain models, and error bodies -> codes."""

from __future__ import annotations

import re
from typing import Any

from gateway.errors import ParsedError
from gateway.models import (
    Address,
    InventoryLevel,
    Money,
    Order,
    OrderKind,
    OrderLine,
    Shipment,
    ShipmentItem,
    ShipmentStatus,
)
from gateway.providers.flxpoint import wire
from gateway.providers.flxpoint.status import EXCEPTION_STATUSES, to_status

SLUG = "flxpoint"


def to_order(fr: wire.FulfillmentRequest, raw: dict[str, Any]) -> Order:
    """A fulfilment request as a domain Order, its items as embedded lines.

    The channel order id (`orderId`) stays in `raw`; the domain has no field for it.
    """
    request_status = fr.fulfillmentRequestStatus.name
    items = raw.get("fulfillmentRequestItems") or []
    return Order(
        provider=SLUG,
        raw=raw,
        id=fr.id,
        kind=OrderKind.FULFILLMENT_REQUEST,
        external_id=fr.fulfillmentRequestNumber,
        status=to_status(request_status, fr.fulfillmentStatus),
        raw_status=request_status,
        has_errors=request_status in EXCEPTION_STATUSES,
        created_at=fr.generatedAt,
        updated_at=fr.updatedAt,
        cancelled_at=fr.voidedAt,
        location_id=fr.sourceId,
        recipient=_recipient(fr.shippingAddress),
        acknowledged=fr.acknowledgedAt is not None or request_status == "Acknowledged",
        shipping_status=fr.fulfillmentStatus,
        lines=tuple(
            to_line(fr.id, index, item, item_raw)
            for index, (item, item_raw) in enumerate(
                zip(fr.fulfillmentRequestItems or [], items, strict=True)
            )
        ),
    )


def to_line(
    order_id: str, index: int, item: wire.FulfillmentRequestItem, raw: dict[str, Any]
) -> OrderLine:
    """One FR item; acknowledged units count as allocated (§7.3)."""
    return OrderLine(
        provider=SLUG,
        raw=raw,
        # Items carry ids (inferred in providers.md); the position is a fallback.
        id=item.id or f"{order_id}/{index}",
        order_id=order_id,
        sku=item.sku,
        provider_sku=item.sku,
        quantity=item.quantity,
        unit_of_measure="each",
        allocated_quantity=item.acknowledgedQuantity,
        shipped_quantity=item.shippedQuantity or 0,
        cancelled_quantity=item.cancelledQuantity or 0,
        unit_price=Money(amount=item.cost) if item.cost is not None else None,
    )


def _recipient(address: wire.ShippingAddress | None) -> Address | None:
    if address is None:
        return None
    person = " ".join(p for p in (address.firstName, address.lastName) if p)
    return Address(
        name=address.name or person or None,
        company=address.companyName,
        line1=address.addressLine1,
        line2=address.addressLine2,
        city=address.city,
        region=address.stateCode or address.state,
        postal_code=address.postal,
        country=address.countryCode or address.country,
        phone=address.phone,
        email=address.email,
    )


def to_shipment(shipment: wire.Shipment, raw: dict[str, Any]) -> Shipment:
    """A Flxpoint shipment: reported tracking, so SHIPPED by definition."""
    return Shipment(
        provider=SLUG,
        raw=raw,
        id=shipment.id,
        order_id=shipment.fulfillmentRequestId or shipment.purchaseOrderId,
        status=ShipmentStatus.SHIPPED,
        carrier=shipment.carrier,
        service=shipment.method,
        tracking_numbers=(shipment.trackingNumber,) if shipment.trackingNumber else (),
        tracking_url=shipment.trackingUrl,
        shipped_at=shipment.shippedAt,
        created_at=shipment.insertedAt,
        updated_at=shipment.updatedAt,
        items=tuple(
            ShipmentItem(
                sku=item.sku,
                quantity=item.quantity,
                line_id=item.fulfillmentRequestItemId or item.purchaseOrderItemId,
            )
            for item in shipment.shipmentItems or []
        ),
    )


def to_inventory(variant: wire.InventoryVariant, raw: dict[str, Any]) -> InventoryLevel:
    """Stock of one SKU at one source (`quantity` is what is available)."""
    return InventoryLevel(
        provider=SLUG,
        raw=raw,
        sku=variant.sku,
        provider_sku=variant.id,
        location_id=variant.sourceId,
        on_hand=variant.totalQuantity,
        available=variant.quantity,
        allocated=variant.committedQuantity,
        incoming=variant.incomingQuantity,
        updated_at=variant.totalQuantityLastChangedAt or variant.updatedAt,
    )


# Flxpoint errors carry only a message, so the adapter derives a code from it.
# Codes in CONFLICT_CODES are illegal state transitions that Flxpoint answers with
# 400; `Upstream` turns them into Conflict through `conflict_codes`.
ALREADY_ACKNOWLEDGED = "ALREADY_ACKNOWLEDGED"
NOT_PROCESSING = "NOT_PROCESSING"
CANCEL_SHIPPED = "CANCEL_SHIPPED"
CANCEL_VOIDED = "CANCEL_VOIDED"
DUPLICATE_TRACKING_NUMBER = "DUPLICATE_TRACKING_NUMBER"
NOT_SHIPPABLE = "NOT_SHIPPABLE"
OVER_SHIPPED = "OVER_SHIPPED"
NOTHING_TO_SHIP = "NOTHING_TO_SHIP"

ERROR_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"is already acknowledged", re.I), ALREADY_ACKNOWLEDGED),
    (re.compile(r"is not in Processing status", re.I), NOT_PROCESSING),
    (re.compile(r"Cannot cancel a shipped", re.I), CANCEL_SHIPPED),
    (re.compile(r"is Voided and cannot be cancel", re.I), CANCEL_VOIDED),
    (re.compile(r"tracking number .* already exists", re.I), DUPLICATE_TRACKING_NUMBER),
    (re.compile(r"and cannot be shipped", re.I), NOT_SHIPPABLE),
    (re.compile(r"Cannot ship \d+ units", re.I), OVER_SHIPPED),
    (re.compile(r"has no unshipped units", re.I), NOTHING_TO_SHIP),
    (re.compile(r"not found", re.I), "NOT_FOUND"),
    (re.compile(r"Rate limit exceeded", re.I), "RATE_LIMITED"),
    (re.compile(r"X-API-TOKEN", re.I), "UNAUTHORIZED"),
)
"""Message fragments -> codes, first match wins (texts per docs/sandbox.md §22)."""

CONFLICT_CODES = frozenset(
    {
        ALREADY_ACKNOWLEDGED,
        NOT_PROCESSING,
        CANCEL_SHIPPED,
        CANCEL_VOIDED,
        DUPLICATE_TRACKING_NUMBER,
        NOT_SHIPPABLE,
        OVER_SHIPPED,
        NOTHING_TO_SHIP,
    }
)


FIELD_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"^Item (?P<id>\d+) is not on fulfillment request"),
        "items[id={id}].id",
    ),
    (
        re.compile(
            r"^acknowledgedQuantity plus cancelledQuantity .* of item (?P<id>\d+)$"
        ),
        "items[id={id}].acknowledgedQuantity",
    ),
    (
        re.compile(r"^cancelledQuantity \d+ of item (?P<id>\d+) exceeds"),
        "items[id={id}].cancelledQuantity",
    ),
    (
        re.compile(r"^No item with sku (?P<sku>\S+) on fulfillment request"),
        "shipment.shipmentItems[sku={sku}].sku",
    ),
    (
        re.compile(r"^Cannot ship \d+ units of (?P<sku>\S+): "),
        "shipment.shipmentItems[sku={sku}].quantity",
    ),
    (re.compile(r"^Unknown field (?P<path>\S+)$"), "{path}"),
    (
        re.compile(
            r"^(?P<path>[a-z]\w*(?:\[\d+\])?(?:\.\w+(?:\[\d+\])?)*) "
            r"(?:is |must |needs |repeats |accepts |does not )"
        ),
        "{path}",
    ),
)
"""Messages that name a field -> that field. An item named by its id or SKU
rather than its position is `items[id=…]` / `shipmentItems[sku=…]`, which the
write that sent the list turns into a position (fields.py)."""


def parse_error(data: Any) -> ParsedError:
    """Flxpoint's `{"error": "<message>"}`, with a code read from the message,
    and the field when the message names one (Flxpoint has no field list)."""
    body = wire.ErrorBody.model_validate(data)
    if not body.error:
        return ParsedError()
    message = body.error
    code = next((c for pattern, c in ERROR_PATTERNS if pattern.search(message)), None)
    field = next(
        (
            template.format(**match.groupdict())
            for pattern, template in FIELD_PATTERNS
            if (match := pattern.search(message)) is not None
        ),
        None,
    )
    return ParsedError(
        code=code, message=message, fields={field: message} if field else {}
    )
