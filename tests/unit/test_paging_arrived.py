"""merge_pages' `arrived`: what each window's arrival can say about the page."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Mapping, Sequence

import pytest

from gateway import models
from gateway.errors import ProviderUnavailable
from gateway.paging import Position, merge_pages
from gateway.providers.base import Page, PageRequest
from tests.fakes import FakeProvider, make_order

Told = tuple[dict[str, list[str]], int]


def fakes() -> dict[str, FakeProvider]:
    # Interleaved times, and one tie across providers (minute 4 at a and c).
    return {
        "a": FakeProvider("a", [make_order("a", n, minutes=3 * n) for n in range(6)]),
        "b": FakeProvider(
            "b", [make_order("b", n, minutes=3 * n + 1) for n in range(6)]
        ),
        "c": FakeProvider("c", [make_order("c", n, minutes=n + 4) for n in range(3)]),
    }


async def merged(
    order: Sequence[str], first: int, failing: str = ""
) -> tuple[list[Told], list[tuple[str, str]]]:
    """Merge with windows arriving in `order`; what `arrived` heard, the page."""
    providers = fakes()
    gates = {slug: asyncio.Event() for slug in providers}

    async def fetch(slug: str, page: PageRequest) -> Page[models.Order]:
        await gates[slug].wait()
        if slug == failing:
            raise ProviderUnavailable(slug, "down")
        got: Page[models.Order] = await providers[slug].list_orders(None, page)  # type: ignore[arg-type]
        return got

    told: list[Told] = []

    def arrived(candidates: Mapping[str, Sequence[models.Order]], pending: int) -> None:
        told.append(({s: [o.id for o in v] for s, v in candidates.items()}, pending))

    cursor = {slug: Position() for slug in providers}
    task = asyncio.create_task(
        merge_pages(cursor, first, fetch, lambda o: o.created_at, arrived=arrived)
    )
    for slug in order:
        gates[slug].set()
        for _ in range(5):
            await asyncio.sleep(0)
    page = await task
    return told, [(e.node.provider, e.node.id) for e in page.edges]


@pytest.mark.parametrize("order", list(itertools.permutations("abc")))
@pytest.mark.parametrize("first", [1, 3, 5, 8, 20])
async def test_candidates_hold_every_item_the_page_takes(
    order: tuple[str, ...], first: int
) -> None:
    told, page = await merged(order, first)
    # Each arrival is told of the windows in so far, the new one included,
    # and of how many are still to come.
    assert [(set(c), n) for c, n in told] == [
        (set(order[: k + 1]), 2 - k) for k in range(3)
    ]
    for candidates, _ in told:
        for slug, ids in candidates.items():
            assert {i for s, i in page if s == slug} <= set(ids)
    # Once every window is in, the candidates are the page, in page order.
    final, _ = told[-1]
    assert {s: [i for p, i in page if p == s] for s in final} == final


async def test_candidates_narrow_as_windows_arrive() -> None:
    told, page = await merged("abc", 3)
    assert told[0] == ({"a": [o.id for o in fakes()["a"].orders[:3]]}, 2)
    assert len(told[1][0]["a"]) < 3
    assert sum(len(ids) for ids in told[-1][0].values()) == len(page) == 3


async def test_a_failed_window_counts_as_settled_and_is_never_a_candidate() -> None:
    told, page = await merged("abc", 5, failing="b")
    assert [(set(c), n) for c, n in told] == [({"a"}, 2), ({"a"}, 1), ({"a", "c"}, 0)]
    assert {s for s, _ in page} == {"a", "c"}
