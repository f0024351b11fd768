"""`attachmentCreate`: a document uploaded with the request, or named by URL."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from gateway.models import AttachmentCreate
from resolvers.user_errors import EXPECTED, invalid, plain, to_user_errors
from resolvers.write_args import decode, keyed
from resolvers.written import attachment_written
from schema.attachments import Attachment
from schema.node import Info
from schema.payloads import AttachmentCreatePayload
from schema.purchase_order_inputs import AttachmentCreateInput

SNIFFED = ((b"%PDF-", "application/pdf"), (b"\x89PNG\r\n\x1a\n", "image/png"))
"""Media types told by a file's first bytes (multipart parts arrive without one)."""


def sniff(content: bytes) -> str:
    """The media type of `content` by its magic bytes; octet-stream otherwise."""
    for magic, media_type in SNIFFED:
        if content.startswith(magic):
            return media_type
    return "application/octet-stream"


def read_upload(file: Any, limit: int) -> bytes:
    """The bytes of an uploaded file; an INVALID userError for anything else."""
    at = ["input", "file"]
    if not hasattr(file, "read"):
        raise invalid(at, "file must be a multipart upload sent to /graphql/upload")
    content = file.read()
    if not isinstance(content, bytes) or not content:
        raise invalid(at, "the uploaded file is empty")
    if len(content) > limit:
        raise invalid(at, f"the file is larger than the {limit}-byte upload limit")
    return content


async def create_attachment(
    info: Info,
    input: Annotated[
        AttachmentCreateInput, strawberry.argument(description="The document.")
    ],
) -> AttachmentCreatePayload | None:
    try:
        owner = decode(input.order_id, "Order", ["input", "orderId"])
        data = plain(input)
        del data["orderId"]
        upload = data.pop("file", None)
        if upload is not None:
            content = read_upload(upload, info.context.settings.limits.max_upload_bytes)
            data["content"] = content
            data.setdefault("contentType", sniff(content))
        if input.shipment_id is not None:
            shipment = decode(input.shipment_id, "Shipment", ["input", "shipmentId"])
            if shipment.provider != owner.provider:
                raise invalid(
                    ["input", "shipmentId"], "the shipment is at another provider"
                )
            data["shipmentId"] = shipment.id
        document, key = keyed(AttachmentCreate, data)
        attachment = await info.context.provider(owner).create_attachment(
            owner.id, document, idempotency_key=key
        )
    except EXPECTED as exc:
        return AttachmentCreatePayload(
            user_errors=to_user_errors(exc, ["input", "orderId"])
        )
    await attachment_written(info, owner.provider, owner)
    return AttachmentCreatePayload(attachment=Attachment.from_model(attachment))
