"""Flexport Logistics API ("LAPI", version 2024-04) under /flexport-logistics (§2)."""

from __future__ import annotations

from .sim import FlexportLogisticsSim

__all__ = ["FlexportLogisticsSim"]
