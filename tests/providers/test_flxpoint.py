"""The Flxpoint adapter against the Flxpoint sandbox over real HTTP."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from pydantic import SecretStr
from yarl import URL

from gateway import errors
from gateway.http import create_session
from gateway.models import (
    Order,
    OrderKind,
    OrderLineCreate,
    OrderStatus,
    ShipmentCreate,
    ShipmentStatus,
)
from gateway.paging import Position, decode_cursor, merge_pages
from gateway.providers.base import OrderFilter, PageRequest, ShipmentFilter
from gateway.providers.flxpoint import FlxpointProvider
from gateway.sandbox import SandboxConfig
from gateway.settings import PROVIDER_DEFAULTS, RetrySettings
from tests.conftest import FAST_RETRY, SandboxControl, provider_settings

SLUG = "flxpoint"
FRS = "/fulfillment-requests"
SEEDED_FRS = 200
SEEDED_SHIPMENTS = 98


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with create_session() as session:
        yield session


def build(
    server: TestServer, session: aiohttp.ClientSession, **overrides: Any
) -> FlxpointProvider:
    """The adapter on `server`, with Flxpoint's own defaults (rate limit, pages)."""
    retry = overrides.pop("retry", FAST_RETRY)
    return FlxpointProvider(
        provider_settings(server, SLUG, **overrides), session, retry
    )


@pytest.fixture
def flx(sandbox: TestServer, session: aiohttp.ClientSession) -> FlxpointProvider:
    return build(sandbox, session)


async def log(control: SandboxControl, path: str | None = None) -> list[dict[str, Any]]:
    found = await control.requests(SLUG)
    return [r for r in found if path is None or r["path"] == path]


async def fault(control: SandboxControl, path: str, kind: str, **kwargs: Any) -> None:
    await control.fault(path, kind, provider=SLUG, **kwargs)


async def walk(flx: FlxpointProvider, size: int, **filter: Any) -> list[Order]:
    found: list[Order] = []
    cursor = None
    while True:
        page = await flx.list_orders(OrderFilter(**filter), PageRequest(size, cursor))
        found += page.items
        if (cursor := page.next_cursor) is None:
            return found


async def first(
    flx: FlxpointProvider,
    status: OrderStatus,
    raw: str | None = None,
    where: Callable[[Order], bool] = lambda o: True,
) -> Order:
    page = await flx.list_orders(OrderFilter(statuses=(status,)), PageRequest(100))
    return next(
        o for o in page.items if (raw is None or o.raw_status == raw) and where(o)
    )


# Listing fulfilment requests -------------------------------------------------


@pytest.mark.parametrize(
    ("size", "requests"),
    [
        (100, [4, 1]),
        (50, [4, 1, 1, 1]),
        # 30 does not divide 200: each window is read as one page of 34, 35, ...
        (30, [4, 1, 1, 1, 1, 1, 1]),
    ],
)
async def test_list_orders_pages_newest_first_with_counted_requests(
    flx: FlxpointProvider, control: SandboxControl, size: int, requests: list[int]
) -> None:
    found: list[Order] = []
    per_page: list[int] = []
    cursor = None
    while True:
        await control.clear()
        page = await flx.list_orders(OrderFilter(), PageRequest(size, cursor))
        per_page.append(len(await log(control)))
        found += page.items
        if (cursor := page.next_cursor) is None:
            break
    ids = [int(o.id) for o in found]
    assert len(ids) == len(set(ids)) == SEEDED_FRS
    assert ids == sorted(ids, reverse=True)
    assert [o.created_at for o in found] == sorted(
        (o.created_at for o in found), reverse=True
    )
    # Probing pages 1, 2, 4, 3 of 100 finds 200 FRs and already holds the newest
    # ones; each later page is one request.
    assert per_page == requests
    assert {o.kind for o in found} == {OrderKind.FULFILLMENT_REQUEST}


async def test_list_orders_uses_x1_page_parameter_names(
    flx: FlxpointProvider, control: SandboxControl
) -> None:
    await flx.list_orders(OrderFilter(), PageRequest(20))
    probes = await log(control, FRS)
    assert [r["params"]["filterPageNumber"] for r in probes] == [
        ["1"],
        ["2"],
        ["4"],
        ["3"],
    ]
    assert all(r["params"]["filterPageSize"] == ["100"] for r in probes)


async def test_list_orders_resumes_exactly_under_the_gateway_merge(
    flx: FlxpointProvider,
) -> None:
    # merge_pages re-reads a provider token with a larger size and skips what it
    # used; the cursor is a position, so that must give the same FRs.
    async def fetch(slug: str, page: PageRequest) -> Any:
        return await flx.list_orders(OrderFilter(), page)

    cursor = {SLUG: Position()}
    seen: list[str] = []
    for _ in range(30):
        merged = await merge_pages(cursor, 7, fetch, lambda o: o.created_at)
        seen += [e.node.id for e in merged.edges]
        if not merged.has_next_page:
            break
        assert merged.end_cursor is not None
        cursor = decode_cursor(merged.end_cursor, [SLUG])
    assert len(seen) == len(set(seen)) == SEEDED_FRS
    assert [int(i) for i in seen] == sorted((int(i) for i in seen), reverse=True)


@pytest.mark.parametrize(
    "status", [s for s in OrderStatus if s is not OrderStatus.UNKNOWN]
)
async def test_list_orders_filters_each_status(
    flx: FlxpointProvider, control: SandboxControl, status: OrderStatus
) -> None:
    found = await walk(flx, 100, statuses=(status,))
    assert {o.status for o in found} <= {status}
    if status in (OrderStatus.ALLOCATED, OrderStatus.DELIVERED):
        assert found == []
        assert await log(control) == []  # no FR can be either: no call at all
    else:
        assert found
        assert all("filterStatus" in r["params"] for r in await log(control))


async def test_list_orders_statuses_partition_every_request(
    flx: FlxpointProvider,
) -> None:
    everything = await walk(flx, 100)
    by_status: dict[OrderStatus, int] = {}
    for status in OrderStatus:
        by_status[status] = len(await walk(flx, 100, statuses=(status,)))
    assert sum(by_status.values()) == len(everything) == SEEDED_FRS
    assert by_status == {
        s: sum(1 for o in everything if o.status is s) for s in OrderStatus
    }


async def test_list_orders_mixed_statuses_are_narrowed_client_side(
    flx: FlxpointProvider,
) -> None:
    wanted = (OrderStatus.PENDING, OrderStatus.SHIPPED)
    found = await walk(flx, 25, statuses=wanted)
    separately = [await walk(flx, 100, statuses=(s,)) for s in wanted]
    assert sorted(o.id for o in found) == sorted(
        o.id for group in separately for o in group
    )


async def test_list_orders_has_errors_and_skus(flx: FlxpointProvider) -> None:
    failed = await walk(flx, 100, has_errors=True)
    assert failed
    assert all(
        o.has_errors
        and o.raw_status
        in {
            "Failed",
            "Additional Info Required",
            "PO/FR # Exceeds Max Length",
            "Duplicate PO/FR #",
        }
        for o in failed
    )
    sku = failed[0].lines[0].sku
    with_sku = await walk(flx, 100, skus=(sku,))
    assert with_sku
    assert all(any(line.sku == sku for line in o.lines or ()) for o in with_sku)


async def test_list_orders_created_after_stops_the_walk_early(
    flx: FlxpointProvider, control: SandboxControl
) -> None:
    everything = await walk(flx, 100)
    cutoff = everything[30].created_at
    assert cutoff is not None
    await control.clear()
    recent = await walk(flx, 100, created_after=cutoff)
    assert [o.id for o in recent] == [o.id for o in everything[:31]]
    # Probes (4) and nothing more: the 31st FR ends the walk.
    assert len(await log(control)) == 4
    older = await walk(flx, 100, created_before=cutoff)
    assert [o.id for o in older] == [o.id for o in everything[31:]]


async def test_list_orders_by_external_ids_batches_fr_numbers(
    flx: FlxpointProvider, control: SandboxControl
) -> None:
    everything = await walk(flx, 100)
    numbers = [o.external_id for o in everything[:60]] + ["FR-000000"]
    await control.clear()
    page = await flx.list_orders(
        OrderFilter(external_ids=tuple(numbers)), PageRequest(25)
    )
    assert [o.id for o in page.items] == [o.id for o in everything[:25]]
    assert page.total == 60
    calls = await log(control, FRS)
    assert sorted(len(r["params"]["frNumbers"]) for r in calls) == [11, 50]
    rest = await flx.list_orders(
        OrderFilter(external_ids=tuple(numbers)), PageRequest(50, page.next_cursor)
    )
    assert [o.id for o in rest.items] == [o.id for o in everything[25:60]]
    assert rest.next_cursor is None


async def test_list_orders_never_repeats_an_fr_that_leaves_the_filter(
    flx: FlxpointProvider,
) -> None:
    # Quirk: X1 pages by number, so an FR leaving the filter shifts later pages.
    page = await flx.list_orders(
        OrderFilter(statuses=(OrderStatus.PENDING,)), PageRequest(10)
    )
    remaining = await walk(flx, 100, statuses=(OrderStatus.PENDING,))
    left = next(o for o in remaining[15:] if o.raw_status == "Processing")
    await flx.acknowledge_order(left.id)  # now ACCEPTED: out of the filter
    seen = [o.id for o in page.items]
    cursor = page.next_cursor
    while cursor is not None:
        more = await flx.list_orders(
            OrderFilter(statuses=(OrderStatus.PENDING,)), PageRequest(10, cursor)
        )
        seen += [o.id for o in more.items]
        cursor = more.next_cursor
    assert len(seen) == len(set(seen))
    assert set(seen) == {o.id for o in remaining} - {left.id}


async def test_list_orders_rejects_a_foreign_cursor(flx: FlxpointProvider) -> None:
    with pytest.raises(errors.Rejected):
        await flx.list_orders(OrderFilter(), PageRequest(10, "not-ours"))


async def test_list_orders_other_kinds_cost_nothing(
    flx: FlxpointProvider, control: SandboxControl
) -> None:
    page = await flx.list_orders(OrderFilter(kinds=(OrderKind.DTC,)), PageRequest(10))
    assert page.items == []
    assert await log(control) == []


# Reading by id ----------------------------------------------------------------


async def test_get_orders_fans_out_x2_and_drops_missing(
    flx: FlxpointProvider, control: SandboxControl
) -> None:
    listed = (await flx.list_orders(OrderFilter(), PageRequest(5))).items
    await control.clear()
    wanted = [o.id for o in listed] + ["999", "abc", listed[0].id]
    found = await flx.get_orders(wanted)
    assert set(found) == {o.id for o in listed}
    assert found[listed[2].id].external_id == listed[2].external_id
    assert found[listed[2].id].lines == listed[2].lines
    calls = await log(control)
    assert len(calls) == 7, "one X2 per distinct id"
    assert all(r["path"].startswith(f"{FRS}/") for r in calls)


async def test_get_orders_by_external_id_chunks_of_50(
    flx: FlxpointProvider, control: SandboxControl
) -> None:
    everything = await walk(flx, 100)
    numbers = [o.external_id or "" for o in everything[:120]]
    await control.clear()
    found = await flx.get_orders_by_external_id([*numbers, "FR-000000", numbers[0]])
    assert set(found) == set(numbers)
    assert found[numbers[7]].id == everything[7].id
    calls = await log(control, FRS)
    assert sorted(len(r["params"]["frNumbers"]) for r in calls) == [21, 50, 50]


async def test_get_lines_reuses_get_orders(
    flx: FlxpointProvider, control: SandboxControl
) -> None:
    await control.clear()
    lines = await flx.get_lines(["4585457", "999"])
    assert list(lines) == ["4585457"]
    assert [line.id for line in lines["4585457"]] == ["8812061", "8812062", "8812063"]
    assert len(await log(control)) == 2


# Shipments --------------------------------------------------------------------


async def test_get_shipments_one_x7_per_fr(
    flx: FlxpointProvider, control: SandboxControl
) -> None:
    pending = await first(flx, OrderStatus.PENDING)
    await control.clear()
    found = await flx.get_shipments(["4585457", pending.id, "abc", "4585457"])
    assert [s.id for s in found["4585457"]] == ["9120031", "9120041"]
    assert found[pending.id] == []
    assert found["abc"] == []
    calls = await log(control, "/shipments")
    assert sorted(r["params"]["findByPurchaseOrderId"][0] for r in calls) == sorted(
        ["4585457", pending.id]
    )


async def test_get_shipments_by_id_fans_out_x8(
    flx: FlxpointProvider, control: SandboxControl
) -> None:
    found = await flx.get_shipments_by_id(["9120031", "9120041", "1"])
    assert set(found) == {"9120031", "9120041"}
    assert found["9120041"].items[0].line_id == "8812061"
    assert len(await log(control)) == 3


async def test_list_shipments_pages_to_the_end(
    flx: FlxpointProvider, control: SandboxControl
) -> None:
    seen: list[str] = []
    cursor = None
    while True:
        page = await flx.list_shipments(ShipmentFilter(), PageRequest(40, cursor))
        seen += [s.id for s in page.items]
        if (cursor := page.next_cursor) is None:
            break
    assert len(seen) == len(set(seen)) == SEEDED_SHIPMENTS
    assert [int(i) for i in seen] == sorted(int(i) for i in seen)
    calls = await log(control, "/shipments")
    assert [r["params"]["filterPageNumber"] for r in calls] == [["1"], ["2"], ["3"]]


async def test_list_shipments_by_date_and_by_order(
    flx: FlxpointProvider, control: SandboxControl
) -> None:
    everything = (await flx.list_shipments(ShipmentFilter(), PageRequest(100))).items
    since = everything[60].updated_at
    assert since is not None
    recent = await flx.list_shipments(
        ShipmentFilter(updated_after=since), PageRequest(100)
    )
    assert {s.id for s in recent.items} == {
        s.id for s in everything if s.updated_at and s.updated_at >= since
    }
    assert any("filterUpdatedAfter" in r["params"] for r in await log(control))
    by_order = await flx.list_shipments(
        ShipmentFilter(order_ids=("4585457", "4585401")), PageRequest(2)
    )
    assert [s.order_id for s in by_order.items] == ["4585401", "4585457"]
    assert by_order.next_cursor == "2"


async def test_create_shipment_records_tracking(
    flx: FlxpointProvider, control: SandboxControl
) -> None:
    fr = await first(flx, OrderStatus.ACCEPTED, "Acknowledged")
    assert fr.lines
    line = fr.lines[0]
    shipment = await flx.create_shipment(
        ShipmentCreate(
            order_id=fr.id,
            tracking_number="1ZGATEWAY0001",
            carrier="UPS",
            service="UPS Ground",
            tracking_url="https://www.ups.com/track?tracknum=1ZGATEWAY0001",
            items=(OrderLineCreate(sku=line.sku, quantity=1),),
        ),
        idempotency_key="k1",
    )
    assert shipment.order_id == fr.id
    assert shipment.status is ShipmentStatus.SHIPPED
    assert shipment.tracking_numbers == ("1ZGATEWAY0001",)
    assert (shipment.carrier, shipment.service) == ("UPS", "UPS Ground")
    assert [(i.sku, i.quantity, i.line_id) for i in shipment.items] == [
        (line.sku, 1, line.id)
    ]
    after = (await flx.get_orders([fr.id]))[fr.id]
    assert after.status in (OrderStatus.PARTIALLY_SHIPPED, OrderStatus.SHIPPED)
    posts = [r for r in await log(control, "/shipments") if r["method"] == "POST"]
    assert len(posts) == 1


async def test_create_shipment_retries_a_503_that_did_not_land(
    flx: FlxpointProvider, control: SandboxControl
) -> None:
    fr = await first(flx, OrderStatus.ACCEPTED, "Acknowledged")
    await fault(control, "/shipments", "503", method="POST", times=1)
    shipment = await flx.create_shipment(
        ShipmentCreate(order_id=fr.id, tracking_number="1ZRETRY0001"),
        idempotency_key="k",
    )
    assert shipment.tracking_numbers == ("1ZRETRY0001",)
    assert [s.id for s in (await flx.get_shipments([fr.id]))[fr.id]] == [shipment.id]


@pytest.fixture
async def lossy_proxy(aiohttp_server: Any, sandbox: TestServer) -> TestServer:
    """Forwards to the sandbox, but answers the first POST /shipments with a 503
    after the sandbox applied it: a write whose answer was lost. (Sandbox fault
    rules answer before the handler runs, so they cannot simulate this.)"""
    lost: list[int] = []
    base = str(sandbox.make_url("/")).rstrip("/")

    async def forward(request: web.Request) -> web.Response:
        headers = {
            k: v
            for k, v in request.headers.items()
            if k in ("X-API-TOKEN", "Content-Type")
        }
        async with (
            aiohttp.ClientSession() as client,
            client.request(
                request.method,
                URL(base + request.raw_path, encoded=True),
                headers=headers,
                data=await request.read(),
            ) as upstream,
        ):
            body, status = await upstream.read(), upstream.status
        if (
            request.method == "POST"
            and request.path.endswith("/shipments")
            and not lost
        ):
            lost.append(status)
            return web.json_response(
                {"error": "Service temporarily unavailable"},
                status=503,
                headers={"Retry-After": "0"},
            )
        return web.Response(body=body, status=status, content_type="application/json")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", forward)
    server: TestServer = await aiohttp_server(app)
    return server


async def test_create_shipment_503_after_the_write_yields_exactly_one_shipment(
    lossy_proxy: TestServer, session: aiohttp.ClientSession, control: SandboxControl
) -> None:
    flx = build(lossy_proxy, session)
    fr = await first(flx, OrderStatus.ACCEPTED, "Acknowledged")
    await control.clear()
    shipment = await flx.create_shipment(
        ShipmentCreate(order_id=fr.id, tracking_number="1ZLOST0001", carrier="UPS"),
        idempotency_key="k",
    )
    recorded = (await flx.get_shipments([fr.id]))[fr.id]
    assert [s.id for s in recorded] == [shipment.id]
    assert shipment.tracking_numbers == ("1ZLOST0001",)
    posts = [r for r in await log(control, "/shipments") if r["method"] == "POST"]
    # The first landed (its 200 became a 503 on the way); the replay is a duplicate.
    assert [r["status"] for r in posts] == [200, 400]


async def test_create_shipment_tracking_reused_for_other_items_is_conflict(
    flx: FlxpointProvider,
) -> None:
    fr = await first(
        flx, OrderStatus.ACCEPTED, "Acknowledged", lambda o: len(o.lines or ()) > 1
    )
    assert fr.lines
    one = (OrderLineCreate(sku=fr.lines[0].sku, quantity=1),)
    await flx.create_shipment(
        ShipmentCreate(order_id=fr.id, tracking_number="1ZSAME", items=one),
        idempotency_key="a",
    )
    again = await flx.create_shipment(
        ShipmentCreate(order_id=fr.id, tracking_number="1ZSAME", items=one),
        idempotency_key="b",
    )
    assert again.tracking_numbers == ("1ZSAME",)
    other = (OrderLineCreate(sku=fr.lines[1].sku, quantity=1),)
    with pytest.raises(errors.Conflict) as info:
        await flx.create_shipment(
            ShipmentCreate(order_id=fr.id, tracking_number="1ZSAME", items=other),
            idempotency_key="c",
        )
    assert info.value.provider_code == "DUPLICATE_TRACKING_NUMBER"


async def test_create_shipment_on_a_cancelled_fr_is_conflict(
    flx: FlxpointProvider,
) -> None:
    fr = await first(flx, OrderStatus.CANCELLED, "Canceled")
    with pytest.raises(errors.Conflict, match="cannot be shipped") as info:
        await flx.create_shipment(
            ShipmentCreate(order_id=fr.id, tracking_number="1ZNOPE"),
            idempotency_key="k",
        )
    assert info.value.status == 400


async def test_create_shipment_for_an_unknown_fr_is_not_found(
    flx: FlxpointProvider, control: SandboxControl
) -> None:
    with pytest.raises(errors.NotFound):
        await flx.create_shipment(
            ShipmentCreate(order_id="999", tracking_number="1Z"), idempotency_key="k"
        )
    with pytest.raises(errors.NotFound):
        await flx.create_shipment(
            ShipmentCreate(order_id="FR-1", tracking_number="1Z"), idempotency_key="k"
        )
    assert len(await log(control)) == 1, "a non-numeric FR id is not sent"


async def test_shipment_validation_error_is_rejected(flx: FlxpointProvider) -> None:
    fr = await first(flx, OrderStatus.ACCEPTED, "Acknowledged")
    with pytest.raises(errors.Rejected, match="No item with sku"):
        await flx.create_shipment(
            ShipmentCreate(
                order_id=fr.id,
                tracking_number="1ZBAD",
                items=(OrderLineCreate(sku="SKU-NOT-THERE", quantity=1),),
            ),
            idempotency_key="k",
        )


# Transitions --------------------------------------------------------------------


async def test_cancel_order_cancels_and_repeats_harmlessly(
    flx: FlxpointProvider,
) -> None:
    fr = await first(flx, OrderStatus.PENDING)
    cancelled = await flx.cancel_order(fr.id, reason="customer changed their mind")
    assert cancelled.status is OrderStatus.CANCELLED
    assert cancelled.raw_status == "Canceled"
    assert all(
        line.cancelled_quantity == line.quantity for line in cancelled.lines or ()
    )
    again = await flx.cancel_order(fr.id)
    assert again.status is OrderStatus.CANCELLED


@pytest.mark.parametrize(
    ("status", "raw", "code"),
    [
        (OrderStatus.SHIPPED, None, "CANCEL_SHIPPED"),
        (OrderStatus.CANCELLED, "Voided", "CANCEL_VOIDED"),
    ],
)
async def test_cancel_order_illegal_transition_is_conflict(
    flx: FlxpointProvider, status: OrderStatus, raw: str | None, code: str
) -> None:
    fr = await first(flx, status, raw)
    with pytest.raises(errors.Conflict) as info:
        await flx.cancel_order(fr.id)
    assert info.value.status == 400
    assert info.value.provider_code == code


async def test_cancel_unknown_order_is_not_found(flx: FlxpointProvider) -> None:
    with pytest.raises(errors.NotFound, match="Fulfillment request 999 not found"):
        await flx.cancel_order("999")


async def test_acknowledge_then_again_is_conflict(flx: FlxpointProvider) -> None:
    fr = await first(flx, OrderStatus.PENDING, "Processing")
    acked = await flx.acknowledge_order(fr.id)
    assert acked.status is OrderStatus.ACCEPTED
    assert acked.acknowledged is True
    assert all(
        line.allocated_quantity == line.quantity - line.cancelled_quantity
        for line in acked.lines or ()
    )
    with pytest.raises(errors.Conflict, match="already acknowledged") as info:
        await flx.acknowledge_order(fr.id)
    assert info.value.provider_code == "ALREADY_ACKNOWLEDGED"


async def test_mark_processed_is_idempotent_and_guards_its_source_state(
    flx: FlxpointProvider,
) -> None:
    fr = await first(flx, OrderStatus.PENDING, "Processing")
    done = await flx.mark_processed(fr.id)
    assert (done.raw_status, done.status) == ("Processed", OrderStatus.ACCEPTED)
    assert (await flx.mark_processed(fr.id)).raw_status == "Processed"
    unprocessed = await first(flx, OrderStatus.PENDING, "Unprocessed")
    with pytest.raises(errors.Conflict) as info:
        await flx.mark_processed(unprocessed.id)
    assert info.value.provider_code == "NOT_PROCESSING"


# Inventory --------------------------------------------------------------------


async def test_get_inventory_chunks_skus_to_the_page_size(
    flx: FlxpointProvider, control: SandboxControl
) -> None:
    skus = [f"SKU-{10001 + i}" for i in range(150)]
    found = await flx.get_inventory([*skus, "SKU-NOPE", skus[0]])
    assert set(found) == set(skus)
    assert all(len(levels) == 3 for levels in found.values())
    assert {lv.location_id for lv in found["SKU-10003"]} == {"30871", "30872", "30874"}
    level = next(lv for lv in found["SKU-10003"] if lv.location_id == "30872")
    assert (level.available, level.on_hand, level.allocated, level.incoming) == (
        259,
        287,
        28,
        144,
    )
    calls = await log(control, "/inventory/variants")
    # 100 SKUs x 3 sources = 300 rows: pages 1-3 and an empty 4; 51 SKUs (one
    # unknown): 100 + 50.
    assert sorted(len(r["params"]["skus"]) for r in calls) == [
        51,
        51,
        100,
        100,
        100,
        100,
    ]
    assert all("page" in r["params"] and "pageSize" in r["params"] for r in calls)


# Polling ------------------------------------------------------------------------


async def test_changed_since_pages_by_since_id(
    flx: FlxpointProvider, control: SandboxControl
) -> None:
    everything = await walk(flx, 100)
    stamps = sorted((o.updated_at for o in everything if o.updated_at), reverse=True)
    since = stamps[149]
    await control.clear()
    changed = await flx.orders_changed_since(since)
    expected = {o.id for o in everything if o.updated_at and o.updated_at >= since}
    assert [o.id for o in changed] == sorted(expected, key=int)
    calls = await log(control, FRS)
    assert len(calls) == 2
    assert "sinceId" not in calls[0]["params"]
    assert calls[1]["params"]["sinceId"] == [changed[99].id]
    fr = await first(flx, OrderStatus.PENDING, "Processing")
    latest = stamps[0] + timedelta(milliseconds=1)
    assert await flx.orders_changed_since(latest) == []
    await flx.acknowledge_order(fr.id)
    assert [o.id for o in await flx.orders_changed_since(latest)] == [fr.id]


async def test_shipments_changed_since(
    flx: FlxpointProvider, control: SandboxControl
) -> None:
    everything = (await flx.list_shipments(ShipmentFilter(), PageRequest(100))).items
    since = everything[50].updated_at
    assert since is not None
    changed = await flx.shipments_changed_since(since)
    assert {s.id for s in changed} == {
        s.id for s in everything if s.updated_at and s.updated_at >= since
    }
    assert any(r["params"].get("filterUpdatedAfter") for r in await log(control))
    latest = max(s.updated_at for s in everything if s.updated_at) + timedelta(
        milliseconds=1
    )
    fr = await first(flx, OrderStatus.ACCEPTED, "Acknowledged")
    created = await flx.create_shipment(
        ShipmentCreate(order_id=fr.id, tracking_number="1ZPOLL"), idempotency_key="k"
    )
    assert [s.id for s in await flx.shipments_changed_since(latest)] == [created.id]


# Errors and transport -------------------------------------------------------------


async def test_401_is_auth_error(
    sandbox: TestServer, session: aiohttp.ClientSession
) -> None:
    bad = build(sandbox, session, token=SecretStr("wrong"))
    with pytest.raises(
        errors.ProviderAuthError, match="Invalid or missing X-API-TOKEN"
    ) as info:
        await bad.ping()
    assert info.value.status == 401


async def test_only_the_x_api_token_header_is_sent(flx: FlxpointProvider) -> None:
    assert flx.upstream.auth_headers == {"X-API-TOKEN": "sandbox-flxpoint-token"}
    await flx.ping()


@pytest.mark.parametrize(
    ("kind", "exc_type"),
    [
        ("404", errors.NotFound),
        ("409", errors.Conflict),
        ("garbage", errors.ProviderResponseInvalid),
        ("shape", errors.ProviderResponseInvalid),
    ],
)
async def test_list_faults_map_to_errors_without_retry(
    flx: FlxpointProvider,
    control: SandboxControl,
    kind: str,
    exc_type: type[errors.ProviderError],
) -> None:
    await fault(control, FRS, kind)
    with pytest.raises(exc_type):
        await flx.list_orders(OrderFilter(), PageRequest(10))
    assert len(await log(control, FRS)) == 1


async def test_single_object_shape_fault_is_invalid(
    flx: FlxpointProvider, control: SandboxControl
) -> None:
    await fault(control, f"{FRS}/*", "shape")
    with pytest.raises(errors.ProviderResponseInvalid, match="FulfillmentRequest"):
        await flx.get_orders(["4585457"])


async def test_503_is_retried_then_succeeds(
    flx: FlxpointProvider, control: SandboxControl
) -> None:
    await fault(control, f"{FRS}/*", "503", times=2)
    assert set(await flx.get_orders(["4585457"])) == {"4585457"}
    assert len(await log(control)) == 3


async def test_persistent_5xx_is_provider_unavailable(
    flx: FlxpointProvider, control: SandboxControl
) -> None:
    await fault(control, FRS, "503", times=None)
    with pytest.raises(errors.ProviderUnavailable) as info:
        await flx.ping()
    assert info.value.extensions["code"] == "UPSTREAM_UNAVAILABLE"
    assert info.value.status == 503
    assert len(await log(control)) == 1 + FAST_RETRY.max_retries
    await control.clear_faults()
    await control.clear()
    await fault(control, FRS, "500", times=1)
    with pytest.raises(errors.ProviderUnavailable, match="Internal server error"):
        await flx.ping()
    assert len(await log(control)) == 1, "500 is not among the retried statuses"


async def test_429_honours_retry_after_then_gives_up_when_too_long(
    sandbox: TestServer, session: aiohttp.ClientSession, control: SandboxControl
) -> None:
    flx = build(
        sandbox,
        session,
        retry=RetrySettings(max_retries=3, backoff_base_s=0, max_retry_after_s=0.5),
    )
    await fault(control, FRS, "429", retry_after=0)
    await flx.ping()
    assert [r["status"] for r in await log(control)] == [429, 200]
    await control.clear()
    await fault(control, FRS, "429", retry_after=30)
    with pytest.raises(errors.RateLimited) as info:
        await flx.ping()
    assert info.value.retry_after == 30
    assert len(await log(control)) == 1


async def test_timeout_is_provider_unavailable(
    sandbox: TestServer, session: aiohttp.ClientSession, control: SandboxControl
) -> None:
    flx = build(sandbox, session, timeout_s=0.2, retry=RetrySettings(max_retries=0))
    await fault(control, FRS, "timeout")
    with pytest.raises(
        errors.ProviderUnavailable, match=r"did not answer within 0\.2 s"
    ):
        await flx.ping()


def sped_up(factor: float) -> Callable[[], float]:
    """A sandbox clock running `factor` times faster, so its bucket refills faster."""
    start = time.time()
    return lambda: start + (time.time() - start) * factor


FAST = 10.0
"""Both buckets at 10x, so the test takes a fraction of a second: the sandbox pool
(40) refills at 20/s, the client bucket (its defaults: 36, 1.8/s) at 18/s."""


@pytest.mark.parametrize("sandbox_config", [SandboxConfig(clock=sped_up(FAST))])
async def test_fan_out_of_45_gets_no_429_from_the_pool(
    sandbox: TestServer, session: aiohttp.ClientSession, control: SandboxControl
) -> None:
    rate = PROVIDER_DEFAULTS[SLUG]["rate_limit_per_s"] * FAST
    flx = build(sandbox, session, rate_limit_per_s=rate)
    # Consecutive ids: the seed has gaps, so some answer 404, which spends a
    # token all the same.
    found = await flx.get_orders([str(4585401 + i) for i in range(45)])
    assert found
    statuses = [r["status"] for r in await log(control)]
    assert len(statuses) == 45
    assert set(statuses) == {200, 404}, "not a single 429"


async def test_without_the_client_bucket_the_pool_answers_429(
    sandbox: TestServer, session: aiohttp.ClientSession, control: SandboxControl
) -> None:
    # The control for the test above: an unpaced burst runs the pool dry. At the
    # real 2/s even a long pause mid-burst cannot refill the 10 tokens missing.
    flx = build(
        sandbox, session, rate_limit_per_s=None, retry=RetrySettings(max_retries=0)
    )
    results = await asyncio.gather(
        *(flx.upstream.request("GET", f"{FRS}/{4585401 + i}") for i in range(50)),
        return_exceptions=True,
    )
    limited = [r for r in results if isinstance(r, errors.RateLimited)]
    assert limited
    assert all(r.retry_after is not None and r.retry_after >= 1 for r in limited)
    assert [r["status"] for r in await log(control)].count(429) == len(limited)


async def test_unreachable_is_provider_unavailable(
    session: aiohttp.ClientSession, unused_tcp_port: int
) -> None:
    from gateway.settings import ProviderSettings

    gone = ProviderSettings(base_url=f"http://127.0.0.1:{unused_tcp_port}/flxpoint")
    flx = FlxpointProvider(gone, session, RetrySettings(max_retries=0))
    with pytest.raises(errors.ProviderUnavailable, match="could not be reached"):
        await flx.ping()
