"""LAPI's fixed vocabularies: statuses, enums, warehouses, event types, id ranges."""

from __future__ import annotations

from dataclasses import dataclass

VERSION = "2024-04"
BASE = f"/logistics/api/{VERSION}"

# B2B outbounds (§2.3/§2.4); their shipments move BOOKED -> IN_PROGRESS -> SHIPPED
# -> DELIVERED (or CANCELLED), packages PRE_TRANSIT -> IN_TRANSIT -> DELIVERED.
OUTBOUND_STATUSES = (
    "PLANNED",
    "BOOKED",
    "IN_PROGRESS",
    "SHIPPED",
    "DELIVERED",
    "CANCELLED",
)
OUTBOUND_CANCELLABLE = ("PLANNED", "BOOKED")
QUANTITY_UOMS = ("EACH", "CASE")
SHIPPING_PARTNERS = ("FLEXPORT", "THIRD_PARTY", "RECEIVER", "COLLECT")
SHIPPING_TYPES = ("LTL", "FTL", "PARCEL")
SHIPPING_SPEEDS = ("ONE_DAY", "TWO_DAY", "THREE_DAY", "STANDARD")
INCOTERMS = (
    "EXW", "FCA", "CPT", "CIP", "DAP", "DPU", "DDP", "FAS", "FOB", "CFR", "CIF",
)  # fmt: skip
ATTACHMENT_TYPES = (
    "SHIPPING_LABELS",
    "COMMERCIAL_INVOICE",
    "CASE_LABELS",
    "PALLET_LABELS",
    "BILL_OF_LADING",
    "PACKING_LIST",
)

# DTC orders (§2.3, inferred values); fulfillmentStatus is UNFULFILLED,
# PARTIALLY_FULFILLED, FULFILLED or CANCELLED; shipments PACKED -> SHIPPED -> DELIVERED.
ORDER_STATUSES = (
    "CREATED",
    "PROCESSING",
    "PICKED",
    "PACKED",
    "SHIPPED",
    "DELIVERED",
    "CANCELLED",
    "ERROR",
)
ORDER_CANCELLABLE = ("CREATED", "PROCESSING")

INBOUND_STATUSES = ("WORKING", "READY_TO_SHIP", "IN_TRANSIT", "ARRIVED", "COMPLETED")

# §2.6 documented types, then the project's additions (Outbound.*, *.Created) and
# the sandbox's own (Order.StatusChanged, Outbound.ShipmentStatusChanged).
EVENT_TYPES = (
    "Freight.TrackingUpdated",
    "Inbound.Received",
    "Inbound.ShipmentStatusChanged",
    "Inventory.Adjusted",
    "Order.Cancelled",
    "Order.Shipped",
    "Return.Updated",
    "Shipment.Cancelled",
    "Shipment.Created",
    "Shipment.Shipped",
    "Parcel.TrackingUpdated",
    "Outbound.Created",
    "Outbound.StatusChanged",
    "Outbound.ShipmentStatusChanged",
    "Order.Created",
    "Order.StatusChanged",
)
WEBHOOK_METHODS = ("POST", "PUT")
WEBHOOK_AUTH_METHODS = ("NONE", "BASIC_AUTH", "TOKEN")


@dataclass(frozen=True)
class Warehouse:
    id: str
    name: str
    street1: str
    city: str
    state: str
    zip: str


WAREHOUSES = (
    Warehouse("RNO1", "Flexport Reno (RNO1)", "1250 Lear Blvd", "Reno", "NV", "89502"),
    Warehouse(
        "ATL2", "Flexport McDonough (ATL2)", "350 Westridge Pkwy", "McDonough",
        "GA", "30253",
    ),
    Warehouse(
        "CMH1", "Flexport Columbus (CMH1)", "4100 Alum Creek Dr", "Columbus",
        "OH", "43207",
    ),
)  # fmt: skip
WAREHOUSE_IDS = tuple(w.id for w in WAREHOUSES)
WAREHOUSES_BY_ID = {w.id: w for w in WAREHOUSES}

# Integer id ranges, disjoint so a stray id never finds the wrong kind of object.
FIRST_OUTBOUND_ID = 71001
FIRST_OUTBOUND_SHIPMENT_ID = 810001
FIRST_ORDER_ID = 49201824001
FIRST_ORDER_SHIPMENT_ID = 560001
FIRST_PACKAGE_ID = 930001
FIRST_INBOUND_ID = 3100001
FIRST_INBOUND_ITEM_ID = 5100001
FIRST_SHIPPING_PLAN_ID = 2100001
FIRST_RECEIVING_ID = 4100001
FIRST_WEBHOOK_ID = 9001

# (carrier, SCAC) for parcels and for freight.
PARCEL_CARRIERS = (("UPS", "UPSN"), ("FedEx", "FDEG"), ("USPS", "USPS"))
FREIGHT_CARRIERS = (
    ("XPO Logistics", "CNWY"),
    ("Estes Express", "EXLA"),
    ("Old Dominion", "ODFL"),
    ("R+L Carriers", "RLCA"),
)
