"""X4's body: items by `id` or `sku`, fill/kill, cancelUnacknowledgedItemQuantity."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import bad_request
from .machine import ItemChange
from .model import FrItem, FulfillmentRequest
from .validate import array, boolean, choice, fields, integer, join, text

_BODY_FIELDS = ("items", "killOrFillType", "cancelUnacknowledgedItemQuantity")
_ITEM_FIELDS = (
    "id",
    "sku",
    "acknowledgedQuantity",
    "secondaryAcknowledgedQuantity",
    "cancelledQuantity",
)
KILL_OR_FILL = ("fill", "kill")


@dataclass(frozen=True)
class Adjustment:
    """None `changes` means "acknowledge everything open"."""

    changes: list[ItemChange] | None
    kill: bool
    cancel_unlisted: bool


def parse_adjustment(body: Any, fr: FulfillmentRequest) -> Adjustment:
    data = fields({} if body is None else body, "", _BODY_FIELDS)
    kind = choice(data, "killOrFillType", KILL_OR_FILL) or "fill"
    cancel_unlisted = boolean(data, "cancelUnacknowledgedItemQuantity")
    raw_items = array(data, "items")
    if raw_items is None:
        return Adjustment(None, kind == "kill", cancel_unlisted)
    changes: list[ItemChange] = []
    seen: set[int] = set()
    for index, raw in enumerate(raw_items):
        path = join("items", index)
        entry = fields(raw, path, _ITEM_FIELDS)
        item = _resolve(entry, path, fr)
        if item.id in seen:
            raise bad_request(f"{path} repeats item {item.id}")
        seen.add(item.id)
        changes.append(
            ItemChange(
                item,
                integer(entry, "acknowledgedQuantity", path),
                integer(entry, "secondaryAcknowledgedQuantity", path),
                integer(entry, "cancelledQuantity", path),
            )
        )
    return Adjustment(changes, kind == "kill", cancel_unlisted)


def _resolve(entry: dict[str, Any], path: str, fr: FulfillmentRequest) -> FrItem:
    """The item named by `id` or `sku`; when both are given they must agree."""
    item_id = integer(entry, "id", path, minimum=1)
    sku = text(entry, "sku", path)
    if item_id is None and sku is None:
        raise bad_request(f"{path} needs id or sku")
    if item_id is not None:
        item = fr.item(item_id)
        if item is None:
            raise bad_request(f"Item {item_id} is not on fulfillment request {fr.id}")
        if sku is not None and sku != item.sku:
            raise bad_request(f"{path}.sku {sku} does not match item {item_id}")
        return item
    by_sku = next((i for i in fr.items if i.sku == sku), None)
    if by_sku is None:
        raise bad_request(f"SKU {sku} is not on fulfillment request {fr.id}")
    return by_sku
