"""The Flexe adapter: public API v2 paths, Bearer auth, continuation-token paging."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING
from urllib.parse import quote

from gateway.http import Upstream
from gateway.models import (
    AllocationError,
    Attachment,
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
    ShipmentFilter,
)
from gateway.providers.flexe import bodies, by_sku, mapping, wire
from gateway.providers.flexe.api import (
    MAX_PAGE_SIZE,
    FlexeApi,
    chunks,
    items,
    order_params,
    pairs,
)

if TYPE_CHECKING:
    import aiohttp

    from gateway.ids import Ref
    from gateway.settings import ProviderSettings, RetrySettings

FAN_OUT = 8
"""Concurrent single-object calls where Flexe has no batch endpoint."""


class FlexeProvider(ProviderBase):
    """Flexe public API v2, expressed in domain models."""

    slug = mapping.SLUG
    capabilities = frozenset(
        {
            Capability.LIST_ORDERS,
            Capability.ORDER_LINES,
            Capability.ALLOCATION_ERRORS,
            Capability.ATTACHMENTS,
            Capability.SHIPMENTS,
            Capability.LIST_SHIPMENTS,
            Capability.INVENTORY,
            Capability.INBOUND_SHIPMENTS,
            Capability.CREATE_ORDER,
            Capability.CANCEL_ORDER,
        }
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
            auth_headers={"Authorization": f"Bearer {token}"},
            parse_error=mapping.parse_error,
        )
        self.api = FlexeApi(self.upstream, settings.max_batch_size, settings.page_size)
        self._fan_out = asyncio.Semaphore(FAN_OUT)

    async def get_orders(self, ids: Sequence[str]) -> Mapping[str, Order]:
        found = await self._orders_by("ids", ids)
        return {order.id: order for order in found}

    async def get_orders_by_external_id(
        self, external_ids: Sequence[str]
    ) -> Mapping[str, Order]:
        found = await self._orders_by("externalIds", external_ids)
        return {order.external_id: order for order in found if order.external_id}

    async def _orders_by(self, param: str, values: Sequence[str]) -> list[Order]:
        pages = await self.api.batched("/v2/orders", param, values, wire.OrderPage)
        return [mapping.to_order(o, raw) for o, raw in items(pages, "outboundOrders")]

    async def list_orders(self, filter: OrderFilter, page: PageRequest) -> Page[Order]:
        if filter.kinds and OrderKind.DTC not in filter.kinds:
            return Page(items=[], next_cursor=None, total=0)
        params = order_params(filter)
        if filter.statuses and not params.get("state"):
            # Asked only for statuses no Flexe order can have (ACCEPTED, …).
            return Page(items=[], next_cursor=None, total=0)
        if filter.skus:
            return await by_sku.list_page(self.api, filter, page)
        params["pageSize"] = str(min(page.size, MAX_PAGE_SIZE))
        if page.cursor:
            params["continuationToken"] = page.cursor
        data = await self.api.get("/v2/orders", params)
        parsed = self.api.validate(wire.OrderPage, data)
        return Page(
            items=[
                mapping.to_order(o, raw)
                for o, raw in pairs(parsed, data, "outboundOrders")
            ],
            next_cursor=parsed.continuationToken,
            total=parsed.total,
        )

    async def get_lines(
        self, order_ids: Sequence[str]
    ) -> Mapping[str, list[OrderLine]]:
        result: dict[str, list[OrderLine]] = {order_id: [] for order_id in order_ids}
        pages = await self.api.batched(
            "/v2/lines", "orderIds", order_ids, wire.LinePage
        )
        for line, raw in items(pages, "lines"):
            result.setdefault(line.orderId, []).append(mapping.to_line(line, raw))
        return result

    async def get_allocation_errors(
        self, order_ids: Sequence[str]
    ) -> Mapping[str, list[AllocationError]]:
        # Flexe has no cross-order allocation-error endpoint: one call per order.
        async def one(order_id: str) -> list[AllocationError]:
            async with self._fan_out:
                pages = await self.api.collect(
                    f"/v2/orders/{quote(order_id, safe='')}/allocation-errors",
                    {},
                    wire.AllocationErrorPage,
                )
            return [
                mapping.to_allocation_error(e, raw)
                for e, raw in items(pages, "allocationErrors")
            ]

        found = await asyncio.gather(*(one(order_id) for order_id in order_ids))
        return dict(zip(order_ids, found, strict=True))

    async def get_attachments(
        self, owners: Sequence[Ref]
    ) -> Mapping[Ref, list[Attachment]]:
        # Flexe keeps attachments on orders only.
        orders = {owner.id: owner for owner in owners if owner.kind == "Order"}
        result: dict[Ref, list[Attachment]] = {owner: [] for owner in orders.values()}
        pages = await self.api.batched(
            "/v2/attachments", "orderIds", list(orders), wire.AttachmentPage
        )
        for attachment, raw in items(pages, "attachments"):
            owner = orders.get(attachment.orderId)
            if owner is not None:
                result[owner].append(
                    mapping.to_attachment(attachment, raw, self._file_url(attachment))
                )
        return result

    def _file_url(self, attachment: wire.Attachment) -> str | None:
        if not attachment.fileKey:
            return None
        key = quote(attachment.fileKey, safe="")
        return f"{self.upstream.base_url}/v2/files/{key}/content"

    async def get_shipments(
        self, order_ids: Sequence[str]
    ) -> Mapping[str, list[Shipment]]:
        result: dict[str, list[Shipment]] = {order_id: [] for order_id in order_ids}
        pages = await self.api.batched(
            "/v2/shipments", "orderIds", order_ids, wire.ShipmentPage
        )
        for shipment, raw in items(pages, "shipments"):
            if shipment.orderId is not None:
                result.setdefault(shipment.orderId, []).append(
                    mapping.to_shipment(shipment, raw)
                )
        return result

    async def get_shipments_by_id(self, ids: Sequence[str]) -> Mapping[str, Shipment]:
        pages = await self.api.batched("/v2/shipments", "ids", ids, wire.ShipmentPage)
        return {
            shipment.id: mapping.to_shipment(shipment, raw)
            for shipment, raw in items(pages, "shipments")
        }

    async def list_shipments(
        self, filter: ShipmentFilter, page: PageRequest
    ) -> Page[Shipment]:
        if filter.created_after or filter.updated_after:
            # F16 has no date filter and its shipments carry no creation or
            # update time, so the filter cannot be applied even to a page.
            raise self.unsupported("filter shipments by creation or update time")
        params = {"pageSize": str(min(page.size, MAX_PAGE_SIZE))}
        if filter.order_ids:
            params["orderIds"] = ",".join(filter.order_ids)
        if page.cursor:
            params["continuationToken"] = page.cursor
        data = await self.api.get("/v2/shipments", params)
        parsed = self.api.validate(wire.ShipmentPage, data)
        return Page(
            items=[
                mapping.to_shipment(s, r) for s, r in pairs(parsed, data, "shipments")
            ],
            next_cursor=parsed.continuationToken,
            total=parsed.total,
        )

    async def get_inventory(
        self, skus: Sequence[str]
    ) -> Mapping[str, list[InventoryLevel]]:
        result: dict[str, list[InventoryLevel]] = {}
        for chunk in chunks(skus, self.api.batch_size):
            query: list[tuple[str, str]] = [("skus[]", sku) for sku in chunk]
            while True:
                data = await self.api.get("/v2/inventory", query)
                parsed = self.api.validate(wire.InventoryPage, data)
                for item, raw in pairs(parsed, data, "inventory"):
                    result.setdefault(item.sku, []).append(
                        mapping.to_inventory(item, raw)
                    )
                if not parsed.continuation_token:
                    break
                query = [
                    *[("skus[]", sku) for sku in chunk],
                    ("continuation_token", parsed.continuation_token),
                ]
        return result

    async def get_inbound_shipments(
        self, ids: Sequence[str]
    ) -> Mapping[str, InboundShipment]:
        pages = await self.api.batched(
            "/v2/inbound-shipments", "ids", ids, wire.InboundShipmentPage
        )
        return {
            inbound.id: mapping.to_inbound_shipment(inbound, raw)
            for inbound, raw in items(pages, "inboundShipments")
        }

    async def get_inbound_shipments_by_po_number(
        self, numbers: Sequence[str]
    ) -> Mapping[str, list[InboundShipment]]:
        result: dict[str, list[InboundShipment]] = {}
        pages = await self.api.batched(
            "/v2/inbound-shipments", "purchaseOrder", numbers, wire.InboundShipmentPage
        )
        for inbound, raw in items(pages, "inboundShipments"):
            found = mapping.to_inbound_shipment(inbound, raw)
            if found.purchase_order_number:
                result.setdefault(found.purchase_order_number, []).append(found)
        return result

    async def create_order(self, data: OrderCreate, *, idempotency_key: str) -> Order:
        if data.kind is not OrderKind.DTC:
            raise self.unsupported(f"create {data.kind.value} orders here yet")
        # Not replayed on failure: Flexe has no idempotency key, and a repeat of
        # a create that did land answers 409 DUPLICATE_EXTERNAL_ID.
        response = await self.upstream.request(
            "POST", "/v2/orders", json=bodies.order_body(data), replay_safe=False
        )
        order = self.api.validate(wire.Order, response.data)
        return mapping.to_order(order, response.data)

    async def cancel_order(self, id: str, *, reason: str | None = None) -> Order:
        # Flexe cancels orders line by line; the order is cancelled with its
        # last open line. Each line cancel is idempotent, so retrying is safe.
        order_path = f"/v2/orders/{quote(id, safe='')}"
        lines = (await self.get_lines([id])).get(id, [])
        for line in lines:
            if line.cancelled_at is None:
                await self.upstream.request(
                    "POST",
                    f"{order_path}/lines/{quote(line.id, safe='')}/cancel",
                    replay_safe=True,
                )
        data = (await self.upstream.request("GET", order_path)).data
        return mapping.to_order(self.api.validate(wire.Order, data), data)

    async def ping(self) -> None:
        await self.api.get("/v2/orders", {"pageSize": "1"})
