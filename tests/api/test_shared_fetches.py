"""Concurrent requests on a cold gateway share their upstream fetches."""

from __future__ import annotations

import asyncio
from collections import Counter

from tests.api.test_cache import BOARD, FRESH_BOARD
from tests.conftest import GQL, SandboxControl


async def test_concurrent_cold_boards_share_every_fetch(
    gql: GQL, control: SandboxControl
) -> None:
    await control.clear()
    boards = await asyncio.gather(*(gql(BOARD) for _ in range(8)))
    assert all("errors" not in board for board in boards)
    first = boards[0]["data"]
    assert all(board["data"] == first for board in boards)
    paths = Counter(r["path"] for r in await control.requests("flexe"))
    # The same upstream requests as one board alone (test_cache pins those):
    # eight boards asked for the same page, lines, shipments, attachments and
    # stock at once, and each was fetched once.
    assert sorted(paths.elements()) == FRESH_BOARD


async def test_a_no_cache_request_does_not_join_a_fetch_in_flight(
    gql: GQL, control: SandboxControl
) -> None:
    await control.clear()
    await asyncio.gather(gql(BOARD), gql(BOARD, **{"Cache-Control": "no-cache"}))
    paths = Counter(r["path"] for r in await control.requests("flexe"))
    assert paths["/v2/orders"] == 2
