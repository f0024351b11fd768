"""Inventory levels of one SKU at one provider location (or the provider's network)."""

from __future__ import annotations

from datetime import datetime

from gateway.models.common import Domain


class InventoryLevel(Domain):
    """Stock of a SKU; `location_id` None means the provider's whole network."""

    sku: str
    provider_sku: str | None = None
    location_id: str | None = None
    on_hand: int | None = None
    available: int | None = None
    allocated: int | None = None
    incoming: int | None = None
    updated_at: datetime | None = None
