"""The order index in Redis: shared by every gateway instance, kept across restarts.

Keys under one prefix:
* `<prefix>orders`: a sorted set whose members are the entries' sort keys
  (`"<created ms>|<id>"`, all scored 0, so lexicographic ranges page it);
* `<prefix>order:<id>`: a hash per entry (kind, status, created, provisional,
  external_id, version, key);
* `<prefix>external:<external id>`: the set of ids with that external id;
* `<prefix>feed`: where reading the events feed stopped.

Upserts run as one Lua script, so the merge (index.merge) is atomic even when
several instances feed the same index.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from gateway.errors import ProviderUnavailable
from gateway.models import OrderKind
from gateway.providers.flexport_logistics.index import (
    IndexEntry,
    IndexFilter,
    IndexPage,
    OrderIndex,
    decode_cursor,
    encode_cursor,
    in_window,
    matches,
    millis,
    sort_key,
    window_key,
)
from gateway.providers.flexport_logistics.index_memory import MemoryOrderIndex
from gateway.providers.flexport_logistics.mapping import SLUG

DEFAULT_PREFIX = "gateway:flexport_logistics:index:"
SCAN_BATCH = 200
_NO_TIME = "0" * 15
_FIELDS = ("id", "kind", "status", "created", "provisional", "external_id", "version")

# KEYS: the sorted set, then per entry its hash and its external-id set.
# ARGV: per entry id, kind, status, created (15 digits), provisional, external
# id, version; "" stands for None. Mirrors index.merge.
_UPSERT = """
local n = (#KEYS - 1) / 2
for i = 0, n - 1 do
  local hash, ext_key = KEYS[2 + 2 * i], KEYS[3 + 2 * i]
  local a = 7 * i
  local id, kind, status = ARGV[a + 1], ARGV[a + 2], ARGV[a + 3]
  local created, provisional = ARGV[a + 4], ARGV[a + 5]
  local ext, version = ARGV[a + 6], ARGV[a + 7]
  local old = redis.call('HMGET', hash, 'created', 'provisional', 'version', 'key')
  redis.call('HSET', hash, 'id', id, 'kind', kind)
  local cur = old[1]
  if created ~= '' and ((not cur) or (old[2] == '1' and provisional == '0')) then
    cur = created
    redis.call('HSET', hash, 'created', created, 'provisional', provisional)
  end
  if ext ~= '' then
    redis.call('HSET', hash, 'external_id', ext)
    redis.call('SADD', ext_key, id)
  end
  if status ~= '' and (version == '' or (not old[3])
      or tonumber(version) >= tonumber(old[3])) then
    redis.call('HSET', hash, 'status', status)
    if version ~= '' then redis.call('HSET', hash, 'version', version) end
  end
  local key = (cur or '000000000000000') .. '|' .. id
  if old[4] ~= key then
    if old[4] then redis.call('ZREM', KEYS[1], old[4]) end
    redis.call('ZADD', KEYS[1], 0, key)
    redis.call('HSET', hash, 'key', key)
  end
end
return n
"""


class RedisOrderIndex:
    """The index in Redis (redis-py asyncio); instances on one prefix share it."""

    def __init__(self, client: aioredis.Redis, prefix: str = DEFAULT_PREFIX) -> None:
        self.redis = client
        self.prefix = prefix
        self._upsert = client.register_script(_UPSERT)

    @classmethod
    def from_url(cls, url: str, prefix: str = DEFAULT_PREFIX) -> RedisOrderIndex:
        """An index on the Redis at `url` (`redis://host:6379/0`)."""
        return cls(aioredis.Redis.from_url(url, decode_responses=True), prefix)

    def _hash(self, order_id: str) -> str:
        return f"{self.prefix}order:{order_id}"

    def _external(self, external_id: str) -> str:
        return f"{self.prefix}external:{external_id}"

    async def upsert(self, entries: list[IndexEntry]) -> None:
        if not entries:
            return
        keys = [f"{self.prefix}orders"]
        args: list[str] = []
        for e in entries:
            keys += [self._hash(e.id), self._external(e.external_id or "")]
            args += [
                e.id,
                e.kind.value,
                e.status or "",
                f"{millis(e.created_at):015d}" if e.created_at else "",
                "1" if e.provisional else "0",
                e.external_id or "",
                "" if e.version is None else str(e.version),
            ]
        async with _reachable():
            await self._upsert(keys=keys, args=args)

    async def get(self, ids: list[str]) -> dict[str, IndexEntry]:
        unique = list(dict.fromkeys(ids))
        async with _reachable(), self.redis.pipeline(transaction=False) as pipe:
            for order_id in unique:
                pipe.hmget(self._hash(order_id), list(_FIELDS))
            rows = await pipe.execute()
        found = (_entry(row) for row in rows)
        return {e.id: e for e in found if e is not None}

    async def page(
        self, filter: IndexFilter, cursor: str | None, size: int
    ) -> IndexPage:
        after = decode_cursor(cursor) if cursor else None
        found: list[IndexEntry] = []
        async for entry in self._candidates(filter, after):
            if not matches(entry, filter):
                continue
            if len(found) == size:
                return IndexPage(found, encode_cursor(sort_key(found[-1])))
            found.append(entry)
        return IndexPage(found, None)

    async def _candidates(
        self, filter: IndexFilter, after: str | None
    ) -> AsyncIterator[IndexEntry]:
        """Entries inside the cursor and created window, newest first."""
        if filter.external_ids:
            async with _reachable():
                ids = await self.redis.sunion(
                    [self._external(x) for x in filter.external_ids]
                )
            entries = (await self.get(sorted(map(_text, ids)))).values()
            for entry in sorted(entries, key=sort_key, reverse=True):
                if in_window(sort_key(entry), filter, after):
                    yield entry
            return
        upper = after
        if filter.created_before:
            before = window_key(filter.created_before)
            upper = before if upper is None or before < upper else upper
        lower = "[" + window_key(filter.created_after) if filter.created_after else "-"
        while True:
            async with _reachable():
                found = await self.redis.zrevrangebylex(
                    f"{self.prefix}orders",
                    "+" if upper is None else "(" + upper,
                    lower,
                    start=0,
                    num=SCAN_BATCH,
                )
            keys = [_text(key) for key in found]
            if not keys:
                return
            by_id = await self.get([key.partition("|")[2] for key in keys])
            for key in keys:
                candidate = by_id.get(key.partition("|")[2])
                if candidate is not None:
                    yield candidate
            if len(keys) < SCAN_BATCH:
                return
            upper = keys[-1]

    async def remove(self, ids: list[str]) -> None:
        unique = list(dict.fromkeys(ids))
        if not unique:
            return
        async with _reachable():
            async with self.redis.pipeline(transaction=False) as pipe:
                for order_id in unique:
                    pipe.hmget(self._hash(order_id), ["key", "external_id"])
                rows = await pipe.execute()
            async with self.redis.pipeline(transaction=True) as pipe:
                for order_id, (key, external_id) in zip(unique, rows, strict=True):
                    if key is not None:
                        pipe.zrem(f"{self.prefix}orders", key)
                    if external_id is not None:
                        pipe.srem(self._external(external_id), order_id)
                    pipe.delete(self._hash(order_id))
                await pipe.execute()

    async def count(self) -> int:
        async with _reachable():
            return int(await self.redis.zcard(f"{self.prefix}orders"))

    async def feed_cursor(self) -> str | None:
        async with _reachable():
            value = await self.redis.get(f"{self.prefix}feed")
        return None if value is None else _text(value)

    async def set_feed_cursor(self, cursor: str) -> None:
        async with _reachable():
            await self.redis.set(f"{self.prefix}feed", cursor)

    async def aclose(self) -> None:
        await self.redis.aclose()


def _entry(row: list[str | None]) -> IndexEntry | None:
    order_id, kind, status, created, provisional, external_id, version = row
    if order_id is None or kind is None:
        return None
    return IndexEntry(
        id=order_id,
        kind=OrderKind(kind),
        status=status,
        created_at=_instant(created) if created and created != _NO_TIME else None,
        external_id=external_id,
        version=None if version is None else int(version),
        provisional=provisional == "1",
    )


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _instant(padded_millis: str) -> datetime:
    seconds, ms = divmod(int(padded_millis), 1000)
    return datetime.fromtimestamp(seconds, UTC) + timedelta(milliseconds=ms)


@asynccontextmanager
async def _reachable() -> AsyncIterator[None]:
    """Redis failures surface as the provider being unavailable, not as a crash."""
    try:
        yield
    except (RedisError, OSError) as exc:
        raise ProviderUnavailable(
            SLUG, f"the order index (Redis) is unreachable: {exc}"
        ) from exc


def index_from_url(url: str | None, prefix: str = DEFAULT_PREFIX) -> OrderIndex:
    """The index GATEWAY_INDEX_URL asks for: Redis for `redis://…`, else in memory."""
    if url:
        return RedisOrderIndex.from_url(url, prefix)
    return MemoryOrderIndex()
