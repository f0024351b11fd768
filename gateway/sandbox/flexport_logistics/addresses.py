"""The Address object LAPI shares between outbounds, DTC orders and retailer data."""

from __future__ import annotations

import re
from typing import Any

from .model import Address
from .validate import Checker, at
from .vocabulary import WAREHOUSES_BY_ID

ADDRESS_FIELDS = (
    "name",
    "company",
    "street1",
    "street2",
    "city",
    "zip",
    "state",
    "country",
    "phone",
    "email",
    "isResidential",
)
_REQUIRED = ("name", "street1", "city", "zip", "country")
_OPTIONAL = ("company", "street2", "phone", "email")
# Countries whose addresses cannot be delivered without a state or province.
_NEEDS_STATE = ("US", "CA")
_COUNTRY = re.compile(r"[A-Z]{2}")


def check_address(c: Checker, value: Any, path: str) -> Address:
    """Validate one Address; `country` is an upper-case ISO 3166-1 alpha-2 code."""
    address: Address = dict.fromkeys(ADDRESS_FIELDS)
    if not c.fields(value, path, ADDRESS_FIELDS):
        return address
    for key in _REQUIRED:
        address[key] = c.text(value, key, path, required=True)
    for key in _OPTIONAL:
        address[key] = c.text(value, key, path)
    country = address["country"]
    if isinstance(country, str) and not _COUNTRY.fullmatch(country):
        c.fail(at(path, "country"), "must be an ISO 3166-1 alpha-2 code such as US")
    address["state"] = c.text(value, "state", path, required=country in _NEEDS_STATE)
    address["isResidential"] = c.boolean(value, "isResidential", path)
    return address


def address(
    name: str,
    street1: str,
    city: str,
    state: str | None,
    zip_code: str,
    country: str,
    **extra: str | bool | None,
) -> Address:
    """An Address with every field present (null when unknown)."""
    result: Address = dict.fromkeys(ADDRESS_FIELDS)
    result.update(
        name=name,
        street1=street1,
        city=city,
        state=state,
        zip=zip_code,
        country=country,
        **extra,
    )
    return result


def warehouse_address(warehouse_id: str) -> Address:
    """The shipFromAddress of a shipment leaving one of the sandbox warehouses."""
    warehouse = WAREHOUSES_BY_ID[warehouse_id]
    return address(
        warehouse.name,
        warehouse.street1,
        warehouse.city,
        warehouse.state,
        warehouse.zip,
        "US",
        company="Flexport",
        isResidential=False,
    )
