"""How a PurchaseOrderFilter becomes V1 queries, and the page-number cursor.

V1 hides archived POs unless `f.archived_at.exists=true`, and then lists only
archived ones (docs/sandbox.md decision 7). Every cancelled PO is archived, so
a listing is one or two *segments*: the live POs (open and/or closed, one
`f.status` value or none), then, only when CANCELLED is asked for, the
archived ones. Without a status filter a listing is the live segment alone:
cancelled POs appear only when asked for.

The cursor is V1's page number. In the archived segment of a two-segment
listing it is `archived:<page>`, and the last page of the live segment points
to `archived:1`, so that page may be short.
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
    """Where a cursor points: a segment and a V1 page number in it."""

    segment: int
    page: int


def parse_cursor(cursor: str | None, count: int) -> Position:
    """`None` -> the first page; `"3"`; `"archived:2"` (the second segment)."""
    if cursor is None:
        return Position(0, 1)
    name, _, number = cursor.rpartition(":")
    if (name, count) in (("", 1), ("", 2), (ARCHIVED, 2)) and number.isdigit():
        page = int(number)
        if page >= 1:
            return Position(1 if name == ARCHIVED else 0, page)
    raise InvalidArgument(f"{cursor!r} is not a Flexport v3 purchase-order cursor")


def cursor_of(position: Position) -> str:
    if position.segment == 0:
        return str(position.page)
    return f"{ARCHIVED}:{position.page}"
