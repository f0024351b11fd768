"""Mapped LAPI orders kept in process while the events feed shows no change to them.

LAPI has no batch read, so every order on a board costs one GET inside a 10/s
budget. Most orders do not change between two boards, and a change to an
order's status, lines or shipments is an event on the feed the index already
follows (`sync.py`). So an order read once is served again from here while it
is *known current*:

* no event naming it (feed poll or webhook) has been seen since it was read,
  and the gateway has not written to it (cancel, document upload);
* this process is following the feed: its last read reached the end, and the
  last page of that read was asked for less than `following_s` ago. A sync
  that fails or stops reading would miss changes, so then nothing is served
  (every order is read again) until a read reaches the end again. What is
  kept stays: that read resumes where this process stopped, so it sees every
  change made meanwhile;
* it is younger than `max_age_s`, a safety net for changes no event names
  (documents uploaded outside the gateway, carrier tracking).

A changed order is only dropped, not read again at once: refetching orders
nobody asked for would spend the rate budget boards need; the next read that
wants it GETs just that one.

Race: an event can arrive while a GET for the same order is in flight, and
the body that GET returns may predate it. `mark()` is taken before the GETs
and `put` refuses an order changed after its mark (`_changes` remembers the
latest changes; one forgotten is assumed to concern every older mark).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from gateway.models import Order, OrderKind
from gateway.providers.flexport_logistics import refs, wire

if TYPE_CHECKING:
    from gateway.settings import ProviderSettings

FOLLOWING_POLLS = 2
"""Poll intervals a feed read counts as recent: one missed poll is tolerated."""

CHANGE_LOG = 10_000
"""Changes remembered for `put`'s check; reads take seconds, so this is ample."""

_KINDS_BY_PREFIX: dict[str, tuple[OrderKind, ...]] = {
    "Outbound.": (OrderKind.B2B,),
    # Order.* are DTC orders; Shipment.* are DTC shipments (webhooks.py).
    "Order.": (OrderKind.DTC,),
    "Shipment.": (OrderKind.DTC,),
}


def order_ids(event: wire.Event) -> list[str]:
    """The domain ids of the orders an event names (payload `orderId`).

    The type says the kind; a type not known to name one kind (Return.*, or
    a type LAPI adds later) names the number under both, since dropping an
    order that did not change costs one GET and serving a changed one is wrong.
    """
    number = event.payload.get("orderId")
    if isinstance(number, bool) or not isinstance(number, int | str):
        return []
    text = str(number)
    if not (text.isascii() and text.isdigit()):
        return []
    kinds = next(
        (k for p, k in _KINDS_BY_PREFIX.items() if event.type.startswith(p)),
        (OrderKind.B2B, OrderKind.DTC),
    )
    return [refs.domain_id(kind, text) for kind in kinds]


def warm_orders(
    settings: ProviderSettings, poll_interval_s: float
) -> WarmOrders | None:
    """The store the settings ask for; None when `warm_orders` is off."""
    if not settings.warm_orders:
        return None
    return WarmOrders(
        max_age_s=settings.warm_max_age_s,
        max_orders=settings.warm_max_orders,
        following_s=FOLLOWING_POLLS * poll_interval_s,
    )


class WarmOrders:
    """A bounded (LRU) store of mapped orders; the sync's `FeedListener`."""

    def __init__(
        self,
        *,
        max_age_s: float,
        max_orders: int,
        following_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_age_s = max_age_s
        self.max_orders = max(1, max_orders)
        self.following_s = following_s
        self._clock = clock
        self._orders: OrderedDict[str, tuple[Order, float]] = OrderedDict()
        # Order id -> sequence number of its latest change, oldest first.
        self._changes: OrderedDict[str, int] = OrderedDict()
        self._seq = 0
        self._forgotten = 0  # the latest change dropped from `_changes`
        self._floor = 0  # marks below this predate a restart of feed reading
        self._reading_at: float | None = None
        self._followed_at: float | None = None

    @property
    def size(self) -> int:
        """How many orders are kept (served or not)."""
        return len(self._orders)

    @property
    def following(self) -> bool:
        """Whether a complete read of the feed started within `following_s`."""
        at = self._followed_at
        return at is not None and self._clock() - at <= self.following_s

    def mark(self) -> int:
        """Take before reading orders; hand to `put` with what was read."""
        return self._seq

    def get(self, ids: Iterable[str]) -> dict[str, Order]:
        """The orders among `ids` known current; {} while the feed is not followed."""
        if not self.following:
            return {}
        now = self._clock()
        found: dict[str, Order] = {}
        for order_id in ids:
            item = self._orders.get(order_id)
            if item is None:
                continue
            if now - item[1] > self.max_age_s:
                del self._orders[order_id]
                continue
            self._orders.move_to_end(order_id)
            found[order_id] = item[0]
        return found

    def put(self, orders: Iterable[Order], since: int) -> None:
        """Keep orders read after `mark()` returned `since`, unless changed since."""
        if since < self._floor:
            return
        now = self._clock()
        for order in orders:
            changed = self._changes.get(order.id)
            if changed is None:
                changed = self._forgotten
            if changed > since:
                continue
            self._orders[order.id] = (order, now)
            self._orders.move_to_end(order.id)
        while len(self._orders) > self.max_orders:
            self._orders.popitem(last=False)

    def changed(self, ids: Iterable[str]) -> None:
        """These orders changed (an event, or a write of ours): read them again."""
        for order_id in ids:
            self._seq += 1
            self._orders.pop(order_id, None)
            self._changes[order_id] = self._seq
            self._changes.move_to_end(order_id)
        while len(self._changes) > CHANGE_LOG:
            _, seq = self._changes.popitem(last=False)
            self._forgotten = max(self._forgotten, seq)

    def clear(self) -> None:
        """Forget every order, and refuse what reads already under way bring."""
        self._orders.clear()
        self._seq += 1
        self._floor = self._seq

    # FeedListener (sync.py) -----------------------------------------------------

    def reading(self, *, restart: bool) -> None:
        self._reading_at = self._clock()
        if restart:
            # Reading starts from a position this process did not reach itself
            # (another instance's cursor, or the start): the events between
            # what is kept and that position are never seen here.
            self.clear()

    def seen(self, events: Sequence[wire.Event]) -> None:
        self.changed(order_id for event in events for order_id in order_ids(event))

    def followed(self) -> None:
        # Current as of when the last page was asked for, not when it came.
        self._followed_at = self._reading_at

    def failed(self) -> None:
        self._followed_at = None
