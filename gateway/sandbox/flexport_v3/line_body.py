"""One `line_items[]` entry of a V3 body -> LineSpec (product library, units, cost)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import body_fields as f
from . import reader as r
from .errors import unprocessable
from .model import Fields, LineSpec, Money, PoSpec
from .vocabulary import (
    HS_CODE_FIELDS,
    LINE_TYPES,
    MEASURE_TYPES,
    MEASUREMENT_FIELDS,
    PRODUCT_FIELDS,
    UNITS_OF_MEASURE,
)

Body = dict[str, Any]

LINE_FIELDS = (
    "item_key", "line_type", "parent_line_key", "units", "unit_cost", "product",
    "incoterm", "transportation_mode", "unit_of_measure", "must_arrive_date",
    "cargo_ready_date", "assigned_party", "origin_port", "origin_address",
    "destination_port", "destination_addresses", "hs_codes", "measurements",
    "metadata",
)  # fmt: skip


def _product(obj: Body, where: str, products: Mapping[str, str]) -> Fields:
    raw = obj.get("product")
    name = r.path(where, "product")
    if raw is None:
        raise unprocessable(f"{name}: product_sku must be specified")
    product = r.flat(raw, name, PRODUCT_FIELDS, booleans=("dangerous",))
    sku = product["sku"]
    if sku is None or not sku.strip():
        raise unprocessable(f"{name}: product_sku must be specified")
    if product["name"] is None:
        if sku not in products:
            raise unprocessable(
                f"{name}: product_name cannot be empty for a new product ({sku})"
            )
        product["name"] = products[sku]
    return product


def _unit_cost(obj: Body, where: str, spec: PoSpec) -> Money | None:
    raw = obj.get("unit_cost")
    if raw is None:
        return None
    name = r.path(where, "unit_cost")
    cost = r.known(raw, name, ("amount", "currency_code"))
    amount = r.decimal(cost, "amount", name)
    if amount is None:
        raise unprocessable(f"{name}.amount is required")
    code = r.currency(cost, "currency_code", name) or spec.currency_code
    if code is None:
        raise unprocessable(f"{name}.currency_code is required")
    return Money(amount, code)


def parse_line(
    raw: Any, where: str, spec: PoSpec, products: Mapping[str, str]
) -> LineSpec:
    obj = r.known(raw, where, LINE_FIELDS)
    item_key = r.text(obj, "item_key", where, required=True)
    assert item_key is not None
    units = r.whole(obj, "units", where)
    if units is None:
        raise unprocessable(f"{r.path(where, 'units')} is required")
    line_type = r.text(obj, "line_type", where) or "main_line"
    if line_type not in LINE_TYPES:
        raise unprocessable(
            f"{r.path(where, 'line_type')} must be one of {', '.join(LINE_TYPES)}"
        )
    uom = r.text(obj, "unit_of_measure", where)
    if uom is not None and uom not in UNITS_OF_MEASURE:
        raise unprocessable("Unknown unit of measure")
    ready, arrive = f.dates(obj, where)
    assigned = obj.get("assigned_party")
    assigned_ref = None
    if assigned is not None:
        party = r.known(assigned, r.path(where, "assigned_party"), ("external_ref",))
        assigned_ref = f.entity_ref(
            party.get("external_ref"), r.path(where, "assigned_party.external_ref")
        )
    return LineSpec(
        item_key=item_key,
        units=units,
        product=_product(obj, where, products),
        line_type=line_type,
        parent_line_key=r.text(obj, "parent_line_key", where),
        unit_cost=_unit_cost(obj, where, spec),
        incoterm=f.incoterm(obj, where, required=False),
        transportation_mode=f.mode(obj, where, required=False),
        unit_of_measure=uom,
        must_arrive_date=arrive,
        cargo_ready_date=ready,
        assigned_party_ref=assigned_ref,
        origin_port=f.port(obj, "origin_port", where),
        origin_address=f.address(
            obj.get("origin_address"), r.path(where, "origin_address")
        ),
        destination_port=f.port(obj, "destination_port", where),
        destination_addresses=_destinations(obj, where),
        hs_codes=[
            r.flat(h, r.path(r.path(where, "hs_codes"), i), HS_CODE_FIELDS)
            for i, h in enumerate(r.array(obj, "hs_codes", where))
        ],
        measurements=_measurements(obj, where),
        metadata=r.metadata(obj, where),
    )


def _destinations(obj: Body, where: str) -> list[tuple[int, Fields]]:
    out: list[tuple[int, Fields]] = []
    for i, raw in enumerate(r.array(obj, "destination_addresses", where)):
        name = r.path(r.path(where, "destination_addresses"), i)
        item = r.known(raw, name, ("units", "address"))
        units = r.whole(item, "units", name)
        address = f.address(item.get("address"), r.path(name, "address"))
        if units is None or address is None:
            raise unprocessable(f"{name} needs units and an address")
        out.append((units, address))
    return out


def _measurements(obj: Body, where: str) -> list[Fields]:
    out: list[Fields] = []
    for i, raw in enumerate(r.array(obj, "measurements", where)):
        name = r.path(r.path(where, "measurements"), i)
        item = r.flat(raw, name, MEASUREMENT_FIELDS)
        if item["measure_type"] not in MEASURE_TYPES:
            raise unprocessable(
                f"{name}.measure_type must be one of {', '.join(MEASURE_TYPES)}"
            )
        r.decimal(item, "value", name)
        out.append(item)
    return out
