"""Provider-neutral carriers: who serves a country, what tracking numbers look like."""

from __future__ import annotations

import random
import string

_BY_COUNTRY: dict[str, tuple[str, ...]] = {
    "US": ("UPS", "FedEx", "USPS"),
    "CA": ("Canada Post", "UPS"),
    "GB": ("Royal Mail", "DHL"),
}
_ALNUM = string.ascii_uppercase + string.digits


def carrier_for(rng: random.Random, country: str | None) -> str:
    return rng.choice(_BY_COUNTRY.get(country or "", ("UPS", "DHL")))


def _digits(rng: random.Random, count: int) -> str:
    return f"{rng.randrange(10**count):0{count}d}"


def tracking_number(rng: random.Random, carrier: str) -> str:
    """A number in the carrier's familiar format (not check-digit valid)."""
    if carrier == "UPS":
        return "1Z" + "".join(rng.choices(_ALNUM, k=16))
    if carrier == "FedEx":
        return _digits(rng, 12)
    if carrier == "USPS":
        return "9400" + _digits(rng, 18)
    if carrier == "Canada Post":
        return _digits(rng, 16)
    if carrier == "Royal Mail":
        return "RM" + _digits(rng, 9) + "GB"
    return _digits(rng, 10)
