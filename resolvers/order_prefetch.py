"""Start an order list's nested loads per provider as soon as its window arrives.

Without this, the nested fields of a merged `orders` page (lines, inventory,
shipments, attachments) start only when the slowest provider's page is in,
so one hung provider holds every other provider's nested calls until its
budget cuts it. Here, once at most one provider's window is outstanding, each
arrived provider's candidates (`gateway.paging.merge_pages`: every item of it
the page can still hold) start the loads their selection will make, through
the request's DataLoaders: the field resolvers later find the same futures,
resolved or in flight. With one provider outstanding the candidates are the
page unless it answers after all (a hung one never does).

Only reads that cost what the resolvers would send anyway are started: those
the provider's fan-out batches with all the candidate keys in one call
(`FanOut.read`), so they send the one call the page's own keys would; the
only call this can add is for a provider whose candidates the last provider
pushes out of the page entirely. A per-object read (Flxpoint shipments: one
call per fulfilment request), or a batched one that would need more calls
than the page's keys, is left to the resolvers, which ask for exactly the
page's items. So is inventory: its calls depend on more than the SKU count
(Flxpoint pages variant rows, several per SKU), and the candidates' SKUs
cost the all-provider board a page more than the page's own.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Mapping, Sequence
from typing import Any

from gateway import ids, models, operation
from gateway.providers.base import Provider
from gateway.providers.fanout import READ_CAPABILITY, Read
from resolvers.lookahead import OrderReads, order_reads
from schema.node import Info

log = logging.getLogger("gateway.prefetch")

_unscoped: set[asyncio.Task[Any]] = set()
"""Prefetches started outside an operation scope (direct resolver calls):
held here, since the event loop keeps only weak references to tasks."""


def one_call(provider: Provider, read: Read, keys: int) -> bool:
    """Whether the provider answers `read` for `keys` keys with the one batched
    call it would send for any non-empty subset of them."""
    if keys == 0 or READ_CAPABILITY[read] not in provider.capabilities:
        return False
    cost = provider.fan_out.read(read)
    return not cost.embedded and cost.batch is not None and keys <= cost.batch


def _ref(order: models.Order) -> ids.Ref:
    return ids.Ref(order.provider, "Order", order.id)


class OrderPrefetch:
    """One `orders` field's prefetches; `arrived` is merge_pages' callback."""

    def __init__(self, info: Info, reads: OrderReads) -> None:
        self.context = info.context
        self.reads = reads
        self.latest: dict[str, Sequence[models.Order]] = {}
        """Each arrived provider's candidates, as of the latest arrival."""
        self.started: set[str] = set()

    @classmethod
    def for_field(cls, info: Info) -> OrderPrefetch | None:
        """A prefetcher for the `orders` field resolving, None if it selects no
        nested read."""
        reads = order_reads(info)
        return cls(info, reads) if reads.any() else None

    def arrived(
        self, candidates: Mapping[str, Sequence[models.Order]], pending: int
    ) -> None:
        # With two providers outstanding either could push most candidates
        # out; with one (the slow or hung one) the candidates are the page
        # unless it answers after all. Candidates only shrink as windows
        # arrive, so each provider is started once.
        self.latest.update(candidates)
        if pending > 1:
            return
        for slug, orders in self.latest.items():
            if slug in self.started or not orders:
                continue
            self.started.add(slug)
            provider = self.context.providers.get(slug)
            if provider is not None:
                self._spawn(self._provider(provider, list(orders)))

    def _spawn(self, work: Awaitable[None]) -> None:
        async def guarded() -> None:
            try:
                await work
            except Exception:
                # A failed load is the resolver's to report, from the same future.
                log.debug("prefetch failed", exc_info=True)

        task = asyncio.create_task(guarded())
        scope = operation.current.get()
        if scope is not None:
            # A disconnect cancels it with the rest of the operation.
            scope.adopt(task)
        else:
            _unscoped.add(task)
            task.add_done_callback(_unscoped.discard)

    async def _provider(self, provider: Provider, orders: list[models.Order]) -> None:
        loaders, reads = self.context.loaders, self.reads
        loads: list[Awaitable[Any]] = []

        def batch(read: Read, loader: Any, keys: list[Any]) -> None:
            if one_call(provider, read, len(keys)):
                loads.append(_settled(loader.load_many(keys)))

        if reads.shipments:
            refs = [_ref(o) for o in orders if o.shipments is None]
            batch(Read.SHIPMENTS, loaders.shipments_by_order, refs)
        if reads.attachments:
            refs = [_ref(o) for o in orders if o.attachments is None]
            batch(Read.ATTACHMENTS, loaders.attachments_by_owner, refs)
        if reads.allocation_errors:
            refs = [_ref(o) for o in orders if o.has_errors]
            batch(Read.ALLOCATION_ERRORS, loaders.allocation_errors_by_order, refs)
        if reads.lines or reads.status:
            # `status` reads the lines only of orders whose status needs them.
            refs = [
                _ref(o)
                for o in orders
                if o.lines is None and (reads.lines or o.status_needs_lines)
            ]
            batch(Read.LINES, loaders.lines_by_order, refs)
        await asyncio.gather(*loads)


async def _settled(load: Awaitable[Any]) -> None:
    """Await a load for its side effect (the loader's cached futures); its
    failure is read by the resolver that awaits the same future."""
    try:
        await load
    except Exception:
        return
