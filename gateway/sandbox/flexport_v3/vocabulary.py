"""Flexport API v3's fixed vocabularies: statuses, incoterms, modes, roles, units."""

from __future__ import annotations

API_VERSION = 3
SUPPORTED_VERSIONS = ("3",)

PO_STATUSES = ("open", "closed", "cancelled")
# Statuses a PO cannot leave: closing freezes it, cancelling archives it (S3).
FINAL_STATUSES = ("closed", "cancelled")

INCOTERMS = (
    "EXW", "FCA", "CPT", "CIP", "DAT", "DPU", "DAP", "DDP", "FAS", "FOB", "CFR", "CIF",
)  # fmt: skip
TRANSPORTATION_MODES = ("ocean", "air", "truck")
PARTY_ROLES = (
    "buyer", "seller", "owner", "shipper", "consignee", "freight_forwarder",
    "notify_party", "customs_broker", "carrier", "manufacturer", "buyers_agent",
    "sellers_agent",
)  # fmt: skip
# Flexport publishes no list; these are the codes a PO line is likely to carry.
UNITS_OF_MEASURE = (
    "EA", "PCS", "PR", "PK", "SET", "DZ", "CTN", "CS", "BX", "PLT", "KG", "LB",
    "G", "M", "CM", "L", "M3",
)  # fmt: skip
LINE_TYPES = ("main_line", "sub_line")
FREIGHT_PAYMENT_TERMS = ("freight_collect", "freight_prepaid")
MEASURE_TYPES = ("net_weight", "gross_weight", "volume", "length", "width", "height")

# Advance phases: statuses plus the two milestones an open PO passes through.
PHASE_OPEN = "open"
PHASE_ACKNOWLEDGED = "acknowledged"
PHASE_BOOKED = "booked"

EVENT_TYPES = (
    "/purchase_order#created",
    "/purchase_order#updated",
    "/purchase_order#acknowledged",
    "/purchase_order#closed",
    "/purchase_order#cancelled",
    "/purchase_order#archived",
)

# Wire keys of the small value objects, in the order S3 prints them.
ADDRESS_FIELDS = (
    "street_address", "street_address2", "city", "state", "country",
    "country_code", "zip", "unlocode", "timezone", "ref",
)  # fmt: skip
CONTACT_FIELDS = ("name", "phone", "email", "fax", "department")
PRODUCT_FIELDS = (
    "name", "sku", "color", "country_of_origin", "dangerous", "ean_ucc_13",
    "ean_ucc_8", "lot_number", "product_category", "size", "style", "upc",
)  # fmt: skip
HS_CODE_FIELDS = ("description", "code", "country_code")
MEASUREMENT_FIELDS = ("measure_type", "unit_of_measure", "value")
