"""Where LAPI's field errors (L1, L4, L6 bodies) land in the caller's input."""

from __future__ import annotations

from gateway.errors import Rejected
from gateway.providers.fieldmap import FieldMap, InputPath
from gateway.providers.flexport_logistics.mapping import SLUG

_ADDRESS = r"(?:shipToAddress|address)"
"""L1 names the recipient `shipToAddress`, L6 `address`; both are one Address."""

FIELDS = FieldMap(
    [
        # L1 B2B outbound (bodies.outbound_body)
        (r"externalId|externalOrderId", "externalId"),
        (r"orderItems\.(\d+)\.quantityUOM", "lines.{1}.unitOfMeasure"),
        # Required only for CASE lines: the unit of measure is what to change.
        (r"orderItems\.(\d+)\.quantityPerPack", "lines.{1}.unitOfMeasure"),
        (r"orderItems\.(\d+)\.quantity", "lines.{1}.quantity"),
        (r"orderItems\.(\d+)\.lineItemId", "lines.{1}.externalId"),
        (r"orderItems\.(\d+)\.(?:logisticsSku|productData(?:\..*)?)", "lines.{1}.sku"),
        (r"orderItems\.(\d+)(?:\..*)?", "lines.{1}"),
        (r"orderItems", "lines"),
        (r"transportationDetails(?:\..*)?", "shipping.service"),
        (r"shipBy|promisedShipByTime", "shipBy"),
        (r"notes", "notes"),
        (r"locationId", "flexportLogistics.locationId"),
        # L6 DTC order (bodies.dtc_body)
        (r"lineItems\.(\d+)\.logisticsSku", "lines.{1}.sku"),
        (r"lineItems\.(\d+)\.quantity", "lines.{1}.quantity"),
        (r"lineItems\.(\d+)(?:\..*)?", "lines.{1}"),
        (r"lineItems", "lines"),
        # The recipient, on either
        (_ADDRESS + r"\.street1", "recipient.line1"),
        (_ADDRESS + r"\.street2", "recipient.line2"),
        (_ADDRESS + r"\.zip", "recipient.postalCode"),
        (_ADDRESS + r"\.state", "recipient.region"),
        (_ADDRESS + r"\.(name|company|city|country|phone|email)", "recipient.{1}"),
        (_ADDRESS + r"(?:\..*)?", "recipient"),
        # L4 upload URL (attachments.py)
        (r"attachmentType", "documentType"),
        (r"contentType", "contentType"),
    ]
)
"""LAPI body paths -> `OrderCreate` / `AttachmentCreate` input paths."""


def rejected_at(path: InputPath, message: str) -> Rejected:
    """A refusal of the adapter's own, raised before any write: it names the
    caller's input already, so it needs no translation."""
    exc = Rejected(SLUG, message)
    exc.input_paths = [(path, message)]
    return exc
