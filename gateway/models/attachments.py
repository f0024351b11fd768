"""Attachments: documents on orders, shipments and purchase orders."""

from __future__ import annotations

from datetime import datetime

from gateway.models.common import Domain


class Attachment(Domain):
    """A document; `owner_kind`/`owner_id` say what it is attached to."""

    id: str
    owner_id: str
    owner_kind: str = "Order"
    type: str | None = None
    name: str | None = None
    url: str | None = None
    content_type: str | None = None
    size: int | None = None
    created_at: datetime | None = None
    removed_at: datetime | None = None
