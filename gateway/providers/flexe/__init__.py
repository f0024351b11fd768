"""Flexe, the warehouse network: public API v2 (providers.md §1).

The dialect, in short:
- Auth `Authorization: Bearer <token>`; every path starts with `/v2`.
- Lists answer `{total, continuationToken, <collection>}`; pass `pageSize`
  (max 500) and the token back. Inventory (F15) is snake_case instead:
  `skus[]=…`, `continuation_token`, pages of 3000.
- Batch filters `ids`, `externalIds`, `orderIds`, `skus` take up to 100
  comma-separated values: orders, lines, shipments, attachments and inbound
  shipments are each one call per 100 keys. Allocation errors have no batch
  endpoint (one call per order that reports errors).
- Errors `{"errors":[{code, message, field}], "correlationId"}`; 409 codes such
  as `LINE_NOT_CANCELLABLE` are illegal transitions.
- Ids are UUID strings; an order is cancelled by cancelling every open line.
- 100 calls per 60 s per token.

Modules: `client.py` (the adapter), `api.py` (paging and chunking), `wire.py`
(Flexe's JSON), `mapping.py` (to the domain, status maps, error bodies),
`bodies.py` (request bodies), `by_sku.py` (orders by SKU, through their lines).
"""

from gateway.providers.flexe.client import FlexeProvider

__all__ = ["FlexeProvider"]
