"""The Flexport API v3 adapter: purchase orders, Bearer + `Flexport-Version: 3`.

v3 has no `ids` filter, so reads by id fan out one V2 call per PO (under a
semaphore, inside the Upstream token bucket). Request counts, per method:

* `get_purchase_orders(n ids)`: n (V2 with `expand=line_items`).
* `get_purchase_orders_by_number(n numbers)`: n V1 `f.name` calls, plus one
  more per number not found among live POs (`f.archived_at.exists=true`:
  cancelled POs are archived and hidden otherwise).
* `list_purchase_orders`: 1 V1 call per page.
* `purchase_orders_changed_since`: every page of two V1 walks (`changes.py`).
* `get_purchase_order_lines(n ids)`: n V4 calls (plus one per extra page of
  100). The lines are embedded in every PO this adapter returns
  (`PurchaseOrder.lines`), so the gateway needs this only for a bare id.
* `create_purchase_order`: 1 V3. `cancel_`/`close_purchase_order`: 1 V2 + 1 V3
  (the V2 alone when the PO already has that status).
* `update_purchase_order`: 1 V2 (with its lines) + 1 V2 (`updated_at`, right
  before the write) + 1 V3; V4 calls too when V2 embeds only part of the
  lines. The first V2 alone when `expected_updated_at` does not match, or
  when the change leaves the PO as it is; both V2s when someone else changed
  it in between (writes.py).
* `get_attachments`: see `attachments.py`.

Writes live in `writes.py`, their field maps in `fields.py`; webhooks (which
cost no request) in `webhooks.py`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from gateway.http import Upstream
from gateway.locks import LocalLocks
from gateway.models import PurchaseOrder, PurchaseOrderLine, PurchaseOrderStatus
from gateway.providers.base import (
    Capability,
    Page,
    PageRequest,
    ProviderBase,
    PurchaseOrderFilter,
)
from gateway.providers.fanout import FanOut
from gateway.providers.flexport_v3 import changes, listing, mapping, webhooks, wire
from gateway.providers.flexport_v3.api import (
    EXPAND,
    MAX_PER,
    FlexportV3Api,
    po_path,
    unique_ids,
)
from gateway.providers.flexport_v3.attachments import documents_by_po
from gateway.providers.flexport_v3.writes import PurchaseOrderWriter

if TYPE_CHECKING:
    import aiohttp

    from gateway.ids import Ref
    from gateway.locks import Locks
    from gateway.models import (
        Attachment,
        EventBase,
        PurchaseOrderCreate,
        PurchaseOrderUpdate,
    )
    from gateway.settings import ProviderSettings, RetrySettings

API_VERSION = "3"


class FlexportV3Provider(ProviderBase):
    """Flexport API v3 (freight order management), expressed in domain models."""

    slug = mapping.SLUG
    capabilities = frozenset(
        {
            Capability.PURCHASE_ORDERS,
            Capability.CREATE_PURCHASE_ORDER,
            Capability.UPDATE_PURCHASE_ORDER,
            Capability.CANCEL_PURCHASE_ORDER,
            Capability.CLOSE_PURCHASE_ORDER,
            Capability.ATTACHMENTS,
            Capability.WEBHOOKS,
        }
    )
    # Pages of 100; no batch get, so a PO, its lines and its documents are one
    # call each per PO.
    fan_out = FanOut.declare(list_page_size=100)

    def __init__(
        self,
        settings: ProviderSettings,
        session: aiohttp.ClientSession,
        retry: RetrySettings,
        *,
        locks: Locks | None = None,
    ) -> None:
        """`locks` queue the updates of one PO; in process by default. The
        provider owns them and closes them."""
        token = settings.token.get_secret_value() if settings.token else ""
        self.upstream = Upstream(
            self.slug,
            settings,
            session,
            retry,
            # v3 answers 400 invalid_version to any call without the header.
            auth_headers={
                "Authorization": f"Bearer {token}",
                "Flexport-Version": API_VERSION,
            },
            parse_error=mapping.parse_error,
        )
        self.api = FlexportV3Api(self.upstream)
        self.locks: Locks = locks if locks is not None else LocalLocks()
        self.writer = PurchaseOrderWriter(self.upstream, self.api, self.locks)
        secret = settings.webhook_secret
        self._webhook_secret = secret.get_secret_value() if secret else None

    async def close(self) -> None:
        await self.locks.aclose()

    # Reads ---------------------------------------------------------------------

    async def get_purchase_orders(
        self, ids: Sequence[str]
    ) -> Mapping[str, PurchaseOrder]:
        found = await self.api.fan_out(unique_ids(ids), self._read)
        return {po_id: po for po_id, po in found if po is not None}

    async def _read(self, po_id: str) -> PurchaseOrder | None:
        pair = await self.api.maybe(po_path(po_id), wire.PurchaseOrder, EXPAND)
        return None if pair is None else mapping.to_purchase_order(*pair)

    async def get_purchase_orders_by_number(
        self, numbers: Sequence[str]
    ) -> Mapping[str, PurchaseOrder]:
        wanted = [n for n in dict.fromkeys(numbers) if n]
        found = await self.api.fan_out(wanted, self._by_number)
        return {number: po for number, po in found if po is not None}

    async def _by_number(self, number: str) -> PurchaseOrder | None:
        """The newest live PO of that name, else the newest archived (cancelled) one.

        A name is unique only with its buyer and seller, so several POs may
        share it; the live one is what a caller means by "PO-1 at Flexport".
        """
        for archived in (False, True):
            query = [
                *listing.NEWEST_FIRST,
                *EXPAND,
                ("f.name", number),
                ("per", "1"),
            ]
            if archived:
                query.append(("f.archived_at.exists", "true"))
            _, items = await self.api.page(
                "/purchase_orders", wire.PurchaseOrder, query
            )
            if items:
                return mapping.to_purchase_order(*items[0])
        return None

    async def list_purchase_orders(
        self, filter: PurchaseOrderFilter, page: PageRequest
    ) -> Page[PurchaseOrder]:
        if filter.numbers:
            return await self._list_numbers(filter)
        segments = listing.segments(filter.statuses)
        if not segments:
            # Only UNKNOWN asked for: no v3 status maps there.
            return Page(items=[], next_cursor=None, total=0)
        at = listing.parse_cursor(page.cursor, len(segments))
        window = listing.window(at.index, page.size, MAX_PER)
        query = [
            *segments[at.segment].params(filter),
            ("page", str(window.page)),
            ("per", str(window.per)),
        ]
        parsed, found = await self.api.page(
            "/purchase_orders", wire.PurchaseOrder, query
        )
        items = found[window.skip : window.skip + max(1, page.size)]
        following: listing.Position | None = None
        if window.skip + len(items) < len(found) or parsed.next is not None:
            following = listing.Position(at.segment, at.index + len(items))
        elif at.segment + 1 < len(segments):
            following = listing.Position(at.segment + 1, 0)
        return Page(
            items=[mapping.to_purchase_order(po, raw) for po, raw in items],
            next_cursor=listing.cursor_of(following) if following else None,
            # One segment's count is the listing's; two have no single total.
            total=parsed.total_count if len(segments) == 1 else None,
        )

    async def _list_numbers(self, filter: PurchaseOrderFilter) -> Page[PurchaseOrder]:
        """POs by number: one V1 `f.name` walk per number and segment, one page."""
        queries = [
            [*segment.params(filter), ("f.name", number)]
            for number in dict.fromkeys(filter.numbers)
            for segment in listing.segments(filter.statuses)
        ]
        found = await self.api.fan_out(
            range(len(queries)),
            lambda i: self.api.walk("/purchase_orders", wire.PurchaseOrder, queries[i]),
        )
        pos = {po.id: (po, raw) for _, items in found for po, raw in items}
        newest = sorted(pos.values(), key=lambda pair: int(pair[0].id), reverse=True)
        return Page(
            items=[mapping.to_purchase_order(po, raw) for po, raw in newest],
            next_cursor=None,
            total=len(newest),
        )

    async def purchase_orders_changed_since(
        self, updated_after: datetime
    ) -> list[PurchaseOrder]:
        # Not POLL_CHANGES: webhooks push these; polling is an opt-in fallback.
        return await changes.purchase_orders_changed_since(self.api, updated_after)

    async def get_purchase_order_lines(
        self, purchase_order_ids: Sequence[str]
    ) -> Mapping[str, list[PurchaseOrderLine]]:
        found = await self.api.fan_out(unique_ids(purchase_order_ids), self._lines)
        # V4 answers an empty list for an unknown PO, and a PO has at least
        # one line: no lines means no such PO, which a batch leaves out.
        return {po_id: lines for po_id, lines in found if lines}

    async def _lines(self, po_id: str) -> list[PurchaseOrderLine]:
        items = await self.api.line_items(po_id)
        lines = [mapping.to_line(line, raw, po_id) for line, raw in items]
        return sorted(lines, key=lambda line: line.line_number or 0)

    async def get_attachments(
        self, owners: Sequence[Ref]
    ) -> Mapping[Ref, list[Attachment]]:
        # Documents belong to freight shipments, which the gateway does not
        # model; they are reached (and reported) through the PO they serve.
        pos = {
            owner.id: owner
            for owner in owners
            if owner.kind == "PurchaseOrder" and owner.id.isdigit()
        }
        found = await documents_by_po(self.api, list(pos))
        return {pos[po_id]: documents for po_id, documents in found.items()}

    # Writes --------------------------------------------------------------------

    async def create_purchase_order(
        self, data: PurchaseOrderCreate, *, idempotency_key: str
    ) -> PurchaseOrder:
        # No idempotency key in v3; V3 is an upsert on name + buyer + seller,
        # so a replay of the same body amends the PO it created: replay-safe.
        return await self.writer.create(data)

    async def update_purchase_order(
        self, id: str, data: PurchaseOrderUpdate
    ) -> PurchaseOrder:
        return await self.writer.update(id, data)

    async def cancel_purchase_order(self, id: str) -> PurchaseOrder:
        return await self.writer.set_status(id, PurchaseOrderStatus.CANCELLED)

    async def close_purchase_order(self, id: str) -> PurchaseOrder:
        return await self.writer.set_status(id, PurchaseOrderStatus.CLOSED)

    # Webhooks --------------------------------------------------------------------

    def verify_webhook(self, headers: Mapping[str, str], body: bytes) -> None:
        # v3 signs no timestamp: no clock is involved (see webhooks.py).
        webhooks.verify(headers, body, self._webhook_secret)

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> list[EventBase]:
        return webhooks.parse(body)

    async def ping(self) -> None:
        await self.api.data("/purchase_orders", [("per", "1")])
