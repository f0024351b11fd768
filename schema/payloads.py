"""Mutation payloads: the changed entity plus `userErrors`, one shared error type."""

from __future__ import annotations

from enum import Enum

import strawberry

from schema.attachments import Attachment
from schema.inbound_shipments import InboundShipment
from schema.orders import Order, OrderLine
from schema.purchase_orders import PurchaseOrder
from schema.shipments import Shipment


@strawberry.enum(description="Why a mutation did not do what was asked.")
class UserErrorCode(Enum):
    INVALID = strawberry.enum_value(
        "INVALID", description="A value is not acceptable; see `field` and `message`."
    )
    REQUIRED = strawberry.enum_value(
        "REQUIRED", description="A required value is missing."
    )
    NOT_FOUND = strawberry.enum_value(
        "NOT_FOUND", description="The object named by `field` does not exist."
    )
    CONFLICT = strawberry.enum_value(
        "CONFLICT",
        description="The object's state forbids the change (cancelling a shipped "
        "order), or it changed since it was read; read it again and decide.",
    )
    NOT_SUPPORTED = strawberry.enum_value(
        "NOT_SUPPORTED",
        description="The provider cannot do this at all; nothing was sent to it.",
    )


@strawberry.type(
    description="Something the caller can fix by changing the input or the "
    "object's state. Failures the caller can only retry are top-level `errors` "
    "instead, with `extensions.code` and `extensions.retryable`."
)
class UserError:
    field: list[str] | None = strawberry.field(
        description="Path to the input value at fault, from the argument name "
        '(`["input", "lines", "2", "quantity"]`); null when no single value is.'
    )
    code: UserErrorCode = strawberry.field(description="What kind of problem.")
    message: str = strawberry.field(description="What is wrong, for a person.")


@strawberry.type(description="Fields every mutation payload has.")
class Payload:
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Empty when the mutation did what was asked; otherwise why "
        "not, and then nothing was changed.",
    )


AFTER = "as the provider now has it; null when there are userErrors."


@strawberry.type(description="Result of `orderCreate`.")
class OrderCreatePayload(Payload):
    order: Order | None = strawberry.field(
        default=None, description=f"The order {AFTER}"
    )


@strawberry.type(description="Result of `orderUpdate`.")
class OrderUpdatePayload(Payload):
    order: Order | None = strawberry.field(
        default=None, description=f"The order {AFTER}"
    )


@strawberry.type(description="Result of `orderCancel`.")
class OrderCancelPayload(Payload):
    order: Order | None = strawberry.field(
        default=None, description=f"The order {AFTER}"
    )


@strawberry.type(description="Result of `orderLineCreate`.")
class OrderLineCreatePayload(Payload):
    order_line: OrderLine | None = strawberry.field(
        default=None, description=f"The new line {AFTER}"
    )


@strawberry.type(description="Result of `orderLineCancel`.")
class OrderLineCancelPayload(Payload):
    order_line: OrderLine | None = strawberry.field(
        default=None, description=f"The line {AFTER}"
    )


@strawberry.type(description="Result of `fulfillmentRequestAcknowledge`.")
class FulfillmentRequestAcknowledgePayload(Payload):
    order: Order | None = strawberry.field(
        default=None, description=f"The fulfilment request (an Order) {AFTER}"
    )


@strawberry.type(description="Result of `shipmentCreate`.")
class ShipmentCreatePayload(Payload):
    shipment: Shipment | None = strawberry.field(
        default=None, description=f"The shipment {AFTER}"
    )


@strawberry.type(description="Result of `purchaseOrderCreate`.")
class PurchaseOrderCreatePayload(Payload):
    purchase_order: PurchaseOrder | None = strawberry.field(
        default=None, description=f"The purchase order {AFTER}"
    )


@strawberry.type(description="Result of `purchaseOrderUpdate`.")
class PurchaseOrderUpdatePayload(Payload):
    purchase_order: PurchaseOrder | None = strawberry.field(
        default=None, description=f"The purchase order {AFTER}"
    )


@strawberry.type(description="Result of `purchaseOrderClose`.")
class PurchaseOrderClosePayload(Payload):
    purchase_order: PurchaseOrder | None = strawberry.field(
        default=None, description=f"The purchase order {AFTER}"
    )


@strawberry.type(description="Result of `purchaseOrderCancel`.")
class PurchaseOrderCancelPayload(Payload):
    purchase_order: PurchaseOrder | None = strawberry.field(
        default=None, description=f"The purchase order {AFTER}"
    )


@strawberry.type(description="Result of `inboundShipmentCreate`.")
class InboundShipmentCreatePayload(Payload):
    inbound_shipment: InboundShipment | None = strawberry.field(
        default=None, description=f"The inbound shipment {AFTER}"
    )


@strawberry.type(description="Result of `attachmentCreate`.")
class AttachmentCreatePayload(Payload):
    attachment: Attachment | None = strawberry.field(
        default=None, description=f"The attachment {AFTER}"
    )
