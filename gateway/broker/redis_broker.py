"""The Redis broker: one stream per topic shared by every instance.

Publishing is `SET NX` on the event's dedupe key (so a redelivery, or two
instances polling the same change, publishes once) then `XADD` with an
approximate MAXLEN. Each instance runs one reader that follows every topic's
stream with a blocking XREAD and hands each entry to its hooks and its own
subscribers, so an event received by any instance reaches all of them in
stream order. A subscriber resuming `after` an id gets the XRANGE after it;
the stream's first entry and its count of entries ever added say whether
it has trimmed events that subscriber needed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import orjson
import redis.asyncio as aioredis
from pydantic import TypeAdapter
from redis.exceptions import RedisError

from gateway.broker.base import EventsExpired, Hook, Subscription, id_key
from gateway.broker.memory import deliver
from gateway.errors import ProviderUnavailable
from gateway.models import Event, EventBase, Topic
from gateway.settings import BrokerSettings

log = logging.getLogger("gateway.broker")

DEFAULT_PREFIX = "gateway:events:v1:"
EVENT = TypeAdapter[EventBase](Event)
READ_BLOCK_MS = 2_000
READ_COUNT = 500


class RedisBroker:
    """Events through Redis streams; every instance's subscribers see them all."""

    def __init__(
        self,
        url: str,
        settings: BrokerSettings,
        *,
        prefix: str = DEFAULT_PREFIX,
    ) -> None:
        self.settings = settings
        self.prefix = prefix
        # Two clients: the reader's XREAD blocks its connection.
        self._redis = aioredis.Redis.from_url(url, socket_connect_timeout=2)
        self._reader_redis = aioredis.Redis.from_url(url, socket_connect_timeout=2)
        self._subscribers: dict[Topic, set[Subscription]] = {t: set() for t in Topic}
        self._hooks: list[Hook] = []
        self._reader: asyncio.Task[None] | None = None
        self._started = asyncio.Event()

    def stream(self, topic: Topic) -> str:
        return f"{self.prefix}stream:{topic.value}"

    def add_hook(self, hook: Hook) -> None:
        self._hooks.append(hook)

    async def start(self) -> None:
        """Follow every stream from now on (idempotent)."""
        if self._reader is None:
            self._reader = asyncio.create_task(self._follow(), name="broker-reader")
        await self._started.wait()

    async def publish(self, event: EventBase) -> EventBase | None:
        dedupe = f"{self.prefix}dedupe:{event.provider}:{event.dedupe_key}"
        try:
            fresh = await self._redis.set(
                dedupe, b"1", nx=True, ex=max(1, int(self.settings.dedupe_s))
            )
            if not fresh:
                return None
            try:
                event_id = await self._redis.xadd(
                    self.stream(event.topic),
                    {"e": event.model_dump_json()},
                    maxlen=self.settings.keep_events,
                    approximate=True,
                )
            except RedisError:
                # Not published: let the provider's redelivery try again.
                await self._redis.delete(dedupe)
                raise
        except RedisError as exc:
            raise ProviderUnavailable(
                "broker", f"the event broker is unreachable ({type(exc).__name__})"
            ) from None
        return event.model_copy(update={"event_id": _text(event_id)})

    async def subscribe(
        self, topic: Topic, *, after: str | None = None
    ) -> Subscription:
        await self.start()
        subscription = Subscription(topic, self.settings.queue_size)
        subscribers = self._subscribers[topic]
        # Live first, so nothing published during the replay read is missed;
        # the subscription drops what the replay already gave.
        subscribers.add(subscription)
        subscription.on_close = subscribers.discard
        if after is None:
            return subscription
        try:
            key = id_key(after)
            await self._check_kept(topic, after, key)
            entries: Any = await self._redis.xrange(
                self.stream(topic), f"({after}", "+"
            )
        except (RedisError, EventsExpired) as exc:
            subscription.close()
            if isinstance(exc, EventsExpired):
                raise
            raise ProviderUnavailable(
                "broker", "the event broker is unreachable"
            ) from None
        except BaseException:
            subscription.close()
            raise
        subscription.start(_decode(entry) for entry in entries)
        return subscription

    async def _check_kept(self, topic: Topic, after: str, key: tuple[int, int]) -> None:
        try:
            info = await self._redis.xinfo_stream(self.stream(topic))
        except RedisError:
            return  # no stream yet: nothing was ever trimmed
        # Trimming removes from the front and leaves max-deleted-entry-id
        # alone, so: some were trimmed, and `after` is older than the first
        # one kept. (One exactly at the edge is refused too: it cannot be told
        # apart, and re-reading the state is always safe.)
        trimmed = int(info.get("entries-added") or 0) > int(info.get("length") or 0)
        first = info.get("first-entry")
        if trimmed and first and key < id_key(_text(first[0])):
            raise EventsExpired(
                f"events after {after} are no longer kept; read the current "
                "state and subscribe without `after`"
            )

    async def _follow(self) -> None:
        streams = {self.stream(topic): topic for topic in Topic}
        # Redis answers untyped nested lists: Any at this boundary only.
        last: dict[Any, Any] = {name: "$" for name in streams}
        while True:
            try:
                # "$" would race with events added between two reads: pin it
                # to the newest id once, then follow from each entry read.
                for name in streams:
                    if last[name] == "$":
                        newest: Any = await self._reader_redis.xrevrange(name, count=1)
                        last[name] = _text(newest[0][0]) if newest else "0-0"
                self._started.set()
                found: Any = await self._reader_redis.xread(
                    last, count=READ_COUNT, block=READ_BLOCK_MS
                )
            except asyncio.CancelledError:
                raise
            except RedisError:
                log.warning("event broker unreachable; retrying", exc_info=True)
                self._started.set()
                await asyncio.sleep(1.0)
                continue
            for name, entries in found:
                stream = _text(name)
                for entry in entries:
                    last[stream] = _text(entry[0])
                    try:
                        event = _decode(entry)
                    except (ValueError, KeyError):
                        # A newer gateway's event, or a foreign entry: skip it
                        # rather than stop following every topic.
                        log.warning("skipping undecodable event %s", last[stream])
                        continue
                    await deliver(event, self._hooks, self._subscribers[event.topic])

    async def aclose(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        for subscribers in self._subscribers.values():
            for subscription in list(subscribers):
                subscription.close()
        await self._redis.aclose()
        await self._reader_redis.aclose()

    def subscriber_count(self) -> int:
        return sum(len(subs) for subs in self._subscribers.values())


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _decode(entry: Any) -> EventBase:
    event_id, fields = entry
    event = EVENT.validate_python(orjson.loads(fields[b"e"]))
    return event.model_copy(update={"event_id": _text(event_id)})
