"""The provider interface every adapter implements, and the paging types it uses."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from gateway.models import (
    AllocationError,
    Attachment,
    Order,
    OrderKind,
    OrderLine,
    OrderStatus,
)

if TYPE_CHECKING:
    import aiohttp

    from gateway.settings import ProviderSettings, RetrySettings

T = TypeVar("T")


class Capability(StrEnum):
    """What a provider can do; declared, never discovered by trial."""

    LIST_ORDERS = "LIST_ORDERS"
    ORDER_LINES = "ORDER_LINES"
    ALLOCATION_ERRORS = "ALLOCATION_ERRORS"
    ATTACHMENTS = "ATTACHMENTS"


@dataclass(frozen=True)
class OrderFilter:
    """Which orders to list; empty tuples and None mean "any"."""

    statuses: tuple[OrderStatus, ...] = ()
    external_ids: tuple[str, ...] = ()
    kinds: tuple[OrderKind, ...] = ()
    has_errors: bool | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None


@dataclass(frozen=True)
class PageRequest:
    """A page of at most `size` items after the provider's own `cursor`."""

    size: int
    cursor: str | None = None


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of results and the provider cursor for the next, if any."""

    items: list[T]
    next_cursor: str | None = None
    total: int | None = None
    extra: dict[str, str] = field(default_factory=dict)


class Provider(Protocol):
    """One logistics provider's REST API, expressed in domain models.

    Batch methods take many ids and return a mapping; ids the provider does not
    know are simply absent. Adapters chunk to their provider's batch limit and
    raise `gateway.errors.ProviderError` subclasses only.
    """

    slug: str
    capabilities: frozenset[Capability]

    async def get_orders(self, ids: Sequence[str]) -> Mapping[str, Order]:
        """Orders by provider id."""
        ...

    async def list_orders(self, filter: OrderFilter, page: PageRequest) -> Page[Order]:
        """One page of orders, newest first."""
        ...

    async def get_lines(
        self, order_ids: Sequence[str]
    ) -> Mapping[str, list[OrderLine]]:
        """Every line of each order, by order id (an order with no lines maps to [])."""
        ...

    async def get_allocation_errors(
        self, order_ids: Sequence[str]
    ) -> Mapping[str, list[AllocationError]]:
        """Allocation errors of each order, by order id."""
        ...

    async def get_attachments(
        self, order_ids: Sequence[str]
    ) -> Mapping[str, list[Attachment]]:
        """Attachments of each order, by order id."""
        ...

    async def ping(self) -> None:
        """One cheap authenticated call; raises ProviderError when unreachable."""
        ...


class ProviderFactory(Protocol):
    """How the registry builds an adapter."""

    def __call__(
        self,
        settings: ProviderSettings,
        session: aiohttp.ClientSession,
        retry: RetrySettings,
    ) -> Provider: ...
