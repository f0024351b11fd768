"""The order index in process memory: the default, gone when the process ends."""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from gateway.providers.flexport_logistics.index import (
    IndexEntry,
    IndexFilter,
    IndexPage,
    decode_cursor,
    encode_cursor,
    in_window,
    matches,
    merge,
    sort_key,
    window_key,
)


class MemoryOrderIndex:
    """Entries by id plus their sort keys in ascending order (walked backwards)."""

    def __init__(self) -> None:
        self._entries: dict[str, IndexEntry] = {}
        self._keys: list[str] = []
        self._key_of: dict[str, str] = {}
        self._by_external: dict[str, set[str]] = {}
        self._feed: str | None = None

    async def upsert(self, entries: list[IndexEntry]) -> None:
        for entry in entries:
            merged = merge(self._entries.get(entry.id), entry)
            self._entries[entry.id] = merged
            if merged.external_id is not None:
                self._by_external.setdefault(merged.external_id, set()).add(merged.id)
            key = sort_key(merged)
            old = self._key_of.get(merged.id)
            if old == key:
                continue
            if old is not None:
                del self._keys[bisect.bisect_left(self._keys, old)]
            bisect.insort(self._keys, key)
            self._key_of[merged.id] = key

    async def get(self, ids: list[str]) -> dict[str, IndexEntry]:
        return {i: self._entries[i] for i in ids if i in self._entries}

    async def page(
        self, filter: IndexFilter, cursor: str | None, size: int
    ) -> IndexPage:
        after = decode_cursor(cursor) if cursor else None
        keys: Iterable[str]
        if filter.external_ids:
            # Few candidates: look them up rather than walk the whole index.
            ids = {i for x in filter.external_ids for i in self._by_external.get(x, ())}
            keys = sorted((self._key_of[i] for i in ids), reverse=True)
        else:
            end = bisect.bisect_left(self._keys, after) if after else len(self._keys)
            keys = (self._keys[i] for i in range(end - 1, -1, -1))
        oldest = window_key(filter.created_after) if filter.created_after else None
        found: list[IndexEntry] = []
        for key in keys:
            if oldest is not None and key < oldest:
                break
            if not in_window(key, filter, after):
                continue
            entry = self._entries[key.partition("|")[2]]
            if not matches(entry, filter):
                continue
            if len(found) == size:
                return IndexPage(found, encode_cursor(sort_key(found[-1])))
            found.append(entry)
        return IndexPage(found, None)

    async def remove(self, ids: list[str]) -> None:
        for order_id in ids:
            entry = self._entries.pop(order_id, None)
            if entry is None:
                continue
            key = self._key_of.pop(order_id)
            del self._keys[bisect.bisect_left(self._keys, key)]
            if entry.external_id is not None:
                same = self._by_external.get(entry.external_id, set())
                same.discard(order_id)
                if not same:
                    self._by_external.pop(entry.external_id, None)

    async def count(self) -> int:
        return len(self._entries)

    async def feed_cursor(self) -> str | None:
        return self._feed

    async def set_feed_cursor(self, cursor: str) -> None:
        self._feed = cursor

    async def aclose(self) -> None:
        """Nothing to release."""
