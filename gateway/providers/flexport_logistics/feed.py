"""The events feed (L16) read into index entries, with a resumable position.

L16 is oldest first and pages with an opaque `page_info` cursor named in a
`Link: <…?page_info=…>; rel="next"` header; the last page has no Link. New
events append at the end, so the position after the last page is "that page's
cursor, and how many of its events were read": asking for it again returns
those events plus any new ones, never skipping or repeating one.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import orjson
from pydantic import ValidationError

from gateway.models import OrderKind
from gateway.providers.flexport_logistics import refs, wire
from gateway.providers.flexport_logistics.api import LapiApi
from gateway.providers.flexport_logistics.index import IndexEntry

log = logging.getLogger("gateway.providers.flexport_logistics")

EVENT_PAGE = 100
"""L16's largest page."""

CREATED_EVENTS = {"Outbound.Created": OrderKind.B2B, "Order.Created": OrderKind.DTC}
STATUS_EVENTS = {
    # B2B outbounds (a project addition to LAPI's event list, §2.6).
    "Outbound.StatusChanged": OrderKind.B2B,
    # DTC orders: StatusChanged is the sandbox's, the others LAPI's own.
    "Order.StatusChanged": OrderKind.DTC,
    "Order.Shipped": OrderKind.DTC,
    "Order.Cancelled": OrderKind.DTC,
}
_NEXT_LINK = re.compile(r'<([^>]*)>\s*;\s*rel="?next"?')


class OrderPayload(wire.Wire):
    """The fields of an Outbound.* or Order.* payload the index needs."""

    orderId: str
    externalId: str | None = None
    externalOrderId: str | None = None
    status: str | None = None
    orderStatus: str | None = None
    createdAt: datetime | None = None


@dataclass(frozen=True)
class FeedPosition:
    """Where reading stopped: a page cursor (None = the first page), events read."""

    page_info: str | None = None
    seen: int = 0

    def encode(self) -> str:
        return orjson.dumps({"pageInfo": self.page_info, "seen": self.seen}).decode()

    @classmethod
    def decode(cls, value: str | None) -> FeedPosition:
        if not value:
            return cls()
        try:
            data = orjson.loads(value)
            page_info, seen = data["pageInfo"], int(data["seen"])
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
            log.warning("stored feed position unreadable; reading from the start")
            return cls()
        return cls(page_info if isinstance(page_info, str) else None, max(seen, 0))


def to_entry(event: wire.Event) -> IndexEntry | None:
    """What an order event tells the index; None for every other event."""
    kind = CREATED_EVENTS.get(event.type) or STATUS_EVENTS.get(event.type)
    if kind is None:
        return None
    try:
        payload = OrderPayload.model_validate(event.payload)
    except ValidationError:
        log.warning("unreadable LAPI event payload", extra={"event_id": event.id})
        return None
    if not (payload.orderId.isascii() and payload.orderId.isdigit()):
        return None
    created = event.type in CREATED_EVENTS
    return IndexEntry(
        id=refs.domain_id(kind, payload.orderId),
        kind=kind,
        status=payload.orderStatus or payload.status,
        # Only a Created event knows the creation time; any other event's time
        # is an upper bound, kept until the Created event is read.
        created_at=(payload.createdAt or event.time) if created else event.time,
        provisional=not (created and payload.createdAt),
        external_id=payload.externalId
        if kind is OrderKind.B2B
        else payload.externalOrderId,
        version=int(event.id) if event.id.isdigit() else None,
    )


async def read_page(
    api: LapiApi, page_info: str | None, params: dict[str, str] | None = None
) -> tuple[list[wire.Event], str | None]:
    """One page of events and the next page's cursor (None on the last page)."""
    query = {**(params or {}), "limit": str(EVENT_PAGE)}
    if page_info is not None:
        query["page_info"] = page_info
    response = await api.get("/events", query)
    events = [event for event, _ in api.validate_list(wire.Events, response.data)]
    return events, next_page_info(response.headers.get("Link"))


def next_page_info(link: str | None) -> str | None:
    """The `page_info` of a `Link` header's rel="next" URL."""
    match = _NEXT_LINK.search(link or "")
    if match is None:
        return None
    values = parse_qs(urlsplit(match.group(1)).query).get("page_info")
    return values[0] if values else None
