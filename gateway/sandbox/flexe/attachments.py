"""F12-F13: order attachments, per order and across orders (`orderIds` batch key)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from .model import Attachment, Fields
from .pagination import page_response
from .params import Params
from .serialize import attachment_json
from .state import FlexeState, current
from .validate import Checker, read_object
from .vocabulary import ATTACHMENT_TYPES, DOCUMENT_TYPES

routes = web.RouteTableDef()

_PAGE = ("pageSize", "continuationToken")
_TEXT_FIELDS = (
    "displayName",
    "externalId",
    "barcodeText",
    "trackingNumber",
    "fileGroup",
)
_FIELDS = ("type", "documentType", "fileKey", "externalUrl", "labels", *_TEXT_FIELDS)


def _parse(
    st: FlexeState, body: dict[str, Any]
) -> tuple[str, str, Fields, dict[str, str]]:
    """(type, documentType, details, labels) of a valid F12 body.

    A file attachment needs the fileKey of a stored file, a url one an http(s) URL.
    """
    c = Checker()
    c.fields(body, "", _FIELDS)
    kind = c.choice(body, "type", ATTACHMENT_TYPES, required=True)
    document_type = c.choice(body, "documentType", DOCUMENT_TYPES, required=True)
    details: Fields = {name: c.text(body, name) for name in _TEXT_FIELDS}
    file_key = c.text(body, "fileKey", required=kind == "file")
    url = c.text(body, "externalUrl", required=kind == "url", max_length=2048)
    labels = c.labels(body) or {}
    if kind == "file":
        if url is not None:
            c.fail("externalUrl", "externalUrl is only allowed when type is url")
        if file_key is not None and file_key not in st.files:
            c.fail("fileKey", f"fileKey {file_key} names no file; PUT it first")
    if kind == "url":
        if file_key is not None:
            c.fail("fileKey", "fileKey is only allowed when type is file")
        if url is not None and not url.startswith(("http://", "https://")):
            c.fail("externalUrl", "externalUrl must be an http(s) URL")
    c.done()
    assert kind is not None
    assert document_type is not None
    if kind == "file" and file_key is not None and details["displayName"] is None:
        details["displayName"] = st.files[file_key].name or file_key
    details["fileKey"], details["externalUrl"] = file_key, url
    return kind, document_type, details, labels


@routes.post("/v2/orders/{orderId}/attachments")
async def create_attachment(request: web.Request) -> web.Response:
    """F12: 201; allowed in every order state (labels arrive after shipping too)."""
    Params(request.query, ())
    st = current(request)
    order = st.order_or_404(request.match_info["orderId"])
    kind, document_type, details, labels = _parse(st, await read_object(request))
    attachment = Attachment(
        id=st.new_id(),
        order_id=order.id,
        type=kind,
        document_type=document_type,
        created_at=st.now(),
        details=details,
        labels=labels,
    )
    st.add_attachment(order, attachment)
    return web.json_response(attachment_json(attachment), status=201)


def _oldest_first(attachments: list[Attachment]) -> list[Attachment]:
    return sorted(attachments, key=lambda a: a.created_at)


@routes.get("/v2/orders/{orderId}/attachments")
async def list_order_attachments(request: web.Request) -> web.Response:
    """F13, per order."""
    q = Params(request.query, _PAGE)
    order = current(request).order_or_404(request.match_info["orderId"])
    items = _oldest_first(order.attachments)
    return page_response(request, q, items, attachment_json, "attachments", {})


@routes.get("/v2/attachments")
async def list_attachments(request: web.Request) -> web.Response:
    """F13 across orders; unknown order ids are simply absent."""
    q = Params(request.query, (*_PAGE, "orderIds"))
    st = current(request)
    order_ids = q.id_list("orderIds")
    if order_ids is None:
        pool = list(st.attachments.values())
    else:
        orders = [st.orders[i] for i in order_ids if i in st.orders]
        pool = [a for order in orders for a in order.attachments]
    filters = {"orderIds": sorted(order_ids or [])}
    return page_response(
        request, q, _oldest_first(pool), attachment_json, "attachments", filters
    )
