"""Stored objects to Flxpoint's JSON, field names exactly as providers.md 4.3."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from ..clock import iso, iso_or_none
from .model import ChannelOrder, FrItem, FulfillmentRequest, Shipment, Variant
from .state import FlxpointState
from .vocabulary import ACCOUNT_ID, CLOSED_STATUSES

Json = dict[str, Any]


def money(cents: int | None) -> float | None:
    return None if cents is None else round(cents / 100, 2)


def _item_json(item: FrItem) -> Json:
    return {
        "id": item.id,
        "sku": item.sku,
        "title": item.title,
        "quantity": item.quantity,
        "cost": money(item.cost_cents),
        "acknowledgedQuantity": item.acknowledged_quantity,
        "secondaryAcknowledgedQuantity": item.secondary_acknowledged_quantity,
        "cancelledQuantity": item.cancelled_quantity,
        "shippedQuantity": item.shipped_quantity,
        "orderItemId": item.order_item_id,
        "inventoryVariantId": item.inventory_variant_id,
        "upc": item.upc,
        "weight": item.weight_lb,
        "weightUnit": {"handle": "lb"},
    }


def fr_json(fr: FulfillmentRequest) -> Json:
    """`invoiced` and `updatedAt` are sandbox additions (filterInvoiced, polling)."""
    return {
        "id": fr.id,
        "fulfillmentRequestNumber": fr.number,
        "orderId": fr.order_id,
        "sourceId": fr.source_id,
        "fulfillmentRequestStatus": {"name": fr.status},
        "fulfillmentStatus": fr.fulfillment_status,
        "generatedAt": iso(fr.generated_at),
        "acknowledgedAt": iso_or_none(fr.acknowledged_at),
        "voidedAt": iso_or_none(fr.voided_at),
        "updatedAt": iso(fr.updated_at),
        "invoiced": fr.invoiced,
        "shippingAddress": dict(fr.shipping_address),
        "fulfillmentRequestItems": [_item_json(item) for item in fr.items],
    }


def shipment_json(shipment: Shipment) -> Json:
    return {
        "id": shipment.id,
        "note": shipment.note,
        "trackingUrl": shipment.tracking_url,
        "trackingNumber": shipment.tracking_number,
        "carrier": shipment.carrier,
        "method": shipment.method,
        "shippedAt": iso(shipment.shipped_at),
        "insertedAt": iso(shipment.inserted_at),
        "updatedAt": iso(shipment.updated_at),
        "shippingCost": money(shipment.shipping_cost_cents),
        "orderId": shipment.order_id,
        "purchaseOrderId": shipment.fr_id,
        "fulfillmentRequestId": shipment.fr_id,
        "rmaId": None,
        "sourceId": shipment.source_id,
        "accountId": ACCOUNT_ID,
        "partial": shipment.partial,
        "suppressed": False,
        "syncedToChannel": shipment.synced_to_channel,
        "syncError": None,
        "crossDockPurchaseOrderId": None,
        "accountingSynced": shipment.synced_to_channel,
        "customFields": [],
        "shipmentItems": [
            {
                "id": item.id,
                "sku": item.sku,
                "quantity": item.quantity,
                "shipmentId": item.shipment_id,
                "inventoryVariantId": item.inventory_variant_id,
                "partial": item.partial,
                "orderItemId": item.order_item_id,
                "purchaseOrderItemId": item.fr_item_id,
                "fulfillmentRequestItemId": item.fr_item_id,
                "committedStockReleasedQuantity": item.quantity,
                "rmaItemId": None,
                "customFields": [],
            }
            for item in shipment.items
        ],
    }


def order_status(st: FlxpointState, order: ChannelOrder) -> str:
    """Derived from the order's live FRs (inferred vocabulary: ORDER_STATUSES)."""
    if order.canceled_at is not None:
        return "Canceled"
    live = [fr for fr in st.frs_of(order) if fr.status not in CLOSED_STATUSES]
    if not live:
        return "Canceled" if order.fr_ids else "Open"
    if all(fr.fulfillment_status == "Shipped" for fr in live):
        return "Shipped"
    if any(fr.shipped_units > 0 for fr in live):
        return "Partially Shipped"
    return "Open"


def order_json(st: FlxpointState, order: ChannelOrder) -> Json:
    return {
        "id": order.id,
        "orderNumber": order.order_number,
        "channelId": order.channel_id,
        "channelName": order.channel_name,
        "status": order_status(st, order),
        "orderedAt": iso(order.ordered_at),
        "insertedAt": iso(order.inserted_at),
        "updatedAt": iso(order.updated_at),
        "canceledAt": iso_or_none(order.canceled_at),
        "note": order.note,
        "shippingAddress": dict(order.shipping_address),
        "orderItems": [
            {
                "id": item.id,
                "sku": item.sku,
                "title": item.title,
                "quantity": item.quantity,
                "unitPrice": money(item.price_cents),
            }
            for item in order.items
        ],
        "fulfillmentRequests": [
            {"id": fr.id, "fulfillmentRequestNumber": fr.number}
            for fr in st.frs_of(order)
        ],
    }


def variant_json(variant: Variant, include: Collection[str] = ()) -> Json:
    body: Json = {
        "id": variant.id,
        "inventoryItemId": variant.inventory_item_id,
        "inventoryParentId": variant.inventory_parent_id,
        "sourceId": variant.source_id,
        "accountId": ACCOUNT_ID,
        "sku": variant.sku,
        "masterSku": variant.sku,
        "title": variant.title,
        "upc": variant.upc,
        "mpn": variant.mpn,
        "ean": variant.ean,
        "asin": variant.asin,
        "quantity": variant.quantity,
        "totalQuantity": variant.total_quantity,
        "committedQuantity": variant.committed_quantity,
        "incomingQuantity": variant.incoming_quantity,
        "cost": money(variant.cost_cents),
        "msrp": money(variant.msrp_cents),
        "map": money(variant.map_cents),
        "inventoryListPrice": money(variant.list_price_cents),
        "shippingCost": money(variant.shipping_cost_cents),
        "dropshipFee": money(variant.dropship_fee_cents),
        "weight": variant.weight_lb,
        "length": variant.length_in,
        "width": variant.width_in,
        "height": variant.height_in,
        "weightUnit": {"handle": "lb"},
        "dimensionUnit": {"handle": "in"},
        "allowBackorders": variant.allow_backorders,
        "requiresFfl": False,
        "archived": variant.archived,
        "binLocation": variant.bin_location,
        "supplierVariantId": f"SV-{variant.id}",
        "referenceIdentifier": f"{variant.source_id}:{variant.sku}",
        "insertedAt": iso(variant.inserted_at),
        "updatedAt": iso(variant.updated_at),
        "totalQuantityLastChangedAt": iso(variant.total_quantity_last_changed_at),
        "contentUpdatedAt": iso(variant.content_updated_at),
    }
    body.update(_included(variant, include))
    return body


def _included(variant: Variant, include: Collection[str]) -> Json:
    """The nested objects the X10 `include*` flags ask for, and only those."""
    extra: Json = {}
    if "includeParent" in include:
        extra["parent"] = {
            "id": variant.inventory_parent_id,
            "sku": variant.parent_sku,
            "title": variant.parent_title,
        }
    if "includeImages" in include:
        slug = variant.sku.lower()
        extra["images"] = [
            {"position": 1, "url": f"https://images.example.com/flxpoint/{slug}.jpg"}
        ]
    if "includeOptions" in include:
        extra["options"] = [{"name": n, "value": v} for n, v in variant.options]
    if "includeAttributes" in include:
        extra["attributes"] = [{"name": "Brand", "value": "Trailhead Goods"}]
    if "includeCategories" in include:
        extra["categories"] = [
            {"id": variant.inventory_parent_id % 997, "name": variant.parent_title}
        ]
    if "includeCustomFields" in include:
        extra["customFields"] = [
            {"id": 1, "name": "Bin", "value": variant.bin_location}
        ]
    if "includeCustomAggregates" in include:
        extra["customAggregates"] = []
    if "includeLinkedProductVariants" in include:
        extra["linkedProductVariants"] = []
    return extra
