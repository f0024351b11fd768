"""What a provider's API forces in upstream calls per read and per list page.

Each adapter declares a `FanOut` next to its capabilities; the upstream
estimate (`schema.upstream`) reads these facts, never a provider's name, to
price a query before it runs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from gateway.providers.capabilities import Capability


class Read(StrEnum):
    """A kind of read the graph's fields make, for the upstream estimate."""

    ORDERS = "ORDERS"
    LINES = "LINES"
    SHIPMENTS = "SHIPMENTS"
    SHIPMENTS_BY_ID = "SHIPMENTS_BY_ID"
    ALLOCATION_ERRORS = "ALLOCATION_ERRORS"
    ATTACHMENTS = "ATTACHMENTS"
    INVENTORY = "INVENTORY"
    PURCHASE_ORDERS = "PURCHASE_ORDERS"
    PURCHASE_ORDER_LINES = "PURCHASE_ORDER_LINES"
    INBOUND_SHIPMENTS = "INBOUND_SHIPMENTS"


READ_CAPABILITY: dict[Read, Capability] = {
    Read.ORDERS: Capability.LIST_ORDERS,
    Read.LINES: Capability.ORDER_LINES,
    Read.SHIPMENTS: Capability.SHIPMENTS,
    Read.SHIPMENTS_BY_ID: Capability.SHIPMENTS,
    Read.ALLOCATION_ERRORS: Capability.ALLOCATION_ERRORS,
    Read.ATTACHMENTS: Capability.ATTACHMENTS,
    Read.INVENTORY: Capability.INVENTORY,
    Read.PURCHASE_ORDERS: Capability.PURCHASE_ORDERS,
    Read.PURCHASE_ORDER_LINES: Capability.PURCHASE_ORDERS,
    Read.INBOUND_SHIPMENTS: Capability.INBOUND_SHIPMENTS,
}
"""A provider without the capability answers the read with nothing, and no call."""


@dataclass(frozen=True)
class ReadCost:
    """The upstream calls one batched read of `n` objects sends at a provider."""

    batch: int | None = None
    """Ids per call; None where the API has no batch endpoint (one call each)."""
    extra: int = 0
    """Calls once per read on top (a lookup table the mapping needs)."""
    embedded: bool = False
    """The data arrives inside the parent object: no call at all."""

    def calls(self, n: int) -> int:
        if self.embedded or n <= 0:
            return 0
        return (n if self.batch is None else -(-n // self.batch)) + self.extra


EMBEDDED = ReadCost(embedded=True)
PER_OBJECT = ReadCost()


@dataclass(frozen=True)
class FanOut:
    """What a provider's API forces per read and per list page, declared next to
    its capabilities and read by the upstream estimate (`schema.upstream`)."""

    list_page_size: int = 100
    """Items per upstream list call."""
    list_extra: int = 0
    """Calls a list page sends whatever its size (a count probe, a lookup)."""
    list_per_item: int = 0
    """Calls per listed item where the API lists ids only (or nothing)."""
    reads: Mapping[Read, ReadCost] = field(default_factory=dict)
    """Each read's cost; a read not named costs one call per object."""

    def list_calls(self, first: int) -> int:
        if first <= 0:
            return 0
        pages = -(-first // self.list_page_size) if self.list_page_size else 0
        return self.list_extra + pages + first * self.list_per_item

    def read(self, read: Read) -> ReadCost:
        return self.reads.get(read, PER_OBJECT)

    @classmethod
    def declare(
        cls,
        *,
        list_page_size: int = 100,
        list_extra: int = 0,
        list_per_item: int = 0,
        batched: Mapping[str, int] | None = None,
        extra: Mapping[str, int] | None = None,
        embedded: Sequence[str] = (),
    ) -> FanOut:
        """Facts by read name (`Read` values): ids per call where the API
        batches, calls on top, and reads the parent object already carries.
        An unknown name fails when the adapter's module is imported."""
        reads: dict[Read, ReadCost] = {}
        for name in {*(batched or {}), *(extra or {}), *embedded}:
            read = Read(name)
            reads[read] = ReadCost(
                batch=(batched or {}).get(name),
                extra=(extra or {}).get(name, 0),
                embedded=name in embedded,
            )
        return cls(list_page_size, list_extra, list_per_item, reads)
