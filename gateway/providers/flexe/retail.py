"""Retail fulfillment orders (F20-F22) as domain Orders of kind RETAIL.

They are keyed by `shipmentId`, and their domain id is `RFO-<shipmentId>`
(refs.py). F22 answers one order with its items, so a read costs one GET and
the lines come with it. F20 and F21 take far fewer fields than F3/F4: a write
that sets anything else is refused before any call, naming the field.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from gateway.errors import NotFound
from gateway.models import (
    Address,
    FlexeRetailOptions,
    Order,
    OrderCreate,
    OrderKind,
    OrderLine,
    OrderUpdate,
)
from gateway.providers.fieldmap import InputPath, translated
from gateway.providers.flexe import bodies, fields, mapping, refs, wire
from gateway.providers.flexe.api import FlexeApi

PATH = "/v2/retail-fulfillment-orders"

_ALLOCATED = frozenset({"allocated", "in_progress", "shipped"})
"""States in which every item is reserved (F22 has no per-item counters)."""


async def create(api: FlexeApi, data: OrderCreate, idempotency_key: str) -> Order:
    """F20, then F22: F20 answers only the ids. A repeated key is a replay."""
    options = _create_options(api.slug, data)
    body = bodies.retail_body(data, options, idempotency_key)
    with translated(fields.RETAIL):
        raw = await api.send("POST", PATH, json=body, replay_safe=True)
    summary = api.validate(wire.RetailSummary, raw)
    return await read(api, summary.shipmentId)


async def read(api: FlexeApi, shipment_id: str) -> Order:
    """F22: one retail fulfillment order."""
    raw = await api.get(_path(shipment_id))
    return to_order(api.validate(wire.RetailOrder, raw), raw)


async def get_many(
    api: FlexeApi, order_ids: Sequence[str], fan_out: asyncio.Semaphore
) -> dict[str, Order]:
    """Retail orders by domain id, one F22 each; unknown ids are absent."""

    async def one(order_id: str) -> Order | None:
        shipment_id = refs.retail_shipment_id(order_id)
        if shipment_id is None:
            return None
        async with fan_out:
            try:
                return await read(api, shipment_id)
            except NotFound:
                return None

    found = await asyncio.gather(*(one(i) for i in dict.fromkeys(order_ids)))
    return {order.id: order for order in found if order is not None}


async def update(api: FlexeApi, shipment_id: str, data: OrderUpdate) -> Order:
    """F21 with the SCAC and bill of lading; nothing else of it can change."""
    refused = _unchangeable(data)
    if refused:
        raise fields.refused(api.slug, refused)
    changes = data.flexe.retail if data.flexe else None
    body = bodies.retail_update_body(changes) if changes else {}
    if not body:
        return await read(api, shipment_id)
    with translated(fields.RETAIL_UPDATE):
        # Setting the same values twice leaves the order as once: replay-safe.
        raw = await api.send("PATCH", _path(shipment_id), json=body, replay_safe=True)
    return to_order(api.validate(wire.RetailOrder, raw), raw)


async def cancel(api: FlexeApi, shipment_id: str) -> Order:
    """F21 to `cancelled`: allowed while new or allocated, else a Conflict."""
    raw = await api.send(
        "PATCH", _path(shipment_id), json={"state": "cancelled"}, replay_safe=True
    )
    return to_order(api.validate(wire.RetailOrder, raw), raw)


def to_order(order: wire.RetailOrder, raw: dict[str, Any]) -> Order:
    """A retail fulfillment order as a domain Order with its lines inside."""
    order_id = refs.retail_id(order.shipmentId)
    to = order.shipTo or wire.ShipTo()
    window = order.shipWindow
    cancelled = order.state == "cancelled"
    return Order(
        provider=mapping.SLUG,
        raw=raw,
        id=order_id,
        kind=OrderKind.RETAIL,
        external_id=order.id,
        # Same state vocabulary as F3 orders (providers.md §7.2), without
        # allocation errors or per-line shipping progress.
        status=mapping.to_status(order.state, False),
        raw_status=order.state,
        created_at=order.createdAt,
        updated_at=order.updatedAt,
        ship_by=_utc(window.end) if window else None,
        shipping_service=order.carrierServiceType,
        recipient=Address(
            name=to.name,
            line1=to.addressLine1,
            line2=mapping.join_parts(to.addressLine2, to.addressLine3),
            city=to.locality,
            region=to.region,
            postal_code=to.postcode,
            country=to.country,
            phone=to.phone,
            email=to.email,
        ),
        # A cancelled order changes no more, so its last update is the cancel.
        cancelled_at=order.updatedAt if cancelled else None,
        lines=tuple(
            _line(order, order_id, index, item, item_raw)
            for index, (item, item_raw) in enumerate(
                zip(order.items, raw.get("items", []), strict=True)
            )
        ),
    )


def _line(
    order: wire.RetailOrder,
    order_id: str,
    index: int,
    item: wire.RetailItem,
    raw: dict[str, Any],
) -> OrderLine:
    # Items have no ids; their position is stable because F21 cannot change them.
    quantity = item.quantity.value
    return OrderLine(
        provider=mapping.SLUG,
        raw=raw,
        id=str(index + 1),
        order_id=order_id,
        sku=item.sku,
        provider_sku=item.sku,
        quantity=quantity,
        unit_of_measure=item.quantity.unit,
        allocated_quantity=quantity if order.state in _ALLOCATED else None,
        shipped_quantity=quantity if order.state == "shipped" else 0,
        cancelled_quantity=quantity if order.state == "cancelled" else 0,
        created_at=order.createdAt,
        cancelled_at=order.updatedAt if order.state == "cancelled" else None,
    )


def _create_options(slug: str, data: OrderCreate) -> FlexeRetailOptions:
    """The retail options, or Rejected naming what F20 has no field for."""
    flexe = data.flexe
    refused: list[tuple[InputPath, str]] = []
    if flexe is None or flexe.retail is None:
        refused.append((("flexe", "retail"), "kind RETAIL needs flexe.retail"))
    if flexe is not None and flexe.labels:
        refused.append((("flexe", "labels"), "retail orders take no labels"))
    if flexe is not None and flexe.reservation_id is not None:
        refused.append(
            (("flexe", "reservationId"), "retail orders take no reservationId")
        )
    if data.shipping is not None and data.shipping.signature_required is not None:
        refused.append(
            (("shipping", "signatureRequired"), "retail orders take no signature")
        )
    if data.ship_by is not None:
        refused.append((("shipBy",), "retail orders use flexe.retail.shipWindowEnd"))
    refused += [
        (("lines", str(index), "externalId"), "retail order lines take no externalId")
        for index, line in enumerate(data.lines)
        if line.external_id is not None
    ]
    if refused or flexe is None or flexe.retail is None:
        raise fields.refused(slug, refused)
    return flexe.retail


def _unchangeable(data: OrderUpdate) -> list[tuple[InputPath, str]]:
    """What an update sets that F21 cannot change."""
    refused: list[tuple[InputPath, str]] = []
    for name, value in (
        ("recipient", data.recipient),
        ("shipping", data.shipping),
        ("notes", data.notes),
    ):
        if value is not None:
            refused.append(((name,), f"a retail order's {name} cannot change"))
    flexe = data.flexe
    if flexe is not None and flexe.labels is not None:
        refused.append((("flexe", "labels"), "retail orders take no labels"))
    if flexe is not None and flexe.reservation_id is not None:
        refused.append(
            (("flexe", "reservationId"), "a retail order's reservation cannot change")
        )
    return refused


def _path(shipment_id: str) -> str:
    return f"{PATH}/{quote(shipment_id, safe='')}"


def _utc(moment: datetime | None) -> datetime | None:
    # A ship window given as a bare date arrives without a zone; Flexe means UTC.
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)
