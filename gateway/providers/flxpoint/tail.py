"""Newest-first pages over X1, which lists FRs by id ascending with no total.

The first page finds how many FRs match by probing pages of 100: page 1, 2, 4,
8, … until one is short, then bisecting between the last full and the first
empty one (1 request up to 99 FRs, 4 for the seed's 200, about 2·log2(N/100)
beyond). The newest `size` FRs then come from the probed pages, or from at most
two more requests.

After that, a cursor `<end>.<below>` says where the walk stands: every FR at
ascending index ≥ `end`, or with an id ≥ `below`, has been handled. The next
page is the window just under `end`, fetched as one upstream page whose size
(between the window's and 100) puts the whole window on it: one request per
page, two when no such size exists. FRs with ids ≥ `below` are dropped, so an
FR leaving the filter between pages (which moves later FRs down) never shows
twice; one entering it below the cursor can be missed, as with any offset paging.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from gateway.errors import ProviderResponseInvalid, Rejected
from gateway.models import Order
from gateway.providers.flxpoint import mapping, wire
from gateway.providers.flxpoint.api import (
    FR_PATH,
    MAX_PAGE_SIZE,
    FlxpointApi,
    Pages,
    Query,
    Row,
)

EXTRA_WINDOWS = 3
"""Windows a page may read beyond its size when `keep` drops FRs, before it
returns short with a cursor (bounds the cost of a sparse filter)."""


@dataclass(frozen=True)
class Position:
    """Where a newest-first walk stands (see the module docstring)."""

    end: int
    below: int | None = None

    def encode(self) -> str:
        return f"{self.end}.{'' if self.below is None else self.below}"

    @classmethod
    def decode(cls, token: str) -> Position:
        end, dot, below = token.partition(".")
        if not dot or not end.isdigit() or not (below == "" or below.isdigit()):
            raise Rejected(mapping.SLUG, f"{token!r} is not a Flxpoint page cursor")
        return cls(int(end), int(below) if below else None)


class Tail:
    """One filtered X1 query read from its newest FR down."""

    def __init__(self, api: FlxpointApi, params: Query) -> None:
        self.slug = api.slug
        self.pages = Pages(api, FR_PATH, params, wire.FulfillmentRequest)

    async def count(self) -> int:
        """How many FRs match: gallop over pages of 100, then bisect."""
        size = MAX_PAGE_SIZE
        full, probe = 0, 1
        while True:
            found = len(await self.pages.get(size, probe))
            if found == size:
                full, probe = probe, probe * 2
                continue
            if found:
                return (probe - 1) * size + found
            break
        empty = probe
        while empty - full > 1:
            mid = (full + empty) // 2
            found = len(await self.pages.get(size, mid))
            if found == size:
                full = mid
            elif found:
                return (mid - 1) * size + found
            else:
                empty = mid
        return full * size

    async def walk(
        self,
        start: Position,
        want: int,
        keep: Callable[[Order], bool],
        too_old: Callable[[Order], bool],
    ) -> tuple[list[Order], Position | None]:
        """Up to `want` kept FRs below `start`, newest first, and where to resume."""
        taken: list[Order] = []
        position = start
        budget = -(-want // MAX_PAGE_SIZE) + EXTRA_WINDOWS
        while position.end > 0 and len(taken) < want and budget > 0:
            budget -= 1
            low = max(0, position.end - min(want - len(taken), MAX_PAGE_SIZE))
            below = position.below
            fresh: list[tuple[int, int, Row[wire.FulfillmentRequest]]] = []
            for index, row in await self.pages.span(low, position.end):
                fr_id = self._numeric(row[0].id)
                if below is None or fr_id < below:
                    fresh.append((index, fr_id, row))
            position = Position(low, below)
            for index, fr_id, (fr, raw) in sorted(fresh, key=lambda r: -r[1]):
                position = Position(index, fr_id)
                order = mapping.to_order(fr, raw)
                if too_old(order):
                    return taken, None
                if keep(order):
                    taken.append(order)
                    if len(taken) == want:
                        break
        return taken, position if position.end > 0 else None

    def _numeric(self, fr_id: str) -> int:
        if not fr_id.isdigit():
            raise ProviderResponseInvalid(
                self.slug, f"fulfillment request id {fr_id!r} is not a number"
            )
        return int(fr_id)
