"""Attachment: a document on an order, shipment or purchase order."""

from __future__ import annotations

from datetime import datetime
from typing import cast

import strawberry
from strawberry.scalars import JSON

from gateway import ids, models
from schema.enums import Provider


@strawberry.type(
    description="A document attached to an order, shipment or purchase order."
)
class Attachment:
    id: strawberry.ID = strawberry.field(description="Opaque global ID.")
    provider: Provider = strawberry.field(description="Where the attachment is kept.")
    provider_id: str = strawberry.field(description="The provider's own id.")
    type: str | None = strawberry.field(
        description="Document type as the provider names it (shipping_label, …)."
    )
    name: str | None = strawberry.field(description="Display or file name.")
    url: str | None = strawberry.field(
        description="Where the document can be opened: the provider's external URL "
        "or the stored file's download address."
    )
    content_type: str | None = strawberry.field(description="MIME type, when known.")
    size: int | None = strawberry.field(description="Size in bytes, when known.")
    created_at: datetime | None = strawberry.field(description="When it was attached.")
    removed_at: datetime | None = strawberry.field(
        description="When it was removed, if it was."
    )
    provider_data: JSON = strawberry.field(
        description="The untouched provider payload, for fields the unified model "
        "does not map."
    )

    @classmethod
    def from_model(cls, model: models.Attachment) -> Attachment:
        return cls(
            id=strawberry.ID(
                ids.encode(ids.Ref(model.provider, "Attachment", model.id))
            ),
            provider=Provider(model.provider),
            provider_id=model.id,
            type=model.type,
            name=model.name,
            url=model.url,
            content_type=model.content_type,
            size=model.size,
            created_at=model.created_at,
            removed_at=model.removed_at,
            provider_data=cast(JSON, model.raw),
        )
