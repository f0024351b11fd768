"""The product catalogue (L9), cached: merchant SKU <-> LAPI logisticsSku.

The gateway speaks merchant SKUs; LAPI's inventory and DTC lines speak
logisticsSkus, and only some B2B lines carry the merchant's SKU. One paged walk
of L9 answers both directions, and is reused for `ttl_s` seconds, so a SKU
created meanwhile is unknown until the next walk.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from gateway.providers.flexport_logistics import wire
from gateway.providers.flexport_logistics.api import LapiApi

PRODUCT_PAGE = 500
"""L9's largest page."""


@dataclass(frozen=True)
class Catalog:
    """Both directions of the SKU map at one moment."""

    merchant_by_logistics: dict[str, str] = field(default_factory=dict)
    logistics_by_merchant: dict[str, str] = field(default_factory=dict)

    def logistics_sku(self, sku: str) -> str | None:
        """The logisticsSku for a merchant SKU (or for a logisticsSku itself)."""
        if sku in self.logistics_by_merchant:
            return self.logistics_by_merchant[sku]
        return sku if sku in self.merchant_by_logistics else None


class CatalogCache:
    """Loads the catalogue on first use and again once it is `ttl_s` old."""

    def __init__(
        self,
        api: LapiApi,
        ttl_s: float,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.api = api
        self.ttl_s = ttl_s
        self._clock = clock
        self._catalog: Catalog | None = None
        self._loaded_at = 0.0
        # Concurrent callers share one walk instead of each paging L9.
        self._lock = asyncio.Lock()

    async def get(self) -> Catalog:
        if self._fresh():
            assert self._catalog is not None
            return self._catalog
        async with self._lock:
            if not self._fresh():
                self._catalog = await self._load()
                self._loaded_at = self._clock()
            assert self._catalog is not None
            return self._catalog

    def cached(self) -> Catalog | None:
        """The last catalogue loaded, however old, without a call; None before the
        first load. For code that cannot wait (webhook parsing): a SKU's
        merchant SKU seldom changes, and one newer than the walk is unknown."""
        return self._catalog

    def _fresh(self) -> bool:
        return (
            self._catalog is not None and self._clock() - self._loaded_at < self.ttl_s
        )

    async def _load(self) -> Catalog:
        products = await self.api.offset_pages(
            "/products", {}, PRODUCT_PAGE, wire.Products
        )
        catalog = Catalog()
        for product, _ in products:
            if product.merchantSku:
                catalog.merchant_by_logistics[product.logisticsSku] = (
                    product.merchantSku
                )
                catalog.logistics_by_merchant[product.merchantSku] = (
                    product.logisticsSku
                )
        return catalog
