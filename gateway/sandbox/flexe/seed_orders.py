"""Seed outbound orders: every state, errors, partial shipments, attachments.

History is replayed through machine.py at past instants, so seeded line
counters and shipments obey the same rules as objects made through the API.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from .. import people
from ..clock import truncate_ms
from .factory import add_error, new_order
from .machine import allocate, cancel_line, deliver, dispatch, pack
from .model import Attachment, Order, StoredFile
from .order_bodies import LineInput, OrderInput
from .state import FlexeState
from .vocabulary import ALLOCATION_ERROR_CODES, ORDER_STATES, RESERVATIONS

_WEIGHTS = {
    "new": 20,
    "allocated": 12,
    "in_progress": 15,
    "shipped": 45,
    "cancelled": 8,
}
# How old an order in each state may be, in hours.
_AGE_HOURS = {
    "new": (1, 6 * 24),
    "allocated": (2, 10 * 24),
    "in_progress": (6, 20 * 24),
    "shipped": (3 * 24, 120 * 24),
    "cancelled": (12, 120 * 24),
}
_CHANNELS = ("shopify", "amazon", "wholesale", "etsy", "tiktok")
_SERVICES = ("ground", "two_day", "next_day")
_INSTRUCTIONS = (None, None, None, "Leave at front door", "Call on arrival", "Gift")


def seed_orders(st: FlexeState, anchor: datetime, count: int) -> None:
    rng = st.rng
    states = [
        rng.choices(ORDER_STATES, [_WEIGHTS[s] for s in ORDER_STATES])[0]
        for _ in range(count)
    ]
    states[: len(ORDER_STATES)] = list(ORDER_STATES)[:count]
    plans = []
    for state in states:
        low, high = _AGE_HOURS[state]
        age = timedelta(
            seconds=rng.randint(low * 3600, high * 3600),
            milliseconds=rng.randint(0, 999),
        )
        plans.append((anchor - age, state))
    plans.sort()
    errored = 0
    for number, (created, state) in enumerate(plans):
        code = None
        if state == "new" and rng.random() < 0.4:
            code = ALLOCATION_ERROR_CODES[errored % len(ALLOCATION_ERROR_CODES)]
            errored += 1
        order = _order(st, rng, f"SO-{100001 + number}", created, code)
        _history(st, rng, order, state, anchor, code)
        if rng.random() < 0.33:
            _attachments(st, rng, order, anchor)


def _order(
    st: FlexeState,
    rng: random.Random,
    external_id: str,
    created: datetime,
    code: str | None,
) -> Order:
    who, where = people.person(rng), people.address(rng)
    labels = {"channel": rng.choice(_CHANNELS)}
    if rng.random() < 0.15:
        labels["priority"] = "high"
    products = rng.sample(st.catalog.products, rng.randint(1, 8))
    lines = [
        LineInput(
            f"{external_id}-{index + 1}",
            product.sku,
            rng.randint(1, 3)
            if product.unit_of_measure == "case"
            else rng.choice((1, 1, 1, 2, 2, 3, 4, 6, 12)),
            None,
            {},
        )
        for index, product in enumerate(products)
    ]
    if code == "UNKNOWN_SKU":
        lines[0].sku = f"SKU-{rng.randint(90001, 90999)}"
    data = OrderInput(
        external_id=external_id,
        reservation_id=rng.choice(RESERVATIONS),
        labels=labels,
        recipient={
            "name": who.name,
            "phone": who.phone if rng.random() < 0.8 else None,
            "email": who.email,
        },
        address={
            "line1": where.line1,
            "line2": where.line2,
            "line3": None,
            "city": where.city,
            "region": where.region,
            "postcode": where.postcode,
            "country": where.country,
        },
        shipping={
            "instructions": rng.choice(_INSTRUCTIONS),
            "serviceType": rng.choices(_SERVICES, (70, 20, 10))[0],
            "carrierBillingAccountId": f"ACCT-{rng.randint(10000, 99999)}"
            if rng.random() < 0.1
            else None,
            "signatureConfirmation": "adult" if rng.random() < 0.05 else "none",
            "labelReference1": external_id,
            "labelReference2": None,
        },
        lines=lines,
    )
    return new_order(st, data, created)


def _between(
    rng: random.Random, start: datetime, end: datetime, low: float, high: float
) -> datetime:
    return truncate_ms(start + (end - start) * rng.uniform(low, high))


def _allocation_error(
    st: FlexeState, rng: random.Random, order: Order, code: str, at: datetime
) -> None:
    line = rng.choice(order.lines)
    for other in order.lines:
        if other is not line:
            other.allocated_quantity = other.quantity
    if code == "INSUFFICIENT_INVENTORY":
        line.allocated_quantity = rng.randint(0, line.quantity - 1)
        details = (
            f"Only {line.allocated_quantity} of {line.quantity} units of {line.sku}"
            f" available at {order.reservation_id}"
        )
        add_error(st, order, line, code, details, at)
    elif code == "INVALID_ADDRESS":
        postcode, city = order.address["postcode"], order.address["city"]
        details = f"Postcode {postcode} does not match {city}"
        add_error(st, order, None, code, details, at)
    elif code == "NO_RESERVATION":
        add_error(
            st,
            order,
            line,
            code,
            f"{line.sku} is not stocked at {order.reservation_id}",
            at,
        )
    elif code == "UOM_MISMATCH":
        stocked = line.unit_of_measure
        line.unit_of_measure = "case" if stocked != "case" else "each"
        details = (
            f"Line asks for {line.unit_of_measure}"
            f" but {line.sku} is stocked as {stocked}"
        )
        add_error(st, order, line, code, details, at)


def _history(
    st: FlexeState,
    rng: random.Random,
    order: Order,
    state: str,
    anchor: datetime,
    code: str | None,
) -> None:
    created = order.created_at
    if state == "new":
        if code is not None and code != "UNKNOWN_SKU":
            _allocation_error(
                st, rng, order, code, _between(rng, created, anchor, 0.01, 0.05)
            )
        return
    if state == "cancelled":
        at = _between(rng, created, anchor, 0.05, 0.2)
        if rng.random() < 0.5:
            allocate(st, order, at)
        for line in list(order.lines):
            at = min(
                anchor - timedelta(seconds=1),
                at + timedelta(minutes=rng.randint(1, 30)),
            )
            cancel_line(st, order, line, at)
        return
    allocate(st, order, _between(rng, created, anchor, 0.02, 0.1))
    if len(order.lines) > 1 and rng.random() < 0.1:
        cancel_line(
            st,
            order,
            rng.choice(order.lines),
            _between(rng, created, anchor, 0.1, 0.15),
        )
    if state == "allocated":
        return
    partial = _partial(rng, order)
    if state == "in_progress":
        if partial is not None and rng.random() < 0.5:
            first = pack(st, order, _between(rng, created, anchor, 0.2, 0.3), partial)
            dispatch(st, order, first, _between(rng, created, anchor, 0.35, 0.5))
        pack(st, order, _between(rng, created, anchor, 0.55, 0.7))
        return
    packed_at = truncate_ms(created + timedelta(hours=rng.uniform(2, 20)))
    if partial is not None and rng.random() < 0.3:
        dispatch(
            st,
            order,
            pack(st, order, packed_at, partial),
            packed_at + timedelta(hours=1),
        )
        packed_at = truncate_ms(packed_at + timedelta(hours=rng.uniform(6, 30)))
    shipped_at = truncate_ms(packed_at + timedelta(hours=rng.uniform(1, 8)))
    dispatch(st, order, pack(st, order, packed_at), shipped_at)
    for shipment in order.shipments:
        assert shipment.shipped_at is not None
        delivered = truncate_ms(shipment.shipped_at + timedelta(days=rng.uniform(1, 5)))
        if delivered < anchor and rng.random() < 0.75:
            deliver(shipment, delivered)
            order.updated_at = max(order.updated_at, delivered)


def _partial(rng: random.Random, order: Order) -> dict[str, int] | None:
    """A first shipment that ships some units but not all (None if impossible)."""
    lines = order.open_lines()
    total = sum(line.quantity for line in lines)
    if total < 2:
        return None
    picks = {line.id: rng.randint(0, line.quantity) for line in lines}
    picked = sum(picks.values())
    if picked == 0:
        picks[lines[0].id] = 1
    elif picked == total:
        picks[lines[0].id] -= 1
    return picks


def _attachments(
    st: FlexeState, rng: random.Random, order: Order, anchor: datetime
) -> None:
    for number in range(rng.randint(1, 2)):
        at = _between(rng, order.created_at, anchor, 0.01, 0.05)
        if rng.random() < 0.6:
            document = rng.choice(
                ("packing_slip", "shipping_label", "commercial_invoice")
            )
            key = f"{order.external_id.lower()}-{document}-{number + 1}.pdf"
            name = f"{document}-{order.external_id}.pdf"
            content = (
                f"%PDF-1.4\n% Flexe sandbox {document} for {order.external_id}\n%%EOF\n"
            ).encode()
            st.files[key] = StoredFile(key, name, "application/pdf", content, at, at)
            details = {"displayName": name, "fileKey": key, "externalUrl": None}
            kind = "file"
        else:
            document = rng.choice(("bill_of_lading", "other"))
            url = f"https://documents.example.com/flexe/{order.external_id}/{document}.pdf"
            details = {
                "displayName": f"{document} {order.external_id}",
                "fileKey": None,
                "externalUrl": url,
            }
            kind = "url"
        details.update(
            externalId=None, barcodeText=None, trackingNumber=None, fileGroup=None
        )
        st.add_attachment(
            order, Attachment(st.new_id(), order.id, kind, document, at, details)
        )
