"""Seed DTC orders: every internal status, partial fulfilment, stock errors."""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta

from .. import people
from ..clock import iso, truncate_ms
from . import order_machine as machine
from .addresses import address
from .model import DtcLine, DtcOrder, Product
from .seed_timing import ago, steps
from .state import LapiState
from .vocabulary import ORDER_STATUSES

_WEIGHTS = {
    "CREATED": 10,
    "PROCESSING": 8,
    "PICKED": 8,
    "PACKED": 12,
    "SHIPPED": 22,
    "DELIVERED": 25,
    "CANCELLED": 8,
    "ERROR": 7,
}
_AGE_HOURS = {
    "CREATED": (0.1, 48),
    "PROCESSING": (1, 72),
    "PICKED": (2, 96),
    "PACKED": (2, 96),
    "SHIPPED": (24, 6 * 24),
    "DELIVERED": (4 * 24, 90 * 24),
    "CANCELLED": (1, 90 * 24),
    "ERROR": (1, 30 * 24),
}
_SLIP_URL = "https://cdn.example.com/packing-slips/{0:%Y%m%d}-{1}.pdf"
_MOVES = {
    "CREATED": 0,
    "PROCESSING": 1,
    "PICKED": 2,
    "PACKED": 3,
    "SHIPPED": 4,
    "DELIVERED": 5,
}


def seed_orders(st: LapiState, anchor: datetime, count: int) -> None:
    rng = st.rng
    statuses = list(ORDER_STATUSES)
    statuses += rng.choices(
        statuses, [_WEIGHTS[s] for s in statuses], k=max(0, count - len(statuses))
    )
    plans = sorted(
        (ago(rng, anchor, *_AGE_HOURS[status]), status) for status in statuses[:count]
    )
    stocked = [
        p
        for p in st.products_in_order()
        if st.network_stock(p.logistics_sku).available >= 3
    ]
    short = [
        p
        for p in st.products_in_order()
        if st.network_stock(p.logistics_sku).available == 0
    ]
    used: set[str] = set()
    for created, status in plans:
        products = rng.sample(stocked, rng.randint(1, 4))
        if status == "ERROR" and short:
            products[0] = rng.choice(short)
        order = _order(st, rng, _external_id(rng, used), created, products)
        machine.created(st, order)
        _history(st, rng, order, status, anchor)


def _external_id(rng: random.Random, used: set[str]) -> str:
    """Marketplace-style ids; Shopify's `#` must be percent-encoded in L7 paths."""
    while True:
        channel = rng.choices(("shopify", "amazon", "tiktok"), (60, 25, 15))[0]
        if channel == "shopify":
            candidate = f"#{rng.randint(1001, 99999)}"
        elif channel == "amazon":
            candidate = (
                f"{rng.randint(100, 999)}-{rng.randint(10**6, 10**7 - 1)}"
                f"-{rng.randint(10**6, 10**7 - 1)}"
            )
        else:
            candidate = f"57{rng.randint(10**15, 10**16 - 1)}"
        if candidate not in used:
            used.add(candidate)
            return candidate


def _order(
    st: LapiState,
    rng: random.Random,
    external_id: str,
    created: datetime,
    products: list[Product],
) -> DtcOrder:
    who, where = people.person(rng), people.address(rng)
    lines = [DtcLine(p.logistics_sku, rng.choice((1, 1, 1, 2, 2, 3))) for p in products]
    days = rng.randint(2, 5)
    units = sum(line.quantity for line in lines)
    return DtcOrder(
        id=next(st.ids.order),
        external_order_id=external_id,
        status="CREATED",
        fulfillment_status="UNFULFILLED",
        lines=lines,
        address=address(
            who.name,
            where.line1,
            where.city,
            where.region,
            where.postcode,
            where.country,
            street2=where.line2,
            phone=who.phone if rng.random() < 0.8 else None,
            email=who.email,
            isResidential=True,
        ),
        created_at=created,
        cost=round(3.25 + 0.85 * units, 2),
        promised_ship_by=iso(created + timedelta(days=1)),
        promised_delivery_by=iso(created + timedelta(days=days + 1)),
        delivery_days=days,
        packing_slip_url=_SLIP_URL.format(created, rng.randint(1000, 9999))
        if rng.random() < 0.1
        else None,
        duties={"incoterm": "DDP"} if where.country == "GB" else None,
    )


def _part(rng: random.Random, order: DtcOrder) -> Counter[str] | None:
    """Some but not all units, for a first shipment that leaves early."""
    total = sum(line.quantity for line in order.lines)
    if total < 2:
        return None
    picks = Counter(
        {line.logistics_sku: rng.randint(0, line.quantity) for line in order.lines}
    )
    first = order.lines[0].logistics_sku
    if sum(picks.values()) == 0:
        picks[first] = 1
    elif sum(picks.values()) == total:
        picks[first] -= 1
    return +picks


def _history(
    st: LapiState, rng: random.Random, order: DtcOrder, status: str, anchor: datetime
) -> None:
    if status in ("CANCELLED", "ERROR"):
        moments = steps(rng, order.created_at, anchor, 2)
        if status == "ERROR" or rng.random() < 0.5:
            machine.process(st, order, moments[0])
        if status == "ERROR" and order.status != "ERROR":
            machine.set_status(st, order, "ERROR", "UNFULFILLED", moments[0])
        if status == "CANCELLED":
            machine.cancel(st, order, moments[1])
        return
    moves = _MOVES[status]
    moments = steps(rng, order.created_at, anchor, moves + 1)
    for step in range(min(moves, 2)):
        machine.advance(st, order, moments[step])
    if moves < 3:
        return
    part = _part(rng, order) if rng.random() < 0.45 else None
    if part is None:
        machine.pack(st, order, moments[2])
    else:
        early = machine.pack(st, order, moments[2], part)
        machine.ship_shipment(st, order, early, moments[3])
        if status == "PACKED" and rng.random() < 0.5:
            machine.pack(st, order, truncate_ms(moments[3] + (anchor - moments[3]) / 2))
    if moves >= 4:
        machine.ship(st, order, moments[4])
    if moves >= 5:
        machine.deliver(st, order, moments[5])
