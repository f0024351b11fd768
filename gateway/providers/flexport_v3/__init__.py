"""Flexport API v3, freight order management: purchase orders (providers.md §3)."""

from gateway.providers.flexport_v3.client import FlexportV3Provider

__all__ = ["FlexportV3Provider"]
