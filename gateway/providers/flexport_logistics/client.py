"""The Flexport Logistics API (LAPI) adapter: B2B outbounds and DTC orders as Orders.

Order ids carry their kind (`B2B-71001`, `DTC-49201824001`, see refs.py).
LAPI has no batch read for orders, so `get_orders` fans out single GETs
(orders.py); lines and shipments arrive inside the order, so `get_lines` and
`get_shipments` reuse it. LAPI cannot list orders either: `list_orders` pages
the order index (index.py), which `sync.py` fills from the events feed.
Documents are uploaded to B2B shipments (attachments.py). LAPI has no endpoint
that changes an order, so `update_order` stays NotSupported. Webhooks are
checked against the subscription's credential and mapped in webhooks.py; the
order events among them also go into the index at once (`IndexSync.apply_soon`).
Orders read once are served again from the warm store (warm.py) until the feed
or a webhook names them, or the gateway writes to them.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from gateway.errors import NotFound
from gateway.http import Upstream
from gateway.models import (
    Attachment,
    AttachmentCreate,
    EventBase,
    InboundShipment,
    InventoryLevel,
    Order,
    OrderCreate,
    OrderKind,
    OrderLine,
    Shipment,
)
from gateway.providers.base import (
    Capability,
    OrderFilter,
    Page,
    PageRequest,
    ProviderBase,
)
from gateway.providers.fanout import FanOut
from gateway.providers.fieldmap import translated
from gateway.providers.flexport_logistics import (
    attachments,
    bodies,
    listing,
    mapping,
    problems,
    refs,
    stock,
    webhooks,
)
from gateway.providers.flexport_logistics.api import LapiApi
from gateway.providers.flexport_logistics.catalog import CatalogCache
from gateway.providers.flexport_logistics.fields import FIELDS
from gateway.providers.flexport_logistics.index import IndexEntry, OrderIndex
from gateway.providers.flexport_logistics.index_memory import MemoryOrderIndex
from gateway.providers.flexport_logistics.orders import (
    PATHS,
    OrderReader,
    ref_of,
    with_created,
)
from gateway.providers.flexport_logistics.sync import IndexSync
from gateway.providers.flexport_logistics.warm import warm_orders

if TYPE_CHECKING:
    import aiohttp

    from gateway.ids import Ref
    from gateway.settings import ProviderSettings, RetrySettings


class FlexportLogisticsProvider(ProviderBase):
    """Flexport Logistics API 2024-04, expressed in domain models."""

    slug = mapping.SLUG
    capabilities = frozenset(
        {
            Capability.LIST_ORDERS,
            Capability.ORDER_LINES,
            Capability.SHIPMENTS,
            Capability.INVENTORY,
            Capability.INBOUND_SHIPMENTS,
            Capability.ATTACHMENTS,
            Capability.CREATE_ORDER,
            Capability.CANCEL_ORDER,
            Capability.CREATE_ATTACHMENT,
            Capability.WEBHOOKS,
        }
    )
    # No list endpoint and no batch get: a list page is one GET per order of
    # its window, plus the catalogue (L9) when a line lacks the merchant SKU;
    # lines, shipments and documents come inside the order; stock is the
    # catalogue and L13, 100 SKUs a call.
    fan_out = FanOut.declare(
        list_page_size=0,
        list_extra=1,
        list_per_item=1,
        batched={"INVENTORY": 100, "INBOUND_SHIPMENTS": 100},
        extra={"ORDERS": 1, "INVENTORY": 1},
        embedded=("LINES", "SHIPMENTS", "ATTACHMENTS"),
    )

    def __init__(
        self,
        settings: ProviderSettings,
        session: aiohttp.ClientSession,
        retry: RetrySettings,
        *,
        index: OrderIndex | None = None,
        poll_interval_s: float = 30.0,
        catalog_ttl_s: float = 300.0,
    ) -> None:
        """`index` defaults to one in memory; the provider owns it and closes it.
        `poll_interval_s` is how often the index follows the events feed, and
        `catalog_ttl_s` how long the SKU map from L9 is reused."""
        token = settings.token.get_secret_value() if settings.token else ""
        self.upstream = Upstream(
            self.slug,
            settings,
            session,
            retry,
            auth_headers={"Authorization": f"Bearer {token}"},
            parse_error=problems.parse_error,
            conflict_codes=problems.CONFLICT_CODES,
        )
        self.api = LapiApi(self.upstream, settings.max_batch_size)
        self.catalog = CatalogCache(self.api, catalog_ttl_s)
        self.index: OrderIndex = index if index is not None else MemoryOrderIndex()
        self.warm = warm_orders(settings, poll_interval_s)
        self.orders = OrderReader(self.api, self.catalog, self.index, self.warm)
        self.sync = IndexSync(self.api, self.index, poll_interval_s, self.warm)
        secret = settings.webhook_secret
        self._webhook_secret = secret.get_secret_value() if secret else None
        self._webhook_username = settings.webhook_username
        self._webhook_header = settings.webhook_auth_header

    async def start(self) -> None:
        self.sync.start()

    async def close(self) -> None:
        await self.sync.close()
        await self.index.aclose()

    # Orders -------------------------------------------------------------------

    async def get_orders(self, ids: Sequence[str]) -> Mapping[str, Order]:
        wanted = [r for r in map(refs.parse, dict.fromkeys(ids)) if r is not None]
        b2b = [r.id for r in wanted if r.kind is OrderKind.B2B]
        known = await self.index.get(b2b) if b2b else {}
        return await self.orders.by_refs(wanted, known)

    async def get_orders_by_external_id(
        self, external_ids: Sequence[str]
    ) -> Mapping[str, Order]:
        return await self.orders.by_external_ids(external_ids)

    async def list_orders(self, filter: OrderFilter, page: PageRequest) -> Page[Order]:
        # The first list after start must see every order: finish the backfill.
        await self.sync.ready()
        return await listing.list_page(self.index, filter, page, self._fetch_listed)

    async def _fetch_listed(self, entries: list[IndexEntry]) -> dict[str, Order]:
        wanted = [r for r in (refs.parse(e.id) for e in entries) if r is not None]
        read = await self.orders.read(wanted, {e.id: e for e in entries})
        # What we just read is fresher than the index: keep the index in step
        # (not warm ones: a shared index may know a newer status already).
        fresh = [o for o in read.orders.values() if o.id in read.fetched]
        if fresh:
            await self.index.upsert(
                [IndexEntry(o.id, o.kind, status=o.raw_status) for o in fresh]
            )
        return read.orders

    async def get_lines(
        self, order_ids: Sequence[str]
    ) -> Mapping[str, list[OrderLine]]:
        orders = await self.get_orders(order_ids)
        return {oid: list(o.lines or ()) for oid, o in orders.items()}

    async def get_shipments(
        self, order_ids: Sequence[str]
    ) -> Mapping[str, list[Shipment]]:
        orders = await self.get_orders(order_ids)
        return {oid: list(o.shipments or ()) for oid, o in orders.items()}

    async def get_attachments(
        self, owners: Sequence[Ref]
    ) -> Mapping[Ref, list[Attachment]]:
        # L4 uploads hang off B2B shipments and are listed on the order (L2).
        wanted = {owner.id: owner for owner in owners if owner.kind == "Order"}
        orders = await self.get_orders(list(wanted))
        return {
            owner: mapping.to_attachments(orders[oid]) if oid in orders else []
            for oid, owner in wanted.items()
        }

    async def create_order(self, data: OrderCreate, *, idempotency_key: str) -> Order:
        # LAPI replays a request whose idempotency-key it has seen (§2.7), so a
        # create retried after a 503 or a lost answer makes exactly one order.
        if data.kind is OrderKind.B2B:
            body = bodies.outbound_body(data)
        elif data.kind is OrderKind.DTC:
            body = bodies.dtc_body(data, await self.catalog.get())
        else:
            raise self.unsupported(f"create {data.kind.value} orders")
        with translated(FIELDS):
            raw = await self.api.post(
                PATHS[data.kind], body, idempotency_key=idempotency_key
            )
        (order,) = await self.orders.to_orders([(ref_of(data.kind, raw), raw)])
        self.orders.written(order.id)
        # Into the index at once, so the next list shows it.
        entry = await self.orders.created_entry(order)
        await self.index.upsert(
            [entry, IndexEntry(order.id, order.kind, status=order.raw_status)]
        )
        return with_created(order, entry)

    async def cancel_order(self, id: str, *, reason: str | None = None) -> Order:
        # LAPI takes no reason. A status that forbids cancelling answers 400 with
        # code 407001, which `conflict_codes` turns into Conflict. The key makes
        # retrying safe (cancelling twice is harmless anyway).
        ref = refs.parse(id)
        if ref is None:
            raise NotFound(self.slug, f"no order {id}")
        path = f"{PATHS[ref.kind]}/{ref.number}"
        try:
            with translated(FIELDS):
                raw = await self.api.post(
                    f"{path}/cancel", None, idempotency_key=str(uuid.uuid4())
                )
        finally:
            # Even a failed call may have cancelled it (a timeout, a lost answer).
            self.orders.written(ref.id)
        if not isinstance(raw, dict):
            # LAPI documents a bare 200; the sandbox answers with the order.
            raw = (await self.api.get(path)).data
        (order,) = await self.orders.to_orders([(ref, raw)])
        await self.index.upsert(
            [IndexEntry(order.id, order.kind, status=order.raw_status)]
        )
        return with_created(order, (await self.index.get([order.id])).get(order.id))

    async def create_attachment(
        self, order_id: str, data: AttachmentCreate, *, idempotency_key: str
    ) -> Attachment:
        """A PDF for one shipment of a B2B outbound (attachments.py): `shipment_id`
        names it, or the order's only shipment is meant. DTC orders have no
        document upload in LAPI: NotSupported, without a call."""
        ref = refs.parse(order_id)
        if ref is None:
            raise NotFound(self.slug, f"no order {order_id}")
        if ref.kind is not OrderKind.B2B:
            raise self.unsupported("attach documents to DTC orders")
        try:
            return await attachments.attach(
                self.api, self.orders, ref, data, idempotency_key
            )
        finally:
            # LAPI emits no event for an upload: the order's documents changed.
            self.orders.written(ref.id)

    # Inventory, inbound shipments, health -------------------------------------

    async def get_inventory(
        self, skus: Sequence[str]
    ) -> Mapping[str, list[InventoryLevel]]:
        return await stock.inventory(self.api, await self.catalog.get(), skus)

    async def get_inbound_shipments(
        self, ids: Sequence[str]
    ) -> Mapping[str, InboundShipment]:
        return await stock.inbound_by_ids(self.api, ids)

    async def get_inbound_shipments_by_po_number(
        self, numbers: Sequence[str]
    ) -> Mapping[str, list[InboundShipment]]:
        return await stock.inbound_by_po_number(self.api, numbers)

    # Webhooks -------------------------------------------------------------------

    def verify_webhook(self, headers: Mapping[str, str], body: bytes) -> None:
        # LAPI signs no body and no time: the credential is the whole check.
        webhooks.verify(
            headers,
            secret=self._webhook_secret,
            username=self._webhook_username,
            token_header=self._webhook_header,
        )

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> list[EventBase]:
        event = webhooks.decode(body)
        self.sync.apply_soon([event])
        return webhooks.to_events(event, self.catalog.cached())

    async def ping(self) -> None:
        await self.api.get("/products", {"limit": "1"})
