"""Order attachments (F12-F14): reading them, and attaching a file or URL once.

A file is stored first (F14 PUT under a key made from the idempotency key: a
PUT by key is idempotent), then attached (F12). F12 has no natural key, so the
attachment carries the idempotency key as a label, and the order's attachments
(F13) are searched for it before anything is sent. The F12 POST itself is not
replay-safe: after a 5xx or a lost connection it may have landed, so it is
sent again only once that search has found nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from gateway.errors import ProviderUnavailable, RateLimited, Rejected
from gateway.ids import Ref
from gateway.models import Attachment, AttachmentCreate
from gateway.providers.fieldmap import translated
from gateway.providers.flexe import bodies, fields, mapping, refs, wire
from gateway.providers.flexe.api import FlexeApi, items
from gateway.providers.flexe.refs import IDEMPOTENCY_LABEL

DOCUMENT_TYPES: dict[str, str] = {
    "shipping_label": "shipping_label",
    "shipping_labels": "shipping_label",
    "label": "shipping_label",
    "packing_slip": "packing_slip",
    "packing_list": "packing_slip",
    "bill_of_lading": "bill_of_lading",
    "bol": "bill_of_lading",
    "commercial_invoice": "commercial_invoice",
    "invoice": "commercial_invoice",
    "other": "other",
}
"""The caller's document types (any case or separator) -> Flexe's five."""

DEFAULT_CONTENT_TYPE = "application/octet-stream"


async def for_orders(
    api: FlexeApi, owners: Sequence[Ref]
) -> dict[Ref, list[Attachment]]:
    """F13 across orders (`orderIds`, 100 a call); other owners have none here."""
    # Flexe keeps attachments on outbound orders only, not on retail orders.
    orders = {
        owner.id: owner
        for owner in owners
        if owner.kind == "Order" and refs.retail_shipment_id(owner.id) is None
    }
    result: dict[Ref, list[Attachment]] = {owner: [] for owner in orders.values()}
    pages = await api.batched(
        "/v2/attachments", "orderIds", list(orders), wire.AttachmentPage
    )
    for attachment, raw in items(pages, "attachments"):
        owner = orders.get(attachment.orderId)
        if owner is not None:
            result[owner].append(_to_attachment(api, attachment, raw))
    return result


async def create(
    api: FlexeApi, order_id: str, data: AttachmentCreate, idempotency_key: str
) -> Attachment:
    """F14 (for a file) and F12; a repeated key attaches nothing more."""
    path = f"/v2/orders/{quote(order_id, safe='')}/attachments"
    with translated(fields.ATTACHMENT):
        document_type = flexe_document_type(api.slug, data.document_type)
        earlier = await _labelled(api, path, idempotency_key)
        if earlier is not None:
            return earlier
        file_key = None
        if data.content is not None:
            file_key = refs.derived(idempotency_key, order_id)
            await _store(api, file_key, data)
        body = bodies.attachment_body(data, document_type, file_key, idempotency_key)
        try:
            raw = await api.send("POST", path, json=body, replay_safe=False)
        except RateLimited:
            # Refused before it was applied; its Retry-After is the caller's.
            raise
        except ProviderUnavailable:
            earlier = await _labelled(api, path, idempotency_key)
            if earlier is not None:
                return earlier
            raw = await api.send("POST", path, json=body, replay_safe=False)
    return _to_attachment(api, api.validate(wire.Attachment, raw), raw)


def flexe_document_type(slug: str, value: str) -> str:
    """Flexe's name for a document type, or Rejected at `documentType`."""
    found = DOCUMENT_TYPES.get(re.sub(r"[^a-z0-9]+", "_", value.lower()).strip("_"))
    if found is None:
        message = f"Flexe has no document type {value!r}; it takes " + ", ".join(
            sorted(set(DOCUMENT_TYPES.values()))
        )
        raise Rejected(slug, message, fields={"documentType": message})
    return found


def file_url(api: FlexeApi, attachment: wire.Attachment) -> str | None:
    """Where a file attachment's bytes can be fetched (with Flexe credentials)."""
    if not attachment.fileKey:
        return None
    key = quote(attachment.fileKey, safe="")
    return f"{api.upstream.base_url}/v2/files/{key}/content"


async def _labelled(api: FlexeApi, path: str, key: str) -> Attachment | None:
    """The order's attachment made with this idempotency key, if any (F13)."""
    # F13 has no label filter: the order's attachments are few, read them all.
    pages = await api.collect(path, {}, wire.AttachmentPage)
    for attachment, raw in items(pages, "attachments"):
        if attachment.labels.get(IDEMPOTENCY_LABEL) == key:
            return _to_attachment(api, attachment, raw)
    return None


async def _store(api: FlexeApi, file_key: str, data: AttachmentCreate) -> None:
    """F14: the bytes under `file_key`; writing the same key again is harmless."""
    raw = await api.send(
        "PUT",
        f"/v2/files/{quote(file_key, safe='')}",
        data=data.content,
        params={"name": data.name} if data.name else None,
        headers={"Content-Type": data.content_type or DEFAULT_CONTENT_TYPE},
        replay_safe=True,
    )
    api.validate(wire.File, raw)


def _to_attachment(
    api: FlexeApi, attachment: wire.Attachment, raw: dict[str, Any]
) -> Attachment:
    return mapping.to_attachment(attachment, raw, file_url(api, attachment))
