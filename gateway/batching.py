"""ProviderBatchLoader: group a batch by provider, read it through the entity cache.

The one generic DataLoader every loader in `gateway.loaders` subclasses. For
each key it resolves to the object, to None (or []) when the provider does not
have it, or to the ProviderError of the call that failed, so one provider being
down fails only the fields that needed it. It reads through the cross-request
entity cache under the subclass's `entity`: one `get_many` per provider per
batch, then one upstream call for the keys the cache did not have.

aiodataloader runs each batch in a task of its own, which cancelling the
operation does not reach: the batch files that task under the operation that
scheduled it (`gateway.operation`), so a client's disconnect cancels it too.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from aiodataloader import DataLoader

from gateway import operation
from gateway.cache.base import CacheKey, EntityCache, NullCache
from gateway.cache.codec import Codec
from gateway.cache.fetch import cached_fetch
from gateway.cache.inflight import InFlight
from gateway.cache.refresh import RefreshPolicy
from gateway.errors import NotSupported
from gateway.providers.base import Provider
from gateway.settings import CacheSettings


class Keyed(Protocol):
    """A loader key: the provider that holds the value, and its id there."""

    @property
    def provider(self) -> str: ...

    @property
    def id(self) -> str: ...


K = TypeVar("K", bound=Keyed)
V = TypeVar("V")


class ProviderBatchLoader(DataLoader[K, Any], Generic[K, V]):
    """Groups keys by provider, calls each provider's batch method concurrently.

    Subclasses name the `entity` their values are cached under and its `codec`.
    A provider error is raised out of `cached_fetch` before anything is stored,
    so it is never cached. A key the provider left out of a successful answer
    is cached as `missing()` unless that is None: an unknown object is asked
    again next time, so it is found as soon as it exists, while a list-valued
    key (a SKU without stock, an order without shipments) caches its [] like
    any other list, or it would cost an upstream call on every request.
    """

    entity: ClassVar[str]
    codec: ClassVar[Codec[Any]]

    def __init__(
        self,
        providers: Mapping[str, Provider],
        cache: EntityCache | None = None,
        settings: CacheSettings | None = None,
        *,
        bypass: bool = False,
        batch: bool = True,
        inflight: InFlight | None = None,
    ) -> None:
        # batch=False (GATEWAY_BATCHING=false) sends one call per key: only for
        # measuring what batching saves.
        super().__init__(batch=batch)
        self.providers = providers
        # Not `cache or …`: an empty MemoryCache has len() 0, so it is falsy.
        self.entity_cache: EntityCache = NullCache() if cache is None else cache
        # Without a cache the values are not even encoded.
        self.ttl_s = (
            0.0
            if isinstance(self.entity_cache, NullCache) or settings is None
            else settings.ttl_for(self.entity)
        )
        self.refresh = (
            None if settings is None else RefreshPolicy.from_settings(settings)
        )
        self.bypass = bypass
        self.inflight = inflight

    def cache_id(self, key: K) -> str:
        """The CacheKey `key` of a loader key: what the provider knows it by."""
        return key.id

    def missing(self) -> V | None:
        """The value of a key the provider does not know."""
        return None

    async def fetch(self, provider: Provider, keys: Sequence[K]) -> Mapping[K, V]:
        """Call the provider's batch method for these keys (all of one provider)."""
        raise NotImplementedError

    async def batch_load_fn(self, keys: Sequence[K]) -> list[Any]:
        operation.adopt_current_task()
        by_provider: dict[str, list[K]] = {}
        for key in keys:
            by_provider.setdefault(key.provider, []).append(key)
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
                found = outcome.get(key)
                values.append(self.missing() if found is None else found)
        return values

    async def _fetch_one(self, slug: str, keys: list[K]) -> Mapping[K, V]:
        provider = self.providers.get(slug)
        if provider is None:
            raise NotSupported(slug, f"provider {slug.upper()} is not enabled")
        if self.ttl_s <= 0:
            return await self.fetch(provider, list(dict.fromkeys(keys)))
        by_cache_key = {CacheKey(slug, self.cache_id(key)): key for key in keys}

        async def upstream(missing: list[CacheKey]) -> dict[CacheKey, V | None]:
            found = await self.fetch(provider, [by_cache_key[c] for c in missing])
            return {
                c: self.missing() if (v := found.get(by_cache_key[c])) is None else v
                for c in missing
            }

        values = await cached_fetch(
            self.entity_cache,
            self.entity,
            list(by_cache_key),
            upstream,
            self.ttl_s,
            bypass=self.bypass,
            encode=self.codec.encode,
            decode=self.codec.decode,
            # A no-cache request reads fresh: it must not join a fetch that
            # started before it was asked.
            inflight=None if self.bypass else self.inflight,
            refresh=self.refresh,
        )
        return {by_cache_key[c]: value for c, value in values.items()}


class ListLoader(ProviderBatchLoader[K, list[V]]):
    """A loader whose value is a list: an unknown key is an empty list, not None."""

    def missing(self) -> list[V]:
        return []
