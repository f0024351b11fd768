"""Mutations of the gateway acting as a fulfiller: accept a request, report tracking."""

from __future__ import annotations

from typing import Annotated

import strawberry

from gateway.models import LineAcknowledgement, ShipmentCreate
from resolvers.user_errors import EXPECTED, invalid, plain, to_user_errors, validate
from resolvers.write_args import decode, keyed, line_of
from resolvers.written import order_written, shipment_written
from schema.node import Info
from schema.order_inputs import FulfillmentRequestLineInput, ShipmentCreateInput
from schema.orders import Order
from schema.payloads import FulfillmentRequestAcknowledgePayload, ShipmentCreatePayload
from schema.shipments import Shipment


async def acknowledge_fulfillment_request(
    info: Info,
    id: Annotated[
        strawberry.ID,
        strawberry.argument(description="The fulfilment request's (Order's) ID."),
    ],
    lines: Annotated[
        list[FulfillmentRequestLineInput] | None,
        strawberry.argument(
            description="Accept only these quantities, cancelling the rest of each "
            "line named; every open unit when absent."
        ),
    ] = None,
) -> FulfillmentRequestAcknowledgePayload | None:
    try:
        ref = decode(id, "Order")
        accepted: list[LineAcknowledgement] = []
        for index, line in enumerate(lines or []):
            at = ["lines", str(index), "lineId"]
            line_ref, order_id, line_id = line_of(line.line_id, at)
            if (line_ref.provider, order_id) != (ref.provider, ref.id):
                raise invalid(at, "the line belongs to another fulfilment request")
            data = {**plain(line), "lineId": line_id}
            accepted.append(validate(LineAcknowledgement, data, ["lines", str(index)]))
        order = await info.context.provider(ref).acknowledge_order(ref.id, accepted)
    except EXPECTED as exc:
        # `lines` is an argument of its own, not part of an `input`.
        return FulfillmentRequestAcknowledgePayload(
            user_errors=to_user_errors(exc, ["id"], root=())
        )
    await order_written(info, ref.provider, order)
    return FulfillmentRequestAcknowledgePayload(order=Order.from_model(order))


async def create_shipment(
    info: Info,
    input: Annotated[
        ShipmentCreateInput, strawberry.argument(description="What shipped.")
    ],
) -> ShipmentCreatePayload | None:
    try:
        ref = decode(input.order_id, "Order", ["input", "orderId"])
        data = {**plain(input), "orderId": ref.id}
        shipment_input, key = keyed(ShipmentCreate, data)
        shipment = await info.context.provider(ref).create_shipment(
            shipment_input, idempotency_key=key
        )
    except EXPECTED as exc:
        return ShipmentCreatePayload(
            user_errors=to_user_errors(exc, ["input", "orderId"])
        )
    await shipment_written(info, ref.provider, shipment)
    return ShipmentCreatePayload(shipment=Shipment.from_model(shipment))
