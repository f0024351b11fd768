"""Keeps the order index current: backfill from the events feed, then follow it.

`start()` launches one background task: it reads the feed from the stored
position to its end (the backfill; from the very first event when the index is
new, from where the last run stopped when it is shared or restarted), then
again every `poll_interval_s`. Failures are logged and retried; nothing
escapes the task. `ready()` is what a list awaits: it returns once one
complete read has succeeded, doing that read itself if it must.

Webhooks carry the same events sooner: `apply_soon` merges them into the index
in the background, through the same `feed.to_entry`. They only make the index
current earlier; the feed still brings every event, so one that is lost here
(an upsert that fails) arrives with the next poll, and merging makes the
repeat harmless.

After its first read the sync goes on from its own position, not the stored
one: with a shared (Redis) index another instance may have moved the stored
cursor past events this process then never sees, and a `FeedListener` (the
warm order store, warm.py) must see every event from where it began.
Replaying what another instance read is harmless (merging, above).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Sequence
from typing import Protocol

from gateway.errors import Rejected
from gateway.providers.flexport_logistics import feed, wire
from gateway.providers.flexport_logistics.api import LapiApi
from gateway.providers.flexport_logistics.feed import FeedPosition
from gateway.providers.flexport_logistics.index import IndexEntry, OrderIndex

log = logging.getLogger("gateway.providers.flexport_logistics")

MAX_RETRY_DELAY_S = 5.0
"""A failed read is retried sooner than the next poll, but not in a tight loop."""


class FeedListener(Protocol):
    """Told of every event the sync sees, from polls and webhooks alike."""

    def reading(self, *, restart: bool) -> None:
        """A page of the feed is about to be asked for; `restart`: the first of a
        read not from this process's own position, so events before it may
        never be seen."""

    def seen(self, events: Sequence[wire.Event]) -> None:
        """Events read from the feed or delivered by webhook (maybe again)."""

    def followed(self) -> None:
        """The last page asked for was the feed's end: every event up to when
        it was asked for has been seen."""

    def failed(self) -> None:
        """A read stopped short of the end: changes since the last one that
        reached it may be unseen until another does."""


class IndexSync:
    """Reads the events feed into an OrderIndex; one reader at a time."""

    def __init__(
        self,
        api: LapiApi,
        index: OrderIndex,
        poll_interval_s: float,
        listener: FeedListener | None = None,
    ) -> None:
        self.api = api
        self.index = index
        self.poll_interval_s = poll_interval_s
        self.listener = listener
        # Where this process's reading stopped; None until its first read.
        self._position: FeedPosition | None = None
        self._caught_up = False
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self._read_at: float | None = None
        # Held so they are not collected before they finish (asyncio keeps
        # only weak references to tasks).
        self._pending: set[asyncio.Task[None]] = set()

    @property
    def caught_up(self) -> bool:
        """Whether one complete read of the feed has succeeded."""
        return self._caught_up

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="lapi-index-sync")

    async def close(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.settle()

    def apply_soon(self, events: Sequence[wire.Event]) -> None:
        """Merge what these (webhook) events say about orders into the index,
        in a background task; without a running loop, leave them to the feed."""
        if self.listener is not None:
            self.listener.seen(events)
        entries = [e for e in map(feed.to_entry, events) if e is not None]
        if not entries:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            log.debug("no event loop; the feed will bring these events")
            return
        task = loop.create_task(self._upsert(entries), name="lapi-index-webhook")
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def settle(self) -> None:
        """Wait until every upsert `apply_soon` started has finished."""
        while self._pending:
            await asyncio.gather(*self._pending)

    async def _upsert(self, entries: list[IndexEntry]) -> None:
        try:
            await self.index.upsert(entries)
        except Exception:
            # A Redis outage must not surface in a webhook answer; the feed
            # brings these events again.
            log.exception("updating the LAPI order index from a webhook failed")

    async def ready(self) -> None:
        """Return once the index has read the feed to its end at least once.

        Waits for a read already under way; if none has succeeded yet, reads
        now and lets its ProviderError reach the caller.
        """
        if self._caught_up:
            return
        async with self._lock:
            if not self._caught_up:
                await self._read_to_end()
                self._caught_up = True

    async def poll(self) -> int:
        """Read whatever the feed gained since the last read; how many events."""
        async with self._lock:
            read = await self._read_to_end()
            self._caught_up = True
            return read

    async def _scheduled_read(self) -> None:
        async with self._lock:
            # `ready()` may have read while this waited for the lock.
            if (
                self._read_at is not None
                and time.monotonic() - self._read_at < self.poll_interval_s
            ):
                return
            await self._read_to_end()
            self._caught_up = True

    async def _run(self) -> None:
        while True:
            # A read done meanwhile (by `ready()`) counts: poll from its time.
            due = 0.0 if self._read_at is None else self._read_at + self.poll_interval_s
            delay = due - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
                continue
            try:
                await self._scheduled_read()
            except asyncio.CancelledError:
                raise
            except Exception:
                # ProviderErrors and Redis outages alike: log, retry, never die.
                log.exception("reading the LAPI events feed failed; will retry")
                await asyncio.sleep(min(self.poll_interval_s, MAX_RETRY_DELAY_S))

    async def _read_to_end(self) -> int:
        if self.listener is None:
            return await self._read_pages()
        try:
            read = await self._read_pages()
        except BaseException:
            self.listener.failed()
            raise
        self.listener.followed()
        return read

    async def _read_pages(self) -> int:
        position = self._position
        if position is None:
            position = FeedPosition.decode(await self.index.feed_cursor())
        read = 0
        restart = self._position is None
        while True:
            if self.listener is not None:
                self.listener.reading(restart=restart)
                restart = False
            try:
                events, next_info = await feed.read_page(self.api, position.page_info)
            except Rejected:
                if position == FeedPosition():
                    raise
                # A stored cursor LAPI no longer accepts: read everything again;
                # merging makes replayed events harmless.
                log.warning("LAPI rejected the stored feed cursor; re-reading")
                position = FeedPosition()
                continue
            fresh = events[position.seen :]
            if self.listener is not None:
                self.listener.seen(fresh)
            entries = [e for e in map(feed.to_entry, fresh) if e is not None]
            if entries:
                await self.index.upsert(entries)
            read += len(fresh)
            if next_info is not None:
                position = FeedPosition(next_info, 0)
            else:
                position = FeedPosition(position.page_info, len(events))
            await self.index.set_feed_cursor(position.encode())
            self._position = position
            if next_info is None:
                self._read_at = time.monotonic()
                if read:
                    log.info("LAPI order index read %d events", read)
                return read
