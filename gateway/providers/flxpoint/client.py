"""The Flxpoint adapter: the gateway as a Source, `X-API-TOKEN`, bare-array pages."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING
from urllib.parse import quote

from gateway.http import Upstream
from gateway.models import (
    InventoryLevel,
    LineAcknowledgement,
    Order,
    OrderLine,
    Shipment,
    ShipmentCreate,
)
from gateway.providers.base import (
    Capability,
    OrderFilter,
    Page,
    PageRequest,
    ProviderBase,
    ShipmentFilter,
)
from gateway.providers.fanout import FanOut
from gateway.providers.fieldmap import translated
from gateway.providers.flxpoint import acknowledge, mapping, polling, shipments, wire
from gateway.providers.flxpoint.api import (
    FR_PATH,
    SHIPMENTS_PATH,
    VARIANT_PAGE,
    VARIANTS_PATH,
    FlxpointApi,
    chunks,
    fr_path,
    repeated,
    slice_page,
)
from gateway.providers.flxpoint.fields import FIELDS
from gateway.providers.flxpoint.query import order_query
from gateway.providers.flxpoint.tail import Position, Tail

if TYPE_CHECKING:
    from datetime import datetime

    import aiohttp

    from gateway.settings import ProviderSettings, RetrySettings

FAN_OUT = 8
"""Concurrent single-object calls where Flxpoint has no batch filter (X2, X7, X8)."""


class FlxpointProvider(ProviderBase):
    """Flxpoint, seen from a Source: fulfilment requests, shipments, inventory."""

    slug = mapping.SLUG
    capabilities = frozenset(
        {
            Capability.LIST_ORDERS,
            Capability.ORDER_LINES,
            Capability.SHIPMENTS,
            Capability.LIST_SHIPMENTS,
            Capability.INVENTORY,
            Capability.CANCEL_ORDER,
            Capability.ACKNOWLEDGE_ORDER,
            Capability.CREATE_SHIPMENT,
            Capability.POLL_CHANGES,
        }
    )
    # X1 lists oldest first with no total, so a list page first probes the
    # count: 3 calls beyond the page for a few hundred FRs (tail.py; about
    # 2·log2(N/100) beyond). X1 and X7 have no id filter: orders and shipments
    # are one call per FR. FRs carry their items; X10 takes 100 SKUs a call.
    fan_out = FanOut.declare(
        list_extra=3, batched={"INVENTORY": 100}, embedded=("LINES",)
    )

    def __init__(
        self,
        settings: ProviderSettings,
        session: aiohttp.ClientSession,
        retry: RetrySettings,
    ) -> None:
        token = settings.token.get_secret_value() if settings.token else ""
        self.upstream = Upstream(
            self.slug,
            settings,
            session,
            retry,
            # Flxpoint refuses `Authorization: Bearer`; only this header counts.
            auth_headers={"X-API-TOKEN": token},
            parse_error=mapping.parse_error,
            conflict_codes=mapping.CONFLICT_CODES,
        )
        self.api = FlxpointApi(
            self.upstream,
            batch_size=settings.max_batch_size,
            page_size=settings.page_size,
            fan_out=FAN_OUT,
        )

    # Fulfilment requests ------------------------------------------------------

    async def get_orders(self, ids: Sequence[str]) -> Mapping[str, Order]:
        # X1 has no id filter: one X2 per FR.
        async def one(fr_id: str) -> Order:
            fr, raw = await self.api.one(fr_path(fr_id), wire.FulfillmentRequest)
            return mapping.to_order(fr, raw)

        return await self.api.fan_out(ids, one)

    async def get_orders_by_external_id(
        self, external_ids: Sequence[str]
    ) -> Mapping[str, Order]:
        found = await self._by_numbers(external_ids, [])
        return {o.external_id: o for o in found if o.external_id}

    async def _by_numbers(
        self, numbers: Sequence[str], params: list[tuple[str, str]]
    ) -> list[Order]:
        """X1 by `frNumbers`, 50 a call (one page each: 50 numbers, 100 a page)."""
        per_chunk = await asyncio.gather(
            *(
                self.api.all_pages(
                    FR_PATH,
                    [*params, *repeated("frNumbers", chunk)],
                    wire.FulfillmentRequest,
                )
                for chunk in chunks(numbers, self.api.batch_size)
            )
        )
        return [mapping.to_order(fr, raw) for rows in per_chunk for fr, raw in rows]

    async def list_orders(self, filter: OrderFilter, page: PageRequest) -> Page[Order]:
        """Newest first (see tail.py for the cursor and the cost per page)."""
        query = order_query(filter)
        if query.nothing:
            return Page(items=[], total=0)
        want = max(1, page.size)
        if filter.external_ids:
            # At most as many FRs as numbers: read them all, page in memory.
            found = await self._by_numbers(filter.external_ids, query.params)
            kept = [o for o in found if query.keep(o) and not query.too_old(o)]
            kept.sort(key=lambda o: int(o.id) if o.id.isdigit() else 0, reverse=True)
            return slice_page(kept, page.cursor, want, self.slug)
        tail = Tail(self.api, query.params)
        if page.cursor is None:
            start = Position(await tail.count())
        else:
            start = Position.decode(page.cursor)
        items, resume = await tail.walk(start, want, query.keep, query.too_old)
        return Page(items=items, next_cursor=resume.encode() if resume else None)

    async def get_lines(
        self, order_ids: Sequence[str]
    ) -> Mapping[str, list[OrderLine]]:
        # Lines are embedded in the FR, so this is get_orders.
        orders = await self.get_orders(order_ids)
        return {oid: list(order.lines or ()) for oid, order in orders.items()}

    async def cancel_order(self, id: str, *, reason: str | None = None) -> Order:
        """X6. `reason` is not sent: X6 takes no body. A repeat answers 200, so a
        retry is safe; a shipped or voided FR answers 400 -> Conflict."""
        return await self._transition(id, "cancel")

    async def acknowledge_order(
        self, id: str, lines: Sequence[LineAcknowledgement] = ()
    ) -> Order:
        """Processing -> Acknowledged; "already acknowledged" -> Conflict.

        Without lines, X3 accepts every open unit. With them, X4 accepts the
        quantities given per FR item and cancels the rest of those items
        (acknowledge.py); an item id not on the FR is Rejected at its
        `lines.N.lineId`. Both are retried like reads: a replay cannot
        acknowledge twice, though one whose first attempt landed reports the
        Conflict.
        """
        if not lines:
            return await self._transition(id, "acknowledge")
        return await acknowledge.adjust(self.upstream, self.api, id, lines)

    async def mark_processed(self, id: str) -> Order:
        """X5: Processing -> Processed (a repeat is a 200); otherwise Conflict."""
        return await self._transition(id, "processed")

    async def _transition(self, id: str, action: str) -> Order:
        # X3, X5 and X6 take no body: a 400 names nothing the caller sent.
        with translated(FIELDS):
            response = await self.upstream.request(
                "PATCH", f"{fr_path(id)}/{action}", replay_safe=True
            )
        fr = self.api.validate(wire.FulfillmentRequest, response.data)
        return mapping.to_order(fr, response.data)

    # Shipments ----------------------------------------------------------------

    async def get_shipments(
        self, order_ids: Sequence[str]
    ) -> Mapping[str, list[Shipment]]:
        return await shipments.shipments_of(self.api, order_ids, [])

    async def get_shipments_by_id(self, ids: Sequence[str]) -> Mapping[str, Shipment]:
        # X8 one by one: X7 has no id filter.
        async def one(shipment_id: str) -> Shipment:
            path = f"{SHIPMENTS_PATH}/{quote(shipment_id, safe='')}"
            shipment, raw = await self.api.one(path, wire.Shipment)
            return mapping.to_shipment(shipment, raw)

        return await self.api.fan_out(ids, one)

    async def list_shipments(
        self, filter: ShipmentFilter, page: PageRequest
    ) -> Page[Shipment]:
        return await shipments.list_page(self.api, filter, page)

    async def create_shipment(
        self, data: ShipmentCreate, *, idempotency_key: str
    ) -> Shipment:
        """X9. Flxpoint honours no idempotency key, so none is sent; the tracking
        number guards replays instead (shipments.create)."""
        return await shipments.create(self.upstream, self.api, data)

    # Inventory ----------------------------------------------------------------

    async def get_inventory(
        self, skus: Sequence[str]
    ) -> Mapping[str, list[InventoryLevel]]:
        # X10 takes at most `pageSize` SKUs; each may be stocked at several sources.
        per_chunk = await asyncio.gather(
            *(
                self.api.all_pages(
                    VARIANTS_PATH,
                    repeated("skus", chunk),
                    wire.InventoryVariant,
                    VARIANT_PAGE,
                )
                for chunk in chunks(skus, self.api.page_size)
            )
        )
        wanted = set(skus)
        result: dict[str, list[InventoryLevel]] = {}
        for rows in per_chunk:
            for variant, raw in rows:
                if variant.sku in wanted:
                    result.setdefault(variant.sku, []).append(
                        mapping.to_inventory(variant, raw)
                    )
        return result

    # Polling (Flxpoint pushes nothing to a Source) ----------------------------

    async def orders_changed_since(self, updated_after: datetime) -> list[Order]:
        """Every FR updated at or after `updated_after`, by id ascending."""
        return await polling.changed_requests(self.api, updated_after)

    async def shipments_changed_since(self, updated_after: datetime) -> list[Shipment]:
        """Every shipment updated at or after `updated_after`, oldest first."""
        return await polling.changed_shipments(self.api, updated_after)

    async def ping(self) -> None:
        await self.api.page(FR_PATH, [], wire.FulfillmentRequest, 1, 1)
