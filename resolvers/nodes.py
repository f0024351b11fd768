"""`node` and `nodes`: fetch any object by its global ID."""

from __future__ import annotations

import asyncio
from typing import Annotated, cast

import strawberry

from gateway import ids
from gateway.errors import InvalidArgument
from schema.inbound_shipments import InboundShipment, InboundShipmentLine
from schema.node import Info, Node
from schema.orders import Order, OrderLine
from schema.purchase_orders import (
    PurchaseOrder,
    PurchaseOrderLine,
    purchase_order_lines,
)
from schema.shipments import Shipment

MAX_NODES = 100
NODE_KINDS = (
    "Order",
    "OrderLine",
    "Shipment",
    "PurchaseOrder",
    "PurchaseOrderLine",
    "InboundShipment",
    "InboundShipmentLine",
)


async def get_node(
    info: Info,
    id: Annotated[strawberry.ID, strawberry.argument(description="A global ID.")],
) -> Node | None:
    ref = ids.decode(id, kind=NODE_KINDS)
    loaders = info.context.loaders
    if ref.kind == "Order":
        order = await loaders.order_by_ref.load(ref)
        return Order.from_model(order) if order else None
    if ref.kind == "Shipment":
        shipment = await loaders.shipment_by_ref.load(ref)
        return Shipment.from_model(shipment) if shipment else None
    if ref.kind == "PurchaseOrder":
        purchase_order = await loaders.purchase_order_by_ref.load(ref)
        return PurchaseOrder.from_model(purchase_order) if purchase_order else None
    if ref.kind == "InboundShipment":
        inbound = await loaders.inbound_shipment_by_ref.load(ref)
        return InboundShipment.from_model(inbound) if inbound else None
    if ref.kind == "PurchaseOrderLine":
        return await _purchase_order_line(info, ref)
    if ref.kind == "InboundShipmentLine":
        return await _inbound_shipment_line(info, ref)
    order_id, _, line_id = ref.id.partition("/")
    lines = await loaders.lines_by_order.load(ids.Ref(ref.provider, "Order", order_id))
    for line in lines:
        if line.id == line_id:
            return OrderLine.from_model(line)
    return None


async def _purchase_order_line(info: Info, ref: ids.Ref) -> PurchaseOrderLine | None:
    """A line by `<purchase order id>/<line id>`: found in its purchase order."""
    po_id, _, line_id = ref.id.partition("/")
    po_ref = ids.Ref(ref.provider, "PurchaseOrder", po_id)
    purchase_order = await info.context.loaders.purchase_order_by_ref.load(po_ref)
    if purchase_order is None:
        return None
    for line in await purchase_order_lines(info, purchase_order):
        if line.id == line_id:
            return PurchaseOrderLine.from_model(line)
    return None


async def _inbound_shipment_line(
    info: Info, ref: ids.Ref
) -> InboundShipmentLine | None:
    """A line by `<inbound shipment id>/<line id>`: found in its shipment."""
    inbound_id, _, line_id = ref.id.partition("/")
    inbound_ref = ids.Ref(ref.provider, "InboundShipment", inbound_id)
    inbound = await info.context.loaders.inbound_shipment_by_ref.load(inbound_ref)
    for line in (inbound.lines or ()) if inbound else ():
        if line.id == line_id:
            return InboundShipmentLine.from_model(line)
    return None


async def get_nodes(
    info: Info,
    ids_: Annotated[
        list[strawberry.ID],
        strawberry.argument(name="ids", description=f"Up to {MAX_NODES} global IDs."),
    ],
) -> list[Node | None]:
    if len(ids_) > MAX_NODES:
        raise InvalidArgument(f"nodes takes at most {MAX_NODES} IDs, got {len(ids_)}")
    # Each id resolves on its own and a failed one is returned as its exception:
    # graphql-core turns it into an error located at that index and nulls only
    # that slot. The loaders still batch every id into one call per provider.
    results = await asyncio.gather(
        *(get_node(info, node_id) for node_id in ids_), return_exceptions=True
    )
    for result in results:
        if isinstance(result, BaseException) and not isinstance(result, Exception):
            raise result
    return cast("list[Node | None]", results)
