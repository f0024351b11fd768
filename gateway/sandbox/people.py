"""Provider-neutral recipients: names, contacts and US/CA/GB postal addresses."""

from __future__ import annotations

import random
from dataclasses import dataclass

_FIRST = (
    "Ava", "Liam", "Maya", "Noah", "Zoe", "Ethan", "Priya", "Lucas", "Amara", "Owen",
    "Chloe", "Mateo", "Hannah", "Kenji", "Fatima", "Declan", "Isla", "Ravi", "Elena",
    "Tomas", "Grace", "Jonah", "Leila", "Samir", "Nora", "Felix", "Ingrid", "Marcus",
)  # fmt: skip
_LAST = (
    "Nguyen", "Okafor", "Smith", "Haddad", "Kowalski", "Murphy", "Tanaka", "Garcia",
    "Lindqvist", "Patel", "Dubois", "Campbell", "Rossi", "Abebe", "Fraser", "Kim",
    "Moreau", "O'Brien", "Silva", "Walsh", "Yamamoto", "Cohen", "Baker", "Hughes",
)  # fmt: skip
_STREETS = (
    "Maple", "Cedar", "Harbor", "Mill", "Station", "King", "Queen", "Church",
    "Lakeview", "Pine", "Elm", "Victoria", "Park", "High", "Bay", "Orchard",
)  # fmt: skip
_US_SUFFIX = ("St", "Ave", "Rd", "Blvd", "Ln", "Way")
_GB_SUFFIX = ("Road", "Street", "Lane", "Close", "Gardens")

# (city, region, postcode prefix or pattern)
_US = (
    ("Seattle", "WA", "981"), ("Portland", "OR", "972"), ("Austin", "TX", "787"),
    ("Atlanta", "GA", "303"), ("Denver", "CO", "802"), ("Chicago", "IL", "606"),
    ("Brooklyn", "NY", "112"), ("Boston", "MA", "021"), ("Phoenix", "AZ", "850"),
    ("Nashville", "TN", "372"), ("Columbus", "OH", "432"), ("Oakland", "CA", "946"),
)  # fmt: skip
_CA = (
    ("Toronto", "ON", "M"), ("Vancouver", "BC", "V"), ("Montreal", "QC", "H"),
    ("Calgary", "AB", "T"), ("Halifax", "NS", "B"), ("Ottawa", "ON", "K"),
)  # fmt: skip
_GB = (
    ("London", "England", "SW"), ("Manchester", "England", "M"),
    ("Leeds", "England", "LS"), ("Edinburgh", "Scotland", "EH"),
    ("Cardiff", "Wales", "CF"), ("Bristol", "England", "BS"),
    ("Belfast", "Northern Ireland", "BT"),
)  # fmt: skip
_LETTERS = "ABCEGHJKLMNPRSTVXY"


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    phone: str


@dataclass(frozen=True)
class PostalAddress:
    line1: str
    line2: str | None
    city: str
    region: str
    postcode: str
    country: str


def person(rng: random.Random) -> Person:
    first, last = rng.choice(_FIRST), rng.choice(_LAST)
    handle = f"{first}.{last}".lower().replace("'", "")
    email = f"{handle}{rng.randint(1, 99)}@example.com"
    phone = f"+1-555-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}"
    return Person(f"{first} {last}", email, phone)


def address(rng: random.Random, country: str | None = None) -> PostalAddress:
    """A plausible address; the country is US 70%, CA 15%, GB 15% unless given."""
    chosen = country or rng.choices(("US", "CA", "GB"), weights=(70, 15, 15))[0]
    number = rng.randint(1, 9899)
    street = rng.choice(_STREETS)
    line2 = f"Apt {rng.randint(1, 40)}" if rng.random() < 0.25 else None
    if chosen == "US":
        city, region, prefix = rng.choice(_US)
        line1 = f"{number} {street} {rng.choice(_US_SUFFIX)}"
        return PostalAddress(
            line1, line2, city, region, f"{prefix}{rng.randint(0, 99):02d}", "US"
        )
    if chosen == "CA":
        city, region, first = rng.choice(_CA)
        postcode = (
            f"{first}{rng.randint(1, 9)}{rng.choice(_LETTERS)} "
            f"{rng.randint(0, 9)}{rng.choice(_LETTERS)}{rng.randint(0, 9)}"
        )
        return PostalAddress(
            f"{number} {street} St", line2, city, region, postcode, "CA"
        )
    city, region, area = rng.choice(_GB)
    postcode = (
        f"{area}{rng.randint(1, 20)} {rng.randint(1, 9)}"
        f"{rng.choice(_LETTERS)}{rng.choice(_LETTERS)}"
    )
    line1 = f"{rng.randint(1, 220)} {street} {rng.choice(_GB_SUFFIX)}"
    return PostalAddress(line1, line2, city, region, postcode, "GB")
