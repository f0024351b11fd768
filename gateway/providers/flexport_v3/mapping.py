"""Flexport v3 wire models -> domain models, PO status map and error-body parsing."""

from __future__ import annotations

import logging
from typing import Any

from gateway.errors import ParsedError
from gateway.models import (
    Attachment,
    Company,
    Money,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseOrderStatus,
)
from gateway.providers.flexport_v3 import wire
from gateway.providers.flexport_v3.messages import field_of

log = logging.getLogger("gateway.providers.flexport_v3")

SLUG = "flexport_v3"

STATUS_MAP: dict[str, PurchaseOrderStatus] = {
    "open": PurchaseOrderStatus.OPEN,
    "closed": PurchaseOrderStatus.CLOSED,
    "cancelled": PurchaseOrderStatus.CANCELLED,
}
"""v3 PO `status` -> unified status (providers.md §7.2); anything else is UNKNOWN."""

RAW_STATUSES: dict[PurchaseOrderStatus, str] = {
    unified: raw for raw, unified in STATUS_MAP.items()
}
"""Unified status -> the `f.status` value that lists it."""


def to_status(raw: str) -> PurchaseOrderStatus:
    """Unified status of a v3 PO; unknown values are logged and kept as UNKNOWN."""
    status = STATUS_MAP.get(raw)
    if status is None:
        log.warning("unknown Flexport v3 PO status", extra={"status": raw})
        return PurchaseOrderStatus.UNKNOWN
    return status


def embedded_lines(po: wire.PurchaseOrder) -> wire.Page[wire.LineItem] | None:
    """The expanded `line_items`, only when the whole collection is there."""
    page = po.line_items
    if not isinstance(page, wire.Page):
        return None
    # An embedded collection that pages on would be a partial list of lines;
    # the gateway must then fetch them (V4) rather than trust a prefix.
    if page.next is not None:
        return None
    if page.total_count is not None and page.total_count != len(page.data):
        return None
    return page


def to_purchase_order(po: wire.PurchaseOrder, raw: dict[str, Any]) -> PurchaseOrder:
    """A v3 `/purchase_order`; `lines` is set only when expanded in full."""
    page = embedded_lines(po)
    lines = None
    if page is not None:
        raw_lines = raw["line_items"]["data"]
        lines = tuple(
            to_line(line, line_raw, po.id)
            for line, line_raw in zip(page.data, raw_lines, strict=True)
        )
    return PurchaseOrder(
        provider=SLUG,
        raw=raw,
        id=po.id,
        number=po.name,
        status=to_status(po.status),
        raw_status=po.status,
        supplier=_party(po, "seller"),
        buyer=_party(po, "buyer"),
        incoterm=po.incoterm,
        transportation_mode=po.transportation_mode,
        cargo_ready_date=po.cargo_ready_date,
        expected_arrival=po.must_arrive_date,
        created_at=po.created_at,
        updated_at=po.updated_at,
        archived_at=po.archived_at,
        lines=lines,
    )


def _party(po: wire.PurchaseOrder, role: str) -> Company | None:
    """The company entity playing `role`; its `ref` is the party's external_ref."""
    party = next((p for p in po.parties if p.role == role), None)
    if party is None or party.company_entity is None:
        return None
    entity = party.company_entity
    return Company(name=entity.name, ref=entity.ref)


def to_line(
    line: wire.LineItem, raw: dict[str, Any], purchase_order_id: str
) -> PurchaseOrderLine:
    """A v3 line item. Received units are not in v3 (only booked ones): None."""
    product = line.product
    cost = line.unit_cost
    return PurchaseOrderLine(
        provider=SLUG,
        raw=raw,
        id=line.id,
        purchase_order_id=line.purchase_order.id
        if line.purchase_order
        else purchase_order_id,
        line_number=line.line_item_number,
        item_key=line.item_key,
        sku=product.sku if product else None,
        product_name=product.name if product else None,
        quantity=line.units,
        unit_of_measure=line.unit_of_measure,
        received_quantity=None,
        unit_cost=Money(amount=cost.amount, currency_code=cost.currency_code)
        if cost
        else None,
    )


def to_attachment(
    document: wire.Document, raw: dict[str, Any], purchase_order_id: str
) -> Attachment:
    """A v3 `/document` of a shipment booked against the purchase order."""
    metadata = document.file_metadata
    return Attachment(
        provider=SLUG,
        raw=raw,
        id=document.id,
        owner_id=purchase_order_id,
        owner_kind="PurchaseOrder",
        type=document.document_type,
        name=document.file_name,
        url=document.file_link,
        size=metadata.size if metadata else None,
        created_at=metadata.uploaded_at if metadata else None,
        removed_at=document.archived_at,
    )


def parse_error(data: Any) -> ParsedError:
    """`/api/error`, inside the `/api/response` envelope or bare (§3.5).

    The field is read from the message, the only place v3 names one.
    """
    if isinstance(data, dict) and isinstance(data.get("error"), dict):
        data = data["error"]
    error = wire.ApiError.model_validate(data)
    field = field_of(error.message)
    return ParsedError(
        code=error.code,
        message=error.message,
        fields={field: error.message or ""} if field else {},
    )
