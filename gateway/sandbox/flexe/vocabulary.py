"""Flexe's fixed vocabularies: states, error codes, document types, reservations."""

from __future__ import annotations

ORDER_STATES = ("new", "allocated", "in_progress", "shipped", "cancelled")
# F4 update, F8 add line and F9 cancel line are allowed only before picking starts.
UPDATABLE_STATES = ("new", "allocated")

SHIPMENT_STATES = ("packed", "shipped", "delivered", "cancelled")

ALLOCATION_ERROR_CODES = (
    "INSUFFICIENT_INVENTORY",
    "UNKNOWN_SKU",
    "INVALID_ADDRESS",
    "NO_RESERVATION",
    "UOM_MISMATCH",
)

ATTACHMENT_TYPES = ("file", "url")
DOCUMENT_TYPES = (
    "shipping_label",
    "packing_slip",
    "bill_of_lading",
    "commercial_invoice",
    "other",
)

RESERVATIONS = ("res-seattle-01", "res-atlanta-02")

INBOUND_STATES = ("expected", "receiving", "received", "cancelled")
RETAIL_STATES = ("new", "allocated", "in_progress", "shipped", "cancelled")

WEBHOOK_EVENTS = (
    "outbound_order.created",
    "outbound_order.state_changed",
    "outbound_order_line.cancelled",
    "outbound_order.allocation_error",
    "shipment.shipped",
    "inventory.updated",
    "inbound_shipment.received",
)

# Order fields grouped the way F3/F4 nest them.
RECIPIENT_FIELDS = ("name", "phone", "email")
ADDRESS_FIELDS = ("line1", "line2", "line3", "city", "region", "postcode", "country")
REQUIRED_RECIPIENT_FIELDS = ("name",)
REQUIRED_ADDRESS_FIELDS = ("line1", "city", "region", "postcode", "country")
SHIPPING_FIELDS = (
    "instructions",
    "serviceType",
    "carrierBillingAccountId",
    "signatureConfirmation",
    "labelReference1",
    "labelReference2",
)
