"""Inventory by SKU (F15): Rails-style `skus[]`, snake_case token, 3000 SKUs a page."""

from __future__ import annotations

from collections.abc import Sequence

from gateway.models import InventoryLevel
from gateway.providers.flexe import mapping, wire
from gateway.providers.flexe.api import FlexeApi, chunks, pairs

PATH = "/v2/inventory"


async def by_skus(
    api: FlexeApi, skus: Sequence[str]
) -> dict[str, list[InventoryLevel]]:
    """Levels of each SKU, one per reservation; 100 SKUs a call, every page."""
    result: dict[str, list[InventoryLevel]] = {}
    for chunk in chunks(skus, api.batch_size):
        wanted = [("skus[]", sku) for sku in chunk]
        query = wanted
        while True:
            data = await api.get(PATH, query)
            parsed = api.validate(wire.InventoryPage, data)
            for item, raw in pairs(parsed, data, "inventory"):
                result.setdefault(item.sku, []).append(mapping.to_inventory(item, raw))
            if not parsed.continuation_token:
                break
            query = [*wanted, ("continuation_token", parsed.continuation_token)]
    return result
