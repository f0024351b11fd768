"""The broker interface, event ids, and one subscriber's bounded queue.

```
publish(event) ──> dedupe ──> id ──> kept window (per topic) ──> hooks ──> subscribers
                                                                  (invalidate caches)
subscribe(topic, after) = live queue first, then the kept events after `after`,
                          then the live ones the replay did not already give
```

Event ids are `<ms>-<seq>` (a Redis stream's form, used by both backends) and
increase with publication order, so "after" is a comparison. A subscriber's
queue is bounded: one that falls `queue_size` events behind is closed with
SubscriberTooSlow rather than allowed to grow the gateway's memory.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from typing import Protocol

from gateway.errors import GatewayError
from gateway.models import EventBase, Topic

Hook = Callable[[EventBase], Awaitable[None]]
"""Runs for every event an instance learns of, before its subscribers see it."""


class SubscriberTooSlow(GatewayError):
    """The subscriber fell too far behind the events and was closed."""

    code = "SUBSCRIBER_TOO_SLOW"


class EventsExpired(GatewayError):
    """`after` names an event older than the kept window: some are gone."""

    code = "EVENTS_EXPIRED"


class InvalidEventId(GatewayError):
    """`after` is not an event id of this gateway."""

    code = "BAD_USER_INPUT"


def id_key(event_id: str) -> tuple[int, int]:
    """An event id as a comparable pair; InvalidEventId if it is not one."""
    millis, _, seq = event_id.partition("-")
    try:
        return int(millis), int(seq or 0)
    except ValueError:
        raise InvalidEventId(f"{event_id!r} is not an event id") from None


class Subscription:
    """One subscriber of one topic: kept events first, then live ones, in order."""

    def __init__(self, topic: Topic, queue_size: int) -> None:
        self.topic = topic
        self._queue: asyncio.Queue[EventBase | None] = asyncio.Queue(queue_size)
        self._replay: list[EventBase] = []
        self._last: tuple[int, int] = (-1, -1)
        self._overflowed = False
        self._closed = False
        self.on_close: Callable[[Subscription], None] | None = None

    def start(self, kept: Iterable[EventBase]) -> None:
        """Queue the replayed events; live ones already queued that they cover
        are skipped on the way out."""
        self._replay = list(kept)

    def offer(self, event: EventBase) -> None:
        """A live event for this subscriber; never blocks the publisher."""
        if self._closed:
            return
        try:
            self._queue.put_nowait(event)
        except asyncio.QueueFull:
            self._overflowed = True
            self.close()

    def close(self) -> None:
        """Stop: the iterator ends (or raises, after an overflow)."""
        if self._closed:
            return
        self._closed = True
        if self.on_close is not None:
            self.on_close(self)
        # Wake a reader blocked on an empty queue; a full one is woken by the
        # overflow flag, checked before each get.
        if not self._queue.full():
            self._queue.put_nowait(None)

    def __aiter__(self) -> AsyncIterator[EventBase]:
        return self

    async def __anext__(self) -> EventBase:
        while True:
            if self._replay:
                event = self._replay.pop(0)
            else:
                if self._overflowed:
                    raise SubscriberTooSlow(
                        f"the subscriber fell more than {self._queue.maxsize} "
                        "events behind and was closed; subscribe again with "
                        "`after` set to the last event id received"
                    )
                if self._closed and self._queue.empty():
                    raise StopAsyncIteration
                queued = await self._queue.get()
                if queued is None:
                    raise StopAsyncIteration
                event = queued
            assert event.event_id is not None
            key = id_key(event.event_id)
            if key <= self._last:
                continue
            self._last = key
            return event


class Broker(Protocol):
    """Publishes change events once each and fans them out to subscribers."""

    def add_hook(self, hook: Hook) -> None:
        """Run `hook` for every event this instance learns of, first."""
        ...

    async def start(self) -> None:
        """Begin following events (the Redis reader); idempotent."""
        ...

    async def publish(self, event: EventBase) -> EventBase | None:
        """The event with its new id, or None if its `dedupe_key` was seen."""
        ...

    async def subscribe(
        self, topic: Topic, *, after: str | None = None
    ) -> Subscription:
        """A subscription to `topic`: the kept events after `after` (EventsExpired
        if some of them are no longer kept), then live ones."""
        ...

    async def aclose(self) -> None:
        """Stop background work and close every subscription."""
        ...

    def subscriber_count(self) -> int:
        """Open subscriptions on this instance."""
        ...
