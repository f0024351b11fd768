"""Flexport v3 webhooks (providers.md §3.6): the body signature and the PO event table.

Flexport signs the raw body with the endpoint's secret twice: `X-Hub-Signature`
(HMAC-SHA1) and `X-Hub-Signature-256` (HMAC-SHA256). Only the SHA-256 header
is accepted. Flexport is retiring the SHA-1 one (E8), SHA-1 no longer resists
collisions, and an endpoint that took either header would be only as strong
as the weaker: a forger would simply send the SHA-1 one alone.

No timestamp is signed, so a captured delivery verifies forever and no
tolerance can be applied (one on the body's `created_at` would also refuse
Flexport's own retries). Replays are stopped downstream instead: the event
`id` is the dedupe key, and the broker publishes each id once within its
dedupe window.

Every PO event carries the PO header as it was at the event; its `status` goes
through the same `mapping.to_status` as reads.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from collections.abc import Callable, Mapping

from multidict import CIMultiDict
from pydantic import ValidationError

from gateway.errors import ProviderResponseInvalid, WebhookRejected
from gateway.models import EventBase, PurchaseOrderStatus, PurchaseOrderStatusEvent
from gateway.providers.flexport_v3 import mapping, wire
from gateway.providers.flexport_v3.mapping import SLUG

log = logging.getLogger("gateway.providers.flexport_v3")

SIGNATURE_HEADER = "X-Hub-Signature-256"
SHA1_HEADER = "X-Hub-Signature"

_SIGNATURE = re.compile(r"sha256=([0-9a-fA-F]{64})")


def verify(headers: Mapping[str, str], body: bytes, secret: str | None) -> None:
    """Raise WebhookRejected unless `X-Hub-Signature-256` signs `body` with `secret`.

    Without a configured secret every delivery is refused: Flexport always
    signs, so an unsigned delivery cannot be told from a forged one.
    """
    if not secret:
        raise WebhookRejected(
            "flexport_v3: the webhook secret is not configured; "
            "deliveries cannot be verified"
        )
    found = CIMultiDict(headers)
    signature = found.get(SIGNATURE_HEADER)
    if signature is None:
        alone = (
            f" (a {SHA1_HEADER} alone is not accepted)" if SHA1_HEADER in found else ""
        )
        raise WebhookRejected(
            f"flexport_v3: the {SIGNATURE_HEADER} header is missing{alone}"
        )
    match = _SIGNATURE.fullmatch(signature.strip())
    if match is None:
        raise WebhookRejected(
            f"flexport_v3: {SIGNATURE_HEADER} is not sha256=<64 hex digits>"
        )
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, match.group(1).lower()):
        raise WebhookRejected("flexport_v3: the signature does not match the body")


def parse(body: bytes) -> list[EventBase]:
    """The domain events of a verified delivery; [] for types not followed.

    ProviderResponseInvalid for a body that is not an `/event`, or for a PO
    event without a readable `data.purchase_order`.
    """
    try:
        event = wire.Event.model_validate_json(body)
    except ValidationError:
        raise ProviderResponseInvalid(
            SLUG, "the webhook body is not a Flexport /event"
        ) from None
    mapper = MAPPERS.get(event.type)
    if mapper is None:
        log.info(
            "Flexport v3 webhook type not followed; acknowledged",
            extra={"event_type": event.type},
        )
        return []
    return mapper(event)


def _status_event(
    event: wire.Event, previous: PurchaseOrderStatus | None, *, unchanged: bool = False
) -> list[EventBase]:
    try:
        data = wire.PurchaseOrderEventData.model_validate(event.data)
    except ValidationError:
        raise ProviderResponseInvalid(
            SLUG, f"a {event.type} event has no readable purchase_order"
        ) from None
    occurred_at = event.occurred_at or event.created_at
    if occurred_at is None:
        raise ProviderResponseInvalid(SLUG, f"a {event.type} event has no time")
    po = data.purchase_order
    status = mapping.to_status(po.status)
    return [
        PurchaseOrderStatusEvent(
            provider=SLUG,
            occurred_at=occurred_at,
            dedupe_key=event.id,
            purchase_order_id=po.id,
            number=po.name,
            previous_status=status if unchanged else previous,
            status=status,
            raw_status=po.status,
        )
    ]


def _changed(event: wire.Event) -> list[EventBase]:
    # Created, amended (or booked) or archived: the event does not say what
    # the status was before.
    return _status_event(event, None)


def _ended(event: wire.Event) -> list[EventBase]:
    # Only an open PO can be closed or cancelled (§3.4).
    return _status_event(event, PurchaseOrderStatus.OPEN)


def _acknowledged(event: wire.Event) -> list[EventBase]:
    # The supplier acknowledged it; the status stays what it was (open, §3.6).
    return _status_event(event, None, unchanged=True)


Mapper = Callable[[wire.Event], list[EventBase]]

MAPPERS: dict[str, Mapper] = {
    "/purchase_order#created": _changed,
    "/purchase_order#updated": _changed,
    "/purchase_order#archived": _changed,
    "/purchase_order#closed": _ended,
    "/purchase_order#cancelled": _ended,
    "/purchase_order#acknowledged": _acknowledged,
}
"""The PO events (§3.6); shipment, document and invoice events are acknowledged
without an event, since the gateway maps no freight objects."""
