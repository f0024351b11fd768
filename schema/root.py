"""The schema: root Query and Mutation bound to resolvers, and error masking."""

from __future__ import annotations

import logging
from functools import partial

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaskErrors
from strawberry.types import ExecutionContext

from gateway.errors import GatewayError
from resolvers import (
    attachment_writes,
    fulfillment_writes,
    inventory,
    nodes,
    order_writes,
    orders,
    purchase_order_writes,
    purchase_orders,
    shipments,
    subscriptions,
)
from schema.caches import DocumentCaches
from schema.cost import QueryCost
from schema.inbound_shipments import InboundShipment, InboundShipmentLine
from schema.inventory import SkuInventory
from schema.node import Node
from schema.orders import Order, OrderLine
from schema.pagination import (
    OrderConnection,
    PurchaseOrderConnection,
    ShipmentConnection,
)
from schema.partial import PartialErrors
from schema.purchase_orders import PurchaseOrder, PurchaseOrderLine
from schema.shipments import Shipment

log = logging.getLogger("gateway.graphql")


@strawberry.type(description="Read the unified fulfilment graph.")
class Query:
    order: Order | None = strawberry.field(
        resolver=orders.get_order,
        description="One order by global ID; null if the provider has no such order.",
    )
    order_by_external_id: Order | None = strawberry.field(
        resolver=orders.get_order_by_external_id,
        description="One order by the merchant's reference at a provider.",
    )
    orders: OrderConnection | None = strawberry.field(
        resolver=orders.list_orders,
        description="Orders across the enabled providers, newest first. Null only "
        "if no provider could answer.",
    )
    shipment: Shipment | None = strawberry.field(
        resolver=shipments.get_shipment,
        description="One shipment by global ID; null if the provider has none.",
    )
    shipments: ShipmentConnection | None = strawberry.field(
        resolver=shipments.list_shipments,
        description="Shipments across the providers that list them, oldest first. "
        "A provider that fails is reported as an error naming it; null only if no "
        "provider could answer.",
    )
    purchase_order: PurchaseOrder | None = strawberry.field(
        resolver=purchase_orders.get_purchase_order,
        description="One purchase order by global ID; null if the provider has none.",
    )
    purchase_order_by_number: PurchaseOrder | None = strawberry.field(
        resolver=purchase_orders.get_purchase_order_by_number,
        description="The purchase order with this PO number at the first provider "
        "holding purchase orders that has one; null if none has.",
    )
    purchase_orders: PurchaseOrderConnection | None = strawberry.field(
        resolver=purchase_orders.list_purchase_orders,
        description="Purchase orders across the providers that hold them, newest "
        "first. A provider that fails is reported as an error naming it; null only "
        "if no provider could answer.",
    )
    inventory: list[SkuInventory] = strawberry.field(
        resolver=inventory.get_inventory,
        description="Stock of each SKU at every provider that keeps stock.",
    )
    node: Node | None = strawberry.field(
        resolver=nodes.get_node, description="Any object by global ID."
    )
    nodes: list[Node | None] = strawberry.field(
        resolver=nodes.get_nodes,
        description="Several objects by global ID, in the order asked.",
    )


@strawberry.type(
    description="Change the fulfilment graph. Every mutation answers a payload "
    "with the changed object and `userErrors` (what the caller can fix); failures "
    "the caller can only retry are top-level errors. A mutation a provider cannot "
    "perform answers a NOT_SUPPORTED userError without calling it."
)
class Mutation:
    order_create = strawberry.mutation(
        resolver=order_writes.create_order,
        description="Create an order: Flexe DTC (single order) or RETAIL (retail "
        "fulfilment order), Flexport Logistics B2B (outbound) or DTC.",
    )
    order_update = strawberry.mutation(
        resolver=order_writes.update_order,
        description="Change an order's recipient, shipping, notes or provider "
        "options (Flexe); patch semantics.",
    )
    order_cancel = strawberry.mutation(
        resolver=order_writes.cancel_order,
        description="Cancel an order (Flexe: every open line; Flexport Logistics; "
        "Flxpoint). CONFLICT once it is too late.",
    )
    order_line_create = strawberry.mutation(
        resolver=order_writes.create_order_line,
        description="Add a line to an open Flexe order.",
    )
    order_line_cancel = strawberry.mutation(
        resolver=order_writes.cancel_order_line,
        description="Cancel one line of a Flexe order; CONFLICT once it shipped.",
    )
    fulfillment_request_acknowledge = strawberry.mutation(
        resolver=fulfillment_writes.acknowledge_fulfillment_request,
        description="Accept a Flxpoint fulfilment request as its source, in full "
        "or per line.",
    )
    shipment_create = strawberry.mutation(
        resolver=fulfillment_writes.create_shipment,
        description="Report tracking for a Flxpoint fulfilment request.",
    )
    purchase_order_create = strawberry.mutation(
        resolver=purchase_order_writes.create_purchase_order,
        description="Create a purchase order (Flexport API v3).",
    )
    purchase_order_update = strawberry.mutation(
        resolver=purchase_order_writes.update_purchase_order,
        description="Change some fields or lines of a purchase order and keep the "
        "rest; CONFLICT if it changed meanwhile.",
    )
    purchase_order_close = strawberry.mutation(
        resolver=purchase_order_writes.close_purchase_order,
        description="Close a purchase order: no further bookings.",
    )
    purchase_order_cancel = strawberry.mutation(
        resolver=purchase_order_writes.cancel_purchase_order,
        description="Cancel a purchase order; CONFLICT once it has a booking.",
    )
    inbound_shipment_create = strawberry.mutation(
        resolver=purchase_order_writes.create_inbound_shipment,
        description="Tell a Flexe warehouse goods are coming for a PO (an ASN).",
    )
    attachment_create = strawberry.mutation(
        resolver=attachment_writes.create_attachment,
        description="Attach a document to an order: a file (multipart upload on "
        "/graphql/upload) or a URL.",
    )


@strawberry.type(
    description="Live changes over a websocket (graphql-transport-ws, or the "
    "legacy graphql-ws) on /graphql. Every event has an `eventId`: subscribe "
    "again with `after` set to the last one received to get what was missed."
)
class Subscription:
    order_status_changed = strawberry.subscription(
        resolver=subscriptions.order_status_changed,
        description="Order status changes, from provider webhooks and polling.",
    )
    shipment_updated = strawberry.subscription(
        resolver=subscriptions.shipment_updated,
        description="Shipments created or moving on (shipped, delivered, …).",
    )
    purchase_order_status_changed = strawberry.subscription(
        resolver=subscriptions.purchase_order_status_changed,
        description="Purchase orders created, acknowledged, closed or cancelled.",
    )
    inventory_changed = strawberry.subscription(
        resolver=subscriptions.inventory_changed,
        description="Stock of SKUs moving at the providers that report it.",
    )


def should_mask_error(error: GraphQLError) -> bool:
    """Hide anything we did not raise on purpose; syntax and validation errors stay."""
    original = error.original_error
    # A GraphQLError as the cause is graphql-core's own (variable coercion).
    if original is None or isinstance(original, GatewayError | GraphQLError):
        return False
    log.error("unexpected error in %s", error.path, exc_info=original)
    return True


class GatewaySchema(strawberry.Schema):
    """The strawberry schema, logging each error where it is understood."""

    def process_errors(
        self,
        errors: list[GraphQLError],
        execution_context: ExecutionContext | None = None,
    ) -> None:
        # Strawberry's default logs every error with its traceback: under a
        # provider outage that is one traceback per failed field per request,
        # which costs more CPU than the answer. A provider failure is logged
        # once where the call failed (gateway.http), an unexpected error with
        # its traceback by should_mask_error, and a client's mistake is at
        # most one DEBUG line.
        if log.isEnabledFor(logging.DEBUG):
            for error in errors:
                log.debug("graphql error at %s: %s", error.path, error.message)


schema = GatewaySchema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    types=[
        Order,
        OrderLine,
        Shipment,
        PurchaseOrder,
        PurchaseOrderLine,
        InboundShipment,
        InboundShipmentLine,
    ],
    extensions=[
        # QueryCost before DocumentCaches: a document over a limit is rejected
        # before it pays for validation (and never reaches a resolver).
        QueryCost,
        DocumentCaches,
        PartialErrors,
        # A factory: strawberry builds a fresh extension instance per operation.
        partial(
            MaskErrors,
            should_mask_error=should_mask_error,
            error_message="Unexpected error.",
        ),
    ],
)
