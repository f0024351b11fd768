"""Provider adapters and the registry that builds them from settings."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from gateway.locks import locks_from_url
from gateway.providers.base import Provider, ProviderFactory
from gateway.providers.flexe import FlexeProvider
from gateway.providers.flexport_logistics import (
    FlexportLogisticsProvider,
    index_from_url,
)
from gateway.providers.flexport_v3 import FlexportV3Provider
from gateway.providers.flxpoint import FlxpointProvider

if TYPE_CHECKING:
    import aiohttp

    from gateway.settings import Settings

REGISTRY: dict[str, ProviderFactory] = {
    "flexe": FlexeProvider,
    "flexport_logistics": FlexportLogisticsProvider,
    "flexport_v3": FlexportV3Provider,
    "flxpoint": FlxpointProvider,
}
"""Provider slug -> adapter class; the slug is also the settings key."""

EXTRAS: dict[str, Callable[[Settings], dict[str, Any]]] = {
    # LAPI cannot list orders; its index may live in Redis to be shared.
    "flexport_logistics": lambda settings: {
        "index": index_from_url(settings.index_url)
    },
    # v3 updates are read-merge-write; their per-PO queue may live in Redis so
    # that it holds across instances.
    "flexport_v3": lambda settings: {"locks": locks_from_url(settings.lock_url)},
}
"""Keyword arguments an adapter takes from the gateway-wide settings."""


def build_providers(
    settings: Settings, session: aiohttp.ClientSession
) -> dict[str, Provider]:
    """One adapter per provider in use, all sharing `session`."""
    built: dict[str, Provider] = {}
    for slug, provider_settings in settings.enabled_providers().items():
        extras = EXTRAS[slug](settings) if slug in EXTRAS else {}
        factory: Callable[..., Provider] = REGISTRY[slug]
        built[slug] = factory(provider_settings, session, settings.retry, **extras)
    return built
