"""Where Flxpoint's field errors (X4, X9 bodies) land in the caller's input.

Flxpoint names a field only in its message (`mapping.parse_error`), and an
item sometimes by its id or SKU rather than its position: `items[id=5].id`,
`shipment.shipmentItems[sku=SKU-1].quantity`. A `KeyedFields` map bound to the
body it was sent with (`sent`) turns those into positions in that body's
list, then its rules into input paths; the Rejected keeps Flxpoint's own
`fields`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from typing import Any

from gateway.errors import Rejected
from gateway.providers.fieldmap import FieldMap, InputPath
from gateway.providers.flxpoint.mapping import SLUG

Body = Mapping[str, Any]

_KEYED = re.compile(r"^(?P<list>[\w.]+)\[(?P<key>\w+)=(?P<value>[^\]]*)\](?P<rest>.*)$")


class KeyedFields(FieldMap):
    """Rules applied once items named by a key are named by their position."""

    def __init__(
        self, rules: Sequence[tuple[str, str]], body: Body | None = None
    ) -> None:
        super().__init__(rules)
        self.body: Body = body or {}

    def sent(self, body: Body) -> KeyedFields:
        """These rules, for a write of `body`."""
        bound = copy.copy(self)
        bound.body = body
        return bound

    def translate(self, exc: Rejected) -> Rejected:
        exc.input_paths = [
            (self.path(self.positional(name)), message or exc.detail)
            for name, message in exc.fields.items()
        ] or [(None, exc.detail)]
        return exc

    def positional(self, name: str) -> str:
        """`items[id=5].id` as `items[2].id` when the body's third item has id 5."""
        match = _KEYED.match(name)
        if match is None:
            return name
        entries: Any = self.body
        for part in match["list"].split("."):
            entries = entries.get(part) if isinstance(entries, Mapping) else None
        for position, entry in enumerate(entries if isinstance(entries, list) else []):
            if (
                isinstance(entry, Mapping)
                and str(entry.get(match["key"])) == (match["value"])
            ):
                return f"{match['list']}[{position}]{match['rest']}"
        return name


FIELDS = KeyedFields(
    [
        # X4 adjust (acknowledge.py): an item is a LineAcknowledgement.
        (r"items\.(\d+)\.(?:id|sku)", "lines.{1}.lineId"),
        (r"items\.(\d+)\.acknowledgedQuantity", "lines.{1}.acknowledgedQuantity"),
        (r"items\.(\d+)\.cancelledQuantity", "lines.{1}.cancelledQuantity"),
        # "items[1] repeats item 5", "items[0] needs id or sku"
        (r"items\.(\d+)", "lines.{1}.lineId"),
        (r"items", "lines"),
        # X9 create shipment (bodies.shipment_body)
        (r"purchaseOrderId|purchaseOrderNumber", "orderId"),
        (r"shipment\.trackingNumber", "trackingNumber"),
        (r"shipment\.carrier", "carrier"),
        (r"shipment\.method", "service"),
        (r"shipment\.trackingUrl", "trackingUrl"),
        (r"shipment\.shippedAt", "shippedAt"),
        (r"shipment\.shipmentItems\.(\d+)\.quantity", "items.{1}.quantity"),
        (r"shipment\.shipmentItems\.(\d+)(?:\.\w+)?", "items.{1}.sku"),
        (r"shipment\.shipmentItems", "items"),
    ]
)
"""Flxpoint body paths -> `LineAcknowledgement` list / `ShipmentCreate` input
paths (bind with `sent`)."""


def rejected_at(path: InputPath, message: str) -> Rejected:
    """A refusal of the adapter's own, raised before any write: it names the
    caller's input already, so it needs no translation."""
    exc = Rejected(SLUG, message)
    exc.input_paths = [(path, message)]
    return exc
