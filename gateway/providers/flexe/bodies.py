"""Flexe request bodies built from domain inputs; Flexe rejects fields it does not know.

A None in an update input means "not given": the GraphQL layer cannot tell an
absent optional field from a null one, so nothing is cleared by leaving it out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gateway.models import (
    AddressInput,
    AttachmentCreate,
    FlexeRetailOptions,
    FlexeRetailUpdate,
    InboundShipmentCreate,
    OrderCreate,
    OrderLineCreate,
    OrderUpdate,
    Shipping,
)
from gateway.providers.flexe.refs import IDEMPOTENCY_LABEL

SIGNATURE = {True: "adult", False: "none"}
"""`shipping.signatureConfirmation` is a string in Flexe; these are its values."""

RETAIL_TYPE = "retail"
DEFAULT_RETAIL_UNIT = "each"
"""F20 needs a unit on every item; F3/F8 fall back to the catalogue's instead."""


def order_body(data: OrderCreate, idempotency_key: str) -> dict[str, Any]:
    """F3: a new order, labelled with the key that created it."""
    labels = data.flexe.label_map() if data.flexe else {}
    body: dict[str, Any] = {
        "externalId": data.external_id,
        "labels": {**labels, IDEMPOTENCY_LABEL: idempotency_key},
        "recipient": recipient(data.recipient),
        "lines": [line_body(line) for line in data.lines],
    }
    shipping = shipping_fields(data.shipping, data.notes)
    if shipping:
        body["shipping"] = shipping
    if data.flexe and data.flexe.reservation_id:
        body["reservationId"] = data.flexe.reservation_id
    return body


def recipient(address: AddressInput) -> dict[str, Any]:
    """F3/F4 `recipient`, every field present so an update replaces it whole
    (F4 merges key by key, and a key left out would keep the old value)."""
    return {
        "name": address.name,
        "phone": address.phone,
        "email": address.email,
        "address": {
            "line1": address.line1,
            "line2": address.line2,
            "line3": None,
            "city": address.city,
            "region": address.region,
            "postcode": address.postal_code,
            "country": address.country,
        },
    }


def shipping_fields(options: Shipping | None, notes: str | None) -> dict[str, Any]:
    """F3/F4 `shipping`: only what the caller gave."""
    if options is None:
        options = Shipping()
    signature = options.signature_required
    return _present(
        {
            "serviceType": options.service,
            "carrierBillingAccountId": options.carrier_account_id,
            "signatureConfirmation": None
            if signature is None
            else SIGNATURE[signature],
            "instructions": notes,
        }
    )


def line_body(line: OrderLineCreate, external_id: str | None = None) -> dict[str, Any]:
    """One F3 line, or the F8 body; Flexe takes the catalogue's unit when none."""
    return _present(
        {
            "externalId": external_id or line.external_id,
            "sku": line.sku,
            "quantity": line.quantity,
            "unitOfMeasure": line.unit_of_measure,
        }
    )


def update_body(data: OrderUpdate, kept_labels: Mapping[str, str]) -> dict[str, Any]:
    """F4: the changes; new labels replace the caller's, `kept_labels` stay."""
    body: dict[str, Any] = {}
    if data.recipient is not None:
        body["recipient"] = recipient(data.recipient)
    shipping = shipping_fields(data.shipping, data.notes)
    if shipping:
        body["shipping"] = shipping
    flexe = data.flexe
    if flexe is not None and flexe.reservation_id is not None:
        body["reservationId"] = flexe.reservation_id
    if flexe is not None and flexe.labels is not None:
        given = {label.key: label.value for label in flexe.labels}
        body["labels"] = {**given, **kept_labels}
    return body


def retail_body(
    data: OrderCreate, options: FlexeRetailOptions, idempotency_key: str
) -> dict[str, Any]:
    """F20: the key is the correlationId, which Flexe answers repeats with."""
    to = data.recipient
    shipping = data.shipping or Shipping()
    return _present(
        {
            "correlationId": idempotency_key,
            "customerUUID": options.customer_uuid,
            "id": data.external_id,
            "type": RETAIL_TYPE,
            "items": [
                {
                    "sku": line.sku,
                    "quantity": {
                        "value": line.quantity,
                        "unit": line.unit_of_measure or DEFAULT_RETAIL_UNIT,
                    },
                }
                for line in data.lines
            ],
            "shipTo": _present(
                {
                    "name": to.name,
                    "addressLine1": to.line1,
                    "addressLine2": to.line2,
                    "locality": to.city,
                    "region": to.region,
                    "postcode": to.postal_code,
                    "country": to.country,
                    "phone": to.phone,
                    "email": to.email,
                }
            ),
            "shipWindow": {
                "start": options.ship_window_start.isoformat(),
                "end": options.ship_window_end.isoformat(),
            },
            "shipmentType": options.shipment_type,
            "purchaseOrder": options.purchase_order,
            "destinationRetailer": options.destination_retailer,
            "carrier": options.carrier,
            "instructions": data.notes,
            "carrierServiceType": shipping.service,
            "carrierBillingAccountId": shipping.carrier_account_id,
        }
    )


def retail_update_body(update: FlexeRetailUpdate) -> dict[str, Any]:
    """F21: the carrier's SCAC and the bill of lading, where given."""
    return _present({"scac": update.scac, "bolNumber": update.bol_number})


def inbound_body(data: InboundShipmentCreate, idempotency_key: str) -> dict[str, Any]:
    """F18: the key is the correlationId, which Flexe answers repeats with."""
    return _present(
        {
            "correlationId": idempotency_key,
            "customerUUID": data.customer_uuid,
            "purchaseOrderId": data.purchase_order_id or data.purchase_order_number,
            "poNumber": data.purchase_order_number,
            "asnNumber": data.asn_number,
            "dropoffDate": data.dropoff_date.isoformat() if data.dropoff_date else None,
            "containerNumber": data.container_number,
            "billOfLading": data.bill_of_lading,
            "suplierOrVendor": data.supplier,
            "items": [
                _present(
                    {
                        "sku": item.sku,
                        "quantity": item.quantity,
                        "unit": item.unit,
                        "lotCode": item.lot_code,
                        "expirationDate": item.expiration_date.isoformat()
                        if item.expiration_date
                        else None,
                    }
                )
                for item in data.items
            ],
        }
    )


def attachment_body(
    data: AttachmentCreate,
    document_type: str,
    file_key: str | None,
    idempotency_key: str,
) -> dict[str, Any]:
    """F12: a stored file (`file_key`) or a URL; the label finds it again."""
    return _present(
        {
            "type": "file" if file_key is not None else "url",
            "documentType": document_type,
            "displayName": data.name,
            "fileKey": file_key,
            "externalUrl": None if file_key is not None else data.url,
            "labels": {IDEMPOTENCY_LABEL: idempotency_key},
        }
    )


def _present(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}
