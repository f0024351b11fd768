"""L4 upload URLs and the pre-signed target they point at (PUT /_sandbox/uploads).

A URL is valid for one hour (S1) on the sandbox clock and takes only
application/pdf. The uploaded document then shows in L2 under the shipment's
`attachments`, whose `url` (the same address) answers GET with the bytes.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from aiohttp import web

from ..clock import iso
from .errors import LapiError, invalid_status, not_found
from .model import Attachment
from .params import Params
from .state import current, int_id, upload_url
from .validate import Checker, read_object
from .vocabulary import ATTACHMENT_TYPES, BASE

routes = web.RouteTableDef()

PDF = "application/pdf"
VALID_FOR = timedelta(hours=1)
MAX_PDF_BYTES = 20 * 1024 * 1024


@routes.post(
    BASE + "/outbounds/{orderId}/shipments/{shipmentId}/attachments/upload-url",
    name="upload_url",
)
async def create_upload_url(request: web.Request) -> web.Response:
    """L4: `{uploadUrl, attachmentType, expirationTime}`; not on CANCELLED shipments."""
    Params(request.query, ())
    st = current(request)
    outbound = st.outbound_or_404(request.match_info["orderId"])
    raw_shipment = request.match_info["shipmentId"]
    shipment = next(
        (s for s in outbound.shipments if s.id == int_id(raw_shipment)), None
    )
    if shipment is None:
        raise not_found(f"Cannot find shipment {raw_shipment} on order {outbound.id}")
    body = await read_object(request)
    c = Checker()
    c.fields(body, "", ("attachmentType", "contentType"))
    kind = c.choice(body, "attachmentType", ATTACHMENT_TYPES, required=True)
    content_type = c.text(body, "contentType", required=True)
    if content_type is not None and content_type != PDF:
        c.fail("contentType", f"must be {PDF}")
    c.done()
    assert kind is not None
    if shipment.status == "CANCELLED":
        raise invalid_status(f"Shipment {shipment.id} is CANCELLED")
    issued = st.now()
    slot = Attachment(
        token=f"{st.rng.getrandbits(128):032x}",
        order_id=outbound.id,
        shipment_id=shipment.id,
        attachment_type=kind,
        issued_at=issued,
        expires_at=issued + VALID_FOR,
    )
    st.uploads[slot.token] = slot
    shipment.attachments.append(slot)
    return web.json_response(
        {
            "uploadUrl": upload_url(request, slot.token),
            "attachmentType": kind,
            "expirationTime": iso(slot.expires_at),
        }
    )


def _slot(request: web.Request) -> Attachment:
    slot = current(request).uploads.get(request.match_info["token"])
    if slot is None:
        raise not_found("Unknown upload URL")
    return slot


@routes.put("/_sandbox/uploads/{token}")
async def put_upload(request: web.Request) -> web.Response:
    """The PDF itself: 200 with an ETag; a second PUT before expiry replaces it."""
    Params(request.query, ())
    st = current(request)
    slot = _slot(request)
    if st.now() >= slot.expires_at:
        raise LapiError(403, "The upload URL has expired")
    if request.content_type != PDF:
        raise LapiError(415, f"Content-Type must be {PDF}")
    content = await request.read()
    if not content:
        raise LapiError(400, "The uploaded document is empty")
    if len(content) > MAX_PDF_BYTES:
        raise LapiError(413, "The uploaded document is too large")
    slot.content, slot.uploaded_at = content, st.now()
    etag = hashlib.md5(content, usedforsecurity=False).hexdigest()
    return web.Response(status=200, headers={"ETag": f'"{etag}"'})


@routes.get("/_sandbox/uploads/{token}")
async def get_upload(request: web.Request) -> web.Response:
    """The uploaded bytes (attachments' `url`); readable after the URL expires."""
    Params(request.query, ())
    slot = _slot(request)
    if slot.content is None:
        raise not_found("Nothing has been uploaded to this URL")
    return web.Response(body=slot.content, content_type=PDF)
