"""Stored objects to Flexe's JSON, field names exactly as providers.md 1.3 has them."""

from __future__ import annotations

from typing import Any

from ..clock import iso, iso_or_none
from .model import (
    AllocationError,
    Attachment,
    InboundShipment,
    InventoryRecord,
    Line,
    Order,
    RetailOrder,
    Shipment,
    StoredFile,
    Webhook,
)

Json = dict[str, Any]


def order_json(order: Order, *, with_shipments: bool = True) -> Json:
    """F2/F3/F4 carry `shipmentIds`; F1 list items do not (S0)."""
    body: Json = {
        "id": order.id,
        "externalId": order.external_id,
        "state": order.state,
        "hasErrors": order.has_errors,
        "createdAt": iso(order.created_at),
        "updatedAt": iso(order.updated_at),
        "reservationId": order.reservation_id,
        "labels": dict(order.labels),
        "recipient": {**order.recipient, "address": dict(order.address)},
        "shipping": dict(order.shipping),
    }
    if with_shipments:
        body["shipmentIds"] = [s.id for s in order.shipments]
    return body


def _percent(part: int, whole: int) -> int:
    return 0 if whole <= 0 else min(100, part * 100 // whole)


def line_json(line: Line, order: Order) -> Json:
    return {
        "id": line.id,
        "orderId": line.order_id,
        "externalId": line.external_id,
        "sku": line.sku,
        "quantity": line.quantity,
        "unitOfMeasure": line.unit_of_measure,
        "labels": dict(line.labels),
        "createdAt": iso(line.created_at),
        "updatedAt": iso(line.updated_at),
        "cancelledAt": iso_or_none(line.cancelled_at),
        "completelyShippedAt": iso_or_none(line.completely_shipped_at),
        "percentAllocated": _percent(line.allocated_quantity, line.quantity),
        "percentShipped": _percent(line.shipped_quantity, line.quantity),
        "hasErrors": any(e.line_id == line.id for e in order.errors),
        "shipmentIds": list(line.shipment_ids),
        "allocatedQuantity": line.allocated_quantity,
        "shippedQuantity": line.shipped_quantity,
    }


def allocation_error_json(error: AllocationError) -> Json:
    return {
        "orderId": error.order_id,
        "orderExternalId": error.order_external_id,
        "orderLineId": error.line_id,
        "lineExternalId": error.line_external_id,
        "code": error.code,
        "details": error.details,
        "createdAt": iso(error.created_at),
        "labels": dict(error.labels),
    }


def shipment_json(shipment: Shipment) -> Json:
    return {
        "id": shipment.id,
        "orderId": shipment.order_id,
        "state": shipment.state,
        "carrier": shipment.carrier,
        "serviceType": shipment.service_type,
        "trackingNumbers": list(shipment.tracking_numbers),
        "shippedAt": iso_or_none(shipment.shipped_at),
        "deliveredAt": iso_or_none(shipment.delivered_at),
        "lines": [
            {"lineId": item.line_id, "sku": item.sku, "quantity": item.quantity}
            for item in shipment.lines
        ],
    }


def attachment_json(attachment: Attachment) -> Json:
    details = attachment.details
    return {
        "id": attachment.id,
        "orderId": attachment.order_id,
        "type": attachment.type,
        "documentType": attachment.document_type,
        "displayName": details.get("displayName"),
        "fileKey": details.get("fileKey"),
        "externalUrl": details.get("externalUrl"),
        "externalId": details.get("externalId"),
        "barcodeText": details.get("barcodeText"),
        "trackingNumber": details.get("trackingNumber"),
        "fileGroup": details.get("fileGroup"),
        "labels": dict(attachment.labels),
        "createdAt": iso(attachment.created_at),
        "cancelledAt": iso_or_none(attachment.cancelled_at),
    }


def file_json(stored: StoredFile) -> Json:
    return {
        "key": stored.key,
        "name": stored.name,
        "size": len(stored.content),
        "contentType": stored.content_type,
        "createdAt": iso(stored.created_at),
        "updatedAt": iso(stored.updated_at),
        "deletedAt": None,
        "labels": dict(stored.labels),
    }


def inventory_json(record: InventoryRecord) -> Json:
    """Snake case: the inventory call is the one Flexe endpoint that uses it (S0)."""

    def amount(value: int) -> Json:
        return {"amount": value, "unit": record.unit}

    return {
        "item_id": record.item_id,
        "sku": record.sku,
        "description": record.description,
        "reservation_id": record.reservation_id,
        "quantity_on_hand": amount(record.on_hand),
        "quantity_available": amount(record.on_hand - record.allocated),
        "quantity_allocated": amount(record.allocated),
        "last_updated_at": iso(record.last_updated_at),
    }


def inbound_json(shipment: InboundShipment) -> Json:
    return {
        "id": shipment.id,
        "correlationId": shipment.correlation_id,
        "customerUUID": shipment.customer_uuid,
        "purchaseOrderId": shipment.purchase_order_id,
        "purchaseOrder": shipment.po_number,
        "poNumber": shipment.po_number,
        "state": shipment.state,
        "reservationId": shipment.reservation_id,
        "dropoffDate": shipment.dropoff_date,
        **shipment.details,
        "items": [
            {
                "sku": item.sku,
                "quantity": item.quantity,
                "unit": item.unit,
                **item.details,
                "receivedQuantity": item.received_quantity,
            }
            for item in shipment.items
        ],
        "createdAt": iso(shipment.created_at),
        "updatedAt": iso(shipment.updated_at),
        "receivedAt": iso_or_none(shipment.received_at),
    }


def retail_summary_json(order: RetailOrder) -> Json:
    """What F20 answers: just enough to find the order again by shipmentId."""
    return {
        "id": order.id,
        "shipmentId": order.shipment_id,
        "state": order.state,
        "correlationId": order.correlation_id,
        "createdAt": iso(order.created_at),
    }


def retail_json(order: RetailOrder) -> Json:
    return {
        "id": order.id,
        "shipmentId": order.shipment_id,
        "type": order.type,
        "state": order.state,
        "correlationId": order.correlation_id,
        "customerUUID": order.customer_uuid,
        "items": [dict(item) for item in order.items],
        "shipTo": dict(order.ship_to),
        "shipWindow": dict(order.ship_window),
        **order.options,
        "scac": order.scac,
        "bolNumber": order.bol_number,
        "meta": order.meta,
        "createdAt": iso(order.created_at),
        "updatedAt": iso(order.updated_at),
    }


def webhook_json(webhook: Webhook) -> Json:
    return {
        "id": webhook.id,
        "name": webhook.name,
        "url": webhook.url,
        "events": list(webhook.events),
        "createdAt": iso(webhook.created_at),
    }
