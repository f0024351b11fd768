"""merge_pages: newest-first merge across providers with exact resume cursors."""

from __future__ import annotations

import pytest

from gateway.paging import (
    InvalidCursor,
    Position,
    decode_cursor,
    encode_cursor,
    merge_pages,
)
from gateway.providers.base import Page, PageRequest
from tests.fakes import FakeProvider, make_order


def fakes() -> dict[str, FakeProvider]:
    # a: minutes 0,2,4,…; b: minutes 1,3,5,… so the merge must interleave.
    return {
        "a": FakeProvider("a", [make_order("a", n, minutes=2 * n) for n in range(7)]),
        "b": FakeProvider(
            "b", [make_order("b", n, minutes=2 * n + 1) for n in range(5)]
        ),
    }


async def walk(providers: dict[str, FakeProvider], first: int) -> list[str]:
    """Page through everything with `first`, following endCursor."""

    async def fetch(slug: str, page: PageRequest) -> Page:  # type: ignore[type-arg]
        return await providers[slug].list_orders(None, page)  # type: ignore[arg-type]

    cursor = {slug: Position() for slug in providers}
    seen: list[str] = []
    for _ in range(50):
        page = await merge_pages(cursor, first, fetch, lambda o: o.created_at)
        seen += [edge.node.id for edge in page.edges]
        if not page.has_next_page:
            return seen
        assert page.end_cursor is not None
        cursor = decode_cursor(page.end_cursor, list(providers))
    raise AssertionError("pagination did not end")


@pytest.mark.parametrize("first", [1, 2, 3, 5, 12, 100])
async def test_merge_pages_walks_all_items_newest_first(first: int) -> None:
    providers = fakes()
    seen = await walk(providers, first)
    expected = sorted(
        (o for p in providers.values() for o in p.orders),
        key=lambda o: o.created_at,
        reverse=True,
    )
    assert seen == [o.id for o in expected]


async def test_merge_pages_edge_cursor_resumes_right_after_that_edge() -> None:
    providers = fakes()

    async def fetch(slug: str, page: PageRequest) -> Page:  # type: ignore[type-arg]
        return await providers[slug].list_orders(None, page)  # type: ignore[arg-type]

    start = {slug: Position() for slug in providers}
    page = await merge_pages(start, 6, fetch, lambda o: o.created_at)
    third = page.edges[2]
    resumed = await merge_pages(
        decode_cursor(third.cursor, ["a", "b"]), 2, fetch, lambda o: o.created_at
    )
    assert [e.node.id for e in resumed.edges] == [e.node.id for e in page.edges[3:5]]


async def test_merge_pages_single_provider_makes_one_call_per_page() -> None:
    provider = FakeProvider("a", [make_order("a", n) for n in range(10)])

    async def fetch(slug: str, page: PageRequest) -> Page:  # type: ignore[type-arg]
        return await provider.list_orders(None, page)  # type: ignore[arg-type]

    page = await merge_pages({"a": Position()}, 5, fetch, lambda o: o.created_at)
    assert len(page.edges) == 5
    assert page.has_next_page
    assert len(provider.calls) == 1


def test_cursor_round_trip_and_garbage() -> None:
    cursor = {"a": Position("tok", 3), "b": Position(done=True)}
    assert decode_cursor(encode_cursor(cursor), ["a", "b"]) == cursor
    assert decode_cursor(encode_cursor(cursor), ["a", "c"]) == {
        "a": Position("tok", 3),
        "c": Position(),
    }
    with pytest.raises(InvalidCursor):
        decode_cursor("garbage!!", ["a"])
    with pytest.raises(InvalidCursor):
        decode_cursor("W10=", ["a"])  # a JSON list, not a cursor


async def test_merge_pages_leaves_out_a_failing_provider_at_its_position() -> None:
    from gateway.errors import ProviderUnavailable

    providers = fakes()
    providers["b"].fail_with = ProviderUnavailable("b", "down")

    async def fetch(slug: str, page: PageRequest) -> Page:  # type: ignore[type-arg]
        return await providers[slug].list_orders(None, page)  # type: ignore[arg-type]

    start = {slug: Position() for slug in providers}
    page = await merge_pages(start, 3, fetch, lambda o: o.created_at)
    assert [e.node.id for e in page.edges] == ["a-6", "a-5", "a-4"]
    assert set(page.failures) == {"b"}
    assert page.has_next_page
    assert page.end_cursor is not None
    assert decode_cursor(page.end_cursor, ["a", "b"])["b"] == Position()
    providers["a"].fail_with = ProviderUnavailable("a", "down")
    with pytest.raises(ProviderUnavailable):
        await merge_pages(start, 3, fetch, lambda o: o.created_at)
