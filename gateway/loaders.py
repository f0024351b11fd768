"""Per-request DataLoaders: one class per (entity, key) and the Loaders container.

Each class names the provider method to call, the entity its values are cached
under and that entity's codec; grouping by provider, the entity cache and the
realignment to the key order live in `gateway.batching.ProviderBatchLoader`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeVar

from gateway.batching import ListLoader, ProviderBatchLoader
from gateway.cache import entities
from gateway.cache.base import EntityCache
from gateway.cache.codec import list_codec, model_codec
from gateway.cache.inflight import InFlight
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
from gateway.settings import CacheSettings


class SkuKey(NamedTuple):
    """A SKU at one provider."""

    provider: str
    sku: str

    @property
    def id(self) -> str:
        return self.sku


class NumberKey(NamedTuple):
    """A purchase-order number at one provider."""

    provider: str
    number: str

    @property
    def id(self) -> str:
        return self.number


V = TypeVar("V")


def by_ref(keys: Sequence[Ref], found: Mapping[str, V]) -> dict[Ref, V]:
    """Re-key a provider's id-keyed answer by the loader's refs."""
    return {key: found[key.id] for key in keys if key.id in found}


class OrderByRefLoader(ProviderBatchLoader[Ref, Order]):
    entity, codec = entities.ORDERS, model_codec(Order)

    async def fetch(
        self, provider: Provider, keys: Sequence[Ref]
    ) -> Mapping[Ref, Order]:
        return by_ref(keys, await provider.get_orders([k.id for k in keys]))


class LinesByOrderLoader(ListLoader[Ref, OrderLine]):
    entity, codec = entities.ORDER_LINES, list_codec(OrderLine)

    async def fetch(
        self, provider: Provider, keys: Sequence[Ref]
    ) -> Mapping[Ref, list[OrderLine]]:
        return by_ref(keys, await provider.get_lines([k.id for k in keys]))


class AllocationErrorsByOrderLoader(ListLoader[Ref, AllocationError]):
    entity, codec = entities.ALLOCATION_ERRORS, list_codec(AllocationError)

    async def fetch(
        self, provider: Provider, keys: Sequence[Ref]
    ) -> Mapping[Ref, list[AllocationError]]:
        found = await provider.get_allocation_errors([k.id for k in keys])
        return by_ref(keys, found)


class ShipmentsByOrderLoader(ListLoader[Ref, Shipment]):
    entity, codec = entities.ORDER_SHIPMENTS, list_codec(Shipment)

    async def fetch(
        self, provider: Provider, keys: Sequence[Ref]
    ) -> Mapping[Ref, list[Shipment]]:
        return by_ref(keys, await provider.get_shipments([k.id for k in keys]))


class ShipmentByRefLoader(ProviderBatchLoader[Ref, Shipment]):
    entity, codec = entities.SHIPMENTS, model_codec(Shipment)

    async def fetch(
        self, provider: Provider, keys: Sequence[Ref]
    ) -> Mapping[Ref, Shipment]:
        return by_ref(keys, await provider.get_shipments_by_id([k.id for k in keys]))


class InventoryBySkuLoader(ListLoader[SkuKey, InventoryLevel]):
    entity, codec = entities.INVENTORY, list_codec(InventoryLevel)

    async def fetch(
        self, provider: Provider, keys: Sequence[SkuKey]
    ) -> Mapping[SkuKey, list[InventoryLevel]]:
        found = await provider.get_inventory([k.sku for k in keys])
        return {k: found[k.sku] for k in keys if k.sku in found}


class PurchaseOrderByRefLoader(ProviderBatchLoader[Ref, PurchaseOrder]):
    entity, codec = entities.PURCHASE_ORDERS, model_codec(PurchaseOrder)

    async def fetch(
        self, provider: Provider, keys: Sequence[Ref]
    ) -> Mapping[Ref, PurchaseOrder]:
        return by_ref(keys, await provider.get_purchase_orders([k.id for k in keys]))


class PurchaseOrderByNumberLoader(ProviderBatchLoader[NumberKey, PurchaseOrder]):
    entity, codec = entities.PURCHASE_ORDERS_BY_NUMBER, model_codec(PurchaseOrder)

    async def fetch(
        self, provider: Provider, keys: Sequence[NumberKey]
    ) -> Mapping[NumberKey, PurchaseOrder]:
        found = await provider.get_purchase_orders_by_number([k.number for k in keys])
        return {k: found[k.number] for k in keys if k.number in found}


class LinesByPurchaseOrderLoader(ListLoader[Ref, PurchaseOrderLine]):
    entity, codec = entities.PURCHASE_ORDER_LINES, list_codec(PurchaseOrderLine)

    async def fetch(
        self, provider: Provider, keys: Sequence[Ref]
    ) -> Mapping[Ref, list[PurchaseOrderLine]]:
        found = await provider.get_purchase_order_lines([k.id for k in keys])
        return by_ref(keys, found)


class InboundShipmentByRefLoader(ProviderBatchLoader[Ref, InboundShipment]):
    entity, codec = entities.INBOUND_SHIPMENTS, model_codec(InboundShipment)

    async def fetch(
        self, provider: Provider, keys: Sequence[Ref]
    ) -> Mapping[Ref, InboundShipment]:
        return by_ref(keys, await provider.get_inbound_shipments([k.id for k in keys]))


class InboundShipmentsByNumberLoader(ListLoader[NumberKey, InboundShipment]):
    entity, codec = entities.INBOUND_SHIPMENTS_BY_PO_NUMBER, list_codec(InboundShipment)

    async def fetch(
        self, provider: Provider, keys: Sequence[NumberKey]
    ) -> Mapping[NumberKey, list[InboundShipment]]:
        numbers = [k.number for k in keys]
        found = await provider.get_inbound_shipments_by_po_number(numbers)
        return {k: found[k.number] for k in keys if k.number in found}


class AttachmentsByOwnerLoader(ListLoader[Ref, Attachment]):
    entity, codec = entities.ATTACHMENTS, list_codec(Attachment)

    def cache_id(self, key: Ref) -> str:
        return entities.owner_key(key.kind, key.id)

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
    def create(
        cls,
        providers: Mapping[str, Provider],
        cache: EntityCache | None = None,
        settings: CacheSettings | None = None,
        *,
        bypass: bool = False,
        batch: bool = True,
        inflight: InFlight | None = None,
    ) -> Loaders:
        """A new set of loaders over `providers` (needs a running event loop).

        Without a `cache` (or without cache `settings`) nothing is cached
        across requests; `bypass` skips cache reads but still refreshes it.
        """
        a = (providers, cache, settings)
        kw: dict[str, Any] = {"bypass": bypass, "batch": batch, "inflight": inflight}
        return cls(
            order_by_ref=OrderByRefLoader(*a, **kw),
            lines_by_order=LinesByOrderLoader(*a, **kw),
            allocation_errors_by_order=AllocationErrorsByOrderLoader(*a, **kw),
            shipments_by_order=ShipmentsByOrderLoader(*a, **kw),
            shipment_by_ref=ShipmentByRefLoader(*a, **kw),
            inventory_by_sku=InventoryBySkuLoader(*a, **kw),
            purchase_order_by_ref=PurchaseOrderByRefLoader(*a, **kw),
            purchase_order_by_number=PurchaseOrderByNumberLoader(*a, **kw),
            lines_by_purchase_order=LinesByPurchaseOrderLoader(*a, **kw),
            inbound_shipment_by_ref=InboundShipmentByRefLoader(*a, **kw),
            inbound_shipments_by_number=InboundShipmentsByNumberLoader(*a, **kw),
            attachments_by_owner=AttachmentsByOwnerLoader(*a, **kw),
        )
