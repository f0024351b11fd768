"""Flexport Logistics API "LAPI", version 2024-04 (providers.md §2)."""

from gateway.providers.flexport_logistics.client import FlexportLogisticsProvider
from gateway.providers.flexport_logistics.index import (
    IndexEntry,
    IndexFilter,
    IndexPage,
    OrderIndex,
)
from gateway.providers.flexport_logistics.index_memory import MemoryOrderIndex
from gateway.providers.flexport_logistics.index_redis import (
    RedisOrderIndex,
    index_from_url,
)

__all__ = [
    "FlexportLogisticsProvider",
    "IndexEntry",
    "IndexFilter",
    "IndexPage",
    "MemoryOrderIndex",
    "OrderIndex",
    "RedisOrderIndex",
    "index_from_url",
]
