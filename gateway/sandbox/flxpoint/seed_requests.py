"""Seed channel orders and their FRs: every FR status and every shipping status.

FRs are generated oldest first, so ids ascend with `generatedAt`; about a
third of the orders are split across two sources and carry two FRs.
"""

from __future__ import annotations

import itertools
import random
from datetime import datetime, timedelta

from .. import people
from ..clock import truncate_ms
from .model import Address, ChannelOrder, FrItem, FulfillmentRequest, OrderItem
from .seed_history import PARTIAL_SCENARIOS, SCENARIOS, replay, tidy
from .state import (
    FR_ID_START,
    FR_ITEM_ID_START,
    ORDER_ID_START,
    ORDER_ITEM_ID_START,
    FlxpointState,
)
from .vocabulary import (
    AWAITING,
    CHANNELS,
    COUNTRY_NAMES,
    GB_REGION_CODES,
    REGION_NAMES,
    SOURCE_IDS,
)

_SPLIT_CHANCE = 0.33
_SOURCE_WEIGHTS = (45, 35, 20)
_CHANNEL_WEIGHTS = (60, 30, 10)
_COMPANIES = (
    "Trailhead Outfitters LLC",
    "Harbor & Pine Co.",
    "Northside Climbing Gym",
    "Blue Ridge Coffee Roasters",
    "Larkspur Studio",
)


def seed_requests(
    st: FlxpointState, rng: random.Random, anchor: datetime, count: int
) -> None:
    names = list(SCENARIOS)
    weights = [SCENARIOS[name].weight for name in names]
    scenarios = names + rng.choices(names, weights, k=max(0, count - len(names)))
    plans = sorted((_generated(rng, anchor, name), name) for name in scenarios[:count])
    builder = _Builder(st, rng)
    index = 0
    while index < len(plans):
        size = 2 if index + 1 < len(plans) and rng.random() < _SPLIT_CHANCE else 1
        group = plans[index : index + size]
        order = builder.order(group[0][0], size)
        if size == 1:
            sources = rng.choices(SOURCE_IDS, _SOURCE_WEIGHTS)
            shares = [order.items]
        else:
            sources = rng.sample(SOURCE_IDS, 2)
            cut = rng.randint(1, len(order.items) - 1)
            shares = [order.items[:cut], order.items[cut:]]
        for (generated, scenario), source_id, share in zip(
            group, sources, shares, strict=True
        ):
            if scenario in PARTIAL_SCENARIOS and sum(i.quantity for i in share) < 2:
                share[0].quantity = 2
            fr = builder.fr(order, source_id, share, generated)
            st.add_fr(fr)
            replay(st, rng, fr, scenario, anchor)
        index += size
    tidy(st, rng, anchor)


def _generated(rng: random.Random, anchor: datetime, scenario: str) -> datetime:
    low, high = SCENARIOS[scenario].age_hours
    return truncate_ms(anchor - timedelta(hours=rng.uniform(low, high)))


def _address(rng: random.Random) -> Address:
    who, where = people.person(rng), people.address(rng)
    first, _, last = who.name.partition(" ")
    if where.country == "GB":
        state_code = GB_REGION_CODES[where.region]
    else:
        state_code = where.region
    return {
        "name": who.name,
        "firstName": first,
        "lastName": last,
        "companyName": rng.choice(_COMPANIES) if rng.random() < 0.15 else None,
        "addressLine1": where.line1,
        "addressLine2": where.line2,
        "city": where.city,
        "state": REGION_NAMES.get(where.region, where.region),
        "stateCode": state_code,
        "country": COUNTRY_NAMES[where.country],
        "countryCode": where.country,
        "postal": where.postcode,
        "email": who.email,
        "phone": who.phone if rng.random() < 0.8 else None,
    }


def _order_number(rng: random.Random, prefix: str, number: int) -> str:
    if prefix == "#":
        return f"#{4001 + number}"
    if prefix == "114-":
        return f"114-{rng.randint(10**6, 10**7 - 1)}-{rng.randint(10**6, 10**7 - 1)}"
    return f"{prefix}{rng.randint(10**9, 10**10 - 1)}"


class _Builder:
    """Ids and lookups shared by every order and FR of one seed run."""

    def __init__(self, st: FlxpointState, rng: random.Random) -> None:
        self.st = st
        self.rng = rng
        self.order_item_ids = itertools.count(ORDER_ITEM_ID_START)
        self.fr_item_ids = itertools.count(FR_ITEM_ID_START)
        self.next_fr_id = FR_ID_START
        self.variants = {(v.source_id, v.sku): v for v in st.variants.values()}

    def order(self, first_fr_at: datetime, fr_count: int) -> ChannelOrder:
        rng, number = self.rng, len(self.st.orders)
        channel_id, channel_name, prefix = rng.choices(CHANNELS, _CHANNEL_WEIGHTS)[0]
        ordered = truncate_ms(first_fr_at - timedelta(minutes=rng.uniform(3, 90)))
        products = rng.sample(
            self.st.catalog.products, rng.randint(fr_count, fr_count + 3)
        )
        items = [
            OrderItem(
                id=next(self.order_item_ids),
                sku=product.sku,
                title=product.name,
                quantity=rng.randint(1, 2)
                if product.unit_of_measure == "case"
                else rng.choice((1, 1, 1, 2, 2, 3, 4, 6)),
                price_cents=(round(product.unit_cost_cents * 2.2) // 100) * 100 + 99,
            )
            for product in products
        ]
        order = ChannelOrder(
            id=ORDER_ID_START + number,
            order_number=_order_number(rng, prefix, number),
            channel_id=channel_id,
            channel_name=channel_name,
            ordered_at=ordered,
            inserted_at=truncate_ms(ordered + timedelta(seconds=rng.uniform(5, 120))),
            updated_at=first_fr_at,
            shipping_address=_address(rng),
            items=items,
        )
        self.st.orders[order.id] = order
        return order

    def fr(
        self,
        order: ChannelOrder,
        source_id: int,
        share: list[OrderItem],
        generated: datetime,
    ) -> FulfillmentRequest:
        items = []
        for ordered in share:
            variant = self.variants[(source_id, ordered.sku)]
            items.append(
                FrItem(
                    id=next(self.fr_item_ids),
                    sku=ordered.sku,
                    title=ordered.title,
                    quantity=ordered.quantity,
                    cost_cents=variant.cost_cents or 0,
                    order_item_id=ordered.id,
                    inventory_variant_id=variant.id,
                    upc=variant.upc,
                    weight_lb=variant.weight_lb or 0.0,
                )
            )
        fr_id = self.next_fr_id
        # Ids skip a little now and then: other accounts share the id space.
        self.next_fr_id += 1 + self.rng.choice((0, 0, 0, 1, 3))
        return FulfillmentRequest(
            id=fr_id,
            number=f"FR-{310001 + len(self.st.frs)}",
            order_id=order.id,
            source_id=source_id,
            status="Unprocessed",
            fulfillment_status=AWAITING,
            generated_at=generated,
            updated_at=generated,
            shipping_address=dict(order.shipping_address),
            items=items,
        )
