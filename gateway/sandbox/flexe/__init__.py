"""The Flexe dialect: public API v2 simulated under /flexe (providers.md section 1)."""

from __future__ import annotations

from .sim import FlexeSim

__all__ = ["FlexeSim"]
