"""Inbound shipments of non-palletised goods (F17, F18): reads, and the notice."""

from __future__ import annotations

from collections.abc import Sequence

from gateway.models import InboundShipment, InboundShipmentCreate
from gateway.providers.fieldmap import translated
from gateway.providers.flexe import bodies, fields, mapping, wire
from gateway.providers.flexe.api import FlexeApi, items

PATH = "/v2/inbound-shipments"


async def by_ids(api: FlexeApi, ids: Sequence[str]) -> dict[str, InboundShipment]:
    """F17 filtered by `ids`, 100 a call."""
    pages = await api.batched(PATH, "ids", ids, wire.InboundShipmentPage)
    return {
        inbound.id: mapping.to_inbound_shipment(inbound, raw)
        for inbound, raw in items(pages, "inboundShipments")
    }


async def by_po_numbers(
    api: FlexeApi, numbers: Sequence[str]
) -> dict[str, list[InboundShipment]]:
    """F17 filtered by `purchaseOrder`, 100 numbers a call."""
    result: dict[str, list[InboundShipment]] = {}
    pages = await api.batched(PATH, "purchaseOrder", numbers, wire.InboundShipmentPage)
    for inbound, raw in items(pages, "inboundShipments"):
        found = mapping.to_inbound_shipment(inbound, raw)
        if found.purchase_order_number:
            result.setdefault(found.purchase_order_number, []).append(found)
    return result


async def create(
    api: FlexeApi, data: InboundShipmentCreate, idempotency_key: str
) -> InboundShipment:
    """F18. The key is the correlationId, and Flexe answers a repeated one with
    the shipment it made the first time, so the POST is replay-safe."""
    body = bodies.inbound_body(data, idempotency_key)
    with translated(fields.INBOUND):
        raw = await api.send("POST", PATH, json=body, replay_safe=True)
    return mapping.to_inbound_shipment(api.validate(wire.InboundShipment, raw), raw)
