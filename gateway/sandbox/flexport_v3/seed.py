"""A fresh Flexport v3 account for a seed: the catalogue's 60 POs in every phase.

Same seed, same bytes: every value comes from a `random.Random` keyed by the
seed and every date is relative to the config anchor. PO-10001 is the
oldest. History (acknowledgements, bookings, amendments, closes, cancels) is
replayed by seed_history.py through the same code the API uses.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .. import people
from ..catalog import Product, build_catalog
from ..clock import truncate_ms
from ..config import SandboxConfig
from . import products as p
from .model import Fields, LineSpec, Money, PartySpec, PoSpec
from .network import (
    BUYERS,
    FORWARDER,
    ORIGIN_PORTS,
    SUPPLIERS,
    WAREHOUSES,
    CompanyEntity,
)
from .seed_history import Plan, replay
from .state import FlexportV3State

# How many POs end in each phase, and how old they are (days before the anchor).
_PHASES = (
    ("closed", 16, (150, 300)),
    ("cancelled", 7, (20, 250)),
    ("booked", 13, (35, 140)),
    ("acknowledged", 10, (6, 60)),
    ("open", 14, (0.2, 20)),
)
_INCOTERMS = {
    "ocean": ("FOB", "FOB", "CIF", "EXW", "FCA"),
    "air": ("FCA", "EXW", "DAP"),
    "truck": ("DAP", "DDP", "EXW"),
}
_TRANSIT_DAYS = {"ocean": (24, 40), "air": (4, 9), "truck": (3, 7)}
_MEMOS = (
    None, None, None,
    "Replenishment for the holiday season",
    "Split delivery between distribution centres allowed",
    "Carton labels must carry the PO number",
    "Priority restock: best sellers",
)  # fmt: skip


@dataclass(frozen=True)
class _Draft:
    phase: str
    created: datetime


def build_state(config: SandboxConfig, now: Callable[[], datetime]) -> FlexportV3State:
    catalog = build_catalog(config.seed)
    rng = random.Random(f"flexport_v3:{config.seed}")
    st = FlexportV3State(catalog, rng, now)
    anchor = config.anchor
    drafts = []
    for phase, count, (low, high) in _PHASES:
        for _ in range(count):
            age = timedelta(days=rng.uniform(low, high))
            drafts.append(_Draft(phase, truncate_ms(anchor - age)))
    drafts.sort(key=lambda d: d.created)
    by_family: dict[str, list[Product]] = {}
    for product in catalog.products:
        by_family.setdefault(p.family(product), []).append(product)
    plans = []
    for name, draft in zip(catalog.po_numbers, drafts, strict=True):
        spec, lines = _po(rng, by_family, name, draft.created)
        plans.append(Plan(draft.phase, draft.created, spec, lines))
    replay(st, rng, plans, anchor)
    return st


def _contact(rng: random.Random, department: str) -> dict[str, str | None]:
    who = people.person(rng)
    return {
        "name": who.name,
        "phone": who.phone,
        "email": who.email,
        "fax": None,
        "department": department,
    }


def _parties(
    rng: random.Random, buyer: CompanyEntity, seller: CompanyEntity, mode: str
) -> list[PartySpec]:
    parties = [
        PartySpec("buyer", buyer.ref, [_contact(rng, "Purchasing")]),
        PartySpec("seller", seller.ref, [_contact(rng, "Sales")]),
        PartySpec("owner", buyer.ref),
    ]
    if rng.random() < 0.5:
        parties.append(PartySpec("consignee", buyer.ref))
    if rng.random() < 0.3:
        parties.append(PartySpec("manufacturer", seller.ref))
    if mode != "truck" and rng.random() < 0.6:
        parties.append(PartySpec("freight_forwarder", FORWARDER.ref))
    if rng.random() < 0.1:
        parties.append(
            PartySpec("notify_party", buyer.ref, [_contact(rng, "Logistics")])
        )
    return parties


def _po(
    rng: random.Random,
    by_family: dict[str, list[Product]],
    name: str,
    created: datetime,
) -> tuple[PoSpec, list[LineSpec]]:
    buyer = BUYERS[1] if rng.random() < 0.15 else BUYERS[0]
    seller = rng.choice(SUPPLIERS)
    overseas = seller.ref in ORIGIN_PORTS
    mode = rng.choices(("ocean", "air"), (80, 20))[0] if overseas else "truck"
    ready = created.date() + timedelta(days=rng.randint(14, 45))
    arrive = ready + timedelta(days=rng.randint(*_TRANSIT_DAYS[mode]))
    port, warehouse = rng.choice(WAREHOUSES[buyer.ref])
    sold = [x for family in seller.families for x in by_family.get(family, [])]
    chosen = rng.sample(sold, min(len(sold), rng.randint(1, 10)))
    origin = seller.mailing_address["country_code"]
    lines = [
        _line(rng, product, str(number), (origin, warehouse), (ready, arrive))
        for number, product in enumerate(chosen, start=1)
    ]
    spec = PoSpec(
        name=name,
        status="open",
        parties=_parties(rng, buyer, seller, mode),
        incoterm=rng.choice(_INCOTERMS[mode]),
        transportation_mode=mode,
        priority="high" if rng.random() < 0.15 else "standard",
        order_type=p.FAMILIES[p.family(chosen[0])][1],
        currency_code="USD",
        cargo_ready_date=ready.isoformat(),
        must_arrive_date=arrive.isoformat(),
        issue_date=created.date().isoformat(),
        origin_port=ORIGIN_PORTS.get(seller.ref) if mode != "truck" else None,
        origin_address={**seller.mailing_address, "ref": f"{seller.ref}-factory"},
        destination_port=port if mode != "truck" else None,
        destination_addresses=[dict(warehouse)],
        memo=rng.choice(_MEMOS),
        freight_payment_terms=rng.choice(("freight_collect", "freight_prepaid")),
        metadata={"season": ["FW26"]} if rng.random() < 0.3 else {},
    )
    return spec, lines


def _line(
    rng: random.Random,
    product: Product,
    item_key: str,
    whence: tuple[str, Fields],
    window: tuple[date, date],
) -> LineSpec:
    origin, warehouse = whence
    ready, arrive = window
    uom = p.UNITS[product.unit_of_measure]
    units = rng.randint(4, 120) * (1 if uom == "CTN" else 24)
    line_ready = line_arrive = None
    if rng.random() < 0.2:
        # Some lines are ready a day or two after the PO as a whole.
        line_ready = (ready + timedelta(days=rng.randint(1, 2))).isoformat()
        line_arrive = arrive.isoformat()
    return LineSpec(
        item_key=item_key,
        units=units,
        product=p.line_product(product, origin, rng),
        unit_cost=Money(p.unit_cost(product), "USD"),
        unit_of_measure=uom,
        cargo_ready_date=line_ready,
        must_arrive_date=line_arrive,
        destination_addresses=[(units, dict(warehouse))] if rng.random() < 0.5 else [],
        hs_codes=[p.hs_code(product)],
        measurements=[p.gross_weight(product)],
    )
