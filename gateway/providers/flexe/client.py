"""The Flexe adapter: public API v2 paths, Bearer auth, continuation-token paging."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING
from urllib.parse import quote

from gateway.http import Upstream
from gateway.models import (
    AllocationError,
    Attachment,
    AttachmentCreate,
    EventBase,
    InboundShipment,
    InboundShipmentCreate,
    InventoryLevel,
    Order,
    OrderCreate,
    OrderKind,
    OrderLine,
    OrderLineCreate,
    OrderUpdate,
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
from gateway.providers.fanout import FanOut
from gateway.providers.flexe import (
    attachments,
    by_sku,
    inbound,
    inventory,
    mapping,
    refs,
    retail,
    shipments,
    webhooks,
    wire,
    writes,
)
from gateway.providers.flexe.api import (
    MAX_PAGE_SIZE,
    FlexeApi,
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
            Capability.UPDATE_ORDER,
            Capability.CANCEL_ORDER,
            Capability.ORDER_LINE_WRITES,
            Capability.CREATE_INBOUND_SHIPMENT,
            Capability.CREATE_ATTACHMENT,
            Capability.WEBHOOKS,
        }
    )
    # Batch filters take 100 ids (providers.md §1.1) and a list page up to 500;
    # allocation errors (F10) and retail orders (F22, never listed) are one
    # call per order.
    fan_out = FanOut.declare(
        list_page_size=500,
        batched={
            "ORDERS": 100,
            "LINES": 100,
            "SHIPMENTS": 100,
            "SHIPMENTS_BY_ID": 100,
            "ATTACHMENTS": 100,
            "INVENTORY": 100,
            "INBOUND_SHIPMENTS": 100,
        },
    )

    def __init__(
        self,
        settings: ProviderSettings,
        session: aiohttp.ClientSession,
        retry: RetrySettings,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """`clock` (epoch seconds) is what webhook timestamps are checked against."""
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
        secret = settings.webhook_secret
        self._webhook_secret = secret.get_secret_value() if secret else None
        self._clock = clock

    async def get_orders(self, ids: Sequence[str]) -> Mapping[str, Order]:
        outbound, retail_ids = refs.split(ids)
        found, retail_orders = await asyncio.gather(
            self._orders_by("ids", outbound),
            retail.get_many(self.api, retail_ids, self._fan_out),
        )
        return {**{order.id: order for order in found}, **retail_orders}

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
        outbound, retail_ids = refs.split(order_ids)
        # Retail orders carry their items: one F22 each, no line endpoint.
        pages, retail_orders = await asyncio.gather(
            self.api.batched("/v2/lines", "orderIds", outbound, wire.LinePage),
            retail.get_many(self.api, retail_ids, self._fan_out),
        )
        for line, raw in items(pages, "lines"):
            result.setdefault(line.orderId, []).append(mapping.to_line(line, raw))
        for order_id, order in retail_orders.items():
            result[order_id] = list(order.lines or ())
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

        # Retail orders have no allocation-error endpoint.
        outbound, _ = refs.split(order_ids)
        found = await asyncio.gather(*(one(order_id) for order_id in outbound))
        return dict(zip(outbound, found, strict=True))

    async def get_attachments(
        self, owners: Sequence[Ref]
    ) -> Mapping[Ref, list[Attachment]]:
        return await attachments.for_orders(self.api, owners)

    async def get_shipments(
        self, order_ids: Sequence[str]
    ) -> Mapping[str, list[Shipment]]:
        return await shipments.by_orders(self.api, order_ids)

    async def get_shipments_by_id(self, ids: Sequence[str]) -> Mapping[str, Shipment]:
        return await shipments.by_ids(self.api, ids)

    async def list_shipments(
        self, filter: ShipmentFilter, page: PageRequest
    ) -> Page[Shipment]:
        if filter.created_after or filter.updated_after:
            # F16 has no date filter and its shipments carry no creation or
            # update time, so the filter cannot be applied even to a page.
            raise self.unsupported("filter shipments by creation or update time")
        return await shipments.list_page(self.api, filter, page)

    async def get_inventory(
        self, skus: Sequence[str]
    ) -> Mapping[str, list[InventoryLevel]]:
        return await inventory.by_skus(self.api, skus)

    async def get_inbound_shipments(
        self, ids: Sequence[str]
    ) -> Mapping[str, InboundShipment]:
        return await inbound.by_ids(self.api, ids)

    async def get_inbound_shipments_by_po_number(
        self, numbers: Sequence[str]
    ) -> Mapping[str, list[InboundShipment]]:
        return await inbound.by_po_numbers(self.api, numbers)

    async def create_inbound_shipment(
        self, data: InboundShipmentCreate, *, idempotency_key: str
    ) -> InboundShipment:
        return await inbound.create(self.api, data, idempotency_key)

    # Writes --------------------------------------------------------------------

    async def create_order(self, data: OrderCreate, *, idempotency_key: str) -> Order:
        if data.kind is OrderKind.DTC:
            return await writes.create_order(self.api, data, idempotency_key)
        if data.kind is OrderKind.RETAIL:
            return await retail.create(self.api, data, idempotency_key)
        raise self.unsupported(f"create {data.kind.value} orders")

    async def update_order(self, id: str, data: OrderUpdate) -> Order:
        if (shipment_id := refs.retail_shipment_id(id)) is not None:
            return await retail.update(self.api, shipment_id, data)
        return await writes.update_order(self.api, id, data)

    async def cancel_order(self, id: str, *, reason: str | None = None) -> Order:
        # Flexe records no reason for either kind of order.
        if (shipment_id := refs.retail_shipment_id(id)) is not None:
            return await retail.cancel(self.api, shipment_id)
        return await writes.cancel_order(self.api, id)

    async def create_order_line(
        self, order_id: str, data: OrderLineCreate, *, idempotency_key: str
    ) -> OrderLine:
        if refs.retail_shipment_id(order_id) is not None:
            raise self.unsupported("add lines to retail fulfillment orders")
        return await writes.create_line(self.api, order_id, data, idempotency_key)

    async def cancel_order_line(self, order_id: str, line_id: str) -> OrderLine:
        if refs.retail_shipment_id(order_id) is not None:
            raise self.unsupported("cancel lines of retail fulfillment orders")
        return await writes.cancel_line(self.api, order_id, line_id)

    async def create_attachment(
        self, order_id: str, data: AttachmentCreate, *, idempotency_key: str
    ) -> Attachment:
        if data.shipment_id is not None:
            raise self.unsupported("attach documents to shipments, only to orders")
        if refs.retail_shipment_id(order_id) is not None:
            raise self.unsupported("attach documents to retail fulfillment orders")
        return await attachments.create(self.api, order_id, data, idempotency_key)

    # Webhooks ------------------------------------------------------------------

    def verify_webhook(self, headers: Mapping[str, str], body: bytes) -> None:
        webhooks.verify(headers, body, self._webhook_secret, self._clock())

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> list[EventBase]:
        return webhooks.parse(body, headers)

    async def ping(self) -> None:
        await self.api.get("/v2/orders", {"pageSize": "1"})
