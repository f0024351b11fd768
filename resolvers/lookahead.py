"""Which nested reads an `orders` selection will make, read before it resolves."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from strawberry.types.nodes import (
    FragmentSpread,
    InlineFragment,
    SelectedField,
    Selection,
)

from schema.node import Info


@dataclass(frozen=True)
class OrderReads:
    """The loader reads the fields under `edges { node }` will make per order."""

    lines: bool = False
    """`lines`, or the lines `status` refines itself with."""
    status: bool = False
    inventory: bool = False
    """`lines { inventory }` (not prefetched: see `resolvers.order_prefetch`)."""
    shipments: bool = False
    """`shipments`, or `lines { shipments }`."""
    attachments: bool = False
    allocation_errors: bool = False

    def any(self) -> bool:
        return any(vars(self).values())


def _fields(selections: Iterable[Selection]) -> dict[str, list[SelectedField]]:
    """Fields by name (not alias), fragments flattened. A selection with a
    directive is left out: `@skip`/`@include` decide at execution, and a read
    prefetched for a field that is not resolved would be a call not needed."""
    found: dict[str, list[SelectedField]] = {}
    for sel in selections:
        if sel.directives:
            continue
        if isinstance(sel, SelectedField):
            found.setdefault(sel.name, []).append(sel)
        elif isinstance(sel, InlineFragment | FragmentSpread):
            # Every fragment under a connection's node is on Order (the only
            # type there), or it would not have validated.
            for name, more in _fields(sel.selections).items():
                found.setdefault(name, []).extend(more)
    return found


def _under(fields: Sequence[SelectedField], name: str) -> list[SelectedField]:
    """The `name` fields selected under any of `fields`."""
    return [f for parent in fields for f in _fields(parent.selections).get(name, [])]


def order_reads(info: Info) -> OrderReads:
    """The reads the `orders` field being resolved selects under its nodes."""
    here = [f for f in info.selected_fields if isinstance(f, SelectedField)]
    nodes = _under(_under(here, "edges"), "node")
    node_fields: dict[str, list[SelectedField]] = {}
    for node in nodes:
        for name, fields in _fields(node.selections).items():
            node_fields.setdefault(name, []).extend(fields)
    lines = node_fields.get("lines", [])
    return OrderReads(
        lines=bool(lines),
        status="status" in node_fields,
        inventory=bool(_under(lines, "inventory")),
        shipments="shipments" in node_fields or bool(_under(lines, "shipments")),
        attachments="attachments" in node_fields,
        allocation_errors="allocationErrors" in node_fields,
    )
