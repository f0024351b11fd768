"""Seed B2B outbounds: retailer replenishments in every status, some split."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from .. import people
from ..clock import iso
from . import outbound_machine as machine
from .addresses import address
from .model import Json, OrderItem, Outbound, Product
from .seed_timing import ago, steps
from .state import LapiState
from .vocabulary import OUTBOUND_STATUSES, SHIPPING_PARTNERS, WAREHOUSE_IDS

_WEIGHTS = {
    "PLANNED": 12,
    "BOOKED": 12,
    "IN_PROGRESS": 16,
    "SHIPPED": 20,
    "DELIVERED": 30,
    "CANCELLED": 10,
}
# How old an outbound in each status may be, in hours.
_AGE_HOURS = {
    "PLANNED": (1, 5 * 24),
    "BOOKED": (6, 8 * 24),
    "IN_PROGRESS": (24, 12 * 24),
    "SHIPPED": (48, 20 * 24),
    "DELIVERED": (8 * 24, 90 * 24),
    "CANCELLED": (12, 90 * 24),
}
# Transitions replayed to reach each status (cancelled ones are handled apart).
_MOVES = {"PLANNED": 0, "BOOKED": 1, "IN_PROGRESS": 2, "SHIPPED": 3, "DELIVERED": 4}
_RETAILERS = ("Target", "Walmart", "Costco", "REI", "Nordstrom", "Best Buy")
_NOTES = (None, None, None, "Appointment required", "Floor-load not accepted")


def seed_outbounds(st: LapiState, anchor: datetime, count: int) -> None:
    rng = st.rng
    statuses = list(OUTBOUND_STATUSES)
    statuses += rng.choices(
        statuses, [_WEIGHTS[s] for s in statuses], k=max(0, count - len(statuses))
    )
    plans = sorted(
        (ago(rng, anchor, *_AGE_HOURS[status]), status) for status in statuses[:count]
    )
    for number, (created, status) in enumerate(plans):
        outbound = _outbound(st, rng, f"WHS-{300001 + number}", created)
        machine.created(st, outbound)
        _history(st, rng, outbound, status, anchor)


def _item(
    rng: random.Random, product: Product, position: int, price: float
) -> OrderItem:
    case = product.units_per_pack > 1 or rng.random() < 0.35
    per_pack = product.units_per_pack if product.units_per_pack > 1 else 12
    quantity = rng.randint(2, 30) if case else rng.randint(1, 20) * 6
    unit_price = round(price * (per_pack if case else 1), 2)
    discount = round(unit_price * quantity * 0.05, 2) if rng.random() < 0.2 else 0.0
    return OrderItem(
        logistics_sku=product.logistics_sku,
        quantity=quantity,
        uom="CASE" if case else "EACH",
        per_pack=per_pack if case else 1,
        line_item_id=str(position + 1),
        lot_number=f"LOT-{rng.randint(1000, 9999)}" if rng.random() < 0.1 else None,
        unit_price=unit_price,
        total_price=round(unit_price * quantity - discount, 2),
        discount=discount,
        # Some lines carry no productData, so clients must map logisticsSku.
        product_data=None
        if rng.random() < 0.1
        else {
            "upc": product.barcodes[0],
            "buyerPartNumber": f"BPN-{rng.randint(100000, 999999)}",
            "sku": product.merchant_sku,
            "gtin": None,
        },
    )


def _transportation(rng: random.Random, country: str) -> Json:
    kind = rng.choices(("PARCEL", "LTL", "FTL"), (40, 45, 15))[0]
    partner = rng.choices(SHIPPING_PARTNERS, (60, 15, 10, 15))[0]
    account = None
    if partner in ("THIRD_PARTY", "COLLECT"):
        account = {
            "carrierName": "UPS" if kind == "PARCEL" else "XPO Logistics",
            "carrierAccountId": f"{rng.randint(100000, 999999)}",
            "country": country,
            "postalCode": None,
        }
    method = {
        "PARCEL": rng.choice(("UPS Ground", "FedEx Ground")),
        "LTL": "LTL Standard",
        "FTL": "FTL Dry Van",
    }[kind]
    return {
        "shippingPartner": partner,
        "shippingType": kind,
        "carrierAccountDetails": account,
        "duties": None
        if country == "US"
        else {"dutyPaymentAccountDetails": None, "incoterm": "DAP", "eelPfc": None},
        "shippingMethod": method,
        "shippingSpeed": rng.choices(("STANDARD", "TWO_DAY", "ONE_DAY"), (80, 15, 5))[
            0
        ],
    }


def _outbound(
    st: LapiState, rng: random.Random, external_id: str, created: datetime
) -> Outbound:
    retailer = rng.choice(_RETAILERS)
    where = people.address(rng, rng.choices(("US", "CA"), (85, 15))[0])
    ship_to = address(
        f"{retailer} DC {rng.randint(100, 999)}",
        where.line1,
        where.city,
        where.region,
        where.postcode,
        where.country,
        company=retailer,
        street2=where.line2,
        phone=people.person(rng).phone,
        isResidential=False,
    )
    products = rng.sample(st.products_in_order(), rng.randint(1, 5))
    items = []
    for position, product in enumerate(products):
        item = st.catalog.product(product.merchant_sku)
        price = (item.unit_cost_cents if item else 500) * 1.6 / 100
        items.append(_item(rng, product, position, price))
    ship_by = created + timedelta(days=rng.randint(3, 10))
    edi = rng.random() < 0.65
    return Outbound(
        id=next(st.ids.outbound),
        external_id=external_id,
        status="PLANNED",
        location_id=rng.choice(WAREHOUSE_IDS),
        items=items,
        ship_to=ship_to,
        transportation=_transportation(rng, where.country),
        created_at=created,
        external_channel_id=f"SPS-{rng.randint(10**7, 10**8 - 1)}" if edi else None,
        ship_by=iso(ship_by) if rng.random() < 0.8 else None,
        notes=rng.choice(_NOTES),
        retailer_data=_retailer_data(rng, retailer, ship_to, created, ship_by)
        if edi
        else None,
        ingestion_channel="SPS" if edi else "API",
        currency_code="USD",
    )


def _retailer_data(
    rng: random.Random,
    retailer: str,
    ship_to: dict[str, str | bool | None],
    created: datetime,
    ship_by: datetime,
) -> Json:
    po = f"45{rng.randint(10**7, 10**8 - 1)}"
    return {
        "retailer": retailer,
        "purchaseOrderNumber": po,
        "tradingPartnerId": f"TP{rng.randint(1000, 9999)}",
        "customerPoNumber": po,
        "invoiceNumber": None,
        "markForStore": f"Store {rng.randint(1000, 2999)}"
        if rng.random() < 0.3
        else None,
        "department": f"D-{rng.randint(10, 99):03d}",
        "address": dict(ship_to),
        "discounts": [{"type": "EARLY_PAY", "value": 2.0}]
        if rng.random() < 0.2
        else [],
        "charges": [{"type": "FREIGHT", "value": 125.0}] if rng.random() < 0.2 else [],
        "paymentTerms": {"term": "NET30", "dueDate": iso(created + timedelta(days=30))},
        "deliveryDate": iso(ship_by + timedelta(days=rng.randint(2, 6))),
        "shipByDate": iso(ship_by),
        "shipAfterDate": iso(created + timedelta(days=1)),
    }


def _split(rng: random.Random, outbound: Outbound) -> dict[str, int] | None:
    """Quantities for a first shipment holding some but not all units."""
    total = sum(item.quantity for item in outbound.items)
    if total < 2:
        return None
    picks = {
        item.line_item_id: rng.randint(0, item.quantity) for item in outbound.items
    }
    if sum(picks.values()) == 0:
        picks[outbound.items[0].line_item_id] = 1
    elif sum(picks.values()) == total:
        picks[outbound.items[0].line_item_id] -= 1
    return picks


def _history(
    st: LapiState, rng: random.Random, outbound: Outbound, status: str, anchor: datetime
) -> None:
    if status == "CANCELLED":
        booked = rng.random() < 0.5
        moments = steps(rng, outbound.created_at, anchor, 2)
        if booked:
            machine.book(st, outbound, moments[0])
        machine.cancel(st, outbound, moments[1])
        return
    moves = _MOVES[status]
    moments = steps(rng, outbound.created_at, anchor, moves + 1)
    if moves >= 1:
        machine.book(st, outbound, moments[0])
    if moves >= 2:
        split = _split(rng, outbound) if rng.random() < 0.5 else None
        rest = machine.start(st, outbound, moments[1], split)
        if rest is not None:
            first = outbound.shipments[0]
            machine.ship_shipment(st, outbound, first, moments[2])
    if moves >= 3:
        machine.ship(st, outbound, moments[3])
    if moves >= 4:
        machine.deliver(st, outbound, moments[4])
