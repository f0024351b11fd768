"""Purchase-order mutations (create, update, close, cancel) and inbound notices."""

from __future__ import annotations

from typing import Annotated

import strawberry

from gateway.models import (
    InboundShipmentCreate,
    PurchaseOrderCreate,
    PurchaseOrderUpdate,
)
from gateway.providers.base import Capability
from resolvers.user_errors import EXPECTED, plain, to_user_errors, validate
from resolvers.write_args import decode, keyed
from resolvers.written import inbound_written, purchase_order_written
from schema.inbound_shipments import InboundShipment
from schema.node import Info
from schema.payloads import (
    InboundShipmentCreatePayload,
    PurchaseOrderCancelPayload,
    PurchaseOrderClosePayload,
    PurchaseOrderCreatePayload,
    PurchaseOrderUpdatePayload,
)
from schema.purchase_order_inputs import (
    InboundShipmentCreateInput,
    PurchaseOrderCreateInput,
    PurchaseOrderUpdateInput,
)
from schema.purchase_orders import PurchaseOrder

PurchaseOrderId = Annotated[
    strawberry.ID, strawberry.argument(description="The purchase order's ID.")
]


async def create_purchase_order(
    info: Info,
    input: Annotated[
        PurchaseOrderCreateInput, strawberry.argument(description="The new PO.")
    ],
) -> PurchaseOrderCreatePayload | None:
    try:
        data = plain(input)
        po_input, key = keyed(PurchaseOrderCreate, data)
        slug = info.context.writer(Capability.CREATE_PURCHASE_ORDER, "purchase orders")
        po = await info.context.provider(slug).create_purchase_order(
            po_input, idempotency_key=key
        )
    except EXPECTED as exc:
        return PurchaseOrderCreatePayload(user_errors=to_user_errors(exc))
    await purchase_order_written(info, slug, po)
    return PurchaseOrderCreatePayload(purchase_order=PurchaseOrder.from_model(po))


async def update_purchase_order(
    info: Info,
    id: PurchaseOrderId,
    input: Annotated[
        PurchaseOrderUpdateInput, strawberry.argument(description="What to change.")
    ],
) -> PurchaseOrderUpdatePayload | None:
    try:
        ref = decode(id, "PurchaseOrder")
        changes = validate(PurchaseOrderUpdate, plain(input))
        po = await info.context.provider(ref).update_purchase_order(ref.id, changes)
    except EXPECTED as exc:
        return PurchaseOrderUpdatePayload(user_errors=to_user_errors(exc, ["id"]))
    await purchase_order_written(info, ref.provider, po)
    return PurchaseOrderUpdatePayload(purchase_order=PurchaseOrder.from_model(po))


async def close_purchase_order(
    info: Info, id: PurchaseOrderId
) -> PurchaseOrderClosePayload | None:
    try:
        ref = decode(id, "PurchaseOrder")
        po = await info.context.provider(ref).close_purchase_order(ref.id)
    except EXPECTED as exc:
        return PurchaseOrderClosePayload(user_errors=to_user_errors(exc, ["id"]))
    await purchase_order_written(info, ref.provider, po)
    return PurchaseOrderClosePayload(purchase_order=PurchaseOrder.from_model(po))


async def cancel_purchase_order(
    info: Info, id: PurchaseOrderId
) -> PurchaseOrderCancelPayload | None:
    try:
        ref = decode(id, "PurchaseOrder")
        po = await info.context.provider(ref).cancel_purchase_order(ref.id)
    except EXPECTED as exc:
        return PurchaseOrderCancelPayload(user_errors=to_user_errors(exc, ["id"]))
    await purchase_order_written(info, ref.provider, po)
    return PurchaseOrderCancelPayload(purchase_order=PurchaseOrder.from_model(po))


async def create_inbound_shipment(
    info: Info,
    input: Annotated[
        InboundShipmentCreateInput, strawberry.argument(description="The notice.")
    ],
) -> InboundShipmentCreatePayload | None:
    try:
        data = plain(input)
        notice, key = keyed(InboundShipmentCreate, data)
        slug = info.context.writer(
            Capability.CREATE_INBOUND_SHIPMENT, "inbound shipments"
        )
        inbound = await info.context.provider(slug).create_inbound_shipment(
            notice, idempotency_key=key
        )
    except EXPECTED as exc:
        return InboundShipmentCreatePayload(user_errors=to_user_errors(exc))
    await inbound_written(info, slug, inbound)
    return InboundShipmentCreatePayload(
        inbound_shipment=InboundShipment.from_model(inbound)
    )
