"""Flxpoint's fixed vocabularies: FR and shipping statuses, sources, carriers, modes."""

from __future__ import annotations

FR_STATUSES = (
    "Unprocessed",
    "Processing",
    "Processed",
    "Acknowledged",
    "Canceled",
    "Failed",
    "Voided",
    "Additional Info Required",
    "PO/FR # Exceeds Max Length",
    "Duplicate PO/FR #",
    "Cross Docked",
)
# Statuses validation at generation can leave an FR in, instead of Processing.
GENERATION_FAILURES = (
    "Failed",
    "Additional Info Required",
    "PO/FR # Exceeds Max Length",
    "Duplicate PO/FR #",
)
# A source may ship against an FR only once Flxpoint has routed it to the source
# and while nobody has cancelled, voided or failed it.
SHIPPABLE_STATUSES = ("Processing", "Processed", "Acknowledged", "Cross Docked")
CLOSED_STATUSES = ("Canceled", "Voided")

AWAITING = "Awaiting Shipment"
PARTIALLY_SHIPPED = "Partially Shipped"
SHIPPED = "Shipped"
CANCELED = "Canceled"
SHIPPING_STATUSES = (AWAITING, PARTIALLY_SHIPPED, SHIPPED, CANCELED)

ORDER_STATUSES = ("Open", "Partially Shipped", "Shipped", "Canceled")

ACCOUNT_ID = 10472
# The sources the gateway answers for: two warehouses (Reno, Columbus) and a
# dropship partner. The sandbox token is an Account token and sees all three.
SOURCE_IDS = (30871, 30872, 30874)

CHANNELS = (
    (5101, "Shopify - Trailhead Goods", "#"),
    (5102, "Amazon Seller Central", "114-"),
    (5103, "eBay - trailhead_goods", "EB-"),
)

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
MAX_FR_NUMBERS = 50
MAX_VARIANT_UPDATES = 50

MODIFY_MODES = ("none", "update", "updateNonNull")

# carrier -> (shipping method, tracking URL template)
CARRIER_SERVICES: dict[str, tuple[str, str]] = {
    "UPS": ("UPS Ground", "https://www.ups.com/track?tracknum={}"),
    "FedEx": ("FedEx Home Delivery", "https://www.fedex.com/fedextrack/?trknbr={}"),
    "USPS": (
        "USPS Priority Mail",
        "https://tools.usps.com/go/TrackConfirmAction?tLabels={}",
    ),
    "Canada Post": (
        "Expedited Parcel",
        "https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor={}",
    ),
    "Royal Mail": (
        "Tracked 48",
        "https://www.royalmail.com/track-your-item#/tracking-results/{}",
    ),
    "DHL": (
        "DHL Express Worldwide",
        "https://www.dhl.com/global-en/home/tracking.html?tracking-id={}",
    ),
}

COUNTRY_NAMES = {"US": "United States", "CA": "Canada", "GB": "United Kingdom"}
REGION_NAMES = {
    "WA": "Washington", "OR": "Oregon", "TX": "Texas", "GA": "Georgia",
    "CO": "Colorado", "IL": "Illinois", "NY": "New York", "MA": "Massachusetts",
    "AZ": "Arizona", "TN": "Tennessee", "OH": "Ohio", "CA": "California",
    "ON": "Ontario", "BC": "British Columbia", "QC": "Quebec", "AB": "Alberta",
    "NS": "Nova Scotia",
}  # fmt: skip
# people.py gives GB regions by name; Flxpoint's stateCode is the ISO 3166-2 code.
GB_REGION_CODES = {
    "England": "ENG",
    "Scotland": "SCT",
    "Wales": "WLS",
    "Northern Ireland": "NIR",
}
