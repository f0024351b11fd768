"""B2B outbounds (S1 schema) and DTC orders as LAPI's JSON (§2.3)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..clock import iso, iso_or_none
from .model import (
    Attachment,
    DtcOrder,
    DtcShipment,
    OrderItem,
    Outbound,
    OutboundShipment,
    Pack,
)

Json = dict[str, Any]
UrlFor = Callable[[str], str]


def _item_prices(item: OrderItem) -> Json:
    return {
        "lineItemId": item.line_item_id,
        "lotNumber": item.lot_number,
        "unitPrice": item.unit_price,
        "totalPrice": item.total_price,
        "discount": item.discount,
    }


def order_item_json(item: OrderItem) -> Json:
    return {
        "logisticsSku": item.logistics_sku,
        "quantity": item.quantity,
        "quantityUOM": item.uom,
        "quantityPerPack": item.per_pack,
        **_item_prices(item),
        "productData": None if item.product_data is None else dict(item.product_data),
    }


def _pack_json(pack: Pack) -> Json:
    return {
        "packItems": [
            {
                "logisticsSku": p.logistics_sku,
                "quantity": p.quantity,
                "quantityUOM": p.uom,
            }
            for p in pack.items
        ],
        "carrierName": pack.carrier_name,
        "carrierSCAC": pack.carrier_scac,
        "trackingNumber": pack.tracking_number,
        "packageStatus": pack.package_status,
        "sscc": pack.sscc,
        "packDims": dict(pack.dims),
        "boxId": pack.box_id,
    }


def _attachment_json(attachment: Attachment, url_for: UrlFor) -> Json:
    """Sandbox addition: what was PUT to an L4 upload URL, readable at `url`."""
    assert attachment.content is not None
    assert attachment.uploaded_at is not None
    return {
        "attachmentType": attachment.attachment_type,
        "contentType": "application/pdf",
        "size": len(attachment.content),
        "uploadedAt": iso(attachment.uploaded_at),
        "url": url_for(attachment.token),
    }


def shipment_json(shipment: OutboundShipment, url_for: UrlFor) -> Json:
    return {
        "status": shipment.status,
        "shipmentId": shipment.id,
        "externalChannelShipmentId": None,
        "externalChannelReferenceNumber": None,
        "shipmentChargedWeight": shipment.charged_weight,
        "shipmentChargedWeightUnit": None if shipment.charged_weight is None else "lb",
        "shipFromAddress": dict(shipment.ship_from),
        "shipToAddress": dict(shipment.ship_to),
        "transportationDetails": dict(shipment.transportation),
        "packDetails": [_pack_json(p) for p in shipment.packs],
        "freightDetails": [
            {
                "bolId": f.bol_id,
                "proNumber": f.pro_number,
                "carrierName": f.carrier_name,
                "carrierSCAC": f.carrier_scac,
            }
            for f in shipment.freight
        ],
        "shipmentItems": [
            {
                "logisticsSku": s.item.logistics_sku,
                "quantity": s.quantity,
                "shippedQuantity": s.shipped_quantity,
                "quantityUOM": s.item.uom,
                "quantityPerPack": s.item.per_pack,
                **_item_prices(s.item),
            }
            for s in shipment.items
        ],
        "attachments": [
            _attachment_json(a, url_for)
            for a in shipment.attachments
            if a.content is not None
        ],
    }


def outbound_json(outbound: Outbound, url_for: UrlFor) -> Json:
    """Every S1 response field, null when unset; create-only fields are not echoed.

    `shipToAddress` and `transportationDetails` also appear at the top level (a
    sandbox addition): S1 has them only per shipment, and a PLANNED order has
    no shipment yet, but the order's recipient and service are always known.
    """
    return {
        "orderId": outbound.id,
        "externalId": outbound.external_id,
        "externalChannelId": outbound.external_channel_id,
        "locationId": outbound.location_id,
        "type": "B2B",
        "orderStatus": outbound.status,
        "orderItems": [order_item_json(item) for item in outbound.items],
        "shipToAddress": dict(outbound.ship_to),
        "transportationDetails": dict(outbound.transportation),
        "shipments": [shipment_json(s, url_for) for s in outbound.shipments],
        "shipBy": outbound.ship_by,
        "notes": outbound.notes,
        "retailerData": outbound.retailer_data,
        "ingestionChannel": outbound.ingestion_channel,
    }


def _dtc_shipment_json(shipment: DtcShipment) -> Json:
    """`status`, `shippedAt` and `deliveredAt` are sandbox additions (partial
    fulfilment is otherwise invisible per shipment)."""
    return {
        "id": shipment.id,
        "warehouseId": shipment.warehouse_id,
        "status": shipment.status,
        "shippedAt": iso_or_none(shipment.shipped_at),
        "deliveredAt": iso_or_none(shipment.delivered_at),
        "packages": [
            {
                "id": package.id,
                "label": {
                    "carrier": package.carrier,
                    "shippingMethod": package.shipping_method,
                    "trackingCode": package.tracking_code,
                    "packageDimensions": dict(package.dims),
                },
                "lineItems": [
                    {"logisticsSku": line.logistics_sku, "quantity": line.quantity}
                    for line in package.lines
                ],
            }
            for package in shipment.packages
        ],
    }


def dtc_order_json(order: DtcOrder) -> Json:
    return {
        "id": order.id,
        "externalOrderId": order.external_order_id,
        "state": {
            "internalStatus": order.status,
            "fulfillmentStatus": order.fulfillment_status,
        },
        "lineItems": [
            {"logisticsSku": line.logistics_sku, "quantity": line.quantity}
            for line in order.lines
        ],
        "address": dict(order.address),
        "promisedShipByTime": order.promised_ship_by,
        "promisedDeliveryByTime": order.promised_delivery_by,
        "deliveryDays": order.delivery_days,
        "packingSlipUrl": order.packing_slip_url,
        "duties": None if order.duties is None else dict(order.duties),
        "shipments": [_dtc_shipment_json(s) for s in order.shipments],
        "cost": order.cost,
        "currency": order.currency,
        "createdAt": iso(order.created_at),
        "shippedAt": iso_or_none(order.shipped_at),
        "deliveredAt": iso_or_none(order.delivered_at),
    }
