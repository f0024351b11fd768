"""The in-process broker: one instance's events, a ring of kept events per topic."""

from __future__ import annotations

import logging
import time
from collections import OrderedDict, deque
from collections.abc import Callable

from gateway.broker.base import (
    EventsExpired,
    Hook,
    Subscription,
    id_key,
)
from gateway.models import EventBase, Topic
from gateway.settings import BrokerSettings

log = logging.getLogger("gateway.broker")

MAX_REMEMBERED = 100_000
"""Dedupe keys kept at most, whatever their age: memory stays bounded."""


class MemoryBroker:
    """Events published in this process reach this process's subscribers."""

    def __init__(
        self, settings: BrokerSettings, *, clock: Callable[[], float] = time.time
    ) -> None:
        self.settings = settings
        self.clock = clock
        self._kept = {
            topic: deque[EventBase](maxlen=settings.keep_events) for topic in Topic
        }
        self._dropped: dict[Topic, tuple[int, int]] = {}
        self._subscribers: dict[Topic, set[Subscription]] = {t: set() for t in Topic}
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._hooks: list[Hook] = []
        self._last = (0, 0)

    def add_hook(self, hook: Hook) -> None:
        self._hooks.append(hook)

    async def start(self) -> None:
        """Nothing runs in the background in process."""

    async def publish(self, event: EventBase) -> EventBase | None:
        if self._seen_before(f"{event.provider}:{event.dedupe_key}"):
            return None
        stamped = event.model_copy(update={"event_id": self._next_id()})
        kept = self._kept[event.topic]
        if len(kept) == kept.maxlen:
            oldest = kept[0].event_id
            assert oldest is not None
            self._dropped[event.topic] = id_key(oldest)
        kept.append(stamped)
        await deliver(stamped, self._hooks, self._subscribers[event.topic])
        return stamped

    async def subscribe(
        self, topic: Topic, *, after: str | None = None
    ) -> Subscription:
        subscription = Subscription(topic, self.settings.queue_size)
        if after is not None:
            key = id_key(after)
            dropped = self._dropped.get(topic)
            if dropped is not None and key < dropped:
                raise EventsExpired(
                    f"events after {after} are no longer kept; read the current "
                    "state and subscribe without `after`"
                )
            subscription.start(
                e for e in self._kept[topic] if id_key(e.event_id or "0") > key
            )
        subscribers = self._subscribers[topic]
        subscribers.add(subscription)
        subscription.on_close = subscribers.discard
        return subscription

    async def aclose(self) -> None:
        for subscribers in self._subscribers.values():
            for subscription in list(subscribers):
                subscription.close()

    def subscriber_count(self) -> int:
        return sum(len(subs) for subs in self._subscribers.values())

    def _seen_before(self, key: str) -> bool:
        now = self.clock()
        while self._seen:
            oldest, expires = next(iter(self._seen.items()))
            if expires > now and len(self._seen) < MAX_REMEMBERED:
                break
            del self._seen[oldest]
        if key in self._seen:
            return True
        self._seen[key] = now + self.settings.dedupe_s
        return False

    def _next_id(self) -> str:
        millis = int(self.clock() * 1000)
        last_ms, last_seq = self._last
        self._last = (millis, 0) if millis > last_ms else (last_ms, last_seq + 1)
        return f"{self._last[0]}-{self._last[1]}"


async def deliver(
    event: EventBase, hooks: list[Hook], subscribers: set[Subscription]
) -> None:
    """Run the hooks (a failing one is logged, never stops delivery), then
    offer the event to every subscriber of its topic."""
    for hook in hooks:
        try:
            await hook(event)
        except Exception:
            log.exception("event hook failed for %s", event.event_id)
    for subscription in list(subscribers):
        subscription.offer(event)
