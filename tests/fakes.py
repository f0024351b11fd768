"""FakeProvider: an in-memory Provider for unit tests of loaders, paging and schema."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta

from gateway.models import (
    AllocationError,
    Attachment,
    Order,
    OrderKind,
    OrderLine,
    OrderStatus,
)
from gateway.providers.base import Capability, OrderFilter, Page, PageRequest

BASE_TIME = datetime(2026, 10, 1, tzinfo=UTC)


def make_order(provider: str, n: int, *, minutes: int | None = None) -> Order:
    """An order created `minutes` (default n) minutes after BASE_TIME."""
    created = BASE_TIME + timedelta(minutes=n if minutes is None else minutes)
    return Order(
        provider=provider,
        id=f"{provider}-{n}",
        kind=OrderKind.DTC,
        status=OrderStatus.PENDING,
        raw_status="new",
        created_at=created,
    )


class FakeProvider:
    """Serves fixed orders newest first; records every call; can be told to fail."""

    capabilities = frozenset({Capability.LIST_ORDERS, Capability.ORDER_LINES})

    def __init__(self, slug: str, orders: Sequence[Order] = ()) -> None:
        self.slug = slug
        self.orders = sorted(
            orders, key=lambda o: o.created_at or BASE_TIME, reverse=True
        )
        self.calls: list[tuple[str, tuple[str, ...]]] = []
        self.fail_with: Exception | None = None

    def _record(self, method: str, ids: Sequence[str]) -> None:
        self.calls.append((method, tuple(ids)))
        if self.fail_with is not None:
            raise self.fail_with

    async def get_orders(self, ids: Sequence[str]) -> Mapping[str, Order]:
        self._record("get_orders", ids)
        return {o.id: o for o in self.orders if o.id in ids}

    async def list_orders(self, filter: OrderFilter, page: PageRequest) -> Page[Order]:
        self._record("list_orders", [page.cursor or ""])
        start = int(page.cursor or 0)
        items = self.orders[start : start + page.size]
        end = start + len(items)
        return Page(items, str(end) if end < len(self.orders) else None)

    async def get_lines(
        self, order_ids: Sequence[str]
    ) -> Mapping[str, list[OrderLine]]:
        self._record("get_lines", order_ids)
        return {
            order_id: [
                OrderLine(
                    provider=self.slug,
                    id="1",
                    order_id=order_id,
                    sku="SKU-1",
                    quantity=2,
                )
            ]
            for order_id in order_ids
            if any(o.id == order_id for o in self.orders)
        }

    async def get_allocation_errors(
        self, order_ids: Sequence[str]
    ) -> Mapping[str, list[AllocationError]]:
        self._record("get_allocation_errors", order_ids)
        return {}

    async def get_attachments(
        self, order_ids: Sequence[str]
    ) -> Mapping[str, list[Attachment]]:
        self._record("get_attachments", order_ids)
        return {}

    async def ping(self) -> None:
        self._record("ping", [])
