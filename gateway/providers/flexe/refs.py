"""Ids the adapter makes up: retail order ids, and keys derived from idempotency keys.

F3 orders and F20 retail fulfillment orders live behind different endpoints
and both use UUIDs, so nothing tells one id from the other. The gateway has one
id space for orders: a retail order's domain id is `RFO-<shipmentId>`, and
`get_orders`, `update_order` and `cancel_order` know which endpoint to call
from the id alone (as the Flexport Logistics adapter does with `B2B-`/`DTC-`).

Flexe has no idempotency-key header. The key travels in Flexe's own fields
instead: an order label, a line's externalId, a file key, a correlationId.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

RETAIL_PREFIX = "RFO-"

IDEMPOTENCY_LABEL = "gateway-idempotency-key"
"""The label that records which create made an order or an attachment."""

_PLAIN = re.compile(r"[A-Za-z0-9._-]{1,64}")


def retail_id(shipment_id: str) -> str:
    """The domain id of the retail fulfillment order with this shipmentId."""
    return RETAIL_PREFIX + shipment_id


def retail_shipment_id(order_id: str) -> str | None:
    """The shipmentId behind a retail domain id; None for any other id."""
    if order_id.startswith(RETAIL_PREFIX) and len(order_id) > len(RETAIL_PREFIX):
        return order_id[len(RETAIL_PREFIX) :]
    return None


def split(order_ids: Sequence[str]) -> tuple[list[str], list[str]]:
    """(F3 order ids, retail domain ids), each in the order given."""
    outbound = [i for i in order_ids if retail_shipment_id(i) is None]
    retail = [i for i in order_ids if retail_shipment_id(i) is not None]
    return outbound, retail


def derived(key: str, *scope: str) -> str:
    """A Flexe-safe id made from an idempotency key (and what it is scoped to).

    A short key of URL-safe characters is used as it is, so the id stays
    readable; anything else is hashed, because keys may hold any printable
    character and Flexe ids end up in paths and length-limited fields.
    """
    if not scope and _PLAIN.fullmatch(key):
        return f"gw-{key}"
    digest = hashlib.sha256("\0".join((*scope, key)).encode()).hexdigest()
    return f"gw-{digest[:40]}"
