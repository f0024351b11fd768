"""Domain ids of LAPI objects: the kind is part of the id (`B2B-71001`, `DTC-4920…`).

B2B outbounds and DTC orders live behind different endpoints, and nothing in
LAPI promises that their integer id ranges stay apart. The gateway has one id
space for orders, so the kind travels in the id and `get_orders` knows which
endpoint to call without guessing. Shipments use the same scheme.
"""

from __future__ import annotations

from typing import NamedTuple

from gateway.models import OrderKind

PREFIXES: dict[OrderKind, str] = {OrderKind.B2B: "B2B-", OrderKind.DTC: "DTC-"}


class OrderRef(NamedTuple):
    """A LAPI order: which endpoint family, and LAPI's integer id as text."""

    kind: OrderKind
    number: str

    @property
    def id(self) -> str:
        return domain_id(self.kind, self.number)


def domain_id(kind: OrderKind, provider_id: str) -> str:
    """`B2B-71001` for outbound 71001, `DTC-49201824001` for that DTC order."""
    return PREFIXES[kind] + provider_id


def parse(value: str) -> OrderRef | None:
    """The kind and LAPI id of a domain id; None for anything we never issued."""
    for kind, prefix in PREFIXES.items():
        if value.startswith(prefix):
            number = value[len(prefix) :]
            if number.isascii() and number.isdigit():
                return OrderRef(kind, number)
    return None
