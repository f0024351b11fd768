"""Flxpoint, the dropship platform; the gateway acts as a Source (providers.md §4)."""

from gateway.providers.flxpoint.client import FlxpointProvider

__all__ = ["FlxpointProvider"]
