"""B2B outbounds -> domain Orders with their embedded lines, shipments, attachments.

`skus` maps logisticsSku -> merchantSku (from the product catalogue, L9): lines
name the merchant's SKU, which B2B lines carry in `productData.sku` only
sometimes and DTC lines never.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from gateway.models import (
    Address,
    Attachment,
    Money,
    Order,
    OrderKind,
    OrderLine,
    OrderStatus,
    Shipment,
    ShipmentItem,
    Weight,
)
from gateway.providers.flexport_logistics import refs, status, wire

SLUG = "flexport_logistics"


def to_address(address: wire.Address | None) -> Address | None:
    if address is None:
        return None
    return Address(
        name=address.name,
        company=address.company,
        line1=address.street1,
        line2=address.street2,
        city=address.city,
        region=address.state,
        postal_code=address.zip,
        country=address.country,
        phone=address.phone,
        email=address.email,
    )


def _join(*parts: str | None) -> str | None:
    joined = ", ".join(p for p in parts if p)
    return joined or None


def sku_of(logistics_sku: str | None, skus: Mapping[str, str]) -> str:
    if logistics_sku is None:
        return ""
    return skus.get(logistics_sku, logistics_sku)


# B2B outbounds -----------------------------------------------------------------


def to_outbound(
    outbound: wire.Outbound, raw: dict[str, Any], skus: Mapping[str, str]
) -> Order:
    """A B2B outbound; lines and shipments come from the same payload."""
    order_id = refs.domain_id(OrderKind.B2B, outbound.orderId)
    shipped = Counter[str]()
    for shipment in outbound.shipments:
        for item in shipment.shipmentItems:
            if item.lineItemId is not None:
                shipped[item.lineItemId] += item.shippedQuantity or 0
    any_shipped = sum(shipped.values()) > 0 or any(
        s.status in status.SHIPPED_SHIPMENT_STATUSES for s in outbound.shipments
    )
    unified = status.outbound_status(outbound.orderStatus, any_shipped)
    lines = tuple(
        _outbound_line(order_id, position, item, raw_item, shipped, unified, skus)
        for position, (item, raw_item) in enumerate(
            zip(outbound.orderItems, raw.get("orderItems") or [], strict=True)
        )
    )
    line_by_item = {line.external_id: line for line in lines}
    shipments = tuple(
        _outbound_shipment(order_id, s, raw_s, line_by_item, skus)
        for s, raw_s in zip(outbound.shipments, raw.get("shipments") or [], strict=True)
    )
    transport = outbound.transportationDetails or next(
        (s.transportationDetails for s in outbound.shipments), None
    )
    ship_to = outbound.shipToAddress or next(
        (s.shipToAddress for s in outbound.shipments), None
    )
    retailer = outbound.retailerData
    return Order(
        provider=SLUG,
        raw=raw,
        id=order_id,
        kind=OrderKind.B2B,
        external_id=outbound.externalId,
        status=unified,
        raw_status=outbound.orderStatus,
        ship_by=outbound.shipBy or (retailer.shipByDate if retailer else None),
        shipping_service=_join(transport.shippingMethod, transport.shippingSpeed)
        if transport
        else None,
        location_id=outbound.locationId,
        recipient=to_address(ship_to),
        shipment_ids=tuple(s.id for s in shipments),
        lines=lines,
        shipments=shipments,
    )


def _outbound_line(
    order_id: str,
    position: int,
    item: wire.OrderItem,
    raw: dict[str, Any],
    shipped: Counter[str],
    order_status: OrderStatus,
    skus: Mapping[str, str],
) -> OrderLine:
    # lineItemId is the line's key on the shipments; the sandbox defaults it
    # to the 1-based position, and so do we when it is missing.
    line_item_id = item.lineItemId or str(position + 1)
    merchant = item.productData.sku if item.productData else None
    shipped_quantity = shipped.get(line_item_id, 0)
    return OrderLine(
        provider=SLUG,
        raw=raw,
        id=f"{order_id}/{line_item_id}",
        order_id=order_id,
        external_id=line_item_id,
        sku=merchant or sku_of(item.logisticsSku, skus),
        provider_sku=item.logisticsSku,
        quantity=item.quantity,
        unit_of_measure=item.quantityUOM,
        shipped_quantity=shipped_quantity,
        cancelled_quantity=cancelled_quantity(
            order_status, item.quantity, shipped_quantity
        ),
        unit_price=Money(amount=item.unitPrice) if item.unitPrice is not None else None,
    )


def cancelled_quantity(order_status: OrderStatus, quantity: int, shipped: int) -> int:
    # LAPI cancels whole orders only: every unshipped unit goes with it.
    return max(quantity - shipped, 0) if order_status is OrderStatus.CANCELLED else 0


def _outbound_shipment(
    order_id: str,
    shipment: wire.OutboundShipment,
    raw: dict[str, Any],
    lines: Mapping[str | None, OrderLine],
    skus: Mapping[str, str],
) -> Shipment:
    done = shipment.status in status.SHIPPED_SHIPMENT_STATUSES
    tracking = [p.trackingNumber for p in shipment.packDetails]
    tracking += [f.proNumber for f in shipment.freightDetails]
    tracking += [f.bolId for f in shipment.freightDetails]
    carriers = [p.carrierName for p in shipment.packDetails]
    carriers += [f.carrierName for f in shipment.freightDetails]
    items = []
    for item in shipment.shipmentItems:
        line = lines.get(item.lineItemId)
        # Before it ships, a shipment's `shippedQuantity` is 0: report what it holds.
        quantity = (item.shippedQuantity or 0) if done else item.quantity
        items.append(
            ShipmentItem(
                sku=line.sku if line else sku_of(item.logisticsSku, skus),
                quantity=quantity,
                line_id=line.id if line else None,
            )
        )
    transport = shipment.transportationDetails
    weight = shipment.shipmentChargedWeight
    return Shipment(
        provider=SLUG,
        raw=raw,
        id=refs.domain_id(OrderKind.B2B, shipment.shipmentId),
        order_id=order_id,
        status=status.shipment_status(shipment.status),
        raw_status=shipment.status,
        carrier=next((c for c in carriers if c), None),
        service=transport.shippingType if transport else None,
        tracking_numbers=tuple(dict.fromkeys(t for t in tracking if t)),
        items=tuple(items),
        weight=Weight(value=weight, unit=shipment.shipmentChargedWeightUnit)
        if weight is not None
        else None,
    )


def to_attachments(order: Order) -> list[Attachment]:
    """Documents uploaded to a B2B order's shipments through L4 upload URLs."""
    found: list[Attachment] = []
    for shipment in order.shipments or ():
        for position, raw in enumerate(shipment.raw.get("attachments") or []):
            attachment = wire.ShipmentAttachment.model_validate(raw)
            found.append(
                Attachment(
                    provider=SLUG,
                    raw=raw,
                    id=f"{shipment.id}/{position + 1}",
                    owner_id=order.id,
                    owner_kind="Order",
                    type=attachment.attachmentType,
                    url=attachment.url,
                    content_type=attachment.contentType,
                    size=attachment.size,
                    created_at=attachment.uploadedAt,
                )
            )
    return found
