"""What v3 says about a catalogue product: category, HS code, unit, line product."""

from __future__ import annotations

import random

from ..catalog import Product
from .model import Fields

# family -> (product_category, order_type, HS code, HS description)
FAMILIES: dict[str, tuple[str, str, str, str]] = {
    "Merino Crew Sock": (
        "Socks",
        "Apparel",
        "6115.94.00",
        "Hosiery of wool or fine animal hair, knitted",
    ),
    "Organic Cotton Tee": (
        "Tops",
        "Apparel",
        "6109.10.00",
        "T-shirts, singlets and other vests, of cotton, knitted",
    ),
    "Trail Running Shoe": (
        "Footwear",
        "Footwear",
        "6404.11.90",
        "Sports footwear, outer soles of rubber or plastics",
    ),
    "Rain Shell Jacket": (
        "Outerwear",
        "Apparel",
        "6201.40.00",
        "Anoraks, windcheaters and similar articles, of man-made fibres",
    ),
    "Fleece Beanie": (
        "Headwear",
        "Apparel",
        "6505.00.90",
        "Hats and other headgear, knitted",
    ),
    "Insulated Bottle 750ml": (
        "Drinkware",
        "Home",
        "9617.00.00",
        "Vacuum flasks and other vacuum vessels",
    ),
    "Ceramic Pour-Over Set": (
        "Kitchen",
        "Home",
        "6912.00.48",
        "Ceramic tableware and kitchenware",
    ),
    "Cold Brew Concentrate 12-pack": (
        "Beverages",
        "Grocery",
        "2101.11.29",
        "Extracts, essences and concentrates of coffee",
    ),
    "Beeswax Food Wrap 3-pack": (
        "Kitchen",
        "Home",
        "5907.00.80",
        "Textile fabrics otherwise impregnated or coated",
    ),
    "Bamboo Cutting Board": (
        "Kitchen",
        "Home",
        "4419.11.00",
        "Bread boards, chopping boards and similar boards, of bamboo",
    ),
    "Linen Tea Towel 2-pack": (
        "Textiles",
        "Home",
        "6302.99.20",
        "Kitchen linen of flax",
    ),
    "Canvas Tote Bag": (
        "Bags",
        "Accessories",
        "4202.92.31",
        "Bags with outer surface of textile materials",
    ),
    "Yoga Mat 5mm": (
        "Fitness",
        "Fitness",
        "9506.91.00",
        "Articles and equipment for general physical exercise",
    ),
    "Resistance Band Set": (
        "Fitness",
        "Fitness",
        "9506.91.00",
        "Articles and equipment for general physical exercise",
    ),
    "Soy Wax Candle": (
        "Home Fragrance",
        "Home",
        "3406.00.00",
        "Candles, tapers and the like",
    ),
    "Wireless Earbuds": (
        "Audio",
        "Electronics",
        "8518.30.20",
        "Headphones and earphones",
    ),
    "USB-C Charging Cable 2m": (
        "Cables",
        "Electronics",
        "8544.42.90",
        "Electric conductors fitted with connectors",
    ),
    "Phone Case": (
        "Phone Accessories",
        "Electronics",
        "3926.90.99",
        "Other articles of plastics",
    ),
    "Notebook A5 Dotted": (
        "Stationery",
        "Stationery",
        "4820.10.20",
        "Registers, notebooks, diaries and similar articles",
    ),
    "Sparkling Water 24-pack": (
        "Beverages",
        "Grocery",
        "2201.10.00",
        "Mineral waters and aerated waters",
    ),
}
# The catalogue's units as v3 units of measure.
UNITS = {"each": "EA", "pair": "PR", "case": "CTN", "pack": "PK"}
# Lithium batteries make these dangerous goods.
DANGEROUS = ("Wireless Earbuds",)


def family(product: Product) -> str:
    return product.name.split(" - ", 1)[0]


def colour_and_size(product: Product) -> tuple[str | None, str | None]:
    _, _, variant = product.name.partition(" - ")
    colour, _, size = variant.partition(", ")
    return colour or None, size or None


def line_product(product: Product, origin: str, rng: random.Random) -> Fields:
    """The `product` of a seeded line: every §3.3 field the catalogue can fill."""
    name = family(product)
    colour, size = colour_and_size(product)
    initials = "".join(word[0] for word in name.split() if word[0].isalpha())
    return {
        "name": product.name,
        "sku": product.sku,
        "color": colour,
        "country_of_origin": origin,
        "dangerous": name in DANGEROUS,
        "ean_ucc_13": f"0{product.upc}",
        "ean_ucc_8": None,
        "lot_number": f"LOT-{rng.randint(1000, 9999)}" if rng.random() < 0.3 else None,
        "product_category": FAMILIES[name][0],
        "size": size,
        "style": f"{initials.upper()}-{product.sku[-3:]}",
        "upc": product.upc,
    }


def hs_code(product: Product) -> Fields:
    _, _, code, description = FAMILIES[family(product)]
    return {"description": description, "code": code, "country_code": "US"}


def gross_weight(product: Product) -> Fields:
    return {
        "measure_type": "gross_weight",
        "unit_of_measure": "KG",
        "value": f"{product.weight_grams / 1000:.3f}",
    }


def unit_cost(product: Product) -> str:
    return f"{product.unit_cost_cents // 100}.{product.unit_cost_cents % 100:02d}"
