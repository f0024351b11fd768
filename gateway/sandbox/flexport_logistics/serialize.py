"""Products, inventory, inbounds, events and webhooks as LAPI's JSON (§2.3, §2.6)."""

from __future__ import annotations

from typing import Any

from ..clock import iso, iso_or_none
from .model import Event, InboundShipment, Product, Stock, Webhook
from .vocabulary import WAREHOUSES_BY_ID

Json = dict[str, Any]


def event_json(event: Event) -> Json:
    """An L16 item: `{id, type, time, payload}`."""
    return {
        "id": event.id,
        "type": event.type,
        "time": iso(event.time),
        "payload": dict(event.payload),
    }


def webhook_body(event: Event, account_id: str) -> Json:
    """The §2.6 webhook envelope: flat `logistics*` fields plus the payload's.

    `logisticsEventId` is the feed item's `id` as a string (§2.6 types it str),
    so a client can dedupe a webhook against what it already read from L16.
    """
    return {
        "logisticsAccountId": account_id,
        "logisticsEventId": str(event.id),
        "logisticsEventType": event.type,
        "logisticsEventTime": iso(event.time),
        **event.payload,
    }


def product_json(product: Product) -> Json:
    return {
        "logisticsSku": product.logistics_sku,
        "merchantSku": product.merchant_sku,
        "name": product.name,
        "barcodes": list(product.barcodes),
        "dimensions": dict(product.dims),
        "dimsLocked": product.dims_locked,
        "createdAt": iso(product.created_at),
        "updatedAt": iso(product.updated_at),
    }


def inventory_json(product: Product, stock: Stock) -> Json:
    """An L11/L12 item; `unavailable` counts reserved and damaged units."""
    return {
        "logisticsSku": product.logistics_sku,
        "available": stock.available,
        "onHand": stock.on_hand,
        "unavailable": stock.unavailable,
        "unitsPerPack": product.units_per_pack,
    }


def warehouses_json(logistics_sku: str, rows: dict[str, Stock]) -> Json:
    """An L13 item; only warehouses that hold (or held) the SKU are listed."""
    return {
        "logisticsSku": logistics_sku,
        "warehouses": [
            {
                "warehouseId": warehouse_id,
                "available": rows[warehouse_id].available,
                "onHand": rows[warehouse_id].on_hand,
            }
            for warehouse_id in sorted(rows)
        ],
    }


def inbound_json(shipment: InboundShipment) -> Json:
    warehouse = WAREHOUSES_BY_ID[shipment.destination]
    return {
        "id": shipment.id,
        "receivingId": shipment.receiving_id,
        "status": shipment.status,
        "shippingPlanId": shipment.plan_id,
        "shippingPlanExternalId": shipment.plan_external_id,
        "shippingPlanName": shipment.plan_name,
        "shippingOption": shipment.shipping_option,
        "destination": shipment.destination,
        "bookingId": shipment.booking_id,
        "from": {"name": shipment.from_name, "country": shipment.from_country},
        "to": {"name": warehouse.name},
        "arrivedAt": iso_or_none(shipment.arrived_at),
        "completedAt": iso_or_none(shipment.completed_at),
        "items": [
            {
                "shipmentItemId": item.id,
                "logisticsSku": item.logistics_sku,
                "merchantSku": item.merchant_sku,
                "lineItemId": item.line_item_id,
                "expected": item.expected,
                "sellable": item.sellable,
                "damaged": item.damaged,
            }
            for item in shipment.items
        ],
    }


def webhook_json(webhook: Webhook) -> Json:
    """The subscription as L17/L18 echo it; `password` and `token` never leave."""
    return {
        "id": webhook.id,
        "type": webhook.type,
        "url": webhook.url,
        "method": webhook.method,
        "authMethod": webhook.auth_method,
        "username": webhook.username,
        "tokenHeader": webhook.token_header,
        "createdAt": iso(webhook.created_at),
    }
