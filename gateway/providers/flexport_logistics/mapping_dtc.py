"""DTC orders (L6-L8) -> domain Orders with their lines and parcel shipments."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from gateway.models import (
    Order,
    OrderKind,
    OrderLine,
    OrderStatus,
    Shipment,
    ShipmentItem,
)
from gateway.providers.flexport_logistics import refs, status, wire
from gateway.providers.flexport_logistics.mapping import (
    SLUG,
    cancelled_quantity,
    sku_of,
    to_address,
)


def to_dtc_order(
    order: wire.DtcOrder, raw: dict[str, Any], skus: Mapping[str, str]
) -> Order:
    """A DTC order; its lines are keyed by position (LAPI gives them no id)."""
    order_id = refs.domain_id(OrderKind.DTC, order.id)
    state = order.state
    unified = status.dtc_status(
        state.internalStatus, state.fulfillmentStatus, order.deliveredAt is not None
    )
    shipped = Counter[str]()
    for shipment in order.shipments:
        if _dtc_shipped(order, shipment):
            for package in shipment.packages:
                for item in package.lineItems:
                    shipped[item.logisticsSku] += item.quantity
    lines = tuple(
        OrderLine(
            provider=SLUG,
            raw=raw_item,
            id=f"{order_id}/{position + 1}",
            order_id=order_id,
            external_id=None,
            sku=sku_of(item.logisticsSku, skus),
            provider_sku=item.logisticsSku,
            quantity=item.quantity,
            shipped_quantity=shipped.get(item.logisticsSku, 0),
            cancelled_quantity=cancelled_quantity(
                unified, item.quantity, shipped.get(item.logisticsSku, 0)
            ),
        )
        for position, (item, raw_item) in enumerate(
            zip(order.lineItems, raw.get("lineItems") or [], strict=True)
        )
    )
    line_by_sku = {line.provider_sku: line for line in lines}
    shipments = tuple(
        _dtc_shipment(order_id, order, s, raw_s, line_by_sku, skus)
        for s, raw_s in zip(order.shipments, raw.get("shipments") or [], strict=True)
    )
    return Order(
        provider=SLUG,
        raw=raw,
        id=order_id,
        kind=OrderKind.DTC,
        external_id=order.externalOrderId,
        status=unified,
        raw_status=state.internalStatus,
        shipping_status=state.fulfillmentStatus,
        has_errors=unified is OrderStatus.EXCEPTION,
        created_at=order.createdAt,
        ship_by=order.promisedShipByTime,
        recipient=to_address(order.address),
        shipment_ids=tuple(s.id for s in shipments),
        lines=lines,
        shipments=shipments,
    )


def _dtc_shipment(
    order_id: str,
    order: wire.DtcOrder,
    shipment: wire.DtcShipment,
    raw: dict[str, Any],
    lines: Mapping[str | None, OrderLine],
    skus: Mapping[str, str],
) -> Shipment:
    units = Counter[str]()
    for package in shipment.packages:
        for item in package.lineItems:
            units[item.logisticsSku] += item.quantity
    labels = [p.label for p in shipment.packages if p.label is not None]
    items = []
    for logistics_sku, quantity in units.items():
        line = lines.get(logistics_sku)
        items.append(
            ShipmentItem(
                sku=line.sku if line else sku_of(logistics_sku, skus),
                quantity=quantity,
                line_id=line.id if line else None,
            )
        )
    raw_status = shipment.status
    if raw_status is None:
        # LAPI documents no DTC shipment status (the sandbox adds one): infer
        # it from the order's own timestamps.
        raw_status = "DELIVERED" if order.deliveredAt else "SHIPPED"
        if not _dtc_shipped(order, shipment):
            raw_status = "PACKED"
    return Shipment(
        provider=SLUG,
        raw=raw,
        id=refs.domain_id(OrderKind.DTC, shipment.id),
        order_id=order_id,
        status=status.shipment_status(raw_status),
        raw_status=shipment.status,
        carrier=next((lb.carrier for lb in labels if lb.carrier), None),
        service=next((lb.shippingMethod for lb in labels if lb.shippingMethod), None),
        tracking_numbers=tuple(
            dict.fromkeys(lb.trackingCode for lb in labels if lb.trackingCode)
        ),
        shipped_at=shipment.shippedAt or order.shippedAt,
        delivered_at=shipment.deliveredAt or order.deliveredAt,
        items=tuple(items),
    )


def _dtc_shipped(order: wire.DtcOrder, shipment: wire.DtcShipment) -> bool:
    if shipment.status is not None:
        return shipment.status in status.SHIPPED_SHIPMENT_STATUSES
    return bool(shipment.shippedAt or order.shippedAt or order.deliveredAt)
