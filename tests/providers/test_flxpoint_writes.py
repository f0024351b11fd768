"""Flxpoint writes against the sandbox: acknowledging (X3, X4) and field errors (X9)."""

from __future__ import annotations

from typing import Any

import pytest

import tests.providers.test_flxpoint as flx_tests
from gateway import errors
from gateway.models import (
    LineAcknowledgement,
    Order,
    OrderLineCreate,
    OrderStatus,
    ShipmentCreate,
)
from gateway.providers.base import Capability
from gateway.providers.flxpoint import FlxpointProvider
from tests.conftest import SandboxControl

FRS = flx_tests.FRS

# The Flxpoint test module's fixtures and helpers, shared rather than copied.
session = flx_tests.session
flx = flx_tests.flx
log = flx_tests.log
first = flx_tests.first


async def processing(flx: FlxpointProvider, lines: int = 1) -> Order:
    """The newest FR waiting in Processing with at least `lines` items."""
    return await first(
        flx, OrderStatus.PENDING, "Processing", lambda o: len(o.lines or ()) >= lines
    )


def ack(line_id: str, acknowledged: int, cancelled: int = 0) -> LineAcknowledgement:
    return LineAcknowledgement(
        line_id=line_id,
        acknowledged_quantity=acknowledged,
        cancelled_quantity=cancelled,
    )


def quantities(order: Order) -> list[tuple[str, int, int | None, int]]:
    return [
        (line.id, line.quantity, line.allocated_quantity, line.cancelled_quantity)
        for line in order.lines or ()
    ]


def paths(exc: errors.Rejected) -> list[tuple[str, ...] | None]:
    return [path for path, _ in exc.input_paths]


# Acknowledging ---------------------------------------------------------------------


async def test_partial_acknowledge_adjusts_item_by_item(
    flx: FlxpointProvider, control: SandboxControl
) -> None:
    fr = await processing(flx, lines=3)
    assert fr.lines is not None
    a, b, c = fr.lines[:3]
    assert b.quantity >= 2
    await control.clear()
    acked = await flx.acknowledge_order(
        fr.id, [ack(b.id, b.quantity - 1), ack(c.id, c.quantity)]
    )
    assert (acked.raw_status, acked.status, acked.acknowledged) == (
        "Acknowledged",
        OrderStatus.ACCEPTED,
        True,
    )
    expected = {
        a.id: (a.quantity, 0, 0),  # not named: left as it was
        b.id: (b.quantity, b.quantity - 1, 1),  # the rest of it cancelled
        c.id: (c.quantity, c.quantity, 0),
    }
    got = {
        line_id: (q, ack_q, cancel_q)
        for line_id, q, ack_q, cancel_q in quantities(acked)
    }
    assert {k: got[k] for k in expected} == expected
    assert [(r["method"], r["path"]) for r in await log(control)] == [
        ("POST", f"{FRS}/{fr.id}/adjust")
    ], "X4 answers with the FR: no second read"
    # What the sandbox now holds (X2) is what the write returned.
    held = (await flx.get_orders([fr.id]))[fr.id]
    assert quantities(held) == quantities(acked)
    assert held.raw_status == "Acknowledged"


async def test_full_acknowledge_is_x3_and_a_repeat_is_a_conflict(
    flx: FlxpointProvider, control: SandboxControl
) -> None:
    fr = await processing(flx, lines=2)
    await control.clear()
    acked = await flx.acknowledge_order(fr.id)
    assert all(
        allocated == quantity - cancelled
        for _, quantity, allocated, cancelled in quantities(acked)
    )
    assert [(r["method"], r["path"]) for r in await log(control)] == [
        ("PATCH", f"{FRS}/{fr.id}/acknowledge")
    ]
    assert acked.lines is not None
    for again in ((), [ack(acked.lines[0].id, 1)]):
        with pytest.raises(errors.Conflict, match="already acknowledged") as info:
            await flx.acknowledge_order(fr.id, again)
        assert info.value.provider_code == "ALREADY_ACKNOWLEDGED"


async def test_acknowledging_outside_processing_is_a_conflict(
    flx: FlxpointProvider,
) -> None:
    fr = await first(flx, OrderStatus.PENDING, "Unprocessed", lambda o: bool(o.lines))
    assert fr.lines is not None
    with pytest.raises(errors.Conflict) as info:
        await flx.acknowledge_order(fr.id, [ack(fr.lines[0].id, 1)])
    assert info.value.provider_code == "NOT_PROCESSING"


async def test_an_unknown_line_is_rejected_at_its_input_path(
    flx: FlxpointProvider,
) -> None:
    fr = await processing(flx, lines=2)
    assert fr.lines is not None
    known = fr.lines[0]
    with pytest.raises(errors.Rejected, match="is not on fulfillment request") as info:
        await flx.acknowledge_order(fr.id, [ack(known.id, 1), ack("999", 1)])
    assert info.value.status == 400
    assert set(info.value.fields) == {"items[id=999].id"}
    assert paths(info.value) == [("lines", "1", "lineId")]
    unchanged = (await flx.get_orders([fr.id]))[fr.id]
    assert unchanged.raw_status == "Processing", "nothing was acknowledged"


@pytest.mark.parametrize(
    ("make", "path"),
    [
        # More than the line holds.
        (
            lambda line: [ack(line.id, line.quantity + 1)],
            ("lines", "0", "acknowledgedQuantity"),
        ),
        # The same line twice.
        (lambda line: [ack(line.id, 1), ack(line.id, 1)], ("lines", "1", "lineId")),
    ],
)
async def test_bad_quantities_are_rejected_at_their_input_paths(
    flx: FlxpointProvider, make: Any, path: tuple[str, ...]
) -> None:
    fr = await processing(flx)
    assert fr.lines is not None
    with pytest.raises(errors.Rejected) as info:
        await flx.acknowledge_order(fr.id, make(fr.lines[0]))
    assert paths(info.value) == [path]


async def test_a_line_id_that_is_no_item_id_is_rejected_without_a_call(
    flx: FlxpointProvider, control: SandboxControl
) -> None:
    fr = await processing(flx)
    await control.clear()
    with pytest.raises(errors.Rejected) as info:
        await flx.acknowledge_order(fr.id, [ack(f"{fr.id}/0", 1)])
    assert paths(info.value) == [("lines", "0", "lineId")]
    assert await log(control) == []


def test_acknowledge_is_declared() -> None:
    assert Capability.ACKNOWLEDGE_ORDER in FlxpointProvider.capabilities


# Shipments and cancels ---------------------------------------------------------------


async def test_shipment_item_errors_name_the_item(flx: FlxpointProvider) -> None:
    fr = await first(flx, OrderStatus.ACCEPTED, "Acknowledged")
    assert fr.lines
    with pytest.raises(errors.Rejected, match="No item with sku") as info:
        await flx.create_shipment(
            ShipmentCreate(
                order_id=fr.id,
                tracking_number="1ZBAD-ITEM",
                items=(
                    OrderLineCreate(sku=fr.lines[0].sku, quantity=1),
                    OrderLineCreate(sku="SKU-NOT-THERE", quantity=1),
                ),
            ),
            idempotency_key="k",
        )
    assert paths(info.value) == [("items", "1", "sku")]


async def test_cancel_conflicts_are_unchanged(flx: FlxpointProvider) -> None:
    fr = await first(flx, OrderStatus.SHIPPED)
    with pytest.raises(errors.Conflict) as info:
        await flx.cancel_order(fr.id)
    assert info.value.provider_code == "CANCEL_SHIPPED"
