"""Writes on outbound (F3) orders and their lines: F3, F4, F8, F9, cancel.

Flexe has no idempotency key, but externalId is unique: per account for
orders, per order for lines. A create is sent replay-safe, and a 409
DUPLICATE_EXTERNAL_ID is then either our own earlier attempt (it landed but its
answer was lost, or the caller repeated the mutation) or somebody else's
object. The order's idempotency label, or the line's SKU and quantity, tell
which.
"""

from __future__ import annotations

from urllib.parse import quote

from gateway.errors import Conflict
from gateway.models import Order, OrderCreate, OrderLine, OrderLineCreate, OrderUpdate
from gateway.providers.fieldmap import translated
from gateway.providers.flexe import bodies, fields, mapping, refs, wire
from gateway.providers.flexe.api import FlexeApi, items
from gateway.providers.flexe.refs import IDEMPOTENCY_LABEL

DUPLICATE = "DUPLICATE_EXTERNAL_ID"
NOT_UPDATABLE = "ORDER_NOT_UPDATABLE"


async def create_order(api: FlexeApi, data: OrderCreate, idempotency_key: str) -> Order:
    """F3; a repeat with the same key returns the order the first one made."""
    if data.flexe is not None and data.flexe.retail is not None:
        raise fields.refused(
            api.slug, [(("flexe", "retail"), "flexe.retail is only for kind RETAIL")]
        )
    body = bodies.order_body(data, idempotency_key)
    with translated(fields.ORDER):
        try:
            raw = await api.send("POST", "/v2/orders", json=body, replay_safe=True)
        except Conflict as exc:
            if exc.provider_code != DUPLICATE:
                raise
            earlier = await _order_made_with(api, data.external_id, idempotency_key)
            if earlier is None:
                raise
            return earlier
    return mapping.to_order(api.validate(wire.Order, raw), raw)


async def _order_made_with(api: FlexeApi, external_id: str, key: str) -> Order | None:
    pages = await api.collect(
        "/v2/orders", {"externalIds": external_id}, wire.OrderPage
    )
    for order, raw in items(pages, "outboundOrders"):
        if (
            order.externalId == external_id
            and order.labels.get(IDEMPOTENCY_LABEL) == key
        ):
            return mapping.to_order(order, raw)
    return None


async def update_order(api: FlexeApi, order_id: str, data: OrderUpdate) -> Order:
    """F4; Conflict (ORDER_NOT_UPDATABLE) once picking has started."""
    retail = data.flexe.retail if data.flexe else None
    if retail is not None and retail.model_dump(exclude_none=True):
        raise fields.refused(
            api.slug,
            [(("flexe", "retail"), "only retail orders take flexe.retail")],
        )
    path = order_path(order_id)
    kept: dict[str, str] = {}
    if data.flexe is not None and data.flexe.labels is not None:
        # F4 replaces the whole label map; the label that records which create
        # made the order must survive, or a repeat of that create would no
        # longer be recognised as ours.
        current = api.validate(wire.Order, await api.get(path))
        if IDEMPOTENCY_LABEL in current.labels:
            kept[IDEMPOTENCY_LABEL] = current.labels[IDEMPOTENCY_LABEL]
    body = bodies.update_body(data, kept)
    with translated(fields.ORDER):
        # The same patch applied twice leaves the order as once: replay-safe.
        raw = await api.send("PATCH", path, json=body, replay_safe=True)
    return mapping.to_order(api.validate(wire.Order, raw), raw)


CANCELLABLE_STATES = ("new", "allocated")


async def cancel_order(api: FlexeApi, order_id: str) -> Order:
    """Cancel every open line (F9); Flexe cancels the order with its last one.

    Flexe has no order-level cancel, so the order and its lines are checked
    first: an order that can no longer be cancelled as a whole is a Conflict
    before any line is touched, rather than a half-cancelled order. Only a
    transport failure can stop part way, and a repeat finishes the job.
    """
    path = order_path(order_id)
    before = api.validate(wire.Order, await api.get(path))
    pages = await api.collect(f"{path}/lines", {}, wire.LinePage)
    open_lines = [line for line, _ in items(pages, "lines") if line.cancelledAt is None]
    shipped = [line.id for line in open_lines if line.shippedQuantity]
    if open_lines and (before.state not in CANCELLABLE_STATES or shipped):
        why = (
            f"has shipped lines ({', '.join(shipped)})"
            if shipped
            else f"is {before.state}"
        )
        raise Conflict(
            api.slug,
            f"Order {order_id} {why} and can no longer be cancelled",
            provider_code="ORDER_NOT_CANCELLABLE",
        )
    for line in open_lines:
        await cancel_line(api, order_id, line.id)
    data = await api.get(path)
    return mapping.to_order(api.validate(wire.Order, data), data)


async def create_line(
    api: FlexeApi, order_id: str, data: OrderLineCreate, idempotency_key: str
) -> OrderLine:
    """F8; the line's externalId is the caller's, or one made from the key."""
    external_id = data.external_id or refs.derived(idempotency_key)
    path = f"{order_path(order_id)}/lines"
    with translated(fields.LINE):
        try:
            raw = await api.send(
                "POST",
                path,
                json=bodies.line_body(data, external_id),
                replay_safe=True,
            )
        except Conflict as exc:
            # Flexe checks the order's state before duplicates, so an earlier
            # attempt that landed may come back as ORDER_NOT_UPDATABLE too once
            # the order has moved on.
            if exc.provider_code not in (DUPLICATE, NOT_UPDATABLE):
                raise
            earlier = await _line_like(api, path, external_id, data)
            if earlier is None:
                raise
            return earlier
    return mapping.to_line(api.validate(wire.Line, raw), raw)


async def _line_like(
    api: FlexeApi, path: str, external_id: str, data: OrderLineCreate
) -> OrderLine | None:
    pages = await api.collect(path, {"externalIds": external_id}, wire.LinePage)
    for line, raw in items(pages, "lines"):
        if (line.externalId, line.sku, line.quantity) == (
            external_id,
            data.sku,
            data.quantity,
        ):
            return mapping.to_line(line, raw)
    return None


async def cancel_line(api: FlexeApi, order_id: str, line_id: str) -> OrderLine:
    """F9; cancelling a cancelled line answers it unchanged, so replay-safe."""
    raw = await api.send(
        "POST",
        f"{order_path(order_id)}/lines/{quote(line_id, safe='')}/cancel",
        replay_safe=True,
    )
    return mapping.to_line(api.validate(wire.Line, raw), raw)


def order_path(order_id: str) -> str:
    return f"/v2/orders/{quote(order_id, safe='')}"
