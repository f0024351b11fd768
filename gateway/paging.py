"""Cursor pagination over one or several providers, merged newest first.

A cursor records, per provider, the provider's own page token and how many items
of that page were already consumed, so any edge's cursor can resume exactly
after that edge, whichever provider it came from.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Generic, TypeVar

import orjson

from gateway.errors import GatewayError, ProviderError
from gateway.providers.base import Page, PageRequest

T = TypeVar("T")

MAX_PAGE_SIZE = 500
"""No provider gives more than this many items per call."""


class InvalidCursor(GatewayError):
    """An `after` cursor that this gateway did not issue, or for another list."""

    code = "INVALID_CURSOR"


@dataclass(frozen=True)
class Position:
    """Where one provider's list stands: its page token, items used, finished."""

    token: str | None = None
    offset: int = 0
    done: bool = False


Cursor = dict[str, Position]


def encode_cursor(cursor: Mapping[str, Position]) -> str:
    """The opaque string form of a cursor."""
    payload = {
        slug: [pos.token, pos.offset, pos.done] for slug, pos in sorted(cursor.items())
    }
    return base64.urlsafe_b64encode(orjson.dumps(payload)).decode("ascii")


def decode_cursor(value: str, providers: Sequence[str]) -> Cursor:
    """Parse an `after` cursor; providers it does not mention start from the top."""
    try:
        data = orjson.loads(base64.urlsafe_b64decode(value.encode("ascii")))
        cursor = {
            slug: Position(token, int(offset), bool(done))
            for slug, (token, offset, done) in data.items()
        }
    except (binascii.Error, ValueError, TypeError, AttributeError, UnicodeError):
        raise InvalidCursor(f"{value!r} is not a valid cursor") from None
    if not all(
        isinstance(p.token, str | None) and p.offset >= 0 for p in cursor.values()
    ):
        raise InvalidCursor(f"{value!r} is not a valid cursor")
    return {slug: cursor.get(slug, Position()) for slug in providers}


@dataclass(frozen=True)
class Edge(Generic[T]):
    """One item and the cursor that resumes right after it."""

    node: T
    cursor: str


@dataclass(frozen=True)
class MergedPage(Generic[T]):
    """A page merged across providers."""

    edges: list[Edge[T]]
    has_next_page: bool
    end_cursor: str | None
    failures: dict[str, ProviderError] = field(default_factory=dict)


Fetch = Callable[[str, PageRequest], Awaitable[Page[T]]]


@dataclass
class _Window(Generic[T]):
    start: Position
    items: list[T]
    next_token: str | None
    used: int = 0

    def position(self) -> Position:
        """Where this provider stands after the items used so far."""
        if self.used >= len(self.items):
            if self.next_token is None:
                return Position(done=True)
            return Position(self.next_token, 0)
        return Position(self.start.token, self.start.offset + self.used)


Arrived = Callable[[Mapping[str, Sequence[T]], int], None]
"""Told, each time a provider's window arrives or fails, the items of each
provider arrived so far that can still be in the page, and how many providers
are still outstanding (see `merge_pages`)."""


async def merge_pages(
    cursor: Cursor,
    first: int,
    fetch: Fetch[T],
    sort_key: Callable[[T], datetime | None],
    *,
    oldest_first: bool = False,
    arrived: Arrived[T] | None = None,
) -> MergedPage[T]:
    """Fetch up to `first` items from each provider, merge newest first.

    With `oldest_first`, for lists the providers give oldest first, the merge
    takes the oldest head instead (an item without a time counts as oldest).
    The merge stops early where a provider's fetched window ran out but it has
    more pages, because its next items could come before what is left.

    `arrived` is called as each window arrives (or its provider fails), with
    the merge of the windows arrived so far: a provider still outstanding can
    only push items out of it, so the page's items of those providers are
    among these, and once none is outstanding they are the page. The caller
    may start their nested loads without waiting for the slowest provider.
    """
    active = [slug for slug, pos in cursor.items() if not pos.done]
    pick = min if oldest_first else max
    got: dict[str, _Window[T]] = {}
    pending = set(active)

    def settled(slug: str, win: _Window[T] | None) -> None:
        if arrived is None:
            return
        pending.discard(slug)
        if win is not None:
            got[slug] = win
        # In `active` order, as the final merge, so ties break the same way.
        so_far = {s: got[s] for s in active if s in got}
        taken: dict[str, list[T]] = {s: [] for s in so_far}
        for s in _merge_order(so_far, first, sort_key, pick):
            taken[s].append(so_far[s].items[len(taken[s])])
        arrived(taken, len(pending))

    async def window(slug: str) -> _Window[T]:
        pos = cursor[slug]
        size = min(pos.offset + first, MAX_PAGE_SIZE)
        try:
            page = await fetch(slug, PageRequest(size=size, cursor=pos.token))
        except ProviderError:
            settled(slug, None)
            raise
        win = _Window(pos, page.items[pos.offset :], page.next_cursor)
        settled(slug, win)
        return win

    fetched = await asyncio.gather(
        *(window(slug) for slug in active), return_exceptions=True
    )
    windows: dict[str, _Window[T]] = {}
    failures: dict[str, ProviderError] = {}
    for slug, outcome in zip(active, fetched, strict=True):
        if isinstance(outcome, ProviderError):
            # Left out of this page at its old position, so the next page
            # asks it again; the others' items are still served.
            failures[slug] = outcome
        elif isinstance(outcome, BaseException):
            raise outcome
        else:
            windows[slug] = outcome
    if failures and not windows:
        raise next(iter(failures.values()))
    positions: dict[str, Position] = dict(cursor)
    for slug, win in windows.items():
        if not win.items:
            positions[slug] = win.position()
    edges: list[Edge[T]] = []
    for slug in _merge_order(windows, first, sort_key, pick):
        win = windows[slug]
        item = win.items[win.used]
        win.used += 1
        positions[slug] = win.position()
        edges.append(Edge(item, encode_cursor(positions)))
    for slug, win in windows.items():
        positions[slug] = win.position()
    has_next = bool(failures) or any(
        w.used < len(w.items) or w.next_token is not None for w in windows.values()
    )
    end = edges[-1].cursor if edges else encode_cursor(positions)
    return MergedPage(edges, has_next, end, failures)


def _merge_order(
    windows: Mapping[str, _Window[T]],
    first: int,
    sort_key: Callable[[T], datetime | None],
    pick: Callable[..., str],
) -> list[str]:
    """The provider of each edge of the merged page, in page order (windows'
    `used` counts untouched)."""
    used = {slug: win.used for slug, win in windows.items()}
    order: list[str] = []
    while len(order) < first:
        if any(
            used[s] >= len(w.items) and w.next_token is not None
            for s, w in windows.items()
        ):
            break
        candidates = [s for s, w in windows.items() if used[s] < len(w.items)]
        if not candidates:
            break
        slug = pick(candidates, key=lambda s: _key(sort_key, windows[s].items[used[s]]))
        used[slug] += 1
        order.append(slug)
    return order


_EPOCH = datetime.min.replace(tzinfo=UTC)


def _key(sort_key: Callable[[T], datetime | None], item: T) -> datetime:
    value = sort_key(item)
    if value is None:
        return _EPOCH
    return value if value.tzinfo else value.replace(tzinfo=UTC)
