"""LAPI stock -> domain: per-warehouse inventory (L13) and inbound shipments (L14)."""

from __future__ import annotations

from typing import Any

from gateway.models import Company, InboundShipment, InventoryLevel, PurchaseOrderLine
from gateway.providers.flexport_logistics import status, wire
from gateway.providers.flexport_logistics.mapping import SLUG


def to_inventory(
    sku: str, stock: wire.WarehouseStock, raw: dict[str, Any]
) -> list[InventoryLevel]:
    """One level per warehouse that holds (or held) the SKU.

    L13 reports `available` and `onHand` per warehouse; LAPI's `unavailable`
    (reserved or damaged) is by definition the difference, so `allocated` is
    derived rather than fetched again from L12's network totals.
    """
    levels = []
    for level, raw_level in zip(
        stock.warehouses, raw.get("warehouses") or [], strict=True
    ):
        allocated = None
        if level.onHand is not None and level.available is not None:
            allocated = max(level.onHand - level.available, 0)
        levels.append(
            InventoryLevel(
                provider=SLUG,
                raw=raw_level,
                sku=sku,
                provider_sku=stock.logisticsSku,
                location_id=level.warehouseId,
                on_hand=level.onHand,
                available=level.available,
                allocated=allocated,
            )
        )
    return levels


def to_inbound_shipment(
    inbound: wire.InboundShipment, raw: dict[str, Any]
) -> InboundShipment:
    """An inbound shipment; its shipping plan's external id is the merchant's PO."""
    supplier = inbound.from_
    return InboundShipment(
        provider=SLUG,
        raw=raw,
        id=inbound.id,
        purchase_order_number=inbound.shippingPlanExternalId,
        status=status.inbound_status(inbound.status),
        raw_status=inbound.status,
        supplier=Company(name=supplier.name) if supplier and supplier.name else None,
        location_id=inbound.destination,
        arrived_at=inbound.arrivedAt,
        lines=tuple(
            PurchaseOrderLine(
                provider=SLUG,
                raw=raw_item,
                id=item.shipmentItemId,
                purchase_order_id=inbound.id,
                line_number=position + 1,
                item_key=item.lineItemId,
                sku=item.merchantSku or item.logisticsSku,
                quantity=item.expected,
                unit_of_measure="EACH",
                received_quantity=_received(item),
            )
            for position, (item, raw_item) in enumerate(
                zip(inbound.items, raw.get("items") or [], strict=True)
            )
        ),
    )


def _received(item: wire.InboundItem) -> int | None:
    # Damaged units were received too, just not into sellable stock.
    if item.sellable is None and item.damaged is None:
        return None
    return (item.sellable or 0) + (item.damaged or 0)
