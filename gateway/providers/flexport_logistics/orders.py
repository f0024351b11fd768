"""Reading LAPI orders: one GET per order (LAPI has no batch read), mapped to Orders.

B2B outbounds are at `/outbounds/{orderId}`, DTC orders at `/orders/{id}`; the
domain id says which (refs.py). Every GET runs under the FAN_OUT semaphore and
inside the token bucket `Upstream` applies. The catalogue is fetched only when
a line lacks the merchant SKU. With a warm store (warm.py), orders it knows
current are served from it and only the others are read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple
from urllib.parse import quote

from gateway.cache.fetch import fresh_reads
from gateway.errors import ProviderError
from gateway.models import Order, OrderKind
from gateway.providers.flexport_logistics import feed, mapping, mapping_dtc, wire
from gateway.providers.flexport_logistics.api import LapiApi
from gateway.providers.flexport_logistics.catalog import CatalogCache
from gateway.providers.flexport_logistics.index import (
    IndexEntry,
    IndexFilter,
    OrderIndex,
)
from gateway.providers.flexport_logistics.refs import OrderRef
from gateway.providers.flexport_logistics.warm import WarmOrders

PATHS = {OrderKind.B2B: "/outbounds", OrderKind.DTC: "/orders"}
KINDS = (OrderKind.B2B, OrderKind.DTC)


class Read(NamedTuple):
    """Orders by domain id, and the ids of those just read from LAPI."""

    orders: dict[str, Order]
    fetched: frozenset[str]


class OrderReader:
    """Fetches orders by id or external id and maps them to domain Orders."""

    def __init__(
        self,
        api: LapiApi,
        catalog: CatalogCache,
        index: OrderIndex,
        warm: WarmOrders | None = None,
    ) -> None:
        self.api = api
        self.catalog = catalog
        self.index = index
        self.warm = warm

    async def by_refs(
        self, wanted: Sequence[OrderRef], known: Mapping[str, IndexEntry]
    ) -> dict[str, Order]:
        """Orders by domain id; 404s are absent. `known` supplies B2B creation times."""
        return (await self.read(wanted, known)).orders

    async def read(
        self, wanted: Sequence[OrderRef], known: Mapping[str, IndexEntry]
    ) -> Read:
        """`by_refs`, saying which orders were read from LAPI (not served warm)."""
        # A client that asked for fresh data gets it from LAPI, and what that
        # read brings still refreshes the store.
        warm = (
            self.warm.get(r.id for r in wanted)
            if self.warm is not None and not fresh_reads.get()
            else {}
        )
        since = self.warm.mark() if self.warm is not None else 0
        missing = [r for r in wanted if r.id not in warm]
        raws = await self.api.gather_map(
            missing, lambda r: self.api.get_or_none(f"{PATHS[r.kind]}/{r.number}")
        )
        fetched = await self.to_orders(list(raws.items()))
        if self.warm is not None:
            # Without `known`'s creation time: the index may learn it later.
            self.warm.put(fetched, since)
        found = {**warm, **{o.id: o for o in fetched}}
        orders = {
            r.id: with_created(found[r.id], known.get(r.id))
            for r in wanted
            if r.id in found
        }
        return Read(orders, frozenset(o.id for o in fetched))

    def written(self, order_id: str) -> None:
        """The gateway changed this order: the warm store must read it again.
        Called after the write, so that a read racing it cannot keep the body
        from before."""
        if self.warm is not None:
            self.warm.changed([order_id])

    async def by_external_ids(self, external_ids: Sequence[str]) -> dict[str, Order]:
        """Orders by external id through L3/L7 (percent-encoded in the path).

        The index knows which kind an external id belongs to; one it does not
        know is looked up under both kinds, and B2B wins if both exist.
        """
        unique = list(dict.fromkeys(external_ids))
        if not unique:
            return {}
        found = await self.index.page(
            IndexFilter(external_ids=tuple(unique)), None, 2 * len(unique)
        )
        kinds: dict[str, set[OrderKind]] = {}
        for entry in found.entries:
            if entry.external_id is not None:
                kinds.setdefault(entry.external_id, set()).add(entry.kind)
        lookups = [
            (kind, external_id)
            for external_id in unique
            for kind in KINDS
            if kind in kinds.get(external_id, set(KINDS))
        ]
        raws = await self.api.gather_map(
            lookups,
            lambda k: self.api.get_or_none(
                f"{PATHS[k[0]]}/external_id/{quote(k[1], safe='')}"
            ),
        )
        orders = await self.to_orders(
            [(ref_of(kind, raw), raw) for (kind, _), raw in raws.items()]
        )
        known = await self.index.get([o.id for o in orders])
        result: dict[str, Order] = {}
        for order in sorted(orders, key=lambda o: o.kind is OrderKind.B2B):
            if order.external_id is not None:
                result[order.external_id] = with_created(order, known.get(order.id))
        return result

    async def to_orders(self, raws: list[tuple[OrderRef, Any]]) -> list[Order]:
        """Validate and map raw order JSON; ProviderResponseInvalid if it is not."""
        parsed: list[wire.Outbound | wire.DtcOrder] = [
            self.api.validate(wire.Outbound, raw)
            if ref.kind is OrderKind.B2B
            else self.api.validate(wire.DtcOrder, raw)
            for ref, raw in raws
        ]
        skus: Mapping[str, str] = {}
        if any(_needs_catalog(order) for order in parsed):
            skus = (await self.catalog.get()).merchant_by_logistics
        mapped = [
            mapping.to_outbound(order, raw, skus)
            if isinstance(order, wire.Outbound)
            else mapping_dtc.to_dtc_order(order, raw, skus)
            for order, (_, raw) in zip(parsed, raws, strict=True)
        ]
        # The documents are listed inside the order (on its shipments): keep
        # them on it, so that `attachments` never reads the order a second time.
        return [
            order.model_copy(
                update={"attachments": tuple(mapping.to_attachments(order))}
            )
            for order in mapped
        ]

    async def created_entry(self, order: Order) -> IndexEntry:
        """A newly created order's index entry, with its exact creation time.

        A B2B outbound does not say when it was created; its Outbound.Created
        event does (one extra GET). Should that fail, the time is provisional
        until the feed brings the event.
        """
        if order.created_at is not None:
            return IndexEntry(
                order.id,
                order.kind,
                status=order.raw_status,
                created_at=order.created_at,
                external_id=order.external_id,
            )
        number = order.id.partition("-")[2]
        query = {"type": "Outbound.Created", "orderId": number}
        try:
            events, _ = await feed.read_page(self.api, None, query)
        except ProviderError:
            events = []
        for event in events:
            entry = feed.to_entry(event)
            if entry is not None and entry.id == order.id and not entry.provisional:
                return entry
        return IndexEntry(
            order.id,
            order.kind,
            status=order.raw_status,
            created_at=datetime.now(UTC),
            external_id=order.external_id,
            provisional=True,
        )


def ref_of(kind: OrderKind, raw: Any) -> OrderRef:
    """The reference of an order LAPI returned (B2B `orderId`, DTC `id`)."""
    key = "orderId" if kind is OrderKind.B2B else "id"
    number = raw.get(key) if isinstance(raw, dict) else None
    return OrderRef(kind, str(number))


def with_created(order: Order, entry: IndexEntry | None) -> Order:
    """B2B outbounds carry no creation time; the index has it from the feed."""
    if order.created_at is not None or entry is None or entry.created_at is None:
        return order
    return order.model_copy(update={"created_at": entry.created_at})


def _needs_catalog(order: wire.Outbound | wire.DtcOrder) -> bool:
    if isinstance(order, wire.DtcOrder):
        return bool(order.lineItems)
    return any(not (i.productData and i.productData.sku) for i in order.orderItems)
