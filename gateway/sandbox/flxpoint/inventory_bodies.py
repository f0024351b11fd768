"""X11's body: up to 50 variant updates, each field under its own modify mode."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .errors import bad_request
from .model import Variant
from .state import FlxpointState
from .validate import boolean, cents, choice, fields, integer, join, number, text
from .vocabulary import MAX_VARIANT_UPDATES, MODIFY_MODES

Reader = Callable[[dict[str, Any], str, str], Any]


def _quantity(entry: dict[str, Any], key: str, path: str) -> int | None:
    return integer(entry, key, path)


def _flag(entry: dict[str, Any], key: str, path: str) -> bool | None:
    return None if entry.get(key) is None else boolean(entry, key, path)


def _bin(entry: dict[str, Any], key: str, path: str) -> str | None:
    return text(entry, key, path, max_length=64)


# wire field -> (Variant attribute, reader, may be cleared with null)
FIELDS: dict[str, tuple[str, Reader, bool]] = {
    "quantity": ("quantity", _quantity, False),
    "cost": ("cost_cents", cents, True),
    "msrp": ("msrp_cents", cents, True),
    "map": ("map_cents", cents, True),
    "inventoryListPrice": ("list_price_cents", cents, True),
    "shippingCost": ("shipping_cost_cents", cents, True),
    "dropshipFee": ("dropship_fee_cents", cents, True),
    "weight": ("weight_lb", number, True),
    "binLocation": ("bin_location", _bin, True),
    "allowBackorders": ("allow_backorders", _flag, False),
}
DEFAULT_MODE = "updateNonNull"


def modify_key(field: str) -> str:
    return "modify" + field[0].upper() + field[1:]


_ITEM_FIELDS = (
    "inventoryVariantId",
    "sku",
    "sourceId",
    *FIELDS,
    *(modify_key(f) for f in FIELDS),
)


@dataclass(frozen=True)
class VariantUpdate:
    variant: Variant
    # Variant attribute -> new value, only for fields whose mode applies.
    changes: dict[str, Any]


def parse_variant_updates(
    st: FlxpointState, body: Any, default_source: int | None
) -> list[VariantUpdate]:
    if not isinstance(body, list):
        raise bad_request("Request body must be a JSON array of inventory variants")
    if not body:
        raise bad_request("Request body must not be an empty array")
    if len(body) > MAX_VARIANT_UPDATES:
        raise bad_request(
            f"At most {MAX_VARIANT_UPDATES} inventory variants per request"
        )
    updates: list[VariantUpdate] = []
    seen: set[int] = set()
    for index, raw in enumerate(body):
        path = join("", index)
        entry = fields(raw, path, _ITEM_FIELDS)
        variant = _variant(st, entry, path, default_source)
        if variant.id in seen:
            raise bad_request(f"{path} repeats inventory variant {variant.id}")
        seen.add(variant.id)
        updates.append(VariantUpdate(variant, _changes(entry, path)))
    return updates


def _changes(entry: dict[str, Any], path: str) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for field, (attribute, read, nullable) in FIELDS.items():
        mode = choice(entry, modify_key(field), MODIFY_MODES, path) or DEFAULT_MODE
        value = read(entry, field, path)
        if mode == "none" or (mode == "updateNonNull" and value is None):
            continue
        if value is None and not nullable:
            raise bad_request(
                f"{join(path, field)} cannot be null with {modify_key(field)}=update"
            )
        changes[attribute] = value
    return changes


def _variant(
    st: FlxpointState, entry: dict[str, Any], path: str, default_source: int | None
) -> Variant:
    """By `inventoryVariantId`, else by `sku` at `sourceId` (item, then query)."""
    variant_id = integer(entry, "inventoryVariantId", path, minimum=1)
    sku = text(entry, "sku", path)
    source_id = integer(entry, "sourceId", path, minimum=1) or default_source
    if variant_id is not None:
        variant = st.variants.get(variant_id)
        if variant is None:
            raise bad_request(f"Inventory variant {variant_id} not found")
        if sku is not None and sku != variant.sku:
            raise bad_request(
                f"{join(path, 'sku')} {sku} does not match"
                f" inventory variant {variant_id}"
            )
        return variant
    if sku is None:
        raise bad_request(f"{path} needs inventoryVariantId or sku")
    found = [
        v
        for v in st.variants.values()
        if v.sku == sku and (source_id is None or v.source_id == source_id)
    ]
    if not found:
        raise bad_request(f"No inventory variant with sku {sku}")
    if len(found) > 1:
        raise bad_request(
            f"sku {sku} is stocked at several sources;"
            " send inventoryVariantId or sourceId"
        )
    return found[0]
