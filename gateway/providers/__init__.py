"""Provider adapters and the registry that builds them from settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gateway.providers.base import Provider, ProviderFactory
from gateway.providers.flexe import FlexeProvider
from gateway.providers.flexport_v3 import FlexportV3Provider
from gateway.providers.flxpoint import FlxpointProvider

if TYPE_CHECKING:
    import aiohttp

    from gateway.settings import Settings

REGISTRY: dict[str, ProviderFactory] = {
    "flexe": FlexeProvider,
    "flexport_v3": FlexportV3Provider,
    "flxpoint": FlxpointProvider,
}
"""Provider slug -> adapter class; the slug is also the settings key."""


def build_providers(
    settings: Settings, session: aiohttp.ClientSession
) -> dict[str, Provider]:
    """One adapter per enabled provider, all sharing `session`."""
    return {
        slug: REGISTRY[slug](provider_settings, session, settings.retry)
        for slug, provider_settings in settings.enabled_providers().items()
        if slug in REGISTRY
    }
