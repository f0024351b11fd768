"""Flexport v3 V3 rules: every 422 of §3.4/§3.5, malformed bodies, status moves."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from gateway.sandbox import SandboxConfig

from .conftest import FakeClock, FlexportV3Api, po_body, po_body_from, v3_error


@pytest.fixture
def config(clock: FakeClock) -> SandboxConfig:
    # A small Flexe world and no 429s: these tests make many calls at one instant.
    return SandboxConfig(order_count=5, clock=clock, rate_limits=False)


NO_LINES = "You must specify at least one line item under po_line_items"


async def _error(api: FlexportV3Api, body: Any, status: int = 422) -> str:
    error = v3_error(await api.post("/purchase_orders", body, expect=status))
    assert error["status"] == status
    if status == 422:
        assert error["code"] == "unprocessable_entity"
    message: str = error["message"]
    return message


async def _expanded(api: FlexportV3Api, po_id: int) -> Any:
    return await api.data(f"/purchase_orders/{po_id}", {"expand": "line_items"})


def _with_line(index: int, **changes: Any) -> dict[str, Any]:
    body = po_body()
    body["line_items"][index].update(changes)
    return body


INVALID = [
    (po_body(status="ope"), "ope is not a valid Purchase Order Status"),
    (
        po_body(transportation_mode="boat"),
        "boat is an invalid transportation mode. allowed values: ocean, air, truck",
    ),
    (
        po_body(incoterm="XYZ"),
        "Invalid incoterm XYZ. allowed values: EXW, FCA, CPT, CIP, DAT, DPU, DAP, "
        "DDP, FAS, FOB, CFR, CIF",
    ),
    (po_body(line_items=[]), NO_LINES),
    ({k: v for k, v in po_body().items() if k != "line_items"}, NO_LINES),
    (
        _with_line(1, item_key="1"),
        "Purchase Order PO-TEST-1 has multiple line items with same item key",
    ),
    (
        po_body(
            parties=[
                {"role": "buyer", "external_ref": "northwind-us"},
                {"role": "seller", "external_ref": "nobody"},
            ]
        ),
        "Company does not exist for reference nobody",
    ),
    (
        _with_line(0, assigned_party={"external_ref": "ghost"}),
        "Company does not exist for reference ghost",
    ),
    (_with_line(0, unit_of_measure="BOXES"), "Unknown unit of measure"),
    (
        po_body(cargo_ready_date="2027-02-01"),
        "Must arrive date must be after the cargo ready date",
    ),
    (
        _with_line(0, cargo_ready_date="2027-01-02", must_arrive_date="2027-01-01"),
        "Must arrive date must be after the cargo ready date",
    ),
    (
        po_body(cargo_ready_date="2026-09-01", must_arrive_date="2026-10-01"),
        "Must arrive date cannot be before the purchase order creation date 2026-11-01",
    ),
    (
        _with_line(0, product={"name": "No SKU"}),
        "line_items[0].product: product_sku must be specified",
    ),
    (
        _with_line(1, product={"sku": "BRAND-NEW"}),
        "line_items[1].product: product_name cannot be empty for a new product (BRAND-NEW)",
    ),
    (_with_line(0, transportation_mode="rail"), None),
    (_with_line(0, incoterm="FOO"), None),
    (_with_line(0, units=0), "line_items[0].units must be a whole number >= 1"),
    (_with_line(0, colour="red"), "Unknown attribute line_items[0].colour"),
    (po_body(order_class="sales_order"), "order_class must be purchase_order"),
    (
        {k: v for k, v in po_body().items() if k != "order_class"},
        "order_class must be purchase_order",
    ),
    (po_body(name=""), "name is required"),
    (
        po_body(parties=[{"role": "buyer", "external_ref": "northwind-us"}]),
        "parties must name exactly one buyer and one seller",
    ),
    (
        po_body(parties=[{"role": "king", "external_ref": "northwind-us"}]),
        "king is not a valid party role",
    ),
    (
        po_body(status="closed"),
        "Purchase order PO-TEST-1 must be created with status open",
    ),
    (po_body(origin_port={"unlocode": "XXXXX"}), "Unknown port XXXXX"),
    (po_body(cargo_ready_date="soon"), "cargo_ready_date must be a date (YYYY-MM-DD)"),
    (
        _with_line(0, unit_cost={"amount": 4.65}),
        "line_items[0].unit_cost.amount must be a string",
    ),
    (
        po_body(metadata={"tags": [1]}),
        "metadata.tags must be a string or an array of strings",
    ),
]


async def test_invalid_bodies_are_422(flexport_v3: FlexportV3Api) -> None:
    # One sandbox for every case keeps the module fast; each case says which failed.
    for body, message in INVALID:
        found = await _error(flexport_v3, copy.deepcopy(body))
        if message is None:
            assert "invalid" in found.lower(), found
        else:
            assert found == message
    listed = await flexport_v3.data("/purchase_orders", {"f.name": "PO-TEST-1"})
    assert listed["total_count"] == 0, "no invalid body created anything"


async def test_malformed_bodies_are_400(flexport_v3: FlexportV3Api) -> None:
    for raw, message in [
        (b"nope", "Request body is not valid JSON"),
        (b"[1, 2]", "Request body must be a JSON object"),
    ]:
        response = await flexport_v3.call("POST", "/purchase_orders", data=raw)
        assert response.status == 400
        error = v3_error(await response.json())
        assert (error["code"], error["message"]) == ("invalid_body", message)
    error = v3_error(
        await flexport_v3.json(
            "POST", "/purchase_orders", 400, json=po_body(), params={"x": "1"}
        )
    )
    assert error["message"] == "Unknown parameter x"


async def test_closing_freezes_the_po(
    flexport_v3: FlexportV3Api, clock: FakeClock
) -> None:
    po = await flexport_v3.upsert(po_body(), expect=201)
    clock.now += 1
    closed = await flexport_v3.upsert(po_body(status="closed"))
    assert (closed["status"], closed["archived_at"]) == ("closed", None)
    clock.now += 1
    again = await flexport_v3.upsert(po_body(status="closed"))
    assert again["updated_at"] == closed["updated_at"], "an identical resend is a no-op"
    pid = po["id"]
    for body, message in [
        (po_body(), f"Purchase order {pid} is closed and cannot be reopened"),
        (
            po_body(status="cancelled"),
            f"Purchase order {pid} is closed and cannot be cancelled",
        ),
        (
            po_body(status="closed", memo="x"),
            f"Purchase order {pid} is closed and cannot be amended",
        ),
    ]:
        assert await _error(flexport_v3, body) == message


async def test_cancelling_archives_and_hides_the_po(flexport_v3: FlexportV3Api) -> None:
    po = await flexport_v3.upsert(po_body(), expect=201)
    cancelled = await flexport_v3.upsert(po_body(status="cancelled"))
    assert cancelled["status"] == "cancelled"
    assert cancelled["archived_at"] is not None
    listed = await flexport_v3.data("/purchase_orders", {"f.name": "PO-TEST-1"})
    assert listed["total_count"] == 0
    archived = await flexport_v3.data(
        "/purchase_orders", {"f.name": "PO-TEST-1", "f.archived_at.exists": "true"}
    )
    assert [p["id"] for p in archived["data"]] == [po["id"]]
    message = await _error(flexport_v3, po_body())
    assert message == f"Purchase order {po['id']} is cancelled and cannot be reopened"


async def _booked_open_po(api: FlexportV3Api) -> dict[str, Any]:
    """A seeded open PO with an active booking, expanded."""
    items, _, _ = await api.walk("/booking_line_items", {"per": "100"})
    for item in items:
        line = await api.data(
            f"/purchase_order_line_items/{item['purchase_order_line_item']['id']}"
        )
        po = await _expanded(api, line["purchase_order"]["id"])
        if po["status"] == "open":
            return dict(po)
    raise AssertionError("the seed has open POs with bookings")


async def _booked_units(api: FlexportV3Api, line_id: int) -> int:
    page = await api.data(
        "/booking_line_items", {"f.purchase_order_line_item.id": str(line_id)}
    )
    return sum(item["units"] for item in page["data"])


async def test_booked_pos_keep_their_booked_units(flexport_v3: FlexportV3Api) -> None:
    po = await _booked_open_po(flexport_v3)
    pid = po["id"]
    body = po_body_from(po)
    assert await _error(flexport_v3, {**body, "status": "cancelled"}) == (
        f"Purchase order {pid} may not be cancelled since it has an active booking"
    )
    booked = [
        (index, units)
        for index, line in enumerate(po["line_items"]["data"])
        if (units := await _booked_units(flexport_v3, line["id"])) > 0
    ]
    index, units = booked[0]
    fewer = copy.deepcopy(body)
    fewer["line_items"][index]["units"] = units - 1
    assert await _error(flexport_v3, fewer) == (
        "Cannot update a line item to request fewer units than have already been booked"
    )
    dropped = copy.deepcopy(body)
    del dropped["line_items"][index]
    if dropped["line_items"]:
        assert await _error(flexport_v3, dropped) == (
            "Cannot remove line items that have been booked"
        )
    exact = copy.deepcopy(body)
    exact["line_items"][index]["units"] = units
    amended = await flexport_v3.upsert(exact)
    assert amended["line_items"]["data"][index]["units"] == units
    closed = await flexport_v3.upsert({**exact, "status": "closed"})
    assert closed["status"] == "closed"
