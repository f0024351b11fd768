"""The world catalogue every simulated provider shares: SKUs and PO numbers.

It is provider-neutral and deterministic for a seed, so the same SKUs and PO
numbers appear in every provider's data and the gateway can join across them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import lru_cache

PRODUCT_COUNT = 300
PO_COUNT = 60

# (family, unit of measure, base weight in grams, has sizes)
_FAMILIES = (
    ("Merino Crew Sock", "pair", 90, True),
    ("Organic Cotton Tee", "each", 180, True),
    ("Trail Running Shoe", "pair", 620, True),
    ("Rain Shell Jacket", "each", 410, True),
    ("Fleece Beanie", "each", 85, False),
    ("Insulated Bottle 750ml", "each", 390, False),
    ("Ceramic Pour-Over Set", "each", 950, False),
    ("Cold Brew Concentrate 12-pack", "case", 9800, False),
    ("Beeswax Food Wrap 3-pack", "pack", 120, False),
    ("Bamboo Cutting Board", "each", 1100, False),
    ("Linen Tea Towel 2-pack", "pack", 160, False),
    ("Canvas Tote Bag", "each", 240, False),
    ("Yoga Mat 5mm", "each", 1800, False),
    ("Resistance Band Set", "pack", 450, False),
    ("Soy Wax Candle", "each", 520, False),
    ("Wireless Earbuds", "each", 60, False),
    ("USB-C Charging Cable 2m", "each", 70, False),
    ("Phone Case", "each", 45, False),
    ("Notebook A5 Dotted", "each", 280, False),
    ("Sparkling Water 24-pack", "case", 8900, False),
)
_COLOURS = (
    "Black", "Charcoal", "Navy", "Forest", "Sand", "Rust", "Sky", "Oat",
    "Plum", "Olive", "Coral", "Slate",
)  # fmt: skip
_SIZES = ("XS", "S", "M", "L", "XL")


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    unit_of_measure: str
    weight_grams: int
    upc: str
    unit_cost_cents: int


@dataclass(frozen=True)
class Catalog:
    """Products in SKU order plus the PO numbers inbound freight refers to."""

    products: tuple[Product, ...]
    po_numbers: tuple[str, ...]
    _by_sku: dict[str, Product] = field(repr=False, compare=False)

    def product(self, sku: str) -> Product | None:
        return self._by_sku.get(sku)

    def __contains__(self, sku: object) -> bool:
        return sku in self._by_sku


def _variants(rng: random.Random) -> list[tuple[str, str, int]]:
    """Every (name, unit, weight) combination, shuffled deterministically."""
    combos: list[tuple[str, str, int]] = []
    for family, unit, weight, sized in _FAMILIES:
        for colour in _COLOURS:
            if sized:
                for size in _SIZES:
                    combos.append((f"{family} - {colour}, {size}", unit, weight))
            else:
                combos.append((f"{family} - {colour}", unit, weight))
    rng.shuffle(combos)
    return combos


@lru_cache(maxsize=8)
def build_catalog(seed: int) -> Catalog:
    """The catalogue for a seed; cached because every provider reset reads it."""
    rng = random.Random(f"catalog:{seed}")
    chosen = sorted(_variants(rng)[:PRODUCT_COUNT])
    products = []
    for index, (name, unit, weight) in enumerate(chosen):
        jitter = rng.uniform(0.9, 1.1)
        products.append(
            Product(
                sku=f"SKU-{10001 + index}",
                name=name,
                unit_of_measure=unit,
                weight_grams=max(1, round(weight * jitter)),
                upc=f"{rng.randrange(10**11, 10**12)}",
                unit_cost_cents=rng.randrange(150, 9000),
            )
        )
    po_numbers = tuple(f"PO-{10001 + i}" for i in range(PO_COUNT))
    return Catalog(tuple(products), po_numbers, {p.sku: p for p in products})
