"""Flexe request bodies built from domain inputs."""

from __future__ import annotations

from typing import Any

from gateway.models import OrderCreate


def order_body(data: OrderCreate) -> dict[str, Any]:
    """The F3 body for a new order (Flexe rejects fields it does not know)."""
    recipient = data.recipient
    address = {
        "line1": recipient.line1,
        "line2": recipient.line2,
        "city": recipient.city,
        "region": recipient.region,
        "postcode": recipient.postal_code,
        "country": recipient.country,
    }
    body: dict[str, Any] = {
        "externalId": data.external_id,
        "labels": data.flexe.label_map() if data.flexe else {},
        "recipient": _present(
            {
                "name": recipient.name,
                "phone": recipient.phone,
                "email": recipient.email,
                "address": _present(address),
            }
        ),
        "lines": [
            _present(
                {
                    "externalId": line.external_id,
                    "sku": line.sku,
                    "quantity": line.quantity,
                    "unitOfMeasure": line.unit_of_measure or "each",
                }
            )
            for line in data.lines
        ],
    }
    options = data.shipping
    shipping = _present(
        {
            "serviceType": options.service if options else None,
            "carrierBillingAccountId": options.carrier_account_id if options else None,
            "signatureConfirmation": options.signature_required if options else None,
            "instructions": data.notes,
        }
    )
    if shipping:
        body["shipping"] = shipping
    if data.flexe and data.flexe.reservation_id:
        body["reservationId"] = data.flexe.reservation_id
    return body


def _present(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}
