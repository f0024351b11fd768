"""Detecting concurrent V3 writes to one PO (409 `conflict`, inferred).

Every request takes an arrival ticket before anything else happens to it,
latency included. A V3 write that succeeds commits its PO key. A write whose
key was committed after it arrived overlapped another write to the same PO:
it answers 409, and the first write to finish wins.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from aiohttp.typedefs import Handler, Middleware

PoKey = tuple[str, str | None, str | None]
ARRIVAL_KEY = web.RequestKey("flexport_v3_arrival", int)


class Arrivals:
    def __init__(self) -> None:
        self._seq = 0
        self._commits: dict[PoKey, int] = {}

    def arrive(self) -> int:
        self._seq += 1
        return self._seq

    def commit(self, key: PoKey) -> None:
        self._seq += 1
        self._commits[key] = self._seq

    def overtaken(self, key: PoKey, ticket: int) -> bool:
        """Was `key` written by another request since `ticket` arrived?"""
        return self._commits.get(key, 0) > ticket

    def clear(self) -> None:
        self._commits.clear()


def arrival_middleware(arrivals: Arrivals) -> Middleware:
    """Outermost, so the ticket predates the latency every request sits through."""

    @web.middleware
    async def arrive(request: web.Request, handler: Handler) -> web.StreamResponse:
        request[ARRIVAL_KEY] = arrivals.arrive()
        return await handler(request)

    return arrive
