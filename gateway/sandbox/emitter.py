"""The webhook emitter: sandbox events to HTTP deliveries, sent in the background."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

import aiohttp

from .deliveries import Delivery, DeliveryLog

if TYPE_CHECKING:
    from datetime import datetime

    from .deliveries import Outgoing
    from .events import SandboxEvent
    from .runtime import Sandbox

log = logging.getLogger("gateway.sandbox.webhooks")


class Emitter:
    """Subscribes to `sandbox.events` while started; never blocks a publisher.

    Attempts are made one at a time, in queue order, so a receiver sees
    events in the order they happened. A failed attempt waits for its retry
    beside the queue rather than in it, so a refusing URL does not hold up the
    others (one that hangs holds the queue for at most `webhook_timeout_s` per
    attempt). After the last retry the delivery is dropped with a log line.
    """

    def __init__(self, sandbox: Sandbox) -> None:
        self._sandbox = sandbox
        self.log = DeliveryLog(sandbox.config.webhook_log_size)
        self._queue: asyncio.Queue[Delivery] = asyncio.Queue()
        # Deliveries not yet delivered or given up (queued, in flight, waiting).
        self._pending = 0
        self._overflowing = False
        self._waiting: set[asyncio.Task[None]] = set()
        self._worker: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None
        self._unsubscribe: Callable[[], None] | None = None
        # URLs that already cost a warning: later drops there are debug-level
        # until a delivery to them succeeds (a gateway without the endpoint
        # would otherwise log a line for every event).
        self._quiet: set[str] = set()
        sandbox.on_reset.append(self.log.clear)

    def gateway_url(self, slug: str) -> str | None:
        target = self._sandbox.config.webhook_target
        return f"{target.rstrip('/')}/webhooks/{slug}" if target else None

    async def start(self) -> None:
        self._unsubscribe = self._sandbox.events.subscribe(self._on_event)
        self._worker = asyncio.create_task(self._work(), name="sandbox-webhooks")

    async def close(self) -> None:
        """Stop listening; deliveries still queued or waiting are abandoned."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        tasks = [*self._waiting, *([self._worker] if self._worker else [])]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._worker = None
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _on_event(self, event: SandboxEvent) -> None:
        sim = self._sandbox.providers.get(event.provider)
        if sim is None:
            return
        try:
            outgoing = sim.webhook_deliveries(event, self.gateway_url(event.provider))
        except Exception:
            # The publisher is an API request or an advance: a bug here must
            # not turn its answer into a 500.
            log.exception("cannot build %s webhook %s", event.provider, event.type)
            return
        for out in outgoing:
            self._enqueue(out, event.occurred_at)

    def redeliver(self, originals: list[Delivery]) -> list[Delivery]:
        """Send each again, byte for byte, as a new entry of the log."""
        return [
            self._enqueue(d.outgoing, d.occurred_at, redelivery_of=d.seq)
            for d in originals
        ]

    def _enqueue(
        self, out: Outgoing, at: datetime, redelivery_of: int | None = None
    ) -> Delivery:
        delivery = self.log.add(out, at, redelivery_of)
        if self._pending >= self._sandbox.config.webhook_queue_size:
            delivery.state, delivery.error = "dropped", "queue full"
            if not self._overflowing:
                self._overflowing = True
                log.warning(
                    "webhook queue full (%d waiting); dropping new deliveries "
                    "until it drains",
                    self._pending,
                )
            return delivery
        self._overflowing = False
        self._pending += 1
        self._queue.put_nowait(delivery)
        return delivery

    async def _work(self) -> None:
        while True:
            delivery = await self._queue.get()
            try:
                await self._attempt(delivery)
            except Exception:
                # Whatever one delivery hits, the worker must live on.
                log.exception("webhook delivery %d failed", delivery.seq)
                delivery.state, delivery.error = "failed", "internal error"
                self._pending -= 1

    async def _attempt(self, delivery: Delivery) -> None:
        out = delivery.outgoing
        delivery.attempts += 1
        delivery.status, delivery.error = await self._send(out)
        delivery.statuses.append(delivery.status)
        if delivery.status is not None and 200 <= delivery.status < 300:
            delivery.state = "delivered"
            self._pending -= 1
            self._quiet.discard(out.url)
            return
        delays = self._sandbox.config.webhook_retry_delays_s.get(out.provider, ())
        if delivery.attempts <= len(delays):
            wait = asyncio.create_task(
                self._retry_later(delivery, delays[delivery.attempts - 1])
            )
            self._waiting.add(wait)
            wait.add_done_callback(self._waiting.discard)
            return
        delivery.state = "failed"
        self._pending -= 1
        self._report(delivery)

    async def _retry_later(self, delivery: Delivery, delay: float) -> None:
        await asyncio.sleep(delay)
        self._queue.put_nowait(delivery)

    async def _send(self, out: Outgoing) -> tuple[int | None, str | None]:
        if self._session is None:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(
                    total=self._sandbox.config.webhook_timeout_s
                ),
                cookie_jar=aiohttp.DummyCookieJar(),
            )
        try:
            async with self._session.request(
                out.method, out.url, data=out.body, headers=out.headers
            ) as response:
                with contextlib.suppress(aiohttp.ClientError):
                    await response.read()
                return response.status, None
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            return None, f"{type(exc).__name__}: {exc}".rstrip(": ")

    def _report(self, delivery: Delivery) -> None:
        out = delivery.outgoing
        quiet = out.url in self._quiet
        self._quiet.add(out.url)
        last = f"HTTP {delivery.status}" if delivery.status else delivery.error
        log.log(
            logging.DEBUG if quiet else logging.WARNING,
            "webhook %s %s (event %s) to %s dropped after %d attempts, last: %s%s",
            out.provider,
            out.type,
            out.event_id,
            out.url,
            delivery.attempts,
            last,
            ""
            if quiet
            else "; further drops at this URL are logged at debug "
            "level until a delivery there succeeds",
        )
