"""Flexport v3 purchase-order updates (patch over full replace) and write field errors.

Seed 7: PO-10047 (171047) is open, never booked, with lines "1" (SKU-10110,
1512 EA) and "2" (SKU-10112, 1320 EA); PO-10020 (171020) has an active booking.
"""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

import tests.providers.test_flexport_v3 as v3_tests
from gateway import errors
from gateway.models import (
    PurchaseOrder,
    PurchaseOrderLineCreate,
    PurchaseOrderStatus,
    PurchaseOrderUpdate,
)
from gateway.providers.base import Capability
from gateway.providers.flexport_v3 import FlexportV3Provider
from tests.conftest import FAST_RETRY, SandboxControl

FRESH_ID = v3_tests.FRESH_ID
BOOKED_ID = v3_tests.BOOKED_ID
PO_PATH = f"/purchase_orders/{FRESH_ID}"
EXPANDED = {"expand": ["line_items"]}

# The v3 test module's fixtures and helpers, shared rather than copied.
session = v3_tests.session
v3 = v3_tests.v3
calls = v3_tests.calls
new_po = v3_tests.new_po
without = v3_tests.without
event_types = v3_tests.event_types


def another(sandbox: TestServer, session: aiohttp.ClientSession) -> FlexportV3Provider:
    """A second adapter on the same account: another gateway instance."""
    return FlexportV3Provider(v3_tests.settings(sandbox), session, FAST_RETRY)


async def requests(control: SandboxControl) -> list[tuple[str, str, Any]]:
    return [(r["method"], r["path"], r["params"]) for r in await calls(control)]


def paths(exc: errors.Rejected) -> list[tuple[str, ...] | None]:
    return [path for path, _ in exc.input_paths]


def line(item_key: str, sku: str, quantity: int, **changes: Any) -> Any:
    return PurchaseOrderLineCreate(
        item_key=item_key, sku=sku, quantity=quantity, **changes
    )


# Patch semantics ------------------------------------------------------------------


async def test_update_changes_only_the_given_fields(
    v3: FlexportV3Provider, control: SandboxControl
) -> None:
    before = (await v3.get_purchase_orders([FRESH_ID]))[FRESH_ID]
    await control.clear()
    updated = await v3.update_purchase_order(
        FRESH_ID, PurchaseOrderUpdate(incoterm="FOB")
    )
    assert (before.incoterm, updated.incoterm) == ("EXW", "FOB")
    volatile = ("incoterm", "updated_at")
    assert without(updated.raw, *volatile) == without(before.raw, *volatile)
    assert updated.updated_at is not None
    assert before.updated_at is not None
    assert updated.updated_at > before.updated_at
    assert await requests(control) == [
        ("GET", PO_PATH, EXPANDED),
        ("GET", PO_PATH, {}),
        ("POST", "/purchase_orders", {}),
    ]
    again = (await v3.get_purchase_orders([FRESH_ID]))[FRESH_ID]
    assert again.raw == updated.raw
    dated = await v3.update_purchase_order(
        FRESH_ID, PurchaseOrderUpdate(expected_arrival=date(2026, 11, 20))
    )
    assert dated.expected_arrival == date(2026, 11, 20)
    assert (dated.cargo_ready_date, dated.incoterm) == (date(2026, 10, 30), "FOB")
    assert dated.transportation_mode == "truck"
    assert await event_types(v3, FRESH_ID) == [
        "/purchase_order#created",
        "/purchase_order#updated",
        "/purchase_order#updated",
    ]


async def test_a_change_that_changes_nothing_writes_nothing(
    v3: FlexportV3Provider, control: SandboxControl
) -> None:
    same = await v3.update_purchase_order(
        FRESH_ID, PurchaseOrderUpdate(incoterm="EXW", remove_item_keys=("nope",))
    )
    assert same.incoterm == "EXW"
    assert [method for method, _, _ in await requests(control)] == ["GET"]


async def test_lines_are_replaced_added_and_removed_by_item_key(
    v3: FlexportV3Provider, control: SandboxControl
) -> None:
    before = (await v3.get_purchase_orders([FRESH_ID]))[FRESH_ID]
    assert before.lines is not None
    first = before.lines[0]
    updated = await v3.update_purchase_order(
        FRESH_ID,
        PurchaseOrderUpdate(
            lines=(
                line(
                    "9",
                    "GW-NEW-9",
                    5,
                    product_name="Gateway product 9",
                    unit_of_measure="PCS",
                    unit_cost=Decimal("1.50"),
                    currency_code="USD",
                ),
                line("1", "SKU-10110", 2000, unit_cost=Decimal("36.00")),
            ),
            remove_item_keys=("2",),
        ),
    )
    assert updated.lines is not None
    assert [(x.item_key, x.line_number) for x in updated.lines] == [("1", 1), ("9", 3)]
    replaced, added = updated.lines
    assert replaced.id == first.id, "the line is amended, not recreated"
    assert (replaced.sku, replaced.quantity, replaced.unit_of_measure) == (
        "SKU-10110",
        2000,
        "EA",
    )
    assert replaced.unit_cost is not None
    assert (replaced.unit_cost.amount, replaced.unit_cost.currency_code) == (
        Decimal("36.00"),
        "USD",
    ), "a new amount keeps the line's currency"
    # What the input cannot express is kept as read: product details, HS codes.
    assert replaced.product_name == first.product_name
    kept = ("units", "unit_cost", "booking_line_items")
    assert without(replaced.raw, *kept) == without(first.raw, *kept)
    assert (added.sku, added.quantity, added.product_name) == (
        "GW-NEW-9",
        5,
        "Gateway product 9",
    )
    assert updated.incoterm == before.incoterm
    assert [method for method, _, _ in await requests(control)] == [
        "GET",
        "GET",
        "GET",
        "POST",
    ]


# Guards against lost updates ---------------------------------------------------------


async def test_expected_updated_at_mismatch_is_a_conflict_without_a_write(
    v3: FlexportV3Provider, control: SandboxControl
) -> None:
    current = (await v3.get_purchase_orders([FRESH_ID]))[FRESH_ID]
    assert current.updated_at is not None
    await control.clear()
    stale = current.updated_at - timedelta(seconds=1)
    with pytest.raises(errors.Conflict, match="read it again") as info:
        await v3.update_purchase_order(
            FRESH_ID, PurchaseOrderUpdate(incoterm="FOB", expected_updated_at=stale)
        )
    assert info.value.extensions["code"] == "CONFLICT"
    assert await requests(control) == [("GET", PO_PATH, EXPANDED)]
    naive = current.updated_at.replace(tzinfo=None)
    updated = await v3.update_purchase_order(
        FRESH_ID, PurchaseOrderUpdate(incoterm="FOB", expected_updated_at=naive)
    )
    assert updated.incoterm == "FOB", "a naive instant is UTC"


async def test_a_change_between_read_and_write_is_a_conflict(
    v3: FlexportV3Provider,
    control: SandboxControl,
    sandbox: TestServer,
    session: aiohttp.ClientSession,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    other = another(sandbox, session)
    send = v3.upstream.request
    reads = 0

    async def request(method: str, path: str, **kwargs: Any) -> Any:
        # Right after this adapter's first read, someone else amends the PO.
        nonlocal reads
        response = await send(method, path, **kwargs)
        if (method, path) == ("GET", PO_PATH):
            reads += 1
            if reads == 1:
                await other.update_purchase_order(
                    FRESH_ID, PurchaseOrderUpdate(incoterm="DAP")
                )
        return response

    monkeypatch.setattr(v3.upstream, "request", request)
    with pytest.raises(errors.Conflict, match="changed since it was read"):
        await v3.update_purchase_order(
            FRESH_ID, PurchaseOrderUpdate(transportation_mode="air")
        )
    mine = [
        (r["method"], r["params"])
        for r in await calls(control)
        if r["path"] in (PO_PATH, "/purchase_orders")
    ]
    assert mine == [
        ("GET", EXPANDED),  # this adapter reads
        ("GET", EXPANDED),  # the other one reads,
        ("GET", {}),
        ("POST", {}),  # and writes
        ("GET", {}),  # this adapter sees it moved: no write
    ]
    after = (await v3.get_purchase_orders([FRESH_ID]))[FRESH_ID]
    assert (after.incoterm, after.transportation_mode) == ("DAP", "truck")


async def test_overlapping_writes_from_two_gateways_one_conflicts(
    v3: FlexportV3Provider,
    control: SandboxControl,
    sandbox: TestServer,
    session: aiohttp.ClientSession,
) -> None:
    await control.settings(latencyMs=100)
    results = await asyncio.gather(
        v3.update_purchase_order(FRESH_ID, PurchaseOrderUpdate(incoterm="FOB")),
        another(sandbox, session).update_purchase_order(
            FRESH_ID, PurchaseOrderUpdate(transportation_mode="air")
        ),
        return_exceptions=True,
    )
    landed = [r for r in results if isinstance(r, PurchaseOrder)]
    conflicts = [r for r in results if isinstance(r, errors.Conflict)]
    assert len(landed) == len(conflicts) == 1, results
    assert conflicts[0].status == 409
    after = (await v3.get_purchase_orders([FRESH_ID]))[FRESH_ID]
    assert (after.incoterm, after.transportation_mode) == (
        landed[0].incoterm,
        landed[0].transportation_mode,
    ), "the one that landed is what the PO says"
    assert {after.incoterm, after.transportation_mode} & {"FOB", "air"}


async def test_two_updates_through_one_adapter_both_land(
    v3: FlexportV3Provider, control: SandboxControl
) -> None:
    await control.settings(latencyMs=100)
    first, second = await asyncio.gather(
        v3.update_purchase_order(FRESH_ID, PurchaseOrderUpdate(incoterm="FOB")),
        v3.update_purchase_order(
            FRESH_ID, PurchaseOrderUpdate(transportation_mode="air")
        ),
    )
    assert (first.incoterm, first.transportation_mode) == ("FOB", "truck")
    assert (second.incoterm, second.transportation_mode) == ("FOB", "air")
    # Serialised: each read-merge-write runs after the other, no 409.
    assert [(r["method"], r["status"]) for r in await calls(control)] == [
        ("GET", 200),
        ("GET", 200),
        ("POST", 200),
    ] * 2
    await control.settings(latencyMs=0)
    after = (await v3.get_purchase_orders([FRESH_ID]))[FRESH_ID]
    assert (after.incoterm, after.transportation_mode) == ("FOB", "air")


async def test_updating_a_closed_po_is_a_conflict(
    v3: FlexportV3Provider, control: SandboxControl
) -> None:
    await v3.close_purchase_order(FRESH_ID)
    await control.clear()
    with pytest.raises(
        errors.Conflict, match="is closed and cannot be amended"
    ) as info:
        await v3.update_purchase_order(FRESH_ID, PurchaseOrderUpdate(incoterm="FOB"))
    assert (info.value.status, info.value.provider_code) == (
        422,
        "unprocessable_entity",
    )
    assert [(r["method"], r["status"]) for r in await calls(control)] == [
        ("GET", 200),
        ("GET", 200),
        ("POST", 422),
    ]
    still = (await v3.get_purchase_orders([FRESH_ID]))[FRESH_ID]
    assert (still.status, still.incoterm) == (PurchaseOrderStatus.CLOSED, "EXW")


async def test_update_of_an_unknown_po_is_not_found(v3: FlexportV3Provider) -> None:
    with pytest.raises(errors.NotFound):
        await v3.update_purchase_order("999999", PurchaseOrderUpdate(incoterm="FOB"))


# Field errors --------------------------------------------------------------------------


async def test_update_rejections_name_the_callers_input(
    v3: FlexportV3Provider,
) -> None:
    with pytest.raises(errors.Rejected) as info:
        await v3.update_purchase_order(
            FRESH_ID,
            PurchaseOrderUpdate(
                lines=(
                    line("1", "SKU-10110", 10),
                    line("8", "GW-UNNAMED-8", 1),
                )
            ),
        )
    # The new line is the PO's third, and the caller's second.
    assert set(info.value.fields) == {"line_items[2].product"}
    assert paths(info.value) == [("lines", "1", "productName")]
    with pytest.raises(errors.Rejected) as info:
        await v3.update_purchase_order(
            FRESH_ID, PurchaseOrderUpdate(expected_arrival=date(2026, 10, 29))
        )
    assert paths(info.value) == [("expectedArrival",)]
    with pytest.raises(errors.Rejected) as info:
        await v3.update_purchase_order(
            FRESH_ID, PurchaseOrderUpdate(remove_item_keys=("1", "2"))
        )
    assert paths(info.value) == [("removeItemKeys",)]


async def test_booked_lines_are_guarded(v3: FlexportV3Provider) -> None:
    booked = (await v3.get_purchase_orders([BOOKED_ID]))[BOOKED_ID]
    assert booked.lines is not None
    first = booked.lines[0]
    assert (first.item_key, first.sku) == ("1", first.sku)
    assert first.sku is not None
    with pytest.raises(errors.Rejected, match="have been booked") as info:
        await v3.update_purchase_order(
            BOOKED_ID, PurchaseOrderUpdate(remove_item_keys=("1",))
        )
    assert paths(info.value) == [("removeItemKeys",)]
    with pytest.raises(errors.Rejected, match="fewer units") as info:
        await v3.update_purchase_order(
            BOOKED_ID, PurchaseOrderUpdate(lines=(line("1", first.sku, 1),))
        )
    assert paths(info.value) == [("lines",)]


async def test_create_rejections_name_the_party(v3: FlexportV3Provider) -> None:
    for field, path in (("supplier_ref", "supplierRef"), ("buyer_ref", "buyerRef")):
        with pytest.raises(errors.Rejected) as info:
            await v3.create_purchase_order(
                new_po(**{field: "nobody-at-all"}), idempotency_key="k"
            )
        # v3's own field stays as it said it; the input path is the party's.
        assert set(info.value.fields) == {"parties"}
        assert paths(info.value) == [(path,)]
    bad_line = new_po().model_copy(
        update={"lines": (*new_po().lines, line("3", "GW-UNNAMED-3", 1))}
    )
    with pytest.raises(errors.Rejected) as info:
        await v3.create_purchase_order(bad_line, idempotency_key="k")
    assert paths(info.value) == [("lines", "2", "productName")]
    late = new_po().model_copy(update={"cargo_ready_date": date(2027, 2, 1)})
    with pytest.raises(errors.Rejected) as info:
        await v3.create_purchase_order(late, idempotency_key="k")
    assert paths(info.value) == [("expectedArrival",)]


async def test_cancel_and_close_locate_no_input(v3: FlexportV3Provider) -> None:
    with pytest.raises(errors.Conflict, match="active booking"):
        await v3.cancel_purchase_order(BOOKED_ID)
    closed = await v3.close_purchase_order(FRESH_ID)
    assert closed.status is PurchaseOrderStatus.CLOSED


def test_update_is_declared() -> None:
    assert Capability.UPDATE_PURCHASE_ORDER in FlexportV3Provider.capabilities
