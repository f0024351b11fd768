"""V6 documents (E6 shape) and their bytes.

`file_link` points at `/_files/{id}`, a sandbox addition standing in for the
pre-signed storage URL the real API hands out: it opens without a token or
version header. `GET /documents/{id}` and `/documents/{id}/download` are the
E6 paths and need both, like every other call.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..clock import iso, iso_or_none
from .envelope import api_url, ref_object, respond
from .errors import not_found
from .model import Document
from .pagination import page_request, paginated
from .params import PAGE_PARAMS, Params
from .state import FlexportV3State, current

routes = web.RouteTableDef()


def document_json(request: web.Request, doc: Document) -> dict[str, Any]:
    return {
        "_object": "/document",
        "id": doc.id,
        "file_name": doc.file_name,
        "document_type": doc.document_type,
        "memo": doc.memo,
        "file_link": api_url(request, f"/_files/{doc.id}"),
        "archived_at": iso_or_none(doc.archived_at),
        "file_metadata": {
            "_object": "/file_metadata",
            "size": len(doc.content),
            "uploaded_at": iso(doc.uploaded_at),
        },
        "shipment": ref_object(request, "/shipment", "/shipments", doc.shipment_id),
    }


def _doc_or_404(st: FlexportV3State, raw: str) -> Document:
    doc = st.documents.get(int(raw)) if raw.isdigit() else None
    if doc is None:
        raise not_found("Document", raw)
    return doc


def _file(doc: Document) -> web.Response:
    headers = {
        "Content-Type": doc.content_type,
        "Content-Disposition": f'inline; filename="{doc.file_name}"',
    }
    return web.Response(body=doc.content, headers=headers)


@routes.get("/documents")
async def list_documents(request: web.Request) -> web.Response:
    """V6 by id ascending; archived documents are listed, with `archived_at` set."""
    q = Params(request.query, (*PAGE_PARAMS, "f.shipment.id"))
    pr = page_request(q)
    shipment = q.integer("f.shipment.id")
    docs = sorted(
        (
            d
            for d in current(request).documents.values()
            if shipment is None or d.shipment_id == shipment
        ),
        key=lambda d: d.id,
    )
    return respond(
        request, paginated(request, docs, lambda d: document_json(request, d), pr)
    )


@routes.get("/documents/{id}")
async def get_document(request: web.Request) -> web.Response:
    Params(request.query, ())
    doc = _doc_or_404(current(request), request.match_info["id"])
    return respond(request, document_json(request, doc))


@routes.get("/documents/{id}/download")
async def download_document(request: web.Request) -> web.Response:
    Params(request.query, ())
    return _file(_doc_or_404(current(request), request.match_info["id"]))


@routes.get("/_files/{id}")
async def open_file_link(request: web.Request) -> web.Response:
    """Where `file_link` leads (sandbox addition; no token needed)."""
    Params(request.query, ())
    return _file(_doc_or_404(current(request), request.match_info["id"]))
