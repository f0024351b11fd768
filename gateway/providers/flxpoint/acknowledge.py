"""Accepting part of a fulfilment request, item by item, through X4 (adjust).

A `LineAcknowledgement.line_id` is the FR item id (`mapping.to_line` makes it
the OrderLine id). X4 is sent with `killOrFillType: kill`: the units of a named
item that are not acknowledged are cancelled, as `acknowledge_order` promises;
items not named are left as they are. X4 is retried like a read: it sets
quantities rather than adding to them, so a replay cannot acknowledge twice,
though one whose first attempt landed reports "already acknowledged" (a
Conflict, through `mapping.CONFLICT_CODES`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from gateway.models import LineAcknowledgement, Order
from gateway.providers.fieldmap import translated
from gateway.providers.flxpoint import mapping, wire
from gateway.providers.flxpoint.api import FlxpointApi, fr_path
from gateway.providers.flxpoint.fields import FIELDS, rejected_at

if TYPE_CHECKING:
    from gateway.http import Upstream


def adjust_body(lines: Sequence[LineAcknowledgement]) -> dict[str, Any]:
    """X4's body; line ids must be FR item ids (whole numbers)."""
    for index, line in enumerate(lines):
        if not (line.line_id.isascii() and line.line_id.isdigit()):
            raise rejected_at(
                ("lines", str(index), "lineId"),
                f"{line.line_id!r} is not a Flxpoint fulfillment request item id",
            )
    return {
        "items": [
            {
                "id": int(line.line_id),
                "acknowledgedQuantity": line.acknowledged_quantity,
                "cancelledQuantity": line.cancelled_quantity,
            }
            for line in lines
        ],
        "killOrFillType": "kill",
    }


async def adjust(
    upstream: Upstream,
    api: FlxpointApi,
    fr_id: str,
    lines: Sequence[LineAcknowledgement],
) -> Order:
    """X4 for the lines given; the FR as it now is."""
    body = adjust_body(lines)
    with translated(FIELDS.sent(body)):
        response = await upstream.request(
            "POST", f"{fr_path(fr_id)}/adjust", json=body, replay_safe=True
        )
    data = response.data
    if not isinstance(data, dict):
        # Flxpoint documents a bare 200 for X4; the sandbox answers with the FR.
        data = await api.get(fr_path(fr_id))
    return mapping.to_order(api.validate(wire.FulfillmentRequest, data), data)
