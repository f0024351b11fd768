"""Documents for a B2B outbound's shipment: the L4 upload URL, then a PUT of the PDF.

LAPI attaches files to shipments, not orders, and takes PDFs only (S1). The
upload is two steps: L4 hands out a pre-signed `uploadUrl` (valid one hour),
and the bytes are PUT there. L4 carries the caller's idempotency key, so a
repeated create gets the same URL back and its PUT replaces the same bytes:
one attachment, however often it is retried.

Requests: one L2 to find the shipment, L4, the PUT, and one L2 to return the
attachment as reading the order's attachments will show it.
"""

from __future__ import annotations

import re

from gateway.models import Attachment, AttachmentCreate, Order, Shipment
from gateway.providers.fieldmap import translated
from gateway.providers.flexport_logistics import wire
from gateway.providers.flexport_logistics.api import LapiApi
from gateway.providers.flexport_logistics.fields import FIELDS, rejected_at
from gateway.providers.flexport_logistics.mapping import SLUG
from gateway.providers.flexport_logistics.orders import OrderReader
from gateway.providers.flexport_logistics.refs import OrderRef

PDF = "application/pdf"

ATTACHMENT_TYPES = (
    "SHIPPING_LABELS",
    "COMMERCIAL_INVOICE",
    "CASE_LABELS",
    "PALLET_LABELS",
    "BILL_OF_LADING",
    "PACKING_LIST",
)
"""LAPI's `attachmentType` enum (providers.md §2.3)."""

ALIASES = {
    "LABEL": "SHIPPING_LABELS",
    "LABELS": "SHIPPING_LABELS",
    "INVOICE": "COMMERCIAL_INVOICE",
    "BOL": "BILL_OF_LADING",
    "BILLS_OF_LADING": "BILL_OF_LADING",
    "PACKING_SLIP": "PACKING_LIST",
    "PACKING_SLIPS": "PACKING_LIST",
}
"""Common names of the same documents, as callers write them."""


def attachment_type(document_type: str) -> str | None:
    """LAPI's enum value for a free-text document type; None if it has none.

    Case, separators and a plural `S` do not matter: `shipping_label`,
    `Shipping labels` and `SHIPPING_LABELS` are all SHIPPING_LABELS.
    """
    key = re.sub(r"[^A-Z0-9]+", "_", document_type.upper()).strip("_")
    if key in ALIASES:
        return ALIASES[key]
    singular = key.removesuffix("S")
    return next(
        (known for known in ATTACHMENT_TYPES if known.removesuffix("S") == singular),
        None,
    )


def content_type(data: AttachmentCreate) -> str | None:
    """The media type to declare: as given (without parameters), else PDF when
    the bytes are one; L4 judges what it accepts."""
    if data.content_type:
        return data.content_type.split(";")[0].strip().lower()
    if data.content is not None and data.content.startswith(b"%PDF-"):
        return PDF
    return None


def pick_shipment(order: Order, wanted: str | None) -> Shipment:
    """The shipment named (by domain or LAPI id), or the order's only one."""
    shipments = list(order.shipments or ())
    if wanted is None:
        if len(shipments) == 1:
            return shipments[0]
        if not shipments:
            raise rejected_at(
                ("shipmentId",),
                f"order {order.id} has no shipment yet, and documents attach "
                "to shipments",
            )
        raise rejected_at(
            ("shipmentId",),
            f"order {order.id} has {len(shipments)} shipments: name the one "
            "the document is for",
        )
    for shipment in shipments:
        if wanted in (shipment.id, str(shipment.raw.get("shipmentId"))):
            return shipment
    raise rejected_at(("shipmentId",), f"{wanted} is not a shipment of {order.id}")


async def attach(
    api: LapiApi,
    orders: OrderReader,
    ref: OrderRef,
    data: AttachmentCreate,
    idempotency_key: str,
) -> Attachment:
    """Upload `data` to one shipment of B2B outbound `ref` (see the module doc).

    A URL is refused as input (Rejected at `url`), not as NotSupported: LAPI
    does take documents, only as uploaded bytes, so the caller can succeed by
    sending the file instead.
    """
    if data.url is not None or data.content is None:
        raise rejected_at(
            ("url",), "Flexport Logistics takes uploaded PDF files, not URLs"
        )
    kind = attachment_type(data.document_type)
    if kind is None:
        raise rejected_at(
            ("documentType",),
            f"{data.document_type!r} is not a Flexport Logistics document type; "
            f"use one of {', '.join(ATTACHMENT_TYPES)}",
        )
    shipment = pick_shipment(await _read(api, orders, ref), data.shipment_id)
    number = str(shipment.raw.get("shipmentId"))
    declared = content_type(data)
    body = {"attachmentType": kind}
    if declared is not None:
        body["contentType"] = declared
    with translated(FIELDS):
        raw = await api.post(
            f"/outbounds/{ref.number}/shipments/{number}/attachments/upload-url",
            body,
            idempotency_key=idempotency_key,
        )
        target = api.validate(wire.UploadUrl, raw)
        # L4 accepted the type, so it is PDF: the PUT must say the same.
        await api.put_upload(target.uploadUrl, data.content, declared or PDF)
    order = await _read(api, orders, ref)
    listed = next(
        (a for a in order.attachments or () if a.url == target.uploadUrl), None
    )
    return listed or _unlisted(order, shipment, kind, data, target)


async def _read(api: LapiApi, orders: OrderReader, ref: OrderRef) -> Order:
    """L2, mapped with its shipments and attachments; NotFound if there is none."""
    raw = (await api.get(f"/outbounds/{ref.number}")).data
    (order,) = await orders.to_orders([(ref, raw)])
    return order


def _unlisted(
    order: Order,
    shipment: Shipment,
    kind: str,
    data: AttachmentCreate,
    target: wire.UploadUrl,
) -> Attachment:
    """The attachment as far as we know it, when L2 does not list uploads (the
    sandbox does; LAPI's 2024-04 schema has no field for them)."""
    prefix = shipment.id + "/"
    position = sum(1 for a in order.attachments or () if a.id.startswith(prefix))
    return Attachment(
        provider=SLUG,
        raw=target.model_dump(mode="json"),
        id=f"{shipment.id}/{position + 1}",
        owner_id=order.id,
        owner_kind="Order",
        type=kind,
        name=data.name,
        content_type=PDF,
        size=len(data.content or b""),
    )
