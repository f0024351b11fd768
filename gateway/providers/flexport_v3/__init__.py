"""Flexport API v3, freight order management: purchase orders (providers.md §3).

The dialect, in short:
- Auth `Authorization: Bearer <token>` plus `Flexport-Version: 3` on every call.
- Every answer is the `/api/response` envelope (`data`, `error`); lists are
  `/api/collections/paginated` with absolute `next`/`prev` URLs and
  `total_count`, paged by `page`/`per` (max 100).
- No `ids` filter: purchase orders by id are one GET each (eight at a time),
  by number one `f.name` query each. Cancelled POs are archived and only appear
  with `f.archived_at.exists=true`.
- Create and amend are one upsert (`POST /purchase_orders`) keyed by name +
  buyer + seller, and amendment is a full replace: cancel, close and update
  read the PO and write all of it back with only their change (`bodies.py`,
  `merge.py`). No conditional write exists, so updates re-read `updated_at`
  before writing and refuse a PO changed meanwhile (`writes.py`).
- Errors are `/api/error` (`status`, `code`, `message`); every 422 has the same
  code, so `messages.py` reads illegal transitions out of the message.
- 5 requests/s, burst 10.
- Webhooks are the bare `/event` object, signed over the raw body:
  `X-Hub-Signature-256: sha256=<hex>` (the SHA-1 `X-Hub-Signature` is
  ignored). No timestamp is signed; the event `id` dedupes replays.

Modules: `client.py`, `api.py` (envelope, paging, fan-out), `listing.py`,
`changes.py` (POs updated since a moment, for the poller),
`attachments.py` (PO → bookings → shipments → documents), `writes.py` (V3
writes, update guards), `merge.py` (patch over replace), `wire.py`,
`mapping.py`, `messages.py`, `bodies.py`, `fields.py` (field errors → input
paths), `webhooks.py` (signature check, PO event type -> domain event).
"""

from gateway.providers.flexport_v3.client import FlexportV3Provider

__all__ = ["FlexportV3Provider"]
