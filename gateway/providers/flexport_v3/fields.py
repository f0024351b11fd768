"""Where v3's field errors land in the caller's input: the field maps of the writes.

v3 names a field only in its message (`messages.field_of`), and sometimes only
loosely: "parties" for a company reference of either party, "line_items" for
several line rules. A `BodyFields` map, bound to the body it was sent with,
sharpens those names with what the message and the body say before its rules
turn V3 body paths into input paths; the Rejected keeps v3's own `fields`. A
create's lines are the caller's lines in order; an update's body holds every
line of the PO, so `update_fields` is built per call from which body line came
from which input line.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from typing import Any

from gateway.errors import Rejected
from gateway.providers.fieldmap import FieldMap

Body = Mapping[str, Any]


class BodyFields(FieldMap):
    """Rules applied to v3's field names once sharpened with the body sent."""

    def __init__(
        self, rules: Sequence[tuple[str, str]], body: Body | None = None
    ) -> None:
        super().__init__(rules)
        self.body: Body = body or {}

    def sent(self, body: Body) -> BodyFields:
        """These rules, for a write of `body`."""
        bound = copy.copy(self)
        bound.body = body
        return bound

    def translate(self, exc: Rejected) -> Rejected:
        named = {
            _sharpen(name, message, self.body): message
            for name, message in exc.fields.items()
        }
        exc.input_paths = [
            (self.path(name), message or exc.detail) for name, message in named.items()
        ] or [(None, exc.detail)]
        return exc


_HEADER = (
    (r"incoterm", "incoterm"),
    (r"transportation_mode", "transportationMode"),
    (r"cargo_ready_date", "cargoReadyDate"),
    (r"must_arrive_date", "expectedArrival"),
)
"""V3 `/purchase_order` fields -> `PurchaseOrderCreate`/`Update` fields."""

_LINE = (
    (r"item_key", "itemKey"),
    (r"units", "quantity"),
    (r"unit_of_measure", "unitOfMeasure"),
    (r"product\.name", "productName"),
    (r"product(?:\.sku)?", "sku"),
    (r"unit_cost\.currency_code", "currencyCode"),
    (r"unit_cost(?:\..*)?", "unitCost"),
)
"""V3 line fields -> `PurchaseOrderLineCreate` fields."""

FIELDS = BodyFields(
    [
        (r"name", "number"),
        *_HEADER,
        *((rf"line_items\.(\d+)\.{field}", f"lines.{{1}}.{to}") for field, to in _LINE),
        (r"line_items\.(\d+)(?:\..*)?", "lines.{1}"),
        # Rules about the lines as a whole, and S3's unit of measure sentence,
        # which names no line.
        (r"line_items(?:\..*)?|unit_of_measure", "lines"),
        (r"parties\.seller", "supplierRef"),
        (r"parties\.buyer", "buyerRef"),
    ]
)
"""V3 body paths -> `PurchaseOrderCreate` input paths (bind with `sent`)."""

STATUS_FIELDS = FieldMap([])
"""Cancel and close send the PO as read, nothing the caller wrote: a field v3
names locates no input, so only its message reaches the caller."""


def update_fields(positions: Mapping[int, int], body: Body) -> BodyFields:
    """The map for one update of `body`: `positions` maps a body line index to
    the index of the `PurchaseOrderUpdate.lines` entry it came from; lines the
    caller did not send locate nothing."""
    rules: list[tuple[str, str]] = list(_HEADER)
    for body_index, input_index in positions.items():
        rules += [
            (rf"line_items\.{body_index}\.{field}", f"lines.{input_index}.{to}")
            for field, to in _LINE
        ]
        rules.append((rf"line_items\.{body_index}(?:\..*)?", f"lines.{input_index}"))
    rules += [
        (r"line_items\.units|unit_of_measure", "lines"),
        # Left without lines, or without a booked one: what was removed.
        (r"line_items", "removeItemKeys"),
    ]
    return BodyFields(rules, body)


_PRODUCT = re.compile(r"line_items\[\d+\]\.product")
_PARTY_INDEX = re.compile(r"parties\[(\d+)\]")


def _sharpen(name: str, message: str, body: Body) -> str:
    """`name` as precisely as the message and the body allow."""
    if _PRODUCT.fullmatch(name):
        # "line_items[0].product: product_name cannot be empty for a new product"
        for leaf in ("name", "sku"):
            if f"product_{leaf}" in message:
                return f"{name}.{leaf}"
    if name == "line_items" and message.startswith("Cannot update a line item"):
        return "line_items.units"
    if name.startswith("parties"):
        role = _party_role(name, message, body)
        if role is not None:
            return f"parties.{role}"
    return name


def _party_role(name: str, message: str, body: Body) -> str | None:
    """Which party a message is about: by the seller rule, the index in its
    path, or the company reference it quotes."""
    if "seller role" in message:
        return "seller"
    parties = [p for p in body.get("parties") or [] if isinstance(p, dict)]
    index = _PARTY_INDEX.match(name)
    if index is not None and int(index[1]) < len(parties):
        return str(parties[int(index[1])].get("role"))
    words = set(message.split())
    return next(
        (str(p.get("role")) for p in parties if p.get("external_ref") in words), None
    )
