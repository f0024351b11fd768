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
  as `LINE_NOT_CANCELLABLE` are illegal transitions. A 422 names Flexe's field
  (`recipient.address.postcode`); each write maps it back to the caller's input
  path (`recipient.postalCode`).
- Ids are UUID strings; an order is cancelled by cancelling every open line.
- Retail fulfillment orders (F20-F22) are keyed by shipmentId, have no list or
  batch read, and carry their items; the gateway calls them `RFO-<shipmentId>`.
- No idempotency-key header: natural keys guard repeats instead. Order creates
  label the order with the key (externalId is unique, 409 on a repeat); lines
  get an externalId made from it; retail and inbound creates send it as
  `correlationId` (a repeat is a replay); files are PUT under a key made from
  it; attachments carry it as a label that is looked for before posting.
- 100 calls per 60 s per token.
- Webhooks are signed: `X-Flexe-Signature: sha256=<HMAC-SHA256 of
  "<X-Flexe-Timestamp>.<raw body>">`, refused beyond 300 s either way; the
  envelope is `{id, type, createdAt, data}`.

Modules: `client.py` (the adapter), `api.py` (paging, chunking, writes),
`wire.py` (Flexe's JSON), `mapping.py` (to the domain, status maps, error
bodies), `bodies.py` (request bodies), `fields.py` (Flexe's 422 fields to input
paths), `refs.py` (retail ids, keys made from idempotency keys), `writes.py`
(order and line writes: F3, F4, F8, F9), `retail.py` (retail fulfillment
orders), `inbound.py` (inbound shipments), `inventory.py` (stock by SKU),
`attachments.py` (files and attachments), `shipments.py` (F16 reads),
`by_sku.py` (orders by SKU, through their lines), `webhooks.py` (signature
check, event type -> domain event), `webhook_wire.py` (webhook JSON).
"""

from gateway.providers.flexe.client import FlexeProvider

__all__ = ["FlexeProvider"]
