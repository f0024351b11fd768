"""After a write: forget what it made stale, remember what the provider answered.

Each function drops the changed entity (and what derives from it) from the
cross-request cache and from this request's loaders, then primes the loaders
with the provider's answer, so the payload and any read after it (in this
request or the next) show the entity as the provider now has it.
"""

from __future__ import annotations

from gateway import models
from gateway.cache import invalidation
from gateway.ids import Ref
from schema.node import Info


def _forget_order(info: Info, ref: Ref) -> None:
    """Drop an order and everything derived from it from this request's loaders
    (what `invalidate_order` drops from the cache)."""
    loaders = info.context.loaders
    for loader in (
        loaders.order_by_ref,
        loaders.lines_by_order,
        loaders.allocation_errors_by_order,
        loaders.shipments_by_order,
    ):
        loader.clear(ref)


async def order_written(info: Info, slug: str, order: models.Order) -> None:
    """An order was created or changed: it, its lines, shipments and errors."""
    loaders = info.context.loaders
    ref = Ref(slug, "Order", order.id)
    await invalidation.invalidate_order(info.context.cache, slug, order.id)
    _forget_order(info, ref)
    loaders.order_by_ref.prime(ref, order)
    if order.lines is not None:
        loaders.lines_by_order.prime(ref, list(order.lines))
    if order.shipments is not None:
        loaders.shipments_by_order.prime(ref, list(order.shipments))


async def line_written(info: Info, slug: str, line: models.OrderLine) -> None:
    """A line was added or cancelled: its order's status and lines moved."""
    await invalidation.invalidate_order(info.context.cache, slug, line.order_id)
    _forget_order(info, Ref(slug, "Order", line.order_id))


async def shipment_written(info: Info, slug: str, shipment: models.Shipment) -> None:
    """A shipment was recorded: it, and everything of its order."""
    await invalidation.invalidate_shipment(
        info.context.cache, slug, shipment.id, order_id=shipment.order_id
    )
    ref = Ref(slug, "Shipment", shipment.id)
    info.context.loaders.shipment_by_ref.clear(ref).prime(ref, shipment)
    if shipment.order_id is not None:
        _forget_order(info, Ref(slug, "Order", shipment.order_id))


async def purchase_order_written(
    info: Info, slug: str, po: models.PurchaseOrder
) -> None:
    """A purchase order was created or changed: it by id and by number."""
    loaders = info.context.loaders
    await invalidation.invalidate_purchase_order(
        info.context.cache, slug, po.id, number=po.number
    )
    ref = Ref(slug, "PurchaseOrder", po.id)
    loaders.purchase_order_by_ref.clear(ref).prime(ref, po)
    loaders.lines_by_purchase_order.clear(ref)
    if po.lines is not None:
        loaders.lines_by_purchase_order.prime(ref, list(po.lines))
    loaders.purchase_order_by_number.clear_all()


async def inbound_written(
    info: Info, slug: str, inbound: models.InboundShipment
) -> None:
    """An inbound shipment was announced: it, and the lists by PO number."""
    loaders = info.context.loaders
    ref = Ref(slug, "InboundShipment", inbound.id)
    await invalidation.invalidate_inbound_shipment(
        info.context.cache, slug, inbound.id, number=inbound.purchase_order_number
    )
    loaders.inbound_shipment_by_ref.clear(ref).prime(ref, inbound)
    loaders.inbound_shipments_by_number.clear_all()


async def attachment_written(info: Info, slug: str, owner: Ref) -> None:
    """A document was attached to `owner` (an Order)."""
    await invalidation.invalidate_attachments(
        info.context.cache, slug, owner.kind, owner.id
    )
    info.context.loaders.attachments_by_owner.clear(owner)
