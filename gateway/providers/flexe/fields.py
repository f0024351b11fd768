"""Flexe's field paths in 422 answers -> the caller's input paths, one map per write.

Input the adapter refuses itself, before any call, is located the same way
(`refused`).

The paths on the right are the camelCase input names (`OrderCreate`'s aliases),
relative to the write's input. Rules are tried in order, the specific before
the general, so `lines.2.quantity` names the line's quantity and an error on a
whole line names the line.
"""

from __future__ import annotations

from gateway.errors import Rejected
from gateway.providers.fieldmap import FieldMap, InputPath

_RECIPIENT = [
    (r"recipient\.(name|phone|email)", "recipient.{1}"),
    (r"recipient\.address\.postcode", "recipient.postalCode"),
    # The input has two street lines; Flexe's third is never sent.
    (r"recipient\.address\.(?:line2|line3)", "recipient.line2"),
    (r"recipient\.address\.(line1|city|region|country)", "recipient.{1}"),
    (r"recipient(?:\.address)?", "recipient"),
]
_SHIPPING = [
    (r"shipping\.serviceType", "shipping.service"),
    (r"shipping\.carrierBillingAccountId", "shipping.carrierAccountId"),
    (r"shipping\.signatureConfirmation", "shipping.signatureRequired"),
    (r"shipping\.instructions", "notes"),
    (r"shipping(?:\..*)?", "shipping"),
]
_LINE = r"(externalId|sku|quantity|unitOfMeasure)"

ORDER = FieldMap(
    [
        (r"externalId", "externalId"),
        (r"reservationId", "flexe.reservationId"),
        (r"labels(?:\..*)?", "flexe.labels"),
        *_RECIPIENT,
        *_SHIPPING,
        (rf"lines\.(\d+)\.{_LINE}", "lines.{1}.{2}"),
        (r"lines\.(\d+)(?:\..*)?", "lines.{1}"),
        (r"lines", "lines"),
    ]
)
"""F3 create and F4 update (whose paths are F3's)."""

LINE = FieldMap([(_LINE, "{1}")])
"""F8 add a line: the input is the line itself."""

RETAIL = FieldMap(
    [
        (r"customerUUID", "flexe.retail.customerUuid"),
        (r"id", "externalId"),
        (r"items\.(\d+)\.sku", "lines.{1}.sku"),
        (r"items\.(\d+)\.quantity\.unit", "lines.{1}.unitOfMeasure"),
        (r"items\.(\d+)\.quantity(?:\.value)?", "lines.{1}.quantity"),
        (r"items\.(\d+)(?:\..*)?", "lines.{1}"),
        (r"items", "lines"),
        (r"shipTo\.(name|region|country|phone|email)", "recipient.{1}"),
        (r"shipTo\.addressLine1", "recipient.line1"),
        (r"shipTo\.addressLine[23]", "recipient.line2"),
        (r"shipTo\.locality", "recipient.city"),
        (r"shipTo\.postcode", "recipient.postalCode"),
        (r"shipTo(?:\..*)?", "recipient"),
        (r"shipWindow\.start", "flexe.retail.shipWindowStart"),
        (r"shipWindow\.end", "flexe.retail.shipWindowEnd"),
        (r"shipWindow", "flexe.retail"),
        (
            r"(shipmentType|purchaseOrder|destinationRetailer|carrier)",
            "flexe.retail.{1}",
        ),
        (r"instructions", "notes"),
        (r"carrierServiceType", "shipping.service"),
        (r"carrierBillingAccountId", "shipping.carrierAccountId"),
    ]
)
"""F20 create a retail fulfillment order from an OrderCreate of kind RETAIL."""

RETAIL_UPDATE = FieldMap([(r"(scac|bolNumber)", "flexe.retail.{1}")])
"""F21 update a retail fulfillment order from an OrderUpdate."""

INBOUND = FieldMap(
    [
        (r"customerUUID", "customerUuid"),
        (r"poNumber", "purchaseOrderNumber"),
        (r"suplierOrVendor", "supplier"),
        (
            r"(purchaseOrderId|asnNumber|dropoffDate|containerNumber|billOfLading)",
            "{1}",
        ),
        (r"items\.(\d+)\.(sku|quantity|unit|lotCode|expirationDate)", "items.{1}.{2}"),
        (r"items\.(\d+)(?:\..*)?", "items.{1}"),
        (r"items", "items"),
    ]
)
"""F18 notify an inbound shipment."""

ATTACHMENT = FieldMap(
    [
        (r"documentType", "documentType"),
        (r"displayName|name", "name"),
        (r"externalUrl", "url"),
        (r"fileKey|key", "file"),
    ]
)
"""F14 store a file (its `name` parameter) and F12 attach it or a URL."""


def refused(slug: str, problems: list[tuple[InputPath, str]]) -> Rejected:
    """A Rejected raised before any call, already located in the input.

    Raise it outside `translated(...)`, which would relocate it by `fields`.
    """
    exc = Rejected(slug, "; ".join(message for _, message in problems))
    exc.input_paths = list(problems)
    return exc
