"""Flxpoint, the dropship platform; the gateway acts as a Source (providers.md §4).

The dialect, in short:
- Auth `X-API-TOKEN: <token>` only (a Bearer header is refused).
- Fulfilment requests are the orders (`kind FULFILLMENT_REQUEST`), with items
  inside; status is the request status plus a shipping status (`status.py`).
- Lists are bare JSON arrays, 1-based page numbers, at most 100 per page, under
  two spellings: `filterPageNumber`/`filterPageSize` (requests, shipments) and
  `page`/`pageSize` (inventory variants). Requests come oldest first, so
  `tail.py` finds the last page and walks backwards to list newest first.
- Batch filters: `frNumbers` (50), inventory `skus`; everything else by id is
  one GET each, eight at a time.
- Errors are `{"error": "<message>"}`, 400 even for illegal transitions, so
  `mapping.parse_error` derives a code from the message (Conflict codes), and
  the field the message names; `fields.py` maps it back to the caller's input.
- Acknowledging is X3 (everything) or X4 `adjust` (quantities per item,
  `acknowledge.py`).
- No webhooks: `polling.py` reads what changed since a time.
- A token bucket of 40 requests refilled at 2/s.

Modules: `client.py`, `api.py`, `tail.py`, `query.py`, `shipments.py`,
`acknowledge.py`, `polling.py`, `wire.py`, `mapping.py`, `status.py`,
`bodies.py`, `fields.py`.
"""

from gateway.providers.flxpoint.client import FlxpointProvider

__all__ = ["FlxpointProvider"]
