"""The order index: what LAPI cannot list (providers.md §2.6 "Discovering orders").

LAPI has no endpoint that lists orders or outbounds, so the adapter keeps its
own index of `{id, kind, status (raw), created_at, external_id}`, fed from the
events feed (L16) and from the orders it creates, and pages over that.

Order is newest first: `created_at` descending, then id descending. Both
implementations compare the same sort key, `"<created ms, 15 digits>|<id>"`,
so a cursor (that key, opaque) means the same in memory and in Redis.

Merging (`merge`) is what makes the feed safe to replay and to share:
* `created_at` from a Created event is exact; a guess (a status event's time,
  or the moment we created the order) is `provisional` and gives way to it;
* `status` from the feed carries the event's `version` (its id) and never
  overwrites a later event's status, so an instance replaying old events
  cannot roll another instance's entries back; a status without a version
  (read from the order itself) always applies.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Protocol

from gateway.models import OrderKind
from gateway.paging import InvalidCursor


@dataclass(frozen=True)
class IndexEntry:
    """One order as the index knows it; None fields are "unknown, keep what's there"."""

    id: str
    kind: OrderKind
    status: str | None = None
    created_at: datetime | None = None
    external_id: str | None = None
    version: int | None = None
    provisional: bool = False


@dataclass(frozen=True)
class IndexFilter:
    """Which entries a page holds; empty tuples and None mean "any"."""

    kinds: tuple[OrderKind, ...] = ()
    statuses: frozenset[str] | None = None
    external_ids: tuple[str, ...] = ()
    created_after: datetime | None = None
    created_before: datetime | None = None


@dataclass(frozen=True)
class IndexPage:
    """Entries newest first, and the cursor after the last one if more match."""

    entries: list[IndexEntry]
    next_cursor: str | None = None


class OrderIndex(Protocol):
    """Where the adapter keeps the orders it knows of; shared by instances if Redis."""

    async def upsert(self, entries: list[IndexEntry]) -> None:
        """Merge each entry into what is stored (see `merge`)."""

    async def get(self, ids: list[str]) -> dict[str, IndexEntry]:
        """Stored entries by id; unknown ids are absent."""

    async def page(
        self, filter: IndexFilter, cursor: str | None, size: int
    ) -> IndexPage:
        """Up to `size` matching entries after `cursor`, newest first."""

    async def remove(self, ids: list[str]) -> None:
        """Forget these entries (LAPI no longer has the orders); unknown ids are
        ignored."""

    async def count(self) -> int:
        """How many orders the index holds."""

    async def feed_cursor(self) -> str | None:
        """Where reading the events feed stopped, as last stored."""

    async def set_feed_cursor(self, cursor: str) -> None:
        """Store where reading the events feed stopped."""

    async def aclose(self) -> None:
        """Release connections."""


def merge(old: IndexEntry | None, new: IndexEntry) -> IndexEntry:
    """`new` laid over `old` (the rules in the module docstring)."""
    if old is None:
        return new
    merged = old
    if new.created_at is not None and (
        old.created_at is None or (old.provisional and not new.provisional)
    ):
        merged = replace(merged, created_at=new.created_at, provisional=new.provisional)
    if new.external_id is not None:
        merged = replace(merged, external_id=new.external_id)
    if new.status is not None and (
        new.version is None or old.version is None or new.version >= old.version
    ):
        version = new.version if new.version is not None else old.version
        merged = replace(merged, status=new.status, version=version)
    return merged


def millis(instant: datetime) -> int:
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return int(instant.timestamp() * 1000)


def sort_key(entry: IndexEntry) -> str:
    """What orders entries: zero-padded creation milliseconds, then the id."""
    created = millis(entry.created_at) if entry.created_at else 0
    return f"{created:015d}|{entry.id}"


def window_key(instant: datetime) -> str:
    """The sort-key prefix of an instant (for created_after/created_before)."""
    return f"{millis(instant):015d}"


def encode_cursor(key: str) -> str:
    return base64.urlsafe_b64encode(key.encode()).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> str:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = base64.urlsafe_b64decode(padded.encode("ascii")).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError):
        raise InvalidCursor(f"{cursor!r} is not a valid cursor") from None
    prefix, bar, _ = key.partition("|")
    if not bar or len(prefix) != 15 or not prefix.isdigit():
        raise InvalidCursor(f"{cursor!r} is not a valid cursor")
    return key


def in_window(key: str, filter: IndexFilter, after_key: str | None) -> bool:
    """Whether a sort key lies after the cursor and inside the created window.

    created_after is inclusive and created_before exclusive, to the millisecond.
    """
    if after_key is not None and key >= after_key:
        return False
    if filter.created_before and key >= window_key(filter.created_before):
        return False
    return not (filter.created_after and key < window_key(filter.created_after))


def matches(entry: IndexEntry, filter: IndexFilter) -> bool:
    """Whether an entry passes the filter's kinds, statuses and external ids."""
    if filter.kinds and entry.kind not in filter.kinds:
        return False
    if filter.statuses is not None and entry.status not in filter.statuses:
        return False
    return not (filter.external_ids and entry.external_id not in filter.external_ids)
