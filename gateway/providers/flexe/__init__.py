"""Flexe, the warehouse network: public API v2 (providers.md §1)."""

from gateway.providers.flexe.client import FlexeProvider

__all__ = ["FlexeProvider"]
