"""The Flexe adapter: public API v2 paths, Bearer auth, continuation-token paging."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote

from gateway.errors import ProviderResponseInvalid
from gateway.http import Upstream
from gateway.models import (
    AllocationError,
    Attachment,
    Order,
    OrderKind,
    OrderLine,
    OrderStatus,
)
from gateway.providers.base import Capability, OrderFilter, Page, PageRequest
from gateway.providers.flexe import mapping, wire

if TYPE_CHECKING:
    import aiohttp
    from pydantic import BaseModel

    from gateway.settings import ProviderSettings, RetrySettings

M = TypeVar("M", bound="BaseModel")

MAX_IDS_PER_CALL = 100
"""Flexe accepts at most 100 values in a list filter (`ids`, `orderIds`, …)."""
MAX_PAGE_SIZE = 500
FAN_OUT = 8
"""Concurrent single-object calls where Flexe has no batch endpoint."""


class FlexeProvider:
    """Flexe public API v2, expressed in domain models."""

    slug = mapping.SLUG
    capabilities = frozenset(
        {
            Capability.LIST_ORDERS,
            Capability.ORDER_LINES,
            Capability.ALLOCATION_ERRORS,
            Capability.ATTACHMENTS,
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
        self.batch_size = min(settings.max_batch_size, MAX_IDS_PER_CALL)
        self.page_size = min(settings.page_size, MAX_PAGE_SIZE)
        self._fan_out = asyncio.Semaphore(FAN_OUT)

    async def get_orders(self, ids: Sequence[str]) -> Mapping[str, Order]:
        pages = await asyncio.gather(
            *(
                self._collect("/v2/orders", {"ids": ",".join(chunk)}, wire.OrderPage)
                for chunk in _chunks(ids, self.batch_size)
            )
        )
        return {
            order.id: mapping.to_order(order, raw)
            for page in pages
            for order, raw in _items(page, "outboundOrders")
        }

    async def list_orders(self, filter: OrderFilter, page: PageRequest) -> Page[Order]:
        if filter.kinds and OrderKind.DTC not in filter.kinds:
            return Page(items=[], next_cursor=None, total=0)
        params = _order_params(filter)
        if filter.statuses and not params.get("state"):
            # Asked only for statuses no Flexe order can have (ACCEPTED, …).
            return Page(items=[], next_cursor=None, total=0)
        params["pageSize"] = str(min(page.size, MAX_PAGE_SIZE))
        if page.cursor:
            params["continuationToken"] = page.cursor
        data = await self._get("/v2/orders", params)
        parsed = self._validate(wire.OrderPage, data)
        return Page(
            items=[
                mapping.to_order(o, raw)
                for o, raw in _pairs(parsed, data, "outboundOrders")
            ],
            next_cursor=parsed.continuationToken,
            total=parsed.total,
        )

    async def get_lines(
        self, order_ids: Sequence[str]
    ) -> Mapping[str, list[OrderLine]]:
        result: dict[str, list[OrderLine]] = {order_id: [] for order_id in order_ids}
        pages = await asyncio.gather(
            *(
                self._collect("/v2/lines", {"orderIds": ",".join(chunk)}, wire.LinePage)
                for chunk in _chunks(order_ids, self.batch_size)
            )
        )
        for page in pages:
            for line, raw in _items(page, "lines"):
                result.setdefault(line.orderId, []).append(mapping.to_line(line, raw))
        return result

    async def get_allocation_errors(
        self, order_ids: Sequence[str]
    ) -> Mapping[str, list[AllocationError]]:
        # Flexe has no cross-order allocation-error endpoint: one call per order.
        async def one(order_id: str) -> list[AllocationError]:
            async with self._fan_out:
                pages = await self._collect(
                    f"/v2/orders/{quote(order_id, safe='')}/allocation-errors",
                    {},
                    wire.AllocationErrorPage,
                )
            return [
                mapping.to_allocation_error(e, raw)
                for e, raw in _items(pages, "allocationErrors")
            ]

        found = await asyncio.gather(*(one(order_id) for order_id in order_ids))
        return dict(zip(order_ids, found, strict=True))

    async def get_attachments(
        self, order_ids: Sequence[str]
    ) -> Mapping[str, list[Attachment]]:
        result: dict[str, list[Attachment]] = {order_id: [] for order_id in order_ids}
        pages = await asyncio.gather(
            *(
                self._collect(
                    "/v2/attachments",
                    {"orderIds": ",".join(chunk)},
                    wire.AttachmentPage,
                )
                for chunk in _chunks(order_ids, self.batch_size)
            )
        )
        for page in pages:
            for attachment, raw in _items(page, "attachments"):
                file_url = (
                    f"{self.upstream.base_url}/v2/files/"
                    f"{quote(attachment.fileKey, safe='')}/content"
                    if attachment.fileKey
                    else None
                )
                result.setdefault(attachment.orderId, []).append(
                    mapping.to_attachment(attachment, raw, file_url)
                )
        return result

    async def ping(self) -> None:
        await self._get("/v2/orders", {"pageSize": "1"})

    async def _get(self, path: str, params: Mapping[str, str]) -> Any:
        return (await self.upstream.request("GET", path, params=params)).data

    async def _collect(
        self, path: str, params: Mapping[str, str], model: type[M]
    ) -> list[tuple[M, dict[str, Any]]]:
        """Every page of a list endpoint, each validated, with its raw JSON."""
        pages: list[tuple[M, dict[str, Any]]] = []
        query = {**params, "pageSize": str(self.page_size)}
        while True:
            data = await self._get(path, query)
            parsed = self._validate(model, data)
            pages.append((parsed, data))
            token = getattr(parsed, "continuationToken", None)
            if not token:
                return pages
            query = {**query, "continuationToken": token}

    def _validate(self, model: type[M], data: Any) -> M:
        try:
            return model.model_validate(data)
        except ValueError:
            raise ProviderResponseInvalid(
                self.slug, f"the provider's answer is not a valid {model.__name__}"
            ) from None


def _order_params(filter: OrderFilter) -> dict[str, str]:
    params: dict[str, str] = {}
    if filter.statuses:
        states = sorted(
            {s for st in filter.statuses for s in mapping.STATES_FOR_STATUS.get(st, ())}
        )
        params["state"] = ",".join(states)
        # `new` is both PENDING and EXCEPTION; hasErrors tells them apart when
        # only one of the two was asked for and no other state is involved.
        wants = set(filter.statuses)
        if states == ["new"] and len(wants) == 1:
            params["hasErrors"] = "true" if OrderStatus.EXCEPTION in wants else "false"
    if filter.has_errors is not None:
        params["hasErrors"] = "true" if filter.has_errors else "false"
    if filter.external_ids:
        params["externalIds"] = ",".join(filter.external_ids)
    if filter.created_after:
        params["createdAtFrom"] = filter.created_after.isoformat()
    if filter.created_before:
        params["createdAtTo"] = filter.created_before.isoformat()
    return params


def _chunks(ids: Sequence[str], size: int) -> list[Sequence[str]]:
    unique = list(dict.fromkeys(ids))
    return [unique[i : i + size] for i in range(0, len(unique), size)]


def _items(
    pages: list[tuple[Any, dict[str, Any]]], key: str
) -> list[tuple[Any, dict[str, Any]]]:
    return [pair for parsed, raw in pages for pair in _pairs(parsed, raw, key)]


def _pairs(
    parsed: Any, raw: dict[str, Any], key: str
) -> list[tuple[Any, dict[str, Any]]]:
    return list(zip(getattr(parsed, key), raw[key], strict=True))
