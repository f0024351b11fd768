"""The Flxpoint dialect: the Source API simulated under /flxpoint (providers.md 4)."""

from __future__ import annotations

from .sim import FlxpointSim

__all__ = ["FlxpointSim"]
