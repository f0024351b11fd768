"""The Flexport API v3 adapter against the v3 sandbox over real HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from pydantic import SecretStr

from gateway import errors
from gateway.http import Upstream, create_session
from gateway.ids import Ref
from gateway.models import (
    PurchaseOrder,
    PurchaseOrderCreate,
    PurchaseOrderLineCreate,
    PurchaseOrderStatus,
)
from gateway.providers.base import Capability, PageRequest, PurchaseOrderFilter
from gateway.providers.flexport_v3 import FlexportV3Provider, mapping
from gateway.settings import RetrySettings
from tests.conftest import FAST_RETRY, SandboxControl, provider_settings

SLUG = "flexport_v3"
LIVE, CLOSED, CANCELLED, OPEN = 53, 16, 7, 37
"""Seed 7: 60 POs, 16 closed, 7 cancelled (archived), 37 open (docs/sandbox.md)."""
BOOKED_ID = "171020"  # PO-10020: open with an active booking
FRESH_ID = "171047"  # PO-10047: open, never acknowledged nor booked


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with create_session() as session:
        yield session


def settings(sandbox: TestServer, **overrides: Any) -> Any:
    # Just under the sandbox's bucket (5/s, burst 10): with the two buckets
    # exactly equal, the client's starts filling before the sandbox's and the
    # 11th request of a burst can arrive a hair early and meet a 429.
    values = {"rate_limit_per_s": 4.5, "rate_limit_burst": 9, **overrides}
    return provider_settings(sandbox, SLUG, **values)


@pytest.fixture
def v3(sandbox: TestServer, session: aiohttp.ClientSession) -> FlexportV3Provider:
    return FlexportV3Provider(settings(sandbox), session, FAST_RETRY)


async def calls(
    control: SandboxControl, method: str | None = None, path: str | None = None
) -> list[dict[str, Any]]:
    """Logged v3 requests, optionally only one method and path (glob `*` suffix)."""
    found = await control.requests(SLUG)

    def keep(r: dict[str, Any]) -> bool:
        if method is not None and r["method"] != method:
            return False
        if path is None:
            return True
        if path.endswith("*"):
            return bool(r["path"].startswith(path[:-1]))
        return bool(r["path"] == path)

    return [r for r in found if keep(r)]


def new_po(number: str = "PO-GW-1", lines: int = 2, **changes: Any) -> Any:
    values: dict[str, Any] = {
        "number": number,
        "supplier_ref": "hanoi-knitworks-vn",
        "buyer_ref": "northwind-us",
        "incoterm": "FOB",
        "transportation_mode": "ocean",
        "cargo_ready_date": date(2026, 12, 1),
        "expected_arrival": date(2027, 1, 15),
        "lines": tuple(
            PurchaseOrderLineCreate(
                item_key=str(n),
                sku=f"GW-SKU-{n}",
                product_name=f"Gateway product {n}",
                quantity=10 * n,
                unit_of_measure="PCS",
                unit_cost=Decimal("4.65"),
                currency_code="USD",
            )
            for n in range(1, lines + 1)
        ),
        **changes,
    }
    return PurchaseOrderCreate(**values)


def without(raw: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in raw.items() if k not in keys}


# Lists -------------------------------------------------------------------------


async def test_list_walks_every_page_newest_first(
    v3: FlexportV3Provider, control: SandboxControl
) -> None:
    seen: list[PurchaseOrder] = []
    cursor = None
    while True:
        page = await v3.list_purchase_orders(
            PurchaseOrderFilter(), PageRequest(size=7, cursor=cursor)
        )
        assert page.total == LIVE
        seen += page.items
        cursor = page.next_cursor
        if cursor is None:
            break
    ids = [int(po.id) for po in seen]
    assert ids == sorted(ids, reverse=True)
    assert len(set(ids)) == LIVE
    assert {po.status for po in seen} == {
        PurchaseOrderStatus.OPEN,
        PurchaseOrderStatus.CLOSED,
    }, "without a status filter the archived (cancelled) POs stay out"
    assert all(po.lines for po in seen), "listed with expand=line_items"
    requests = await calls(control, "GET", "/purchase_orders")
    assert len(requests) == -(-LIVE // 7) == len(await calls(control))
    assert requests[0]["params"] == {
        "sort": ["id"],
        "direction": ["desc"],
        "expand": ["line_items"],
        "page": ["1"],
        "per": ["7"],
    }
    assert [r["params"]["page"] for r in requests] == [[str(n)] for n in range(1, 9)]


@pytest.mark.parametrize(
    ("status", "total", "archived"),
    [
        (PurchaseOrderStatus.OPEN, OPEN, None),
        (PurchaseOrderStatus.CLOSED, CLOSED, None),
        (PurchaseOrderStatus.CANCELLED, CANCELLED, ["true"]),
    ],
)
async def test_list_filters_every_status(
    v3: FlexportV3Provider,
    control: SandboxControl,
    status: PurchaseOrderStatus,
    total: int,
    archived: list[str] | None,
) -> None:
    page = await v3.list_purchase_orders(
        PurchaseOrderFilter(statuses=(status,)), PageRequest(size=100)
    )
    assert (page.total, len(page.items), page.next_cursor) == (total, total, None)
    assert {po.status for po in page.items} == {status}
    assert {po.raw_status for po in page.items} == {mapping.RAW_STATUSES[status]}
    assert all((po.archived_at is not None) == bool(archived) for po in page.items)
    (request,) = await calls(control)
    assert request["params"]["f.status"] == [mapping.RAW_STATUSES[status]]
    assert request["params"].get("f.archived_at.exists") == archived


async def test_list_closed_and_cancelled_spans_two_segments(
    v3: FlexportV3Provider, control: SandboxControl
) -> None:
    wanted = PurchaseOrderFilter(
        statuses=(PurchaseOrderStatus.CLOSED, PurchaseOrderStatus.CANCELLED)
    )
    first = await v3.list_purchase_orders(wanted, PageRequest(size=10))
    second = await v3.list_purchase_orders(
        wanted, PageRequest(size=10, cursor=first.next_cursor)
    )
    third = await v3.list_purchase_orders(
        wanted, PageRequest(size=10, cursor=second.next_cursor)
    )
    assert (first.next_cursor, second.next_cursor, third.next_cursor) == (
        "10",
        "archived:0",
        None,
    )
    assert first.total is None
    closed = first.items + second.items
    assert len(closed) == CLOSED
    assert {po.status for po in closed} == {PurchaseOrderStatus.CLOSED}
    assert len(third.items) == CANCELLED
    assert {po.status for po in third.items} == {PurchaseOrderStatus.CANCELLED}
    assert len(await calls(control)) == 3


async def test_list_updated_after_and_numbers(
    v3: FlexportV3Provider, control: SandboxControl
) -> None:
    newest = (
        await v3.list_purchase_orders(PurchaseOrderFilter(), PageRequest(size=1))
    ).items[0]
    assert newest.updated_at is not None
    await control.clear()
    page = await v3.list_purchase_orders(
        PurchaseOrderFilter(updated_after=newest.updated_at), PageRequest(size=100)
    )
    assert all(
        po.updated_at is not None and po.updated_at > newest.updated_at
        for po in page.items
    )
    (request,) = await calls(control)
    assert request["params"]["f.updated_at.gt"] == [newest.updated_at.isoformat()]
    await control.clear()
    by_number = await v3.list_purchase_orders(
        PurchaseOrderFilter(
            numbers=("PO-10001", "PO-10009", "PO-NOPE"),
            statuses=(PurchaseOrderStatus.CLOSED, PurchaseOrderStatus.CANCELLED),
        ),
        PageRequest(size=50),
    )
    assert [po.number for po in by_number.items] == ["PO-10009", "PO-10001"]
    assert by_number.next_cursor is None
    # One V1 walk per number and segment (live closed, archived cancelled).
    assert len(await calls(control, "GET", "/purchase_orders")) == 3 * 2


async def test_list_pages_resume_at_the_cursor_whatever_the_size(
    v3: FlexportV3Provider, control: SandboxControl
) -> None:
    whole = await v3.list_purchase_orders(PurchaseOrderFilter(), PageRequest(size=30))
    first = await v3.list_purchase_orders(PurchaseOrderFilter(), PageRequest(size=10))
    second = await v3.list_purchase_orders(
        PurchaseOrderFilter(), PageRequest(size=11, cursor=first.next_cursor)
    )
    third = await v3.list_purchase_orders(
        PurchaseOrderFilter(), PageRequest(size=9, cursor=second.next_cursor)
    )
    assert [po.id for po in first.items + second.items + third.items] == [
        po.id for po in whole.items
    ]
    assert (first.next_cursor, second.next_cursor, third.next_cursor) == (
        "10",
        "21",
        "30",
    )
    # [10, 21) is read as page 1 of 21, [21, 30) as page 3 of 10: one call each.
    pages = [r["params"] for r in await calls(control, "GET", "/purchase_orders")]
    assert [(p["page"], p["per"]) for p in pages[1:]] == [
        (["1"], ["10"]),
        (["1"], ["21"]),
        (["3"], ["10"]),
    ]


async def test_list_rejects_a_foreign_cursor(v3: FlexportV3Provider) -> None:
    with pytest.raises(errors.InvalidArgument):
        await v3.list_purchase_orders(
            PurchaseOrderFilter(), PageRequest(size=5, cursor="archived:1")
        )


# Reads by id and number ----------------------------------------------------------


async def test_get_purchase_orders_fans_out_one_call_per_distinct_id(
    v3: FlexportV3Provider, control: SandboxControl
) -> None:
    found = await v3.get_purchase_orders(
        ["171001", "171009", BOOKED_ID, "999999", "not-a-number", "171001"]
    )
    assert set(found) == {"171001", "171009", BOOKED_ID}
    assert found["171009"].status is PurchaseOrderStatus.CANCELLED, "archived too"
    assert found[BOOKED_ID].number == "PO-10020"
    booked_lines = found[BOOKED_ID].lines or ()
    assert booked_lines
    assert all(line.purchase_order_id == BOOKED_ID for line in booked_lines)
    requests = await calls(control)
    # Four distinct numeric ids, four V2 calls; the 404 is simply absent.
    assert sorted(r["path"] for r in requests) == [
        "/purchase_orders/171001",
        "/purchase_orders/171009",
        "/purchase_orders/171020",
        "/purchase_orders/999999",
    ]
    assert all(r["params"] == {"expand": ["line_items"]} for r in requests)


async def test_get_by_number_finds_cancelled_pos_in_the_archive(
    v3: FlexportV3Provider, control: SandboxControl
) -> None:
    found = await v3.get_purchase_orders_by_number(
        ["PO-10020", "PO-10009", "PO-NOPE", "PO-10020"]
    )
    assert set(found) == {"PO-10020", "PO-10009"}
    assert found["PO-10009"].status is PurchaseOrderStatus.CANCELLED
    assert found["PO-10020"].id == BOOKED_ID
    requests = await calls(control, "GET", "/purchase_orders")
    by_name: dict[str, list[list[str] | None]] = {}
    for r in requests:
        by_name.setdefault(r["params"]["f.name"][0], []).append(
            r["params"].get("f.archived_at.exists")
        )
    # A live PO costs one call; a cancelled or unknown one a second, archived.
    assert by_name == {
        "PO-10020": [None],
        "PO-10009": [None, ["true"]],
        "PO-NOPE": [None, ["true"]],
    }


async def test_get_lines_one_v4_call_per_po(
    v3: FlexportV3Provider, control: SandboxControl
) -> None:
    embedded = (await v3.get_purchase_orders([BOOKED_ID]))[BOOKED_ID].lines
    await control.clear()
    lines = await v3.get_purchase_order_lines([BOOKED_ID, "171009", "999999"])
    assert set(lines) == {BOOKED_ID, "171009"}, "no lines: no such PO"
    assert tuple(lines[BOOKED_ID]) == embedded
    numbers = [line.line_number or 0 for line in lines[BOOKED_ID]]
    assert numbers == sorted(numbers)
    assert numbers[0] == 1
    requests = await calls(control)
    assert {r["path"] for r in requests} == {"/purchase_order_line_items"}
    assert sorted(r["params"]["f.purchase_order.id"][0] for r in requests) == [
        "171009",
        BOOKED_ID,
        "999999",
    ]


async def test_lines_follow_next_to_the_end(
    v3: FlexportV3Provider, control: SandboxControl
) -> None:
    created = await v3.create_purchase_order(
        new_po("PO-GW-BIG", lines=150), idempotency_key="k"
    )
    assert created.lines is not None
    assert len(created.lines) == 150
    await control.clear()
    lines = (await v3.get_purchase_order_lines([created.id]))[created.id]
    assert [line.line_number for line in lines] == list(range(1, 151))
    first, second = await calls(control)
    assert first["params"]["per"] == ["100"]
    assert "page" not in first["params"]
    assert second["params"]["page"] == ["2"], "the query of the `next` link"
    assert second["params"]["f.purchase_order.id"] == [created.id]


# Writes ------------------------------------------------------------------------------


async def test_create_then_replay_is_the_same_po(
    v3: FlexportV3Provider, control: SandboxControl
) -> None:
    data = new_po()
    created = await v3.create_purchase_order(data, idempotency_key="a")
    assert created.status is PurchaseOrderStatus.OPEN
    assert created.number == "PO-GW-1"
    assert created.supplier is not None
    assert created.supplier.ref == "hanoi-knitworks-vn"
    assert created.buyer is not None
    assert created.buyer.ref == "northwind-us"
    assert (created.incoterm, created.transportation_mode) == ("FOB", "ocean")
    assert created.expected_arrival == date(2027, 1, 15)
    assert created.lines is not None
    assert [(x.sku, x.quantity, x.unit_of_measure) for x in created.lines] == [
        ("GW-SKU-1", 10, "PCS"),
        ("GW-SKU-2", 20, "PCS"),
    ]
    assert created.lines[0].unit_cost is not None
    assert created.lines[0].unit_cost.amount == Decimal("4.65")
    replayed = await v3.create_purchase_order(data, idempotency_key="b")
    assert replayed.id == created.id, "V3 upserts on name + buyer + seller"
    assert [line.id for line in replayed.lines or ()] == [
        line.id for line in created.lines
    ]
    assert len(await calls(control, "POST", "/purchase_orders")) == 2
    assert (await v3.get_purchase_orders_by_number(["PO-GW-1"]))["PO-GW-1"].id == (
        created.id
    )


async def test_create_is_retried_because_the_upsert_is_replay_safe(
    v3: FlexportV3Provider, control: SandboxControl
) -> None:
    await control.fault("/purchase_orders", "503", provider=SLUG, method="POST")
    created = await v3.create_purchase_order(new_po(), idempotency_key="k")
    assert created.status is PurchaseOrderStatus.OPEN
    posts = await calls(control, "POST", "/purchase_orders")
    assert [r["status"] for r in posts] == [503, 201]


async def test_create_rejected_names_the_field(
    v3: FlexportV3Provider, control: SandboxControl
) -> None:
    with pytest.raises(errors.Rejected) as info:
        await v3.create_purchase_order(
            new_po(supplier_ref="nobody-at-all"), idempotency_key="k"
        )
    assert info.value.status == 422
    assert info.value.provider_code == "unprocessable_entity"
    assert info.value.fields == {
        "parties": "Company does not exist for reference nobody-at-all"
    }
    # Past the gateway's own check (model_copy does not validate), so the
    # provider's answer is what is under test.
    late = new_po().model_copy(update={"cargo_ready_date": date(2027, 2, 1)})
    with pytest.raises(errors.Rejected) as info:
        await v3.create_purchase_order(late, idempotency_key="k")
    assert set(info.value.fields) == {"must_arrive_date"}
    assert len(await calls(control, "POST", "/purchase_orders")) == 2, "no retry"


async def test_close_is_a_full_replace_that_keeps_every_field(
    v3: FlexportV3Provider, control: SandboxControl
) -> None:
    before = (await v3.get_purchase_orders([FRESH_ID]))[FRESH_ID]
    await control.clear()
    closed = await v3.close_purchase_order(FRESH_ID)
    assert (closed.status, closed.raw_status) == (PurchaseOrderStatus.CLOSED, "closed")
    volatile = ("status", "updated_at")
    assert without(closed.raw, *volatile) == without(before.raw, *volatile)
    again = (await v3.get_purchase_orders([FRESH_ID]))[FRESH_ID]
    assert without(again.raw, *volatile) == without(before.raw, *volatile)
    requests = await calls(control)
    assert [(r["method"], r["path"]) for r in requests[:2]] == [
        ("GET", f"/purchase_orders/{FRESH_ID}"),
        ("POST", "/purchase_orders"),
    ]
    # Nothing but the status moved: the PO's history shows #closed, no #updated.
    assert await event_types(v3, FRESH_ID) == [
        "/purchase_order#created",
        "/purchase_order#closed",
    ]


async def test_cancel_archives_and_the_po_is_still_found_by_number(
    v3: FlexportV3Provider, control: SandboxControl
) -> None:
    before = (await v3.get_purchase_orders([FRESH_ID]))[FRESH_ID]
    cancelled = await v3.cancel_purchase_order(FRESH_ID)
    assert cancelled.status is PurchaseOrderStatus.CANCELLED
    assert cancelled.archived_at is not None
    assert cancelled.lines == before.lines
    found = await v3.get_purchase_orders_by_number([before.number])
    assert found[before.number].id == FRESH_ID
    listed = await v3.list_purchase_orders(
        PurchaseOrderFilter(statuses=(PurchaseOrderStatus.CANCELLED,)),
        PageRequest(size=100),
    )
    assert listed.items[0].id == FRESH_ID, "newest first"
    assert listed.total == CANCELLED + 1


async def test_cancel_of_a_booked_po_is_a_conflict(
    v3: FlexportV3Provider, control: SandboxControl
) -> None:
    with pytest.raises(errors.Conflict) as info:
        await v3.cancel_purchase_order(BOOKED_ID)
    assert info.value.status == 422
    assert info.value.provider_code == "unprocessable_entity"
    assert "active booking" in info.value.detail
    assert info.value.extensions["code"] == "CONFLICT"
    assert [(r["method"], r["status"]) for r in await calls(control)] == [
        ("GET", 200),
        ("POST", 422),
    ]
    still = (await v3.get_purchase_orders([BOOKED_ID]))[BOOKED_ID]
    assert still.status is PurchaseOrderStatus.OPEN


async def test_close_then_cancel_is_a_conflict(
    v3: FlexportV3Provider, control: SandboxControl
) -> None:
    await v3.close_purchase_order(FRESH_ID)
    with pytest.raises(errors.Conflict, match="is closed and cannot be cancelled"):
        await v3.cancel_purchase_order(FRESH_ID)
    await control.clear()
    closed = await v3.close_purchase_order(FRESH_ID)
    assert closed.status is PurchaseOrderStatus.CLOSED
    assert [r["method"] for r in await calls(control)] == ["GET"], "no-op: no write"


async def test_reopening_a_closed_po_through_create_is_a_conflict(
    v3: FlexportV3Provider,
) -> None:
    created = await v3.create_purchase_order(new_po(), idempotency_key="k")
    await v3.close_purchase_order(created.id)
    with pytest.raises(errors.Conflict, match="cannot be reopened"):
        await v3.create_purchase_order(new_po(), idempotency_key="k")


async def test_concurrent_amendments_one_wins_one_conflicts(
    v3: FlexportV3Provider, control: SandboxControl
) -> None:
    await control._call("PATCH", "/_sandbox/settings", json={"latencyMs": 100})
    results = await asyncio.gather(
        v3.close_purchase_order(FRESH_ID),
        v3.close_purchase_order(FRESH_ID),
        return_exceptions=True,
    )
    conflicts = [r for r in results if isinstance(r, errors.Conflict)]
    closed = [r for r in results if isinstance(r, PurchaseOrder)]
    assert len(conflicts) == len(closed) == 1
    assert conflicts[0].status == 409
    assert "being amended by another request" in conflicts[0].detail


async def test_cancel_of_an_unknown_po_is_not_found(v3: FlexportV3Provider) -> None:
    with pytest.raises(errors.NotFound, match="Couldn't find PurchaseOrder"):
        await v3.cancel_purchase_order("999999")


# Attachments -------------------------------------------------------------------------


async def test_attachments_walk_bookings_to_shipment_documents(
    v3: FlexportV3Provider, control: SandboxControl, session: aiohttp.ClientSession
) -> None:
    numbers = {
        "171008": "PO-10008",  # booked twice: documents on two shipments
        "171006": "PO-10006",  # one of its documents is archived
        "171003": "PO-10003",
        FRESH_ID: "PO-10047",  # never booked: no shipment, no documents
    }
    owners = {po_id: Ref(SLUG, "PurchaseOrder", po_id) for po_id in numbers}
    found = await v3.get_attachments([*owners.values(), Ref(SLUG, "Order", "1")])
    assert set(found) == set(owners.values())
    assert found[owners[FRESH_ID]] == []
    for po_id, owner in owners.items():
        for attachment in found[owner]:
            assert (attachment.owner_id, attachment.owner_kind) == (
                po_id,
                "PurchaseOrder",
            )
            assert attachment.name is not None
            assert attachment.name.startswith(numbers[po_id] + "-")
            assert attachment.type is not None
            assert attachment.type in attachment.name
            assert attachment.size is not None
            assert attachment.created_at is not None
    two = found[owners["171008"]]
    assert {a.raw["shipment"]["id"] for a in two} == {700108, 700119}
    assert len(two) == 3
    removed = [a for a in found[owners["171006"]] if a.removed_at is not None]
    assert [a.id for a in removed] == ["880002"]
    assert len(found[owners["171003"]]) == 4
    bookings = await calls(control, "GET", "/bookings/*")
    documents = await calls(control, "GET", "/documents")
    # n POs + b distinct bookings + s distinct shipments (one per booking here).
    assert len(await calls(control, "GET", "/booking_line_items")) == 4
    assert len(bookings) == len({r["path"] for r in bookings}) == 4
    assert len(documents) == len(bookings)
    assert len(await calls(control)) == 4 + 4 + 4
    document = found[owners["171003"]][0]
    assert document.url is not None
    async with session.get(document.url) as resp:
        assert resp.status == 200
        assert len(await resp.read()) == document.size


# Health, auth, faults, quirks ----------------------------------------------------------


async def test_ping_is_one_small_list_call(
    v3: FlexportV3Provider, control: SandboxControl
) -> None:
    await v3.ping()
    (request,) = await calls(control)
    assert (request["path"], request["params"]) == ("/purchase_orders", {"per": ["1"]})


def test_capabilities_are_declared() -> None:
    assert FlexportV3Provider.capabilities == {
        Capability.PURCHASE_ORDERS,
        Capability.CREATE_PURCHASE_ORDER,
        Capability.UPDATE_PURCHASE_ORDER,
        Capability.CANCEL_PURCHASE_ORDER,
        Capability.CLOSE_PURCHASE_ORDER,
        Capability.ATTACHMENTS,
        Capability.WEBHOOKS,
    }


async def test_401_is_auth_error(
    sandbox: TestServer, session: aiohttp.ClientSession
) -> None:
    bad = settings(sandbox, token=SecretStr("wrong"))
    with pytest.raises(errors.ProviderAuthError) as info:
        await FlexportV3Provider(bad, session, FAST_RETRY).ping()
    assert (info.value.status, info.value.provider_code) == (401, "unauthorized")


async def test_the_version_header_is_always_sent(
    v3: FlexportV3Provider,
    control: SandboxControl,
    sandbox: TestServer,
    session: aiohttp.ClientSession,
) -> None:
    await v3.ping()
    await v3.get_purchase_orders([FRESH_ID, BOOKED_ID])
    await v3.get_purchase_orders_by_number(["PO-10009"])
    await v3.get_purchase_order_lines([FRESH_ID])
    await v3.get_attachments([Ref(SLUG, "PurchaseOrder", "171003")])
    await v3.close_purchase_order(FRESH_ID)
    logged = await calls(control)
    assert len(logged) >= 10
    # The sandbox answers 400 invalid_version to a call without the header.
    assert all(r["status"] in (200, 201) for r in logged)
    assert v3.upstream.auth_headers["Flexport-Version"] == "3"
    bare = Upstream(
        SLUG,
        settings(sandbox),
        session,
        FAST_RETRY,
        auth_headers={"Authorization": v3.upstream.auth_headers["Authorization"]},
        parse_error=mapping.parse_error,
    )
    with pytest.raises(errors.Rejected) as info:
        await bare.request("GET", "/purchase_orders")
    assert info.value.provider_code == "invalid_version"


async def test_fan_out_stays_inside_the_rate_limit(
    v3: FlexportV3Provider, control: SandboxControl
) -> None:
    ids = [str(171001 + n) for n in range(14)]
    found = await v3.get_purchase_orders(ids)
    assert len(found) == 14
    statuses = [r["status"] for r in await calls(control)]
    assert statuses == [200] * 14, "the token bucket spreads the burst: no 429"


@pytest.mark.parametrize(
    ("fault", "exc_type"),
    [
        ("404", errors.NotFound),
        ("409", errors.Conflict),
        ("garbage", errors.ProviderResponseInvalid),
        ("shape", errors.ProviderResponseInvalid),
    ],
)
async def test_faults_map_to_errors_without_retry(
    v3: FlexportV3Provider,
    control: SandboxControl,
    fault: str,
    exc_type: type[errors.ProviderError],
) -> None:
    await control.fault("/purchase_orders", fault, provider=SLUG)
    with pytest.raises(exc_type):
        await v3.list_purchase_orders(PurchaseOrderFilter(), PageRequest(size=5))
    assert len(await calls(control)) == 1


async def test_503_is_retried_then_provider_unavailable(
    v3: FlexportV3Provider, control: SandboxControl
) -> None:
    await control.fault("/purchase_orders/*", "503", provider=SLUG, times=2)
    assert (await v3.get_purchase_orders([FRESH_ID]))[FRESH_ID].id == FRESH_ID
    await control.clear()
    await control.fault("/purchase_orders", "503", provider=SLUG, times=None)
    with pytest.raises(errors.ProviderUnavailable) as info:
        await v3.ping()
    assert info.value.status == 503
    assert info.value.provider_code == "service_unavailable"
    assert len(await calls(control)) == 1 + FAST_RETRY.max_retries


async def test_429_honours_retry_after_then_gives_up_when_too_long(
    sandbox: TestServer, session: aiohttp.ClientSession, control: SandboxControl
) -> None:
    retry = RetrySettings(max_retries=3, backoff_base_s=0, max_retry_after_s=0.5)
    v3 = FlexportV3Provider(settings(sandbox), session, retry)
    await control.fault("/purchase_orders", "429", provider=SLUG, retry_after=0)
    await v3.ping()
    assert len(await calls(control)) == 2
    await control.clear()
    await control.fault("/purchase_orders", "429", provider=SLUG, retry_after=30)
    with pytest.raises(errors.RateLimited) as info:
        await v3.ping()
    assert info.value.retry_after == 30
    assert info.value.provider_code == "rate_limited"
    assert len(await calls(control)) == 1


async def test_timeout_is_provider_unavailable(
    sandbox: TestServer, session: aiohttp.ClientSession, control: SandboxControl
) -> None:
    quick = settings(sandbox, timeout_s=0.2)
    v3 = FlexportV3Provider(quick, session, RetrySettings(max_retries=0))
    await control.fault("/purchase_orders", "timeout", provider=SLUG)
    with pytest.raises(errors.ProviderUnavailable, match=r"within 0\.2 s"):
        await v3.ping()


async def event_types(v3: FlexportV3Provider, po_id: str) -> list[str]:
    """The PO's history from V7 (every page), oldest first."""
    types: list[str] = []
    page = 1
    while True:
        data = await v3.api.data("/events", [("page", str(page)), ("per", "100")])
        for event in data["data"]:
            if str(event["data"]["purchase_order"]["id"]) == po_id:
                types.append(event["type"])
        if data["next"] is None:
            return types
        page += 1
