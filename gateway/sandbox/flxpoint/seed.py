"""A fresh Flxpoint world for a seed: inventory variants, channel orders and FRs.

Same seed, same bytes: every value comes from a `random.Random` keyed by the
seed and every date is relative to the config anchor.
"""

from __future__ import annotations

import pickle
import random
import string
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import lru_cache

from ..catalog import Product, build_catalog
from ..config import SandboxConfig
from .model import Variant
from .seed_requests import seed_requests
from .state import VARIANT_ID_START, FlxpointState
from .vocabulary import SOURCE_IDS

FR_COUNT = 200
_GRAMS_PER_LB = 453.592
_DAY_MS = 86_400_000
# Warehouses have bins; the dropship partner (the last source) does not.
_BINNED_SOURCES = SOURCE_IDS[:2]


def build_state(config: SandboxConfig, now: Callable[[], datetime]) -> FlxpointState:
    frs, orders, shipments, variants = pickle.loads(
        _snapshot(config.seed, config.anchor)
    )
    # Objects created through the API draw from their own stream, so the seed
    # data stays identical however a test uses the sandbox.
    rng = random.Random(f"flxpoint:{config.seed}:runtime")
    st = FlxpointState(build_catalog(config.seed), rng, now)
    st.adopt(frs, orders, shipments, variants)
    return st


@lru_cache(maxsize=4)
def _snapshot(seed: int, anchor: datetime) -> bytes:
    """The seeded world, pickled once per (seed, anchor).

    Every test and every reset builds a fresh world; unpickling it is about
    three times faster than replaying the seed, and yields new objects each time.
    """
    st = FlxpointState(
        build_catalog(seed), random.Random(f"flxpoint:{seed}"), lambda: anchor
    )
    _seed_variants(st, st.rng, anchor)
    seed_requests(st, st.rng, anchor, FR_COUNT)
    world = (st.frs, st.orders, st.shipments, st.variants)
    return pickle.dumps(world, protocol=pickle.HIGHEST_PROTOCOL)


def _ago(rng: random.Random, anchor: datetime, low: int, high: int) -> datetime:
    """Whole milliseconds between `low` and `high` days before the anchor."""
    return anchor - timedelta(milliseconds=rng.randrange(low * _DAY_MS, high * _DAY_MS))


def _family(product: Product) -> tuple[str, list[tuple[str, str]]]:
    """The family and Color/Size options of "Trail Running Shoe - Olive, M"."""
    family, _, rest = product.name.partition(" - ")
    parts = [p.strip() for p in rest.split(",") if p.strip()]
    names = ("Color", "Size")
    return family, list(zip(names, parts, strict=False))


def _seed_variants(st: FlxpointState, rng: random.Random, anchor: datetime) -> None:
    """Every catalogue SKU at every source, with stock, prices and timestamps."""
    next_id = VARIANT_ID_START
    parents: dict[tuple[int, str], int] = {}
    for source_id in SOURCE_IDS:
        for product in st.catalog.products:
            family, options = _family(product)
            parent_id = parents.setdefault((source_id, family), 3300001 + len(parents))
            total = 0 if rng.random() < 0.08 else rng.randint(5, 600)
            committed = rng.randint(0, min(total, 40))
            cost = round(product.unit_cost_cents * rng.uniform(0.92, 1.08))
            msrp = (round(cost * rng.uniform(1.8, 2.6)) // 100) * 100 + 99
            changed = _ago(rng, anchor, 0, 30)
            inserted = _ago(rng, anchor, 200, 400)
            content = _ago(rng, anchor, 30, 190)
            st.variants[next_id] = Variant(
                id=next_id,
                inventory_item_id=5500001 + (next_id - VARIANT_ID_START),
                inventory_parent_id=parent_id,
                parent_sku=family.upper().replace(" ", "-"),
                parent_title=family,
                source_id=source_id,
                sku=product.sku,
                title=product.name,
                upc=product.upc,
                mpn=f"{_initials(family)}-{product.sku[4:]}",
                ean=f"0{product.upc}",
                asin=_asin(rng) if rng.random() < 0.6 else None,
                quantity=total - committed,
                committed_quantity=committed,
                incoming_quantity=rng.randint(2, 20) * 24 if rng.random() < 0.3 else 0,
                cost_cents=cost,
                msrp_cents=msrp,
                map_cents=round(msrp * 0.9) if rng.random() < 0.5 else None,
                list_price_cents=msrp,
                shipping_cost_cents=None
                if rng.random() < 0.5
                else rng.randint(0, 1500),
                dropship_fee_cents=rng.choice((None, 0, 150, 250)),
                weight_lb=round(product.weight_grams / _GRAMS_PER_LB, 2),
                length_in=round(rng.uniform(2, 24), 1),
                width_in=round(rng.uniform(2, 16), 1),
                height_in=round(rng.uniform(1, 12), 1),
                allow_backorders=rng.random() < 0.1,
                archived=rng.random() < 0.02,
                bin_location=_bin(rng) if source_id in _BINNED_SOURCES else None,
                inserted_at=inserted,
                updated_at=max(changed, _ago(rng, anchor, 0, 30)),
                total_quantity_last_changed_at=changed,
                content_updated_at=content,
                options=options,
            )
            next_id += 1


def _initials(family: str) -> str:
    return "".join(word[0] for word in family.split() if word[0].isalnum()).upper()


def _asin(rng: random.Random) -> str:
    return "B0" + "".join(rng.choices(string.ascii_uppercase + string.digits, k=8))


def _bin(rng: random.Random) -> str:
    return f"{rng.choice('ABCDEF')}-{rng.randint(1, 40):02d}-{rng.randint(1, 5)}"
