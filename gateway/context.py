"""The per-request GraphQL context: settings, providers, loaders, entity cache."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from gateway.broker import Broker
from gateway.cache.base import EntityCache, NullCache
from gateway.cache.inflight import InFlight
from gateway.errors import NotSupported
from gateway.ids import Ref
from gateway.loaders import Loaders
from gateway.providers.base import Capability, Provider
from gateway.settings import Settings


@dataclass
class Context:
    """What every resolver sees as `info.context`."""

    settings: Settings
    providers: Mapping[str, Provider]
    loaders: Loaders
    request_id: str
    upstream_calls: Counter[str] = field(default_factory=Counter)
    partial_errors: list[tuple[tuple[str | int, ...], Exception]] = field(
        default_factory=list
    )
    """Errors of fields that still returned data (path, error); see schema.partial."""
    cache: EntityCache = field(default_factory=NullCache)
    """The app's cross-request entity cache, for what the loaders do not read."""
    bypass_cache: bool = False
    """The client asked for fresh data (`Cache-Control: no-cache`)."""
    broker: Broker | None = None
    """Where subscriptions read change events from."""
    inflight: InFlight | None = None
    """Upstream fetches in progress in this process, shared by requests."""

    def provider(self, ref: Ref | str) -> Provider:
        """The adapter for a ref's provider; NotSupported if it is not enabled."""
        slug = ref if isinstance(ref, str) else ref.provider
        provider = self.providers.get(slug)
        if provider is None:
            raise NotSupported(slug, f"provider {slug.upper()} is not enabled")
        return provider

    def writer(self, capability: Capability, what: str) -> str:
        """The slug of the first enabled provider that can `capability`, for a
        write whose input names no provider; NotSupported if none can."""
        for slug, provider in self.providers.items():
            if capability in provider.capabilities:
                return slug
        raise NotSupported("gateway", f"no enabled provider takes {what}")
