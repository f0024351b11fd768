"""Reading stock: per-warehouse inventory (L13) and inbound shipments (L14)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from gateway.models import InboundShipment, InventoryLevel
from gateway.providers.flexport_logistics import mapping_stock, wire
from gateway.providers.flexport_logistics.api import LapiApi, chunks
from gateway.providers.flexport_logistics.catalog import Catalog

INBOUND_PAGE = 100
"""L14's largest page."""


async def inventory(
    api: LapiApi, catalog: Catalog, skus: Sequence[str]
) -> dict[str, list[InventoryLevel]]:
    """Per-warehouse levels by the SKU asked for: one L13 POST per 100 SKUs.

    Chosen over L12's network totals because L13 says where the stock is, in
    one call per batch all the same; a known SKU held nowhere maps to [].
    SKUs the catalogue does not know are absent.
    """
    asked: dict[str, str] = {}
    for sku in dict.fromkeys(skus):
        logistics_sku = catalog.logistics_sku(sku)
        if logistics_sku is not None:
            asked.setdefault(logistics_sku, sku)
    result: dict[str, list[InventoryLevel]] = {}

    async def one(chunk: list[str]) -> None:
        data = await api.post(
            "/products/warehouses", {"logisticsSKUs": chunk}, read_only=True
        )
        for stock, raw in api.validate_list(wire.Stocks, data):
            sku = asked.get(stock.logisticsSku)
            if sku is not None:
                result[sku] = mapping_stock.to_inventory(sku, stock, raw)

    await asyncio.gather(*(one(c) for c in chunks(list(asked), api.batch_size)))
    return result


async def inbound_by_ids(
    api: LapiApi, ids: Sequence[str]
) -> dict[str, InboundShipment]:
    """One L14 GET per 100 ids (`shipmentIds`); non-numeric ids are never LAPI's."""
    numeric = [i for i in ids if i.isascii() and i.isdigit()]

    async def one(chunk: list[str]) -> list[InboundShipment]:
        query = {"shipmentIds": ",".join(chunk), "limit": str(INBOUND_PAGE)}
        data = (await api.get("/inbounds/shipments", query)).data
        return [
            mapping_stock.to_inbound_shipment(inbound, raw)
            for inbound, raw in api.validate_list(wire.InboundShipments, data)
        ]

    pages = await asyncio.gather(*(one(c) for c in chunks(numeric, api.batch_size)))
    return {inbound.id: inbound for page in pages for inbound in page}


async def inbound_by_po_number(
    api: LapiApi, numbers: Sequence[str]
) -> dict[str, list[InboundShipment]]:
    """L14 has no PO filter: read every inbound shipment (one GET per 100, the
    whole list on every call) and keep those whose shippingPlanExternalId is
    asked for."""
    wanted = set(numbers)
    result: dict[str, list[InboundShipment]] = {}
    if not wanted:
        return result
    every = await api.offset_pages(
        "/inbounds/shipments", {}, INBOUND_PAGE, wire.InboundShipments
    )
    for inbound, raw in every:
        number = inbound.shippingPlanExternalId
        if number is not None and number in wanted:
            result.setdefault(number, []).append(
                mapping_stock.to_inbound_shipment(inbound, raw)
            )
    return result
