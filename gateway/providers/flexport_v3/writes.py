"""Purchase-order writes through V3's upsert: create, status changes, patch updates.

V3 has no idempotency key and no conditional write: it replaces the PO matched
on name + buyer + seller with whatever the body says. A status change or an
update is therefore read (V2) - change - write (V3), and whoever writes between
another's read and write would have that write silently undone. Updates guard
against it three ways: through the gateway they queue on a per-PO lock
(gateway/locks.py), so two of them both land; just before the write the PO's
`updated_at` is read again (V2), and a PO someone else changed meanwhile is a
Conflict with nothing written; and v3 itself answers 409 to writes that
overlap in flight. What is left is a write by someone else landing between
that re-read and the arrival of ours, which v3 offers no way to close.

The lock is per process by default; with GATEWAY_LOCK_URL it lives in Redis
and is shared across every gateway instance, so updates through different
instances queue too instead of one of them meeting a Conflict. An update that
cannot get the lock writes nothing: a Conflict when another update holds it
past the wait limit, ProviderUnavailable when Redis cannot be reached.

Cancel and close take no lock: two of them racing is v3's 409 to settle.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from gateway.errors import Conflict, Rejected
from gateway.models import PurchaseOrder, PurchaseOrderStatus
from gateway.providers.fieldmap import translated
from gateway.providers.flexport_v3 import bodies, mapping, wire
from gateway.providers.flexport_v3.api import EXPAND, FlexportV3Api, po_path
from gateway.providers.flexport_v3.fields import FIELDS, STATUS_FIELDS, update_fields
from gateway.providers.flexport_v3.merge import merge
from gateway.providers.flexport_v3.messages import is_illegal_transition

if TYPE_CHECKING:
    from gateway.http import Upstream
    from gateway.locks import Locks
    from gateway.models import PurchaseOrderCreate, PurchaseOrderUpdate


class PurchaseOrderWriter:
    """Every V3 write of the adapter; its updates queue per PO on `locks`."""

    def __init__(self, upstream: Upstream, api: FlexportV3Api, locks: Locks) -> None:
        self.upstream = upstream
        self.api = api
        self.locks = locks
        self.slug = upstream.provider

    async def create(self, data: PurchaseOrderCreate) -> PurchaseOrder:
        """One V3: the upsert makes a replay of the same body harmless."""
        body = bodies.create_body(data)
        with translated(FIELDS.sent(body)):
            return await self.upsert(body)

    async def set_status(
        self, po_id: str, status: PurchaseOrderStatus
    ) -> PurchaseOrder:
        """Read the PO and write it back through V3 with only its status changed.

        V3 is a full replace, so the body is the whole PO as read. A PO that
        already has the status is returned without a write (a repeat is a no-op).
        """
        po, raw = await self.api.one(po_path(po_id), wire.PurchaseOrder, EXPAND)
        if mapping.to_status(po.status) is status:
            return mapping.to_purchase_order(po, raw)
        lines = await self._lines(po, raw)
        body = bodies.replace_body(raw, lines, mapping.RAW_STATUSES[status])
        with translated(STATUS_FIELDS):
            return await self.upsert(body)

    async def update(self, po_id: str, data: PurchaseOrderUpdate) -> PurchaseOrder:
        """Patch semantics over V3's full replace (merge.py), guarded as the
        module says. A patch that changes nothing writes nothing."""
        async with self.locks.hold(f"{self.slug}:po:{po_id}"):
            po, raw = await self.api.one(po_path(po_id), wire.PurchaseOrder, EXPAND)
            self._check_expected(po, data.expected_updated_at)
            lines = await self._lines(po, raw)
            change = merge(raw, lines, data)
            body = bodies.replace_body(change.po, change.lines, po.status)
            if body == bodies.replace_body(raw, lines, po.status):
                return mapping.to_purchase_order(po, raw)
            await self._unchanged_since(po)
            with translated(update_fields(change.positions, body)):
                return await self.upsert(body)

    async def upsert(self, body: dict[str, Any]) -> PurchaseOrder:
        """POST V3; a 422 whose message is an illegal transition is a Conflict.

        v3 gives every 422 the code `unprocessable_entity`, so the message
        decides (messages.ILLEGAL_TRANSITION); a 409 (concurrent amend) is a
        Conflict by status alone.
        """
        try:
            response = await self.upstream.request(
                "POST", "/purchase_orders", json=body, replay_safe=True
            )
        except Rejected as exc:
            if not is_illegal_transition(exc.detail):
                raise
            raise Conflict(
                self.slug,
                exc.detail,
                status=exc.status,
                provider_code=exc.provider_code,
                body=exc.body,
            ) from None
        raw = self.api.unwrap(response.data)
        return mapping.to_purchase_order(
            self.api.validate(wire.PurchaseOrder, raw), raw
        )

    async def _lines(self, po: wire.PurchaseOrder, raw: dict[str, Any]) -> list[Any]:
        """Every line as V2 embedded it, or through V4 when it embedded a part."""
        if mapping.embedded_lines(po) is not None:
            return list(raw["line_items"]["data"])
        return [line_raw for _, line_raw in await self.api.line_items(po.id)]

    def _check_expected(
        self, po: wire.PurchaseOrder, expected: datetime | None
    ) -> None:
        """The caller's condition: the PO is still as they read it."""
        if expected is None:
            return
        if expected.tzinfo is None:
            expected = expected.replace(tzinfo=UTC)
        if po.updated_at != expected:
            raise Conflict(
                self.slug,
                f"Purchase order {po.id} was updated at {_iso(po.updated_at)}, "
                f"not at {_iso(expected)}: read it again and retry",
            )

    async def _unchanged_since(self, po: wire.PurchaseOrder) -> None:
        """V2 once more, right before the write: has anyone written since?"""
        latest, _ = await self.api.one(po_path(po.id), wire.PurchaseOrder)
        if latest.updated_at != po.updated_at:
            raise Conflict(
                self.slug,
                f"Purchase order {po.id} changed since it was read (updated at "
                f"{_iso(latest.updated_at)}); nothing was written, read it again "
                "and retry",
            )


def _iso(moment: datetime | None) -> str:
    return "an unknown time" if moment is None else moment.isoformat()
