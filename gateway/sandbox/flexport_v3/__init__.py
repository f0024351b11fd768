"""Flexport API v3 (purchase orders) simulated under /flexport-v3 (providers.md §3)."""

from __future__ import annotations

from .sim import FlexportV3Sim

__all__ = ["FlexportV3Sim"]
