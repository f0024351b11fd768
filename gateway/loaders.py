"""Per-request DataLoaders: one generic provider-grouping base and one class per key.

For each key a loader resolves to the object, to None (or []) when the provider
does not have it, or to the ProviderError of the call that failed, so one
provider being down fails only the fields that needed it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, NamedTuple, Protocol, TypeVar

from aiodataloader import DataLoader

from gateway.errors import NotSupported
from gateway.ids import Ref
from gateway.models import (
    AllocationError,
    Attachment,
    InboundShipment,
    InventoryLevel,
    Order,
    OrderLine,
    PurchaseOrder,
    PurchaseOrderLine,
    Shipment,
)
from gateway.providers.base import Provider


class Keyed(Protocol):
    """A loader key: it names the provider that holds the value."""

    @property
    def provider(self) -> str: ...


class SkuKey(NamedTuple):
    """A SKU at one provider."""

    provider: str
    sku: str


class NumberKey(NamedTuple):
    """A purchase-order number at one provider."""

    provider: str
    number: str


K = TypeVar("K", bound=Keyed)
V = TypeVar("V")


class ProviderBatchLoader(DataLoader[K, Any], Generic[K, V]):
    """Groups keys by provider, calls each provider's batch method concurrently."""

    def __init__(self, providers: Mapping[str, Provider]) -> None:
        super().__init__()
        self.providers = providers

    def missing(self) -> V | None:
        """The value of a key the provider does not know."""
        return None

    async def fetch(self, provider: Provider, keys: Sequence[K]) -> Mapping[K, V]:
        """Call the provider's batch method for these keys (all of one provider)."""
        raise NotImplementedError

    async def batch_load_fn(self, keys: Sequence[K]) -> list[Any]:
        by_provider: dict[str, list[K]] = {}
        for key in keys:
            by_provider.setdefault(key.provider, []).append(key)
        slugs = list(by_provider)
        outcomes = await asyncio.gather(
            *(self._fetch_one(slug, by_provider[slug]) for slug in slugs),
            return_exceptions=True,
        )
        results = dict(zip(slugs, outcomes, strict=True))
        values: list[Any] = []
        for key in keys:
            outcome = results[key.provider]
            if isinstance(outcome, BaseException):
                values.append(outcome)
            else:
                found = outcome.get(key)
                values.append(self.missing() if found is None else found)
        return values

    async def _fetch_one(self, slug: str, keys: list[K]) -> Mapping[K, V]:
        provider = self.providers.get(slug)
        if provider is None:
            raise NotSupported(slug, f"provider {slug.upper()} is not enabled")
        return await self.fetch(provider, list(dict.fromkeys(keys)))


class ListLoader(ProviderBatchLoader[K, list[V]]):
    """A loader whose value is a list: an unknown key is an empty list, not None."""

    def missing(self) -> list[V]:
        return []


def by_ref(keys: Sequence[Ref], found: Mapping[str, V]) -> dict[Ref, V]:
    """Re-key a provider's id-keyed answer by the loader's refs."""
    return {key: found[key.id] for key in keys if key.id in found}


class OrderByRefLoader(ProviderBatchLoader[Ref, Order]):
    async def fetch(
        self, provider: Provider, keys: Sequence[Ref]
    ) -> Mapping[Ref, Order]:
        return by_ref(keys, await provider.get_orders([k.id for k in keys]))


class LinesByOrderLoader(ListLoader[Ref, OrderLine]):
    async def fetch(
        self, provider: Provider, keys: Sequence[Ref]
    ) -> Mapping[Ref, list[OrderLine]]:
        return by_ref(keys, await provider.get_lines([k.id for k in keys]))


class AllocationErrorsByOrderLoader(ListLoader[Ref, AllocationError]):
    async def fetch(
        self, provider: Provider, keys: Sequence[Ref]
    ) -> Mapping[Ref, list[AllocationError]]:
        found = await provider.get_allocation_errors([k.id for k in keys])
        return by_ref(keys, found)


class ShipmentsByOrderLoader(ListLoader[Ref, Shipment]):
    async def fetch(
        self, provider: Provider, keys: Sequence[Ref]
    ) -> Mapping[Ref, list[Shipment]]:
        return by_ref(keys, await provider.get_shipments([k.id for k in keys]))


class ShipmentByRefLoader(ProviderBatchLoader[Ref, Shipment]):
    async def fetch(
        self, provider: Provider, keys: Sequence[Ref]
    ) -> Mapping[Ref, Shipment]:
        return by_ref(keys, await provider.get_shipments_by_id([k.id for k in keys]))


class InventoryBySkuLoader(ListLoader[SkuKey, InventoryLevel]):
    async def fetch(
        self, provider: Provider, keys: Sequence[SkuKey]
    ) -> Mapping[SkuKey, list[InventoryLevel]]:
        found = await provider.get_inventory([k.sku for k in keys])
        return {k: found[k.sku] for k in keys if k.sku in found}


class PurchaseOrderByRefLoader(ProviderBatchLoader[Ref, PurchaseOrder]):
    async def fetch(
        self, provider: Provider, keys: Sequence[Ref]
    ) -> Mapping[Ref, PurchaseOrder]:
        return by_ref(keys, await provider.get_purchase_orders([k.id for k in keys]))


class PurchaseOrderByNumberLoader(ProviderBatchLoader[NumberKey, PurchaseOrder]):
    async def fetch(
        self, provider: Provider, keys: Sequence[NumberKey]
    ) -> Mapping[NumberKey, PurchaseOrder]:
        found = await provider.get_purchase_orders_by_number([k.number for k in keys])
        return {k: found[k.number] for k in keys if k.number in found}


class LinesByPurchaseOrderLoader(ListLoader[Ref, PurchaseOrderLine]):
    async def fetch(
        self, provider: Provider, keys: Sequence[Ref]
    ) -> Mapping[Ref, list[PurchaseOrderLine]]:
        found = await provider.get_purchase_order_lines([k.id for k in keys])
        return by_ref(keys, found)


class InboundShipmentByRefLoader(ProviderBatchLoader[Ref, InboundShipment]):
    async def fetch(
        self, provider: Provider, keys: Sequence[Ref]
    ) -> Mapping[Ref, InboundShipment]:
        return by_ref(keys, await provider.get_inbound_shipments([k.id for k in keys]))


class InboundShipmentsByNumberLoader(ListLoader[NumberKey, InboundShipment]):
    async def fetch(
        self, provider: Provider, keys: Sequence[NumberKey]
    ) -> Mapping[NumberKey, list[InboundShipment]]:
        numbers = [k.number for k in keys]
        found = await provider.get_inbound_shipments_by_po_number(numbers)
        return {k: found[k.number] for k in keys if k.number in found}


class AttachmentsByOwnerLoader(ListLoader[Ref, Attachment]):
    async def fetch(
        self, provider: Provider, keys: Sequence[Ref]
    ) -> Mapping[Ref, list[Attachment]]:
        return await provider.get_attachments(keys)


@dataclass
class Loaders:
    """Every loader of one GraphQL request; built fresh per request."""

    order_by_ref: OrderByRefLoader
    lines_by_order: LinesByOrderLoader
    allocation_errors_by_order: AllocationErrorsByOrderLoader
    shipments_by_order: ShipmentsByOrderLoader
    shipment_by_ref: ShipmentByRefLoader
    inventory_by_sku: InventoryBySkuLoader
    purchase_order_by_ref: PurchaseOrderByRefLoader
    purchase_order_by_number: PurchaseOrderByNumberLoader
    lines_by_purchase_order: LinesByPurchaseOrderLoader
    inbound_shipment_by_ref: InboundShipmentByRefLoader
    inbound_shipments_by_number: InboundShipmentsByNumberLoader
    attachments_by_owner: AttachmentsByOwnerLoader

    @classmethod
    def create(cls, providers: Mapping[str, Provider]) -> Loaders:
        """A new set of loaders over `providers` (needs a running event loop)."""
        p = providers
        return cls(
            order_by_ref=OrderByRefLoader(p),
            lines_by_order=LinesByOrderLoader(p),
            allocation_errors_by_order=AllocationErrorsByOrderLoader(p),
            shipments_by_order=ShipmentsByOrderLoader(p),
            shipment_by_ref=ShipmentByRefLoader(p),
            inventory_by_sku=InventoryBySkuLoader(p),
            purchase_order_by_ref=PurchaseOrderByRefLoader(p),
            purchase_order_by_number=PurchaseOrderByNumberLoader(p),
            lines_by_purchase_order=LinesByPurchaseOrderLoader(p),
            inbound_shipment_by_ref=InboundShipmentByRefLoader(p),
            inbound_shipments_by_number=InboundShipmentsByNumberLoader(p),
            attachments_by_owner=AttachmentsByOwnerLoader(p),
        )
