"""A fresh Flexe world for a seed: orders, inventory, inbound and retail orders.

Same seed, same bytes: every value comes from a `random.Random` keyed by the
seed and every date is relative to the config anchor.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from .. import people
from ..catalog import build_catalog
from ..clock import truncate_ms
from ..config import SandboxConfig
from .model import InboundItem, InboundShipment, InventoryRecord, RetailOrder
from .seed_orders import seed_orders
from .state import FlexeState
from .vocabulary import RESERVATIONS

INBOUND_COUNT = 40
RETAIL_COUNT = 6
_SUPPLIERS = (
    "Hanoi Knitworks",
    "Porto Footwear Lda",
    "Shenzhen Brightline",
    "Oaxaca Ceramics",
    "Midwest Paper Co",
)
_ORIGINS = ("VN", "PT", "CN", "MX", "US", "IN")
_RETAILERS = ("Target", "Walmart", "Costco", "REI", "Nordstrom")


def build_state(config: SandboxConfig, now: Callable[[], datetime]) -> FlexeState:
    catalog = build_catalog(config.seed)
    rng = random.Random(f"flexe:{config.seed}")
    customer = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    st = FlexeState(catalog, rng, now, customer)
    anchor = config.anchor
    seed_orders(st, anchor, config.order_count)
    _seed_inventory(st, rng, anchor)
    _seed_inbound(st, rng, anchor)
    _seed_retail(st, rng, anchor)
    # Objects created through the API draw ids from their own stream, so the
    # seed data stays identical however a test uses the sandbox.
    st.rng = random.Random(f"flexe:{config.seed}:runtime")
    return st


def _ago(
    rng: random.Random, anchor: datetime, low_days: float, high_days: float
) -> datetime:
    return truncate_ms(anchor - timedelta(days=rng.uniform(low_days, high_days)))


def _seed_inventory(st: FlexeState, rng: random.Random, anchor: datetime) -> None:
    """Every catalogue SKU at every reservation; on hand >= allocated, some at zero."""
    for product in st.catalog.products:
        item_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        for reservation in RESERVATIONS:
            on_hand = 0 if rng.random() < 0.08 else rng.randint(5, 900)
            st.inventory.append(
                InventoryRecord(
                    item_id=item_id,
                    sku=product.sku,
                    description=product.name,
                    reservation_id=reservation,
                    on_hand=on_hand,
                    allocated=rng.randint(0, min(on_hand, 80)),
                    unit=product.unit_of_measure,
                    last_updated_at=_ago(rng, anchor, 0, 45),
                )
            )


def _seed_inbound(st: FlexeState, rng: random.Random, anchor: datetime) -> None:
    plans = sorted(_ago(rng, anchor, 1, 90) for _ in range(INBOUND_COUNT))
    for number, created in enumerate(plans):
        dropoff = created + timedelta(days=rng.randint(3, 20))
        if dropoff > anchor:
            state = "expected"
        else:
            state = rng.choices(
                ("received", "receiving", "expected", "cancelled"), (60, 15, 20, 5)
            )[0]
        kind = rng.choice(("container", "ltl", "parcel"))
        items = []
        for product in rng.sample(st.catalog.products, rng.randint(1, 5)):
            quantity = rng.randint(1, 100) * 24
            details = {
                "lotCode": f"LOT-{rng.randint(1000, 9999)}"
                if rng.random() < 0.3
                else None,
                "expirationDate": None,
                "manufactureDate": (created - timedelta(days=rng.randint(10, 60)))
                .date()
                .isoformat(),
                "countryOfOrigin": rng.choice(_ORIGINS),
            }
            received = (
                quantity
                if state == "received"
                else (quantity // 2 if state == "receiving" else 0)
            )
            items.append(
                InboundItem(
                    product.sku, quantity, product.unit_of_measure, details, received
                )
            )
        received_at = (
            min(anchor, dropoff + timedelta(hours=rng.randint(4, 40)))
            if state == "received"
            else None
        )
        st.add_inbound(
            InboundShipment(
                id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                correlation_id=f"inb-{rng.getrandbits(48):012x}",
                customer_uuid=st.customer_uuid,
                purchase_order_id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                po_number=rng.choice(st.catalog.po_numbers),
                reservation_id=rng.choice(RESERVATIONS),
                state=state,
                dropoff_date=dropoff.date().isoformat(),
                items=items,
                details={
                    "asnNumber": f"ASN-{200001 + number}",
                    "containerNumber": f"MSCU{rng.randint(1000000, 9999999)}"
                    if kind == "container"
                    else None,
                    "containerSealNumber": f"SL{rng.randint(100000, 999999)}"
                    if kind == "container"
                    else None,
                    "billOfLading": f"BOL-{rng.randint(10**8, 10**9 - 1)}"
                    if kind != "parcel"
                    else None,
                    "expectedInboundShipmentType": kind,
                    "suplierOrVendor": rng.choice(_SUPPLIERS),
                },
                created_at=created,
                updated_at=received_at
                or (created if state == "expected" else min(anchor, dropoff)),
                received_at=received_at,
            )
        )


def _seed_retail(st: FlexeState, rng: random.Random, anchor: datetime) -> None:
    states = ("new", "allocated", "in_progress", "shipped", "shipped", "cancelled")
    for number in range(RETAIL_COUNT):
        created = _ago(rng, anchor, 2, 30)
        state = states[number % len(states)]
        retailer = rng.choice(_RETAILERS)
        where = people.address(rng, "US")
        start = (created + timedelta(days=5)).date()
        items = [
            {
                "sku": product.sku,
                "quantity": {
                    "value": rng.randint(1, 20) * 12,
                    "unit": product.unit_of_measure,
                },
            }
            for product in rng.sample(st.catalog.products, rng.randint(1, 4))
        ]
        shipped = state == "shipped"
        st.add_retail(
            RetailOrder(
                shipment_id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                id=f"RFO-{7001 + number}",
                type="retail",
                state=state,
                correlation_id=f"rfo-{rng.getrandbits(48):012x}",
                customer_uuid=st.customer_uuid,
                items=items,
                ship_to={
                    "name": f"{retailer} DC {rng.randint(100, 999)}",
                    "addressLine1": where.line1,
                    "addressLine2": None,
                    "addressLine3": None,
                    "locality": where.city,
                    "region": where.region,
                    "postcode": where.postcode,
                    "country": "US",
                    "phone": None,
                    "email": None,
                },
                ship_window={
                    "start": start.isoformat(),
                    "end": (start + timedelta(days=7)).isoformat(),
                },
                options={
                    "shipmentType": rng.choice(("ltl", "parcel")),
                    "shipmentMethod": rng.choice(("routed", "prepaid")),
                    "purchaseOrder": str(4500000000 + rng.randint(0, 99999)),
                    "routeBy": start.isoformat(),
                    "instructions": None,
                    "carrier": "XPO Logistics" if shipped else None,
                    "carrierServiceType": "standard",
                    "carrierBillingAccountId": None,
                    "routingDetailsId": None,
                    "destinationType": "retail_dc",
                    "destinationRetailer": retailer,
                },
                created_at=created,
                updated_at=created,
                scac="XPOL" if shipped else None,
                bol_number=f"BOL-{rng.randint(10**8, 10**9 - 1)}" if shipped else None,
            )
        )
