"""How a PurchaseOrderFilter becomes V1 queries, and the page-number cursor.

V1 hides archived POs unless `f.archived_at.exists=true`, and then lists only
archived ones (docs/sandbox.md decision 7). Every cancelled PO is archived, so
a listing is one or two *segments*: the live POs (open and/or closed, one
`f.status` value or none), then, only when CANCELLED is asked for, the
archived ones. Without a status filter a listing is the live segment alone:
cancelled POs appear only when asked for.

The cursor is the index of the next PO in its segment (`archived:<index>` in
the archived segment of a two-segment listing), so it does not depend on the
page size: a caller may ask for 10 and then 11 from there. V1 pages by number,
so a window [index, index + size) is read as the one V1 page (`per` from size
to 100) that holds it all, or else as the page of 100 that holds its start,
which then ends early. The last page of the live segment points to
`archived:0`, so that page may be short too.
"""

from __future__ import annotations

from dataclasses import dataclass

from gateway.errors import InvalidArgument
from gateway.models import PurchaseOrderStatus
from gateway.providers.base import PurchaseOrderFilter
from gateway.providers.flexport_v3.mapping import RAW_STATUSES

Query = list[tuple[str, str]]

NEWEST_FIRST: Query = [("sort", "id"), ("direction", "desc")]
"""Ids grow with creation, so id descending is newest first."""
ARCHIVED = "archived"


@dataclass(frozen=True)
class Segment:
    """One V1 query of a listing."""

    archived: bool
    status: str | None

    def params(self, filter: PurchaseOrderFilter) -> Query:
        query: Query = [*NEWEST_FIRST, ("expand", "line_items")]
        if self.status is not None:
            query.append(("f.status", self.status))
        if self.archived:
            query.append(("f.archived_at.exists", "true"))
        if filter.updated_after is not None:
            query.append(("f.updated_at.gt", filter.updated_after.isoformat()))
        return query


def segments(statuses: tuple[PurchaseOrderStatus, ...]) -> list[Segment]:
    """The V1 queries that together list `statuses` (none: every live PO)."""
    if not statuses:
        return [Segment(archived=False, status=None)]
    wanted = {RAW_STATUSES[s] for s in statuses if s in RAW_STATUSES}
    live = sorted(wanted & {"open", "closed"})
    found: list[Segment] = []
    if live:
        # `f.status` takes one value: both live statuses means no filter.
        found.append(Segment(False, live[0] if len(live) == 1 else None))
    if "cancelled" in wanted:
        found.append(Segment(True, "cancelled"))
    return found


@dataclass(frozen=True)
class Position:
    """Where a cursor points: a segment and the index of a PO in it."""

    segment: int
    index: int


@dataclass(frozen=True)
class Window:
    """The V1 page to read for a window, and where the window starts in it."""

    page: int
    per: int
    skip: int


def window(index: int, size: int, max_per: int) -> Window:
    """The V1 page holding [index, index + size), else the one holding `index`."""
    size = max(1, min(size, max_per))
    for per in range(size, max_per + 1):
        if index // per == (index + size - 1) // per:
            return Window(index // per + 1, per, index % per)
    return Window(index // max_per + 1, max_per, index % max_per)


def parse_cursor(cursor: str | None, count: int) -> Position:
    """`None` -> the start; `"30"`; `"archived:20"` (the second segment)."""
    if cursor is None:
        return Position(0, 0)
    name, _, number = cursor.rpartition(":")
    if (name, count) in (("", 1), ("", 2), (ARCHIVED, 2)) and number.isdigit():
        return Position(1 if name == ARCHIVED else 0, int(number))
    raise InvalidArgument(f"{cursor!r} is not a Flexport v3 purchase-order cursor")


def cursor_of(position: Position) -> str:
    if position.segment == 0:
        return str(position.index)
    return f"{ARCHIVED}:{position.index}"
