"""cached_fetch: read what the cache has, fetch the rest once, store what came back."""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TypeVar

from gateway.cache.base import CacheKey, EntityCache
from gateway.cache.inflight import InFlight
from gateway.cache.refresh import Job, RefreshPolicy, Run

V = TypeVar("V")

log = logging.getLogger("gateway.cache")

fresh_reads: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "fresh_reads", default=False
)
"""Set for a request that sent `Cache-Control: no-cache`: caches kept below
the entity cache (a provider's warm store) skip their reads for it too."""


async def cached_fetch(
    cache: EntityCache,
    entity: str,
    keys: Sequence[CacheKey],
    fetch: Callable[[list[CacheKey]], Awaitable[Mapping[CacheKey, V]]],
    ttl_s: float,
    *,
    bypass: bool,
    encode: Callable[[V], bytes],
    decode: Callable[[bytes], V],
    inflight: InFlight | None = None,
    refresh: RefreshPolicy | None = None,
) -> dict[CacheKey, V]:
    """The values of `keys`: cached ones, then one `fetch` call for the rest.

    The contract a loader relies on:
    * `fetch` is called at most once, with the distinct keys the cache did not
      have, in their first-seen order; never with an empty list.
    * A key `fetch` leaves out (or maps to None) is absent from the result and
      is not cached, so an object that appears upstream later is found at once.
    * What `fetch` returns for the asked keys is stored for `ttl_s` seconds;
      keys it was not asked for are ignored.
    * `bypass=True` (the client sent `Cache-Control: no-cache`) skips the read
      but still stores the fresh values, so the next request benefits.
    * `ttl_s <= 0` means the entity is not cached: no read, no write.
    * An exception from `fetch` propagates and nothing is stored.
    * With `inflight`, a key another request is fetching right now is not
      fetched again: this call waits for that answer (see `inflight.py`).
    * A cached value that no longer decodes (written by another version of the
      gateway) is a miss, and is overwritten by the fresh value; a fresh value
      that does not encode is returned but not cached. Both are logged.

    Refresh-ahead, with a `refresh` policy (`gateway.cache.refresh`):
    * Values are stored for `ttl_s` plus `refresh.grace_s`; they are fresh for
      `ttl_s` and stale (still served) for the grace after it.
    * A value read in the last `refresh.ahead` of its TTL, or while stale, is
      returned at once and its key is refreshed in the background: one more
      `fetch` call, later, in a task of the cache's Refresher, for the due keys
      no refresh of this process is fetching already. Its answer is stored
      like a miss's; a key it no longer returns is invalidated. This call
      never waits for it, and never sees its errors: a failed refresh is
      logged once and the stale value expires as it is.
    * The refresh is not the request's: it runs without its deadline and its
      upstream counter, and not through `inflight`, so a miss after an
      invalidation never joins a refresh begun before it. A key invalidated
      while its refresh is in flight is not stored by that refresh.
    * A bypass reads nothing, so it starts no refresh; an invalidated value is
      gone from the backend, so it is a miss, never served stale.
    """
    unique = list(dict.fromkeys(keys))
    found: dict[CacheKey, V] = {}
    due: dict[CacheKey, float] = {}
    if not bypass and ttl_s > 0 and unique:
        for key, entry in (await cache.get_entries(entity, unique)).items():
            try:
                found[key] = decode(entry.value)
            except ValueError as exc:  # pydantic's ValidationError included
                log.warning(
                    "undecodable cache entry, refetching",
                    extra={"entity": entity, "key": key.key, "error": str(exc)},
                )
                continue
            if refresh is not None and refresh.due(ttl_s, entry.ttl_left_s):
                due[key] = entry.ttl_left_s
    stored_ttl_s = ttl_s if refresh is None else refresh.stored_ttl(ttl_s)
    if due:
        cache.refresher.start(
            entity, due, _refresh(cache, entity, fetch, stored_ttl_s, encode)
        )
    missing = [key for key in unique if key not in found]
    if not missing:
        return found
    if inflight is None:
        answered: Mapping[CacheKey, V | None] = await fetch(missing)
    else:
        answered = await inflight.fetch(entity, missing, fetch)
    fresh = {key: value for key in missing if (value := answered.get(key)) is not None}
    if fresh and ttl_s > 0:
        await cache.set_many(entity, _encoded(entity, fresh, encode), stored_ttl_s)
    found.update(fresh)
    return found


def _refresh(
    cache: EntityCache,
    entity: str,
    fetch: Callable[[list[CacheKey]], Awaitable[Mapping[CacheKey, V]]],
    stored_ttl_s: float,
    encode: Callable[[V], bytes],
) -> Run:
    """The background refresh of a job's keys: fetch, store, drop the gone."""

    async def run(job: Job) -> None:
        answered: Mapping[CacheKey, V | None] = await fetch(list(job.keys))
        live = job.live(job.keys)
        fresh = {k: v for k in live if (v := answered.get(k)) is not None}
        if fresh:
            await cache.set_many(entity, _encoded(entity, fresh, encode), stored_ttl_s)
        # Gone upstream: a miss's answer would not have it, so neither does
        # the next read. Re-read `live`, an invalidation may have come since.
        gone = [key for key in job.live(live) if key not in fresh]
        if gone:
            await cache.invalidate(entity, gone)

    return run


def _encoded(
    entity: str, values: Mapping[CacheKey, V], encode: Callable[[V], bytes]
) -> dict[CacheKey, bytes]:
    """The values that encode; one that does not is served but not cached."""
    encoded: dict[CacheKey, bytes] = {}
    for key, value in values.items():
        try:
            encoded[key] = encode(value)
        except ValueError as exc:  # pydantic's PydanticSerializationError included
            log.warning(
                "unencodable value, not cached",
                extra={"entity": entity, "key": key.key, "error": str(exc)},
            )
    return encoded


def bypass_requested(cache_control: str | None, pragma: str | None = None) -> bool:
    """Whether a request's headers ask for fresh data rather than cached.

    `Cache-Control: no-cache` (RFC 9111 §5.2.1.4) or `max-age=0` does, and so
    does HTTP/1.0's `Pragma: no-cache` when there is no Cache-Control.
    """
    if cache_control is None:
        return pragma is not None and "no-cache" in _directives(pragma)
    directives = _directives(cache_control)
    return "no-cache" in directives or directives.get("max-age") in ("0", '"0"')


def _directives(header: str) -> dict[str, str]:
    """`no-cache, max-age=0` as {"no-cache": "", "max-age": "0"}."""
    found: dict[str, str] = {}
    for part in header.split(","):
        name, _, value = part.partition("=")
        if name.strip():
            found[name.strip().lower()] = value.strip()
    return found
