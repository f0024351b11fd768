"""Every Flexe write against the Flexe sandbox over real HTTP: what Flexe then holds,
repeats and retries that must not write twice, and errors located in the input."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import aiohttp
import pytest

from gateway import errors
from gateway.ids import Ref
from gateway.models import (
    AddressInput,
    AttachmentCreate,
    FlexeOrderOptions,
    FlexeOrderUpdate,
    FlexeRetailOptions,
    FlexeRetailUpdate,
    InboundItem,
    InboundShipmentCreate,
    Label,
    OrderCreate,
    OrderKind,
    OrderLineCreate,
    OrderStatus,
    OrderUpdate,
    PurchaseOrderStatus,
    Shipping,
)
from gateway.providers.base import Capability, OrderFilter, PageRequest
from gateway.providers.flexe import FlexeProvider
from gateway.providers.flexe.refs import IDEMPOTENCY_LABEL
from gateway.sandbox import SANDBOX_TOKENS
from tests.conftest import SandboxControl
from tests.providers import test_flexe as reads

# The adapter and its session, exactly as the read tests build them.
session = reads.session
flexe = reads.flexe

WINDOW_START = datetime(2025, 3, 3, tzinfo=UTC)
WINDOW_END = datetime(2025, 3, 10, tzinfo=UTC)


async def calls(control: SandboxControl, method: str, path: str) -> int:
    """Upstream requests with this method and path (exact)."""
    found = await control.requests("flexe")
    return sum(1 for r in found if r["method"] == method and r["path"] == path)


def address(**changes: Any) -> AddressInput:
    values: dict[str, Any] = {
        "name": "Grace Hopper",
        "line1": "1 Navy Way",
        "city": "Arlington",
        "region": "VA",
        "postal_code": "22202",
        "country": "US",
        "phone": "+1 703 555 0100",
    }
    values.update(changes)
    return AddressInput(**values)


def dtc(external_id: str, **changes: Any) -> OrderCreate:
    values: dict[str, Any] = {
        "kind": OrderKind.DTC,
        "external_id": external_id,
        "recipient": address(),
        "lines": (OrderLineCreate(sku="SKU-10001", quantity=2),),
        "flexe": FlexeOrderOptions(labels=(Label(key="channel", value="api"),)),
    }
    values.update(changes)
    return OrderCreate(**values)


def retail_order(external_id: str, **options: Any) -> OrderCreate:
    retail: dict[str, Any] = {
        "customer_uuid": "3f0c2b1e-5d7a-4c1e-9a51-0c2f6e8b7d11",
        "ship_window_start": WINDOW_START,
        "ship_window_end": WINDOW_END,
        "purchase_order": "4500012345",
        "destination_retailer": "Target",
        "shipment_type": "ltl",
        "carrier": "XPO Logistics",
    }
    retail.update(options)
    return OrderCreate(
        kind=OrderKind.RETAIL,
        external_id=external_id,
        recipient=address(name="Target DC 555", phone=None),
        lines=(
            OrderLineCreate(sku="SKU-10001", quantity=24, unit_of_measure="each"),
            OrderLineCreate(sku="SKU-10002", quantity=12, unit_of_measure="case"),
        ),
        shipping=Shipping(service="standard"),
        notes="Dock 4",
        flexe=FlexeOrderOptions(retail=FlexeRetailOptions(**retail)),
    )


def paths_of(exc: errors.Rejected) -> set[tuple[str, ...] | None]:
    return {path for path, _ in exc.input_paths}


def test_flexe_declares_every_write() -> None:
    assert {
        Capability.CREATE_ORDER,
        Capability.UPDATE_ORDER,
        Capability.CANCEL_ORDER,
        Capability.ORDER_LINE_WRITES,
        Capability.CREATE_INBOUND_SHIPMENT,
        Capability.CREATE_ATTACHMENT,
    } <= FlexeProvider.capabilities


# Orders (F3) ------------------------------------------------------------------


async def test_flexe_create_order_labels_it_with_the_key(
    flexe: FlexeProvider, control: SandboxControl
) -> None:
    created = await flexe.create_order(dtc("GW-W1"), idempotency_key="key-w1")
    assert created.kind is OrderKind.DTC
    assert created.status is OrderStatus.PENDING
    assert created.labels == {"channel": "api", IDEMPOTENCY_LABEL: "key-w1"}
    assert created.recipient is not None
    assert created.recipient.postal_code == "22202"
    assert await calls(control, "POST", "/v2/orders") == 1
    held = (await flexe.get_orders([created.id]))[created.id]
    assert held.external_id == "GW-W1"
    assert held.labels[IDEMPOTENCY_LABEL] == "key-w1"
    lines = (await flexe.get_lines([created.id]))[created.id]
    assert [(line.sku, line.quantity) for line in lines] == [("SKU-10001", 2)]


async def test_flexe_create_order_503_is_retried_and_makes_one_order(
    flexe: FlexeProvider, control: SandboxControl
) -> None:
    await control.fault("/v2/orders", "503", method="POST", times=1)
    created = await flexe.create_order(dtc("GW-W2"), idempotency_key="key-w2")
    assert created.external_id == "GW-W2"
    assert await calls(control, "POST", "/v2/orders") == 2
    listed = await flexe.list_orders(
        OrderFilter(external_ids=("GW-W2",)), PageRequest(size=10)
    )
    assert [o.id for o in listed.items] == [created.id]


async def test_flexe_create_order_repeat_with_the_same_key_returns_the_first(
    flexe: FlexeProvider, control: SandboxControl
) -> None:
    first = await flexe.create_order(dtc("GW-W3"), idempotency_key="key-w3")
    await control.clear()
    again = await flexe.create_order(dtc("GW-W3"), idempotency_key="key-w3")
    assert again.id == first.id
    assert again.labels[IDEMPOTENCY_LABEL] == "key-w3"
    # The POST answered 409; one F1 read by externalId recognised the order.
    assert await calls(control, "POST", "/v2/orders") == 1
    assert await calls(control, "GET", "/v2/orders") == 1
    listed = await flexe.list_orders(
        OrderFilter(external_ids=("GW-W3",)), PageRequest(size=10)
    )
    assert len(listed.items) == 1


async def test_flexe_create_order_same_external_id_other_key_is_conflict(
    flexe: FlexeProvider,
) -> None:
    await flexe.create_order(dtc("GW-W4"), idempotency_key="key-w4")
    with pytest.raises(errors.Conflict) as info:
        await flexe.create_order(dtc("GW-W4"), idempotency_key="key-other")
    assert info.value.provider_code == "DUPLICATE_EXTERNAL_ID"
    # A seeded order has no idempotency label at all.
    with pytest.raises(errors.Conflict):
        await flexe.create_order(dtc("SO-100001"), idempotency_key="key-w4b")


async def test_flexe_create_order_422_names_input_paths(
    flexe: FlexeProvider, control: SandboxControl
) -> None:
    bad_line = OrderLineCreate.model_construct(
        sku="SKU-10002", quantity=0, unit_of_measure=None, external_id=None
    )
    data = dtc(
        "GW-W5",
        recipient=address(region=None, postal_code=None),
        lines=(OrderLineCreate(sku="SKU-10001", quantity=1), bad_line),
        flexe=FlexeOrderOptions(reservation_id="res-nowhere"),
    )
    with pytest.raises(errors.Rejected) as info:
        await flexe.create_order(data, idempotency_key="key-w5")
    assert info.value.fields.keys() == {
        "recipient.address.region",
        "recipient.address.postcode",
        "lines.1.quantity",
        "reservationId",
    }
    assert paths_of(info.value) == {
        ("recipient", "region"),
        ("recipient", "postalCode"),
        ("lines", "1", "quantity"),
        ("flexe", "reservationId"),
    }
    # A 422 is never retried.
    assert await calls(control, "POST", "/v2/orders") == 1


# Updates (F4) -----------------------------------------------------------------


async def test_flexe_update_order_changes_what_is_given_and_keeps_the_key_label(
    flexe: FlexeProvider, control: SandboxControl
) -> None:
    created = await flexe.create_order(
        dtc("GW-U1", recipient=address(line2="Suite 5")), idempotency_key="key-u1"
    )
    assert created.recipient is not None
    assert created.recipient.line2 == "Suite 5"
    await control.clear()
    updated = await flexe.update_order(
        created.id,
        OrderUpdate(
            recipient=address(line1="2 Fleet St", postal_code="22203", phone=None),
            shipping=Shipping(service="two_day", signature_required=True),
            notes="Ring twice",
            flexe=FlexeOrderUpdate(
                reservation_id="res-atlanta-02",
                labels=(Label(key="priority", value="high"),),
            ),
        ),
    )
    # One F2 read (the label to keep) and the PATCH.
    assert await calls(control, "GET", f"/v2/orders/{created.id}") == 1
    assert await calls(control, "PATCH", f"/v2/orders/{created.id}") == 1
    held = (await flexe.get_orders([created.id]))[created.id]
    for order in (updated, held):
        assert order.labels == {"priority": "high", IDEMPOTENCY_LABEL: "key-u1"}
        assert order.recipient is not None
        assert order.recipient.line1 == "2 Fleet St"
        assert order.recipient.postal_code == "22203"
        # The recipient is replaced whole: the old phone and line2 are gone.
        assert order.recipient.phone is None
        assert order.recipient.line2 is None
        assert order.shipping_service == "two_day"
        assert order.location_id == "res-atlanta-02"
        assert order.raw["shipping"]["instructions"] == "Ring twice"
        assert order.raw["shipping"]["signatureConfirmation"] == "adult"


async def test_flexe_update_order_leaves_what_is_not_given(
    flexe: FlexeProvider, control: SandboxControl
) -> None:
    created = await flexe.create_order(
        dtc("GW-U2", notes="Leave at door"), idempotency_key="key-u2"
    )
    await control.clear()
    updated = await flexe.update_order(
        created.id, OrderUpdate(shipping=Shipping(service="next_day"))
    )
    # Labels untouched, so nothing to read first.
    assert await control.count("flexe") == 1
    assert updated.shipping_service == "next_day"
    assert updated.raw["shipping"]["instructions"] == "Leave at door"
    assert updated.labels == created.labels
    assert updated.recipient == created.recipient


async def test_flexe_update_order_once_picked_is_conflict(
    flexe: FlexeProvider, control: SandboxControl
) -> None:
    created = await flexe.create_order(dtc("GW-U3"), idempotency_key="key-u3")
    await control.advance("flexe", "order", created.id)
    picked = await control.advance("flexe", "order", created.id)
    assert picked["state"] == "in_progress"
    with pytest.raises(errors.Conflict) as info:
        await flexe.update_order(created.id, OrderUpdate(notes="Too late"))
    assert info.value.provider_code == "ORDER_NOT_UPDATABLE"
    shipped = (
        await reads.first_page(flexe, size=1, statuses=(OrderStatus.SHIPPED,))
    ).items[0]
    with pytest.raises(errors.Conflict):
        await flexe.update_order(
            shipped.id, OrderUpdate(shipping=Shipping(service="ground"))
        )


async def test_flexe_update_order_retail_changes_on_an_outbound_order_rejected(
    flexe: FlexeProvider, control: SandboxControl
) -> None:
    created = await flexe.create_order(dtc("GW-U4"), idempotency_key="key-u4")
    await control.clear()
    with pytest.raises(errors.Rejected) as info:
        await flexe.update_order(
            created.id,
            OrderUpdate(flexe=FlexeOrderUpdate(retail=FlexeRetailUpdate(scac="XPOL"))),
        )
    assert paths_of(info.value) == {("flexe", "retail")}
    assert await control.count("flexe") == 0


# Retail fulfillment orders (F20-F22) ------------------------------------------


async def test_flexe_retail_order_create_reads_it_back(
    flexe: FlexeProvider, control: SandboxControl
) -> None:
    created = await flexe.create_order(retail_order("RFO-GW-1"), idempotency_key="r1")
    assert await calls(control, "POST", "/v2/retail-fulfillment-orders") == 1
    shipment_id = created.raw["shipmentId"]
    assert created.id == f"RFO-{shipment_id}"
    assert created.kind is OrderKind.RETAIL
    assert created.external_id == "RFO-GW-1"
    assert created.status is OrderStatus.PENDING
    assert created.raw["correlationId"] == "r1"
    assert created.raw["destinationRetailer"] == "Target"
    assert created.raw["instructions"] == "Dock 4"
    assert created.ship_by == WINDOW_END
    assert created.shipping_service == "standard"
    assert created.recipient is not None
    assert created.recipient.postal_code == "22202"
    assert created.recipient.city == "Arlington"
    assert created.lines is not None
    assert [
        (li.id, li.sku, li.quantity, li.unit_of_measure) for li in created.lines
    ] == [
        ("1", "SKU-10001", 24, "each"),
        ("2", "SKU-10002", 12, "case"),
    ]
    assert await calls(control, "GET", f"/v2/retail-fulfillment-orders/{shipment_id}")

    await control.clear()
    again = await flexe.create_order(retail_order("RFO-GW-1"), idempotency_key="r1")
    assert again.id == created.id
    assert await calls(control, "POST", "/v2/retail-fulfillment-orders") == 1


async def test_flexe_get_orders_and_lines_of_retail_orders(
    flexe: FlexeProvider, control: SandboxControl
) -> None:
    retail = await flexe.create_order(retail_order("RFO-GW-2"), idempotency_key="r2")
    outbound = await flexe.create_order(dtc("GW-R2"), idempotency_key="key-r2")
    missing = "RFO-00000000-0000-4000-8000-000000000000"
    await control.clear()
    found = await flexe.get_orders([retail.id, outbound.id, missing])
    assert set(found) == {retail.id, outbound.id}
    assert found[retail.id].kind is OrderKind.RETAIL
    assert found[retail.id].lines == retail.lines
    # One F1 for the outbound order, one F22 per retail id.
    assert await calls(control, "GET", "/v2/orders") == 1
    assert len(await control.requests("flexe")) == 3
    await control.clear()
    lines = await flexe.get_lines([retail.id, outbound.id])
    assert lines[retail.id] == list(retail.lines or ())
    assert [line.sku for line in lines[outbound.id]] == ["SKU-10001"]
    assert await calls(control, "GET", "/v2/lines") == 1
    assert len(await control.requests("flexe")) == 2
    await control.clear()
    assert await flexe.get_allocation_errors([retail.id]) == {}
    assert await flexe.get_shipments([retail.id]) == {retail.id: []}
    assert await control.count("flexe") == 0


async def test_flexe_retail_order_update_and_cancel(
    flexe: FlexeProvider, control: SandboxControl
) -> None:
    created = await flexe.create_order(retail_order("RFO-GW-3"), idempotency_key="r3")
    updated = await flexe.update_order(
        created.id,
        OrderUpdate(
            flexe=FlexeOrderUpdate(
                retail=FlexeRetailUpdate(scac="XPOL", bol_number="BOL-778899")
            )
        ),
    )
    assert (updated.raw["scac"], updated.raw["bolNumber"]) == ("XPOL", "BOL-778899")
    held = (await flexe.get_orders([created.id]))[created.id]
    assert (held.raw["scac"], held.raw["bolNumber"]) == ("XPOL", "BOL-778899")

    await control.clear()
    with pytest.raises(errors.Rejected) as info:
        await flexe.update_order(
            created.id,
            OrderUpdate(
                recipient=address(),
                notes="x",
                flexe=FlexeOrderUpdate(labels=(Label(key="a", value="b"),)),
            ),
        )
    assert paths_of(info.value) == {("recipient",), ("notes",), ("flexe", "labels")}
    assert await control.count("flexe") == 0

    cancelled = await flexe.cancel_order(created.id)
    assert cancelled.status is OrderStatus.CANCELLED
    assert cancelled.cancelled_at is not None
    assert cancelled.lines is not None
    assert all(line.cancelled_quantity == line.quantity for line in cancelled.lines)
    assert (await flexe.get_orders([created.id]))[created.id].raw_status == "cancelled"
    with pytest.raises(errors.Conflict):
        await flexe.update_order(
            created.id,
            OrderUpdate(flexe=FlexeOrderUpdate(retail=FlexeRetailUpdate(scac="ABCD"))),
        )


async def test_flexe_retail_order_cancel_once_picked_is_conflict(
    flexe: FlexeProvider, control: SandboxControl
) -> None:
    created = await flexe.create_order(retail_order("RFO-GW-4"), idempotency_key="r4")
    shipment_id = created.raw["shipmentId"]
    await control.advance("flexe", "retail_fulfillment_order", shipment_id)
    await control.advance("flexe", "retail_fulfillment_order", shipment_id)
    held = (await flexe.get_orders([created.id]))[created.id]
    assert held.status is OrderStatus.IN_PROGRESS
    assert held.lines is not None
    assert all(line.allocated_quantity == line.quantity for line in held.lines)
    with pytest.raises(errors.Conflict) as info:
        await flexe.cancel_order(created.id)
    assert info.value.provider_code == "ORDER_NOT_UPDATABLE"


async def test_flexe_retail_order_422_and_refused_fields_name_input_paths(
    flexe: FlexeProvider, control: SandboxControl
) -> None:
    good = retail_order("RFO-GW-5", customer_uuid=None)
    bad_line = OrderLineCreate.model_construct(
        sku="SKU-10001", quantity=0, unit_of_measure=None, external_id=None
    )
    data = good.model_copy(
        update={"recipient": address(postal_code=None), "lines": (bad_line,)}
    )
    with pytest.raises(errors.Rejected) as info:
        await flexe.create_order(data, idempotency_key="r5")
    assert paths_of(info.value) == {
        ("flexe", "retail", "customerUuid"),
        ("recipient", "postalCode"),
        ("lines", "0", "quantity"),
    }
    assert await calls(control, "POST", "/v2/retail-fulfillment-orders") == 1

    await control.clear()
    refused = retail_order("RFO-GW-6").model_copy(
        update={
            "ship_by": WINDOW_END,
            "lines": (OrderLineCreate(sku="SKU-10001", quantity=1, external_id="L1"),),
        }
    )
    with pytest.raises(errors.Rejected) as info:
        await flexe.create_order(refused, idempotency_key="r6")
    assert paths_of(info.value) == {("shipBy",), ("lines", "0", "externalId")}
    no_options = dtc("RFO-GW-7", kind=OrderKind.RETAIL, flexe=None)
    with pytest.raises(errors.Rejected) as info:
        await flexe.create_order(no_options, idempotency_key="r7")
    assert paths_of(info.value) == {("flexe", "retail")}
    assert await control.count("flexe") == 0


async def test_flexe_create_order_retail_options_on_an_outbound_order_rejected(
    flexe: FlexeProvider, control: SandboxControl
) -> None:
    options = retail_order("GW-X").flexe
    with pytest.raises(errors.Rejected) as info:
        await flexe.create_order(dtc("GW-X", flexe=options), idempotency_key="x")
    assert paths_of(info.value) == {("flexe", "retail")}
    assert await control.count("flexe") == 0


async def test_flexe_create_b2b_order_is_not_supported(
    flexe: FlexeProvider, control: SandboxControl
) -> None:
    with pytest.raises(errors.NotSupported):
        await flexe.create_order(dtc("GW-B1", kind=OrderKind.B2B), idempotency_key="b")
    assert await control.count("flexe") == 0


# Lines (F8, F9) ---------------------------------------------------------------


async def test_flexe_create_order_line_and_its_replay(
    flexe: FlexeProvider, control: SandboxControl
) -> None:
    order = await flexe.create_order(dtc("GW-L1"), idempotency_key="key-l1")
    path = f"/v2/orders/{order.id}/lines"
    added = await flexe.create_order_line(
        order.id, OrderLineCreate(sku="SKU-10002", quantity=3), idempotency_key="l-1"
    )
    assert (added.order_id, added.sku, added.quantity) == (order.id, "SKU-10002", 3)
    assert added.external_id == "gw-l-1"
    again = await flexe.create_order_line(
        order.id, OrderLineCreate(sku="SKU-10002", quantity=3), idempotency_key="l-1"
    )
    assert again.id == added.id
    assert await calls(control, "POST", path) == 2
    lines = (await flexe.get_lines([order.id]))[order.id]
    assert sorted(line.sku for line in lines) == ["SKU-10001", "SKU-10002"]

    # The same key for a different line is somebody else's line: Conflict.
    with pytest.raises(errors.Conflict) as info:
        await flexe.create_order_line(
            order.id,
            OrderLineCreate(sku="SKU-10003", quantity=3),
            idempotency_key="l-1",
        )
    assert info.value.provider_code == "DUPLICATE_EXTERNAL_ID"
    own = await flexe.create_order_line(
        order.id,
        OrderLineCreate(sku="SKU-10003", quantity=1, external_id="MY-LINE"),
        idempotency_key="l-2",
    )
    assert own.external_id == "MY-LINE"
    assert len((await flexe.get_lines([order.id]))[order.id]) == 3


async def test_flexe_create_order_line_503_is_retried_and_adds_one(
    flexe: FlexeProvider, control: SandboxControl
) -> None:
    order = await flexe.create_order(dtc("GW-L2"), idempotency_key="key-l2")
    path = f"/v2/orders/{order.id}/lines"
    await control.fault(path, "503", method="POST", times=1)
    await flexe.create_order_line(
        order.id, OrderLineCreate(sku="SKU-10002", quantity=1), idempotency_key="l-3"
    )
    assert await calls(control, "POST", path) == 2
    assert len((await flexe.get_lines([order.id]))[order.id]) == 2


async def test_flexe_create_order_line_422_names_input_paths(
    flexe: FlexeProvider,
) -> None:
    order = await flexe.create_order(dtc("GW-L3"), idempotency_key="key-l3")
    bad = OrderLineCreate.model_construct(
        sku="SKU-10002", quantity=0, unit_of_measure=None, external_id=None
    )
    with pytest.raises(errors.Rejected) as info:
        await flexe.create_order_line(order.id, bad, idempotency_key="l-4")
    assert paths_of(info.value) == {("quantity",)}


async def test_flexe_cancel_order_line_and_its_repeat(
    flexe: FlexeProvider, control: SandboxControl
) -> None:
    order = await flexe.create_order(
        dtc(
            "GW-L4",
            lines=(
                OrderLineCreate(sku="SKU-10001", quantity=2),
                OrderLineCreate(sku="SKU-10002", quantity=1),
            ),
        ),
        idempotency_key="key-l4",
    )
    first = (await flexe.get_lines([order.id]))[order.id][0]
    cancelled = await flexe.cancel_order_line(order.id, first.id)
    assert cancelled.cancelled_at is not None
    assert cancelled.cancelled_quantity == cancelled.quantity
    again = await flexe.cancel_order_line(order.id, first.id)
    assert again.cancelled_at == cancelled.cancelled_at
    path = f"/v2/orders/{order.id}/lines/{first.id}/cancel"
    assert await calls(control, "POST", path) == 2
    # One line is still open, so the order is not cancelled.
    held = (await flexe.get_orders([order.id]))[order.id]
    assert held.status is OrderStatus.PENDING


async def test_flexe_line_writes_on_a_shipped_order_are_conflicts(
    flexe: FlexeProvider, control: SandboxControl
) -> None:
    order = await flexe.create_order(dtc("GW-L5"), idempotency_key="key-l5")
    for _ in range(3):
        await control.advance("flexe", "order", order.id)
    line = (await flexe.get_lines([order.id]))[order.id][0]
    assert line.shipped_quantity == line.quantity
    with pytest.raises(errors.Conflict) as info:
        await flexe.cancel_order_line(order.id, line.id)
    assert info.value.provider_code == "LINE_NOT_CANCELLABLE"
    with pytest.raises(errors.Conflict) as info:
        await flexe.create_order_line(
            order.id, OrderLineCreate(sku="SKU-10002", quantity=1), idempotency_key="x"
        )
    assert info.value.provider_code == "ORDER_NOT_UPDATABLE"


async def test_flexe_cancel_of_a_picked_order_touches_no_line(
    flexe: FlexeProvider, control: SandboxControl
) -> None:
    two = (
        OrderLineCreate(sku="SKU-10001", quantity=2),
        OrderLineCreate(sku="SKU-10002", quantity=1),
    )
    order = await flexe.create_order(dtc("GW-C6", lines=two), idempotency_key="k6")
    for _ in range(2):  # new -> allocated -> in_progress
        await control.advance("flexe", "order", order.id)
    await control.clear()
    with pytest.raises(errors.Conflict, match="is in_progress") as info:
        await flexe.cancel_order(order.id)
    assert info.value.provider_code == "ORDER_NOT_CANCELLABLE"
    writes = [r for r in await control.requests("flexe") if r["method"] != "GET"]
    assert writes == []
    lines = (await flexe.get_lines([order.id]))[order.id]
    assert [line.cancelled_at for line in lines] == [None, None]


async def test_flexe_line_writes_on_retail_orders_are_not_supported(
    flexe: FlexeProvider, control: SandboxControl
) -> None:
    retail = "RFO-00000000-0000-4000-8000-000000000000"
    with pytest.raises(errors.NotSupported):
        await flexe.create_order_line(
            retail, OrderLineCreate(sku="SKU-1", quantity=1), idempotency_key="k"
        )
    with pytest.raises(errors.NotSupported):
        await flexe.cancel_order_line(retail, "1")
    assert await control.count("flexe") == 0


# Inbound shipments (F18) ------------------------------------------------------


def inbound_notice(**changes: Any) -> InboundShipmentCreate:
    values: dict[str, Any] = {
        "purchase_order_number": "PO-GW-1",
        "asn_number": "ASN-GW-1",
        "customer_uuid": "3f0c2b1e-5d7a-4c1e-9a51-0c2f6e8b7d11",
        "dropoff_date": date(2025, 4, 1),
        "container_number": "MSCU1234567",
        "supplier": "Porto Footwear Lda",
        "items": (
            InboundItem(sku="SKU-10001", quantity=240, lot_code="LOT-1"),
            InboundItem(sku="SKU-10002", quantity=48, unit="case"),
        ),
    }
    values.update(changes)
    return InboundShipmentCreate(**values)


async def test_flexe_create_inbound_shipment_and_its_replay(
    flexe: FlexeProvider, control: SandboxControl
) -> None:
    created = await flexe.create_inbound_shipment(
        inbound_notice(), idempotency_key="in-1"
    )
    assert created.purchase_order_number == "PO-GW-1"
    assert created.status is PurchaseOrderStatus.OPEN
    assert created.supplier is not None
    assert created.supplier.name == "Porto Footwear Lda"
    lines = created.lines or ()
    assert [(li.sku, li.quantity, li.unit_of_measure) for li in lines] == [
        ("SKU-10001", 240, "each"),
        ("SKU-10002", 48, "case"),
    ]
    assert created.raw["correlationId"] == "in-1"
    assert created.raw["purchaseOrderId"] == "PO-GW-1"
    assert created.raw["items"][0]["lotCode"] == "LOT-1"
    again = await flexe.create_inbound_shipment(
        inbound_notice(), idempotency_key="in-1"
    )
    assert again.id == created.id
    assert await calls(control, "POST", "/v2/inbound-shipments") == 2
    by_po = await flexe.get_inbound_shipments_by_po_number(["PO-GW-1"])
    assert [s.id for s in by_po["PO-GW-1"]] == [created.id]


async def test_flexe_create_inbound_shipment_503_is_retried_and_makes_one(
    flexe: FlexeProvider, control: SandboxControl
) -> None:
    await control.fault("/v2/inbound-shipments", "503", method="POST", times=1)
    created = await flexe.create_inbound_shipment(
        inbound_notice(purchase_order_number="PO-GW-2", purchase_order_id="po-77"),
        idempotency_key="in-2",
    )
    assert created.raw["purchaseOrderId"] == "po-77"
    assert await calls(control, "POST", "/v2/inbound-shipments") == 2
    by_po = await flexe.get_inbound_shipments_by_po_number(["PO-GW-2"])
    assert len(by_po["PO-GW-2"]) == 1


async def test_flexe_create_inbound_shipment_422_names_input_paths(
    flexe: FlexeProvider,
) -> None:
    with pytest.raises(errors.Rejected) as info:
        await flexe.create_inbound_shipment(
            inbound_notice(customer_uuid=None, dropoff_date=None),
            idempotency_key="in-3",
        )
    assert paths_of(info.value) == {("customerUuid",), ("dropoffDate",)}


# Attachments (F12-F14) --------------------------------------------------------

PDF = b"%PDF-1.4\n% a shipping label\n"


def file_attachment(**changes: Any) -> AttachmentCreate:
    values: dict[str, Any] = {
        "document_type": "SHIPPING_LABEL",
        "name": "label.pdf",
        "content": PDF,
        "content_type": "application/pdf",
    }
    values.update(changes)
    return AttachmentCreate(**values)


async def labelled(flexe: FlexeProvider, order_id: str, key: str) -> list[Any]:
    owner = Ref("flexe", "Order", order_id)
    found = (await flexe.get_attachments([owner]))[owner]
    return [a for a in found if a.raw["labels"].get(IDEMPOTENCY_LABEL) == key]


async def test_flexe_create_file_attachment_stores_the_file(
    flexe: FlexeProvider, control: SandboxControl, session: aiohttp.ClientSession
) -> None:
    order = await flexe.create_order(dtc("GW-A1"), idempotency_key="key-a1")
    await control.clear()
    attached = await flexe.create_attachment(
        order.id, file_attachment(), idempotency_key="a-1"
    )
    assert (attached.owner_id, attached.type, attached.name) == (
        order.id,
        "shipping_label",
        "label.pdf",
    )
    assert attached.raw["type"] == "file"
    # Look for an earlier one (F13), store the file (F14), attach it (F12).
    assert [(r["method"], r["path"]) for r in await control.requests("flexe")] == [
        ("GET", f"/v2/orders/{order.id}/attachments"),
        ("PUT", f"/v2/files/{attached.raw['fileKey']}"),
        ("POST", f"/v2/orders/{order.id}/attachments"),
    ]
    assert attached.url is not None
    token = SANDBOX_TOKENS["flexe"]
    async with session.get(
        attached.url, headers={"Authorization": f"Bearer {token}"}
    ) as resp:
        assert resp.status == 200
        assert resp.headers["Content-Type"] == "application/pdf"
        assert await resp.read() == PDF
    assert [a.id for a in await labelled(flexe, order.id, "a-1")] == [attached.id]


async def test_flexe_create_url_attachment(
    flexe: FlexeProvider, control: SandboxControl
) -> None:
    order = await flexe.create_order(dtc("GW-A2"), idempotency_key="key-a2")
    attached = await flexe.create_attachment(
        order.id,
        AttachmentCreate(
            document_type="packing-slip", url="https://docs.example.com/slip.pdf"
        ),
        idempotency_key="a-2",
    )
    assert attached.type == "packing_slip"
    assert attached.url == "https://docs.example.com/slip.pdf"
    assert attached.raw["type"] == "url"
    assert await calls(control, "PUT", f"/v2/files/{attached.raw['fileKey']}") == 0
    [held] = await labelled(flexe, order.id, "a-2")
    assert held.url == "https://docs.example.com/slip.pdf"


async def test_flexe_repeated_attachment_creates_one(
    flexe: FlexeProvider, control: SandboxControl
) -> None:
    order = await flexe.create_order(dtc("GW-A3"), idempotency_key="key-a3")
    first = await flexe.create_attachment(
        order.id, file_attachment(), idempotency_key="a-3"
    )
    again = await flexe.create_attachment(
        order.id, file_attachment(), idempotency_key="a-3"
    )
    assert again.id == first.id
    path = f"/v2/orders/{order.id}/attachments"
    assert await calls(control, "POST", path) == 1
    assert await calls(control, "PUT", f"/v2/files/{first.raw['fileKey']}") == 1
    assert len(await labelled(flexe, order.id, "a-3")) == 1
    other = await flexe.create_attachment(
        order.id, file_attachment(), idempotency_key="a-4"
    )
    assert other.id != first.id
    assert other.raw["fileKey"] != first.raw["fileKey"]


async def test_flexe_attachment_503_on_post_still_creates_one(
    flexe: FlexeProvider, control: SandboxControl
) -> None:
    order = await flexe.create_order(dtc("GW-A4"), idempotency_key="key-a4")
    path = f"/v2/orders/{order.id}/attachments"
    await control.fault(path, "503", method="POST", times=1)
    attached = await flexe.create_attachment(
        order.id, file_attachment(), idempotency_key="a-5"
    )
    assert await calls(control, "POST", path) == 2
    # Before the first POST and again before sending it a second time.
    assert await calls(control, "GET", path) == 2
    assert [a.id for a in await labelled(flexe, order.id, "a-5")] == [attached.id]


async def test_flexe_attachment_lost_answer_is_not_posted_again(
    flexe: FlexeProvider, control: SandboxControl, monkeypatch: pytest.MonkeyPatch
) -> None:
    order = await flexe.create_order(dtc("GW-A5"), idempotency_key="key-a5")
    path = f"/v2/orders/{order.id}/attachments"
    send = flexe.api.send

    async def lose_the_answer(method: str, target: str, **kwargs: Any) -> Any:
        # The POST lands, then the connection drops before its answer arrives.
        answer = await send(method, target, **kwargs)
        if method == "POST" and target == path:
            raise errors.ProviderUnavailable("flexe", "connection dropped")
        return answer

    monkeypatch.setattr(flexe.api, "send", lose_the_answer)
    attached = await flexe.create_attachment(
        order.id,
        AttachmentCreate(document_type="other", url="https://docs.example.com/a"),
        idempotency_key="a-6",
    )
    assert await calls(control, "POST", path) == 1
    assert [a.id for a in await labelled(flexe, order.id, "a-6")] == [attached.id]


async def test_flexe_attachment_refusals_name_input_paths(
    flexe: FlexeProvider, control: SandboxControl
) -> None:
    order = await flexe.create_order(dtc("GW-A6"), idempotency_key="key-a6")
    await control.clear()
    with pytest.raises(errors.Rejected) as info:
        await flexe.create_attachment(
            order.id,
            file_attachment(document_type="case_labels"),
            idempotency_key="a-7",
        )
    assert paths_of(info.value) == {("documentType",)}
    with pytest.raises(errors.NotSupported):
        await flexe.create_attachment(
            order.id, file_attachment(shipment_id="s-1"), idempotency_key="a-8"
        )
    assert await control.count("flexe") == 0
    with pytest.raises(errors.NotFound):
        await flexe.create_attachment(
            "00000000-0000-4000-8000-000000000000",
            file_attachment(),
            idempotency_key="a-9",
        )
