"""Flexport Logistics API "LAPI", version 2024-04 (providers.md §2).

The dialect, in short:
- Auth `Authorization: Bearer <token>`; the version is in the path:
  `/logistics/api/2024-04/...`.
- B2B outbounds (`/outbounds`) and DTC orders (`/orders`) are separate
  resources with overlapping integer ids, so domain ids carry the kind:
  `B2B-71001`, `DTC-49201824001` (`refs.py`). Lines and shipments come inside
  the order.
- No endpoint lists orders: `index*.py` keep an index fed by the events feed
  (`/events`, a bare array paged by a `Link: <…page_info=…>; rel="next"`
  header), see `sync.py` and `feed.py`. Orders are then fetched one GET each,
  eight at a time, and kept warm: served again without a GET until an event
  (feed or webhook) names them or the gateway writes to them (`warm.py`).
- Products and inventory page by `limit`/`offset`; per-warehouse stock is one
  POST per 100 logistics SKUs; merchant SKU ↔ logisticsSku comes from the cached
  product list (`catalog.py`).
- Errors are problem+json; code 407001 (cancel too late) is a Conflict. A 422
  names each field at the start of its `detail`; `fields.py` maps those paths
  back to the caller's input.
- Documents attach to B2B shipments only: L4 hands out a pre-signed upload URL
  on another host, which takes the PDF by PUT (`attachments.py`).
- Writes carry `idempotency-key`, which LAPI honours, so they are retried safely.
- Token bucket of 10 requests/s, burst 20.
- Webhooks are unsigned and untimed: a delivery proves itself with the
  subscription's credential (a token header, or HTTP Basic). The body is the
  feed event flattened: `logisticsEventId`, `logisticsEventType`,
  `logisticsEventTime`, `logisticsAccountId` beside the payload's fields.

Modules: `client.py`, `orders.py`, `listing.py`, `stock.py`, `attachments.py`,
`api.py`, `wire.py`, `mapping*.py`, `status.py`, `problems.py`, `bodies.py`,
`fields.py`, `catalog.py` (SKU map), `index*.py`, `sync.py` and `feed.py` (the
order index and the events feed that fills it), `warm.py` (orders read before,
served while the feed names no change to them), `webhooks.py` (credential
check, event type -> domain event), `webhook_wire.py` (webhook JSON).
"""

from gateway.providers.flexport_logistics.client import FlexportLogisticsProvider
from gateway.providers.flexport_logistics.index import (
    IndexEntry,
    IndexFilter,
    IndexPage,
    OrderIndex,
)
from gateway.providers.flexport_logistics.index_memory import MemoryOrderIndex
from gateway.providers.flexport_logistics.index_redis import (
    RedisOrderIndex,
    index_from_url,
)

__all__ = [
    "FlexportLogisticsProvider",
    "IndexEntry",
    "IndexFilter",
    "IndexPage",
    "MemoryOrderIndex",
    "OrderIndex",
    "RedisOrderIndex",
    "index_from_url",
]
