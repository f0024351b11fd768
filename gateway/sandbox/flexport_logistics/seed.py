"""A fresh LAPI world for a seed: products, stock, inbounds, outbounds, DTC orders.

Same seed, same bytes: every value comes from a `random.Random` keyed by the
seed and every date is relative to the config anchor.
"""

from __future__ import annotations

import pickle
import random
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache

from ..catalog import build_catalog
from ..config import SandboxConfig
from . import inbound_machine
from .model import InboundItem, InboundShipment, Product, Stock
from .seed_orders import seed_orders
from .seed_outbounds import seed_outbounds
from .seed_timing import ago, steps
from .state import LapiState
from .vocabulary import INBOUND_STATUSES, WAREHOUSE_IDS

OUTBOUND_COUNT = 150
ORDER_COUNT = 150
INBOUND_COUNT = 40
# Distinct PO numbers the inbounds cover; the rest of the 40 are split shipments.
INBOUND_PO_COUNT = 28
_GRAMS_PER_LB = 453.592
_SUPPLIERS = (
    ("Hanoi Knitworks", "VN"),
    ("Porto Footwear Lda", "PT"),
    ("Shenzhen Brightline", "CN"),
    ("Oaxaca Ceramics", "MX"),
    ("Midwest Paper Co", "US"),
    ("Tiruppur Cotton Mills", "IN"),
)
_INBOUND_WEIGHTS = {
    "WORKING": 4,
    "READY_TO_SHIP": 4,
    "IN_TRANSIT": 8,
    "ARRIVED": 6,
    "COMPLETED": 18,
}


def build_state(config: SandboxConfig, now: Callable[[], datetime]) -> LapiState:
    """A fresh copy of the seeded world, on the given clock.

    Seeding takes tens of milliseconds and every reset needs a new world, so
    the first one per (seed, anchor) is pickled and later ones are unpickled.
    """
    st: LapiState = pickle.loads(_seeded(config.seed, config.anchor))
    st.attach(build_catalog(config.seed), now)
    return st


def _no_clock() -> datetime:
    raise RuntimeError("seed data is dated from the anchor, never from the clock")


@lru_cache(maxsize=8)
def _seeded(seed: int, anchor: datetime) -> bytes:
    catalog = build_catalog(seed)
    rng = random.Random(f"flexport_logistics:{seed}")
    st = LapiState(catalog, rng, _no_clock, f"{rng.randrange(10**7, 10**8)}")
    _seed_products(st, rng, anchor)
    _seed_stock(st, rng)
    _seed_inbounds(st, rng, anchor)
    seed_outbounds(st, anchor, OUTBOUND_COUNT)
    seed_orders(st, anchor, ORDER_COUNT)
    st.sort_events()
    # Objects created through the API draw from their own stream, so the seed
    # data stays identical however a test uses the sandbox.
    st.rng = random.Random(f"flexport_logistics:{seed}:runtime")
    return pickle.dumps(st, protocol=pickle.HIGHEST_PROTOCOL)


def _seed_products(st: LapiState, rng: random.Random, anchor: datetime) -> None:
    """One product per catalogue SKU; logisticsSku is `LS` + 8 digits."""
    numbers = rng.sample(range(10**7, 10**8), len(st.catalog.products))
    for number, item in zip(numbers, st.catalog.products, strict=True):
        created = ago(rng, anchor, 200 * 24, 500 * 24)
        weight = round(item.weight_grams / _GRAMS_PER_LB, 2)
        side = 4 + round(weight * 3) % 20
        locked = rng.random() < 0.7
        st.add_product(
            Product(
                logistics_sku=f"LS{number}",
                merchant_sku=item.sku,
                name=item.name,
                barcodes=[item.upc],
                dims={
                    "length": side + 2,
                    "width": side,
                    "height": max(1, side // 2),
                    "lengthUnit": "in",
                    "weight": weight,
                    "weightUnit": "lb",
                },
                dims_locked=locked,
                units_per_pack=rng.choice((6, 12, 24))
                if item.unit_of_measure == "case"
                else 1,
                created_at=created,
                updated_at=ago(rng, anchor, 24, 190 * 24) if locked else created,
            )
        )


def _seed_stock(st: LapiState, rng: random.Random) -> None:
    """Every product at one to three warehouses; about 8% are out of stock."""
    for product in st.products_in_order():
        homes = rng.sample(WAREHOUSE_IDS, rng.randint(1, len(WAREHOUSE_IDS)))
        empty = rng.random() < 0.08
        rows = {}
        for warehouse_id in sorted(homes):
            available = 0 if empty else rng.randint(0, 600)
            unavailable = rng.randint(0, 20) if rng.random() < 0.4 else 0
            rows[warehouse_id] = Stock(available, unavailable)
        st.stock[product.logistics_sku] = rows


def _seed_inbounds(st: LapiState, rng: random.Random, anchor: datetime) -> None:
    """40 shipments over 28 catalogue POs, in every inbound status."""
    po_numbers = rng.sample(st.catalog.po_numbers, INBOUND_PO_COUNT)
    extra = [rng.choice(po_numbers) for _ in range(INBOUND_COUNT - INBOUND_PO_COUNT)]
    statuses = list(_INBOUND_WEIGHTS)
    statuses += rng.choices(
        statuses, list(_INBOUND_WEIGHTS.values()), k=INBOUND_COUNT - len(statuses)
    )
    rng.shuffle(statuses)
    plans: dict[str, tuple[int, tuple[str, str]]] = {}
    products = st.products_in_order()
    starts = sorted(ago(rng, anchor, 24, 90 * 24) for _ in range(INBOUND_COUNT))
    for po, status, created in zip(po_numbers + extra, statuses, starts, strict=True):
        if po not in plans:
            plans[po] = (next(st.ids.shipping_plan), rng.choice(_SUPPLIERS))
        plan_id, (supplier, country) = plans[po]
        option = rng.choices(("SPD", "LTL", "FTL"), (30, 50, 20))[0]
        chosen = rng.sample(products, rng.randint(1, 5))
        shipment = InboundShipment(
            id=next(st.ids.inbound),
            receiving_id=next(st.ids.receiving),
            status="WORKING",
            plan_id=plan_id,
            plan_external_id=po,
            plan_name=f"{po} {supplier}",
            shipping_option=option,
            destination=rng.choice(WAREHOUSE_IDS),
            booking_id=None
            if option == "SPD"
            else f"FLEX-{rng.randint(100000, 999999)}",
            from_name=supplier,
            from_country=country,
            items=[
                InboundItem(
                    id=next(st.ids.inbound_item),
                    logistics_sku=product.logistics_sku,
                    merchant_sku=product.merchant_sku,
                    line_item_id=f"{po}-{number + 1}",
                    expected=rng.randint(1, 50) * 12,
                )
                for number, product in enumerate(chosen)
            ],
        )
        inbound_machine.created(st, shipment, created)
        moves = INBOUND_STATUSES.index(status)
        for at in steps(rng, created, anchor, moves):
            if shipment.status == "IN_TRANSIT":
                # Seeded stock already counts what these shipments delivered.
                inbound_machine.arrive(st, shipment, at, stock=False)
            else:
                inbound_machine.advance(st, shipment, at)
