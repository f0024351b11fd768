"""F17-F18: inbound shipments of non-palletised goods, with correlationId replay."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aiohttp import web

from ..clock import iso, parse_instant
from .machine import NotAdvanceable
from .model import Fields, InboundItem, InboundShipment
from .pagination import page_response
from .params import Params, in_range
from .serialize import inbound_json
from .state import FlexeState, current
from .validate import Checker, join, read_object
from .vocabulary import INBOUND_STATES, RESERVATIONS

routes = web.RouteTableDef()

_LIST_PARAMS = (
    "pageSize",
    "continuationToken",
    "state",
    "createdAtFrom",
    "createdAtTo",
    "updatedAtFrom",
    "updatedAtTo",
    "customerUUID",
    "purchaseOrder",
    "reservations",
    "ids",
)
_DETAIL_FIELDS = (
    "asnNumber",
    "containerNumber",
    "containerSealNumber",
    "billOfLading",
    "expectedInboundShipmentType",
    "suplierOrVendor",  # sic: S0 spells it this way
)
_ITEM_DETAILS = ("lotCode", "expirationDate", "manufactureDate", "countryOfOrigin")
_ITEM_DATES = ("expirationDate", "manufactureDate")
_FIELDS = (
    "correlationId",
    "customerUUID",
    "purchaseOrderId",
    "poNumber",
    "dropoffDate",
    "reservationId",
    "items",
    *_DETAIL_FIELDS,
)


@routes.get("/v2/inbound-shipments")
async def list_inbound(request: web.Request) -> web.Response:
    """F17, newest first like F1. `ids` is a sandbox-inferred batch filter."""
    q = Params(request.query, _LIST_PARAMS)
    ids = q.id_list("ids")
    states = q.choice_list("state", INBOUND_STATES)
    created = q.instant("createdAtFrom"), q.instant("createdAtTo")
    updated = q.instant("updatedAtFrom"), q.instant("updatedAtTo")
    customer = q.text("customerUUID")
    purchase_orders = q.id_list("purchaseOrder")
    reservations = q.id_list("reservations")

    def keep(shipment: InboundShipment) -> bool:
        return (
            (ids is None or shipment.id in ids)
            and (states is None or shipment.state in states)
            and (customer is None or shipment.customer_uuid == customer)
            and (purchase_orders is None or shipment.po_number in purchase_orders)
            and (reservations is None or shipment.reservation_id in reservations)
            and in_range(shipment.created_at, *created)
            and in_range(shipment.updated_at, *updated)
        )

    items = sorted(
        (s for s in current(request).inbound.values() if keep(s)),
        key=lambda s: (s.created_at, s.id),
        reverse=True,
    )
    filters = {
        "ids": sorted(ids or []),
        "state": sorted(states or []),
        "created": created,
        "updated": updated,
        "customerUUID": customer,
        "purchaseOrder": sorted(purchase_orders or []),
        "reservations": sorted(reservations or []),
    }
    return page_response(request, q, items, inbound_json, "inboundShipments", filters)


def _date(c: Checker, parent: dict[str, Any], key: str, prefix: str = "") -> str | None:
    value = c.text(parent, key, prefix, required=key == "dropoffDate")
    if value is not None:
        try:
            parse_instant(value)
        except ValueError:
            c.fail(join(prefix, key), f"{join(prefix, key)} must be an ISO 8601 date")
            return None
    return value


def _items(c: Checker, body: dict[str, Any]) -> list[InboundItem]:
    items: list[InboundItem] = []
    for index, raw in enumerate(c.array(body, "items", required=True) or []):
        prefix = f"items.{index}"
        if not c.fields(raw, prefix, ("sku", "quantity", "unit", *_ITEM_DETAILS)):
            continue
        sku = c.text(raw, "sku", prefix, required=True)
        quantity = c.integer(raw, "quantity", prefix, required=True)
        unit = c.text(raw, "unit", prefix, required=True)
        details: Fields = {
            name: _date(c, raw, name, prefix)
            if name in _ITEM_DATES
            else c.text(raw, name, prefix)
            for name in _ITEM_DETAILS
        }
        if sku is not None and quantity is not None and unit is not None:
            items.append(InboundItem(sku, quantity, unit, details))
    return items


@routes.post("/v2/inbound-shipments")
async def create_inbound(request: web.Request) -> web.Response:
    """F18: 201; a repeated correlationId answers 200 with the shipment it created."""
    Params(request.query, ())
    st = current(request)
    body = await read_object(request)
    cid = body.get("correlationId")
    replay = st.inbound_by_correlation.get(cid) if isinstance(cid, str) else None
    if replay is not None:
        return web.json_response(inbound_json(replay))
    c = Checker()
    c.fields(body, "", _FIELDS)
    correlation = c.text(body, "correlationId", required=True)
    customer = c.text(body, "customerUUID", required=True)
    purchase_order_id = c.text(body, "purchaseOrderId", required=True)
    po_number = c.text(body, "poNumber")
    dropoff = _date(c, body, "dropoffDate")
    reservation = c.choice(body, "reservationId", RESERVATIONS)
    details: Fields = {name: c.text(body, name) for name in _DETAIL_FIELDS}
    items = _items(c, body)
    c.done()
    assert correlation
    assert customer
    assert purchase_order_id
    assert dropoff
    at = st.now()
    shipment = InboundShipment(
        id=st.new_id(),
        correlation_id=correlation,
        customer_uuid=customer,
        purchase_order_id=purchase_order_id,
        po_number=po_number,
        reservation_id=reservation or RESERVATIONS[0],
        state="expected",
        dropoff_date=dropoff,
        items=items,
        details=details,
        created_at=at,
        updated_at=at,
    )
    st.add_inbound(shipment)
    return web.json_response(inbound_json(shipment), status=201)


def advance_inbound(st: FlexeState, shipment: InboundShipment, at: datetime) -> None:
    """expected -> receiving -> received (every unit counted in)."""
    if shipment.state == "expected":
        shipment.state = "receiving"
    elif shipment.state == "receiving":
        shipment.state = "received"
        shipment.received_at = at
        for item in shipment.items:
            item.received_quantity = item.quantity
        st.emit(
            "inbound_shipment.received",
            {
                "inboundShipmentId": shipment.id,
                "purchaseOrder": shipment.po_number,
                "receivedAt": iso(at),
            },
            at,
        )
        _stock_in(st, shipment, at)
    else:
        raise NotAdvanceable(f"Inbound shipment {shipment.id} is {shipment.state}")
    shipment.updated_at = at


def _stock_in(st: FlexeState, shipment: InboundShipment, at: datetime) -> None:
    """Received units join the reservation's stock (F15), one inventory.updated
    per item; a SKU with no stock record at the reservation is not tracked."""
    records = {(r.sku, r.reservation_id): r for r in st.inventory}
    for item in shipment.items:
        record = records.get((item.sku, shipment.reservation_id))
        if record is None:
            continue
        record.on_hand += item.quantity
        record.last_updated_at = at
        st.emit(
            "inventory.updated",
            {
                "sku": record.sku,
                "reservationId": record.reservation_id,
                # The {amount, unit} pairs F15 uses for the same two fields.
                "quantity_on_hand": {"amount": record.on_hand, "unit": record.unit},
                "quantity_available": {
                    "amount": record.on_hand - record.allocated,
                    "unit": record.unit,
                },
            },
            at,
        )
