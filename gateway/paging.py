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

    def exhausted_with_more(self) -> bool:
        return self.used >= len(self.items) and self.next_token is not None


async def merge_pages(
    cursor: Cursor,
    first: int,
    fetch: Fetch[T],
    sort_key: Callable[[T], datetime | None],
    *,
    oldest_first: bool = False,
) -> MergedPage[T]:
    """Fetch up to `first` items from each provider, merge newest first.

    With `oldest_first`, for lists the providers give oldest first, the merge
    takes the oldest head instead (an item without a time counts as oldest).
    The merge stops early where a provider's fetched window ran out but it has
    more pages, because its next items could come before what is left.
    """
    active = [slug for slug, pos in cursor.items() if not pos.done]

    async def window(slug: str) -> _Window[T]:
        pos = cursor[slug]
        size = min(pos.offset + first, MAX_PAGE_SIZE)
        page = await fetch(slug, PageRequest(size=size, cursor=pos.token))
        return _Window(pos, page.items[pos.offset :], page.next_cursor)

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
    pick = min if oldest_first else max
    edges: list[Edge[T]] = []
    while len(edges) < first:
        if any(w.exhausted_with_more() for w in windows.values()):
            break
        candidates = [s for s, w in windows.items() if w.used < len(w.items)]
        if not candidates:
            break
        slug = pick(candidates, key=lambda s: _key(sort_key, windows[s]))
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


_EPOCH = datetime.min.replace(tzinfo=UTC)


def _key(sort_key: Callable[[T], datetime | None], win: _Window[T]) -> datetime:
    value = sort_key(win.items[win.used])
    if value is None:
        return _EPOCH
    return value if value.tzinfo else value.replace(tzinfo=UTC)
