"""Field readers the PO and line parts of a V3 body share: vocabularies and refs."""

from __future__ import annotations

from typing import Any

from . import reader as r
from .errors import unprocessable
from .model import Fields
from .network import ENTITIES_BY_REF, PORTS
from .vocabulary import ADDRESS_FIELDS, INCOTERMS, TRANSPORTATION_MODES

Body = dict[str, Any]


def mode(parent: Body, where: str, *, required: bool) -> str | None:
    value = r.text(parent, "transportation_mode", where, required=required)
    if value is not None and value not in TRANSPORTATION_MODES:
        raise unprocessable(
            f"{value} is an invalid transportation mode. "
            f"allowed values: {', '.join(TRANSPORTATION_MODES)}"
        )
    return value


def incoterm(parent: Body, where: str, *, required: bool) -> str | None:
    value = r.text(parent, "incoterm", where, required=required)
    if value is not None and value not in INCOTERMS:
        raise unprocessable(
            f"Invalid incoterm {value}. allowed values: {', '.join(INCOTERMS)}"
        )
    return value


def dates(parent: Body, where: str) -> tuple[str | None, str | None]:
    ready = r.day(parent, "cargo_ready_date", where)
    arrive = r.day(parent, "must_arrive_date", where)
    if ready is not None and arrive is not None and ready >= arrive:
        raise unprocessable("Must arrive date must be after the cargo ready date")
    return ready, arrive


def port(parent: Body, key: str, where: str) -> str | None:
    """A port by UN/LOCODE; a whole `/place` as V2 returns it is accepted too."""
    value = parent.get(key)
    if value is None:
        return None
    name = r.path(where, key)
    place = r.known(value, name, ("unlocode", "name", "address", "details"))
    code = place.get("unlocode")
    if code is None and isinstance(place.get("address"), dict):
        code = place["address"].get("unlocode")
    if not isinstance(code, str):
        raise unprocessable(f"{name}.unlocode is required")
    if code not in PORTS:
        raise unprocessable(f"Unknown port {code}")
    return code


def address(value: Any, where: str) -> Fields | None:
    return None if value is None else r.flat(value, where, ADDRESS_FIELDS)


def entity_ref(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise unprocessable(f"{where} is required")
    if value not in ENTITIES_BY_REF:
        raise unprocessable(f"Company does not exist for reference {value}")
    return value
