"""Per-request DataLoaders: one generic provider-grouping base and one class per key.

For each key a loader resolves to the object, to None when the provider does not
have it, or to the ProviderError of the call that failed, so one provider being
down fails only the fields that needed it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from aiodataloader import DataLoader

from gateway.errors import NotSupported
from gateway.ids import Ref
from gateway.models import AllocationError, Attachment, Order, OrderLine
from gateway.providers.base import Provider

V = TypeVar("V")


class ProviderBatchLoader(DataLoader[Ref, Any], Generic[V]):
    """Groups keys by provider, calls each provider's batch method concurrently."""

    def __init__(self, providers: Mapping[str, Provider]) -> None:
        super().__init__()
        self.providers = providers

    def missing(self) -> V | None:
        """The value of a key the provider does not know."""
        return None

    async def fetch(self, provider: Provider, ids: Sequence[str]) -> Mapping[str, V]:
        """Call the provider's batch method for these ids."""
        raise NotImplementedError

    async def batch_load_fn(self, keys: Sequence[Ref]) -> list[Any]:
        by_provider: dict[str, list[str]] = {}
        for key in keys:
            by_provider.setdefault(key.provider, []).append(key.id)
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
                found = outcome.get(key.id)
                values.append(self.missing() if found is None else found)
        return values

    async def _fetch_one(self, slug: str, ids: list[str]) -> Mapping[str, V]:
        provider = self.providers.get(slug)
        if provider is None:
            raise NotSupported(slug, f"provider {slug.upper()} is not enabled")
        return await self.fetch(provider, list(dict.fromkeys(ids)))


class ListLoader(ProviderBatchLoader[list[V]]):
    """A loader whose value is a list: an unknown key is an empty list, not None."""

    def missing(self) -> list[V]:
        return []


class OrderByRefLoader(ProviderBatchLoader[Order]):
    async def fetch(
        self, provider: Provider, ids: Sequence[str]
    ) -> Mapping[str, Order]:
        return await provider.get_orders(ids)


class LinesByOrderLoader(ListLoader[OrderLine]):
    async def fetch(
        self, provider: Provider, ids: Sequence[str]
    ) -> Mapping[str, list[OrderLine]]:
        return await provider.get_lines(ids)


class AllocationErrorsByOrderLoader(ListLoader[AllocationError]):
    async def fetch(
        self, provider: Provider, ids: Sequence[str]
    ) -> Mapping[str, list[AllocationError]]:
        return await provider.get_allocation_errors(ids)


class AttachmentsByOwnerLoader(ListLoader[Attachment]):
    async def fetch(
        self, provider: Provider, ids: Sequence[str]
    ) -> Mapping[str, list[Attachment]]:
        return await provider.get_attachments(ids)


@dataclass
class Loaders:
    """Every loader of one GraphQL request; built fresh per request."""

    order_by_ref: OrderByRefLoader
    lines_by_order: LinesByOrderLoader
    allocation_errors_by_order: AllocationErrorsByOrderLoader
    attachments_by_owner: AttachmentsByOwnerLoader

    @classmethod
    def create(cls, providers: Mapping[str, Provider]) -> Loaders:
        """A new set of loaders over `providers` (needs a running event loop)."""
        return cls(
            order_by_ref=OrderByRefLoader(providers),
            lines_by_order=LinesByOrderLoader(providers),
            allocation_errors_by_order=AllocationErrorsByOrderLoader(providers),
            attachments_by_owner=AttachmentsByOwnerLoader(providers),
        )
