"""The change poller: what providers that push nothing report as changed, as events.

Every `interval_s`, each polled provider is asked `orders_changed_since(cursor)`,
`shipments_changed_since(cursor)` and `purchase_orders_changed_since(cursor)`.
The answer is diffed against the status last seen per order, shipment and
purchase order (an LRU of `max_tracked` entries), and only real changes are
published. A provider's first pass records a baseline and publishes nothing,
so a restart does not replay the world. A method the provider does not support
is not asked again; a provider that supports none of the three is not polled.

Cost: a pass makes one call of each supported method per provider, and passes
never overlap. For Flxpoint that is ⌊n/100⌋ + 1 X1 requests plus ⌊m/100⌋ + 1
X7 requests, where n FRs and m shipments were updated since the cursor: 2
requests a pass while fewer than 100 of each changed in the window. The
baseline's window is everything (the sandbox's 200 FRs and 98 shipments: 4).
Flexport v3 pushes webhooks and is polled only when named in `providers`, as
their fallback: its purchase orders, ⌊n/100⌋ + 1 plus ⌊m/100⌋ + 1 V1 requests
for n live and m archived (cancelled) POs updated in the window (the sandbox's
baseline of 53 live and 7 archived: 2).
A failed request also makes the Upstream's retries (GATEWAY_RETRY__MAX_RETRIES),
and then the provider backs off for one interval, doubling per failure.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from gateway.broker import Broker
from gateway.errors import NotSupported, ProviderError
from gateway.models import (
    EventBase,
    Order,
    OrderStatus,
    PurchaseOrder,
    PurchaseOrderStatus,
    Shipment,
)
from gateway.poll_events import (
    aware,
    order_event,
    purchase_order_event,
    shipment_event,
    shipment_raw,
)
from gateway.providers.base import Capability, Provider
from gateway.settings import PollSettings

log = logging.getLogger("gateway.polling")

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
"""The baseline's cursor: a provider's clock is not ours (the sandbox's runs
from its anchor), so nothing but its own stamps can bound the window."""
OVERLAP = timedelta(seconds=5)
"""Read back before the newest stamp seen: the `…After` filters are inclusive
and a provider's servers disagree on the time; the diff drops the repeats."""
MAX_BACKOFF_S = 300.0
"""Longest wait before a failing provider is polled again (or one interval)."""

Key = tuple[str, str, str]
"""(provider, "order", "shipment" or "purchase_order", id)."""
KINDS = ("order", "shipment", "purchase_order")
"""What a provider is asked for, one `…_changed_since` method each."""

T = TypeVar("T")


@dataclass
class _Feed:
    """One polled provider: where its window starts and how it is doing."""

    slug: str
    provider: Provider
    cursor: datetime = EPOCH
    newest: datetime | None = None
    baselined: bool = False
    skipped: bool = False
    unsupported: set[str] = field(default_factory=set)
    failures: int = 0
    retry_at: float = 0.0
    published: int = 0


class ChangePoller:
    """Polls every provider that pushes no changes and publishes what changed."""

    def __init__(
        self,
        providers: Mapping[str, Provider],
        broker: Broker,
        settings: PollSettings,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.broker = broker
        self.settings = settings
        self.clock = clock
        self._feeds = [
            _Feed(slug, providers[slug]) for slug in _chosen(providers, settings)
        ]
        self._seen: OrderedDict[Key, tuple[str, ...]] = OrderedDict()
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None

    @property
    def polled(self) -> list[str]:
        """The providers still polled (those that cannot list changes drop out)."""
        return [feed.slug for feed in self._feeds if not feed.skipped]

    @property
    def tracked(self) -> int:
        """Orders, shipments and POs whose last seen status is remembered."""
        return len(self._seen)

    async def start(self) -> None:
        """Poll every `interval_s` in the background until `aclose` (idempotent)."""
        if self._task is None and self._feeds:
            self._task = asyncio.create_task(self._run(), name="change-poller")

    async def aclose(self) -> None:
        """Stop polling; a pass under way is abandoned (the next start redoes it)."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def poll_once(self) -> int:
        """One pass over every provider that is due; the number of events published."""
        # One pass at a time: the per-pass request bound and the diff's state
        # both assume it.
        async with self._lock:
            started = self.clock()
            # Ticks are never exactly one interval apart: a retry due within
            # half an interval runs now rather than a whole interval late.
            horizon = started + self.settings.interval_s / 2
            due = [f for f in self._feeds if not f.skipped and f.retry_at <= horizon]
            counts = await asyncio.gather(*(self._poll(f, started) for f in due))
            return sum(counts)

    async def _run(self) -> None:
        interval = self.settings.interval_s
        while True:
            started = self.clock()
            try:
                await self.poll_once()
            except Exception:
                # _poll already contains each provider's failures; whatever is
                # left is a bug, and polling must outlive it.
                log.exception("change poll failed")
            elapsed = max(0.0, self.clock() - started)
            await asyncio.sleep(max(0.0, interval - elapsed))

    async def _poll(self, feed: _Feed, started: float) -> int:
        feed.published = 0
        provider = feed.provider
        try:
            orders = await self._read(feed, "order", provider.orders_changed_since)
            shipments = await self._read(
                feed, "shipment", provider.shipments_changed_since
            )
            pos = await self._read(
                feed, "purchase_order", provider.purchase_orders_changed_since
            )
            if len(feed.unsupported) == len(KINDS):
                feed.skipped = True
                log.warning(
                    "%s cannot list what changed; not polled",
                    feed.slug,
                    extra={"provider": feed.slug},
                )
                return 0
            await self._diff(feed, orders, shipments, pos)
        except ProviderError as exc:
            delay = self._back_off(feed, started, exc.retry_after)
            log.warning(
                # The message names who failed: the provider, or the broker.
                "polling %s failed (%s, %s); retrying in %.1f s",
                feed.slug,
                exc.code,
                exc.message,
                delay,
                extra={"provider": feed.slug},
            )
        except Exception:
            delay = self._back_off(feed, started, None)
            log.exception(
                "polling %s failed; retrying in %.1f s",
                feed.slug,
                delay,
                extra={"provider": feed.slug},
            )
        else:
            feed.failures, feed.retry_at = 0, 0.0
            # Something updated while this pass ran may be stamped before the
            # newest stamp it saw yet not have been read: start the next window
            # that much earlier.
            if feed.newest is not None:
                ran = timedelta(seconds=max(0.0, self.clock() - started))
                feed.cursor = feed.newest - ran - OVERLAP
        return feed.published

    async def _read(
        self,
        feed: _Feed,
        kind: str,
        changed_since: Callable[[datetime], Awaitable[list[T]]],
    ) -> list[T]:
        """What changed of one kind; nothing, from now on, if it is unsupported."""
        if kind in feed.unsupported:
            return []
        try:
            return await changed_since(feed.cursor)
        except NotSupported:
            feed.unsupported.add(kind)
            return []

    def _back_off(
        self, feed: _Feed, started: float, retry_after: float | None
    ) -> float:
        feed.failures += 1
        interval = self.settings.interval_s
        delay = interval * (1 << min(feed.failures - 1, 16))
        delay = max(min(delay, max(MAX_BACKOFF_S, interval)), retry_after or 0.0)
        feed.retry_at = started + delay
        return delay

    async def _diff(
        self,
        feed: _Feed,
        orders: list[Order],
        shipments: list[Shipment],
        pos: list[PurchaseOrder],
    ) -> None:
        # Remembered only once published: a publish that fails is retried on
        # the next pass, which reads the same window again.
        publish = feed.baselined
        for order in orders:
            key: Key = (feed.slug, "order", order.id)
            seen: tuple[str, ...] = (order.status.value, order.raw_status)
            last = self._seen.get(key)
            if publish and last != seen:
                previous = OrderStatus(last[0]) if last else None
                await self._publish(feed, order_event(feed.slug, order, previous))
            self._remember(key, seen)
        for shipment in shipments:
            key = (feed.slug, "shipment", shipment.id)
            seen = (shipment.status.value, shipment_raw(shipment))
            seen += tuple(shipment.tracking_numbers)
            if publish and self._seen.get(key) != seen:
                await self._publish(feed, shipment_event(feed.slug, shipment))
            self._remember(key, seen)
        for po in pos:
            key = (feed.slug, "purchase_order", po.id)
            seen = (po.status.value, po.raw_status)
            last = self._seen.get(key)
            if publish and last != seen:
                was = PurchaseOrderStatus(last[0]) if last else None
                await self._publish(feed, purchase_order_event(feed.slug, po, was))
            self._remember(key, seen)
        stamps = [o.updated_at for o in orders] + [s.updated_at for s in shipments]
        stamps += [po.updated_at for po in pos]
        newest = _newest(stamps)
        if newest is not None and (feed.newest is None or newest > feed.newest):
            feed.newest = newest
        feed.baselined = True

    async def _publish(self, feed: _Feed, event: EventBase) -> None:
        # None: another instance polled the same change first (same dedupe key).
        if await self.broker.publish(event) is not None:
            feed.published += 1

    def _remember(self, key: Key, seen: tuple[str, ...]) -> None:
        self._seen[key] = seen
        self._seen.move_to_end(key)
        while len(self._seen) > self.settings.max_tracked:
            self._seen.popitem(last=False)


def _chosen(providers: Mapping[str, Provider], settings: PollSettings) -> list[str]:
    if settings.providers is None:
        return [
            slug
            for slug, provider in providers.items()
            if Capability.POLL_CHANGES in provider.capabilities
        ]
    for slug in settings.providers:
        if slug not in providers:
            log.warning("%s is not enabled; not polled", slug, extra={"provider": slug})
    return [slug for slug in dict.fromkeys(settings.providers) if slug in providers]


def _newest(stamps: Iterable[datetime | None]) -> datetime | None:
    return max((aware(s) for s in stamps if s is not None), default=None)
