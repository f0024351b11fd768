"""The Flexe adapter against the Flexe sandbox over real HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from gateway import errors
from gateway.http import create_session
from gateway.ids import Ref
from gateway.models import (
    AddressInput,
    OrderCreate,
    OrderKind,
    OrderLineCreate,
    OrderStatus,
)
from gateway.providers.base import OrderFilter, PageRequest
from gateway.providers.flexe import FlexeProvider
from gateway.settings import RetrySettings
from tests.conftest import FAST_RETRY, SandboxControl, provider_settings


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with create_session() as session:
        yield session


@pytest.fixture
def flexe(sandbox: TestServer, session: aiohttp.ClientSession) -> FlexeProvider:
    return FlexeProvider(provider_settings(sandbox, "flexe"), session, FAST_RETRY)


async def first_page(flexe: FlexeProvider, size: int = 50, **filter: Any) -> Any:
    return await flexe.list_orders(OrderFilter(**filter), PageRequest(size=size))


async def test_flexe_list_orders_pages_to_the_end_newest_first(
    flexe: FlexeProvider, control: SandboxControl
) -> None:
    seen: list[str] = []
    created = []
    cursor = None
    total = None
    while True:
        page = await flexe.list_orders(
            OrderFilter(), PageRequest(size=500, cursor=cursor)
        )
        total = page.total
        seen += [o.id for o in page.items]
        created += [o.created_at for o in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert total is not None
    assert total >= 500
    assert len(seen) == total == len(set(seen))
    assert created == sorted(created, reverse=True)
    assert await control.count("flexe", "/v2/orders") == -(-total // 500)


async def test_flexe_list_orders_covers_every_state(flexe: FlexeProvider) -> None:
    page = await first_page(flexe, size=500)
    states = {o.raw_status for o in page.items}
    assert {"new", "allocated", "in_progress", "shipped", "cancelled"} <= states
    assert any(o.status is OrderStatus.EXCEPTION for o in page.items)


async def test_flexe_list_orders_filters_by_status(flexe: FlexeProvider) -> None:
    page = await first_page(flexe, statuses=(OrderStatus.CANCELLED,))
    assert page.items
    assert {o.status for o in page.items} == {OrderStatus.CANCELLED}
    errors_only = await first_page(flexe, statuses=(OrderStatus.EXCEPTION,))
    assert errors_only.items
    assert all(o.has_errors and o.raw_status == "new" for o in errors_only.items)


async def test_flexe_get_orders_batch_with_missing_ids(
    flexe: FlexeProvider, control: SandboxControl
) -> None:
    listed = (await first_page(flexe, size=120)).items
    await control.clear()
    wanted = [o.id for o in listed] + ["does-not-exist"]
    found = await flexe.get_orders(wanted)
    assert set(found) == {o.id for o in listed}
    assert found[listed[3].id].external_id == listed[3].external_id
    # 121 ids, 100 per call.
    assert await control.count("flexe", "/v2/orders") == 2


async def test_flexe_get_lines_batches_by_order(
    flexe: FlexeProvider, control: SandboxControl
) -> None:
    orders = (await first_page(flexe, size=50)).items
    await control.clear()
    lines = await flexe.get_lines([o.id for o in orders])
    assert set(lines) == {o.id for o in orders}
    assert all(1 <= len(found) <= 8 for found in lines.values())
    assert all(line.order_id == oid for oid, found in lines.items() for line in found)
    assert await control.count("flexe") == 1


async def test_flexe_allocation_errors_and_attachments(flexe: FlexeProvider) -> None:
    orders = (await first_page(flexe, size=500)).items
    with_errors = [o.id for o in orders if o.has_errors][:3]
    found = await flexe.get_allocation_errors(with_errors)
    assert all(found[oid] for oid in with_errors)
    assert all(e.code for errs in found.values() for e in errs)
    owners = [Ref("flexe", "Order", o.id) for o in orders[:60]]
    attachments = await flexe.get_attachments(owners)
    assert set(attachments) == set(owners)
    flat = [a for found in attachments.values() for a in found]
    assert flat, "about a third of orders carry attachments"
    assert all(a.url for a in flat)


async def test_flexe_401_is_auth_error(
    sandbox: TestServer, session: aiohttp.ClientSession
) -> None:
    from pydantic import SecretStr

    bad = provider_settings(sandbox, "flexe", token=SecretStr("wrong"))
    with pytest.raises(errors.ProviderAuthError) as info:
        await FlexeProvider(bad, session, FAST_RETRY).get_orders(["x"])
    assert info.value.status == 401


@pytest.mark.parametrize(
    ("fault", "exc_type"),
    [
        ("404", errors.NotFound),
        ("409", errors.Conflict),
        ("garbage", errors.ProviderResponseInvalid),
        ("shape", errors.ProviderResponseInvalid),
    ],
)
async def test_flexe_faults_map_to_errors_without_retry(
    flexe: FlexeProvider,
    control: SandboxControl,
    fault: str,
    exc_type: type[errors.ProviderError],
) -> None:
    await control.fault("/v2/orders", fault)
    with pytest.raises(exc_type):
        await flexe.get_orders(["x"])
    assert await control.count("flexe", "/v2/orders") == 1


async def test_flexe_503_is_retried_then_succeeds(
    flexe: FlexeProvider, control: SandboxControl
) -> None:
    await control.fault("/v2/orders", "503", times=2)
    page = await first_page(flexe, size=5)
    assert len(page.items) == 5
    assert await control.count("flexe", "/v2/orders") == 3


async def test_flexe_persistent_503_is_provider_unavailable(
    flexe: FlexeProvider, control: SandboxControl
) -> None:
    await control.fault("/v2/orders", "503", times=None)
    with pytest.raises(errors.ProviderUnavailable) as info:
        await first_page(flexe)
    assert info.value.extensions == {
        "code": "UPSTREAM_UNAVAILABLE",
        "provider": "FLEXE",
        "retryable": True,
        "upstreamStatus": 503,
        "retryAfter": 0.0,
    }
    assert await control.count("flexe", "/v2/orders") == 1 + FAST_RETRY.max_retries


async def test_flexe_429_honours_retry_after_then_gives_up_when_too_long(
    sandbox: TestServer, session: aiohttp.ClientSession, control: SandboxControl
) -> None:
    retry = RetrySettings(max_retries=3, backoff_base_s=0, max_retry_after_s=0.5)
    flexe = FlexeProvider(provider_settings(sandbox, "flexe"), session, retry)
    await control.fault("/v2/orders", "429", times=1, retry_after=0)
    assert (await first_page(flexe, size=1)).items
    assert await control.count("flexe", "/v2/orders") == 2
    await control.clear()
    await control.fault("/v2/orders", "429", times=1, retry_after=30)
    with pytest.raises(errors.RateLimited) as info:
        await first_page(flexe, size=1)
    assert info.value.retry_after == 30
    assert await control.count("flexe", "/v2/orders") == 1


async def test_flexe_timeout_is_provider_unavailable(
    sandbox: TestServer, session: aiohttp.ClientSession, control: SandboxControl
) -> None:
    quick = provider_settings(sandbox, "flexe", timeout_s=0.2)
    retry = RetrySettings(max_retries=0)
    flexe = FlexeProvider(quick, session, retry)
    await control.fault("/v2/orders", "timeout")
    with pytest.raises(
        errors.ProviderUnavailable, match=r"did not answer within 0\.2 s"
    ):
        await first_page(flexe, size=1)


async def test_flexe_unreachable_is_provider_unavailable(
    session: aiohttp.ClientSession, unused_tcp_port: int
) -> None:
    from gateway.settings import ProviderSettings

    gone = ProviderSettings(base_url=f"http://127.0.0.1:{unused_tcp_port}/flexe")
    flexe = FlexeProvider(gone, session, RetrySettings(max_retries=0))
    with pytest.raises(errors.ProviderUnavailable, match="could not be reached"):
        await flexe.ping()


async def test_flexe_shipments_by_order_and_by_id(
    flexe: FlexeProvider, control: SandboxControl
) -> None:
    orders = (await first_page(flexe, size=200, statuses=(OrderStatus.SHIPPED,))).items
    await control.clear()
    by_order = await flexe.get_shipments([o.id for o in orders[:50]])
    shipments = [s for found in by_order.values() for s in found]
    assert shipments
    assert all(s.tracking_numbers and s.items for s in shipments)
    assert {s.status.value for s in shipments} <= {"SHIPPED", "DELIVERED"}
    assert await control.count("flexe", "/v2/shipments") == 1
    wanted = [s.id for s in shipments[:5]] + ["missing"]
    by_id = await flexe.get_shipments_by_id(wanted)
    assert set(by_id) == set(wanted[:5])


async def test_flexe_inventory_batches_skus_per_reservation(
    flexe: FlexeProvider, control: SandboxControl
) -> None:
    skus = [f"SKU-{10001 + n}" for n in range(120)] + ["NOPE"]
    levels = await flexe.get_inventory(skus)
    assert set(levels) == set(skus[:120])
    first = levels["SKU-10001"]
    assert {level.location_id for level in first} == {
        "res-seattle-01",
        "res-atlanta-02",
    }
    assert all(
        level.on_hand is not None and level.available is not None for level in first
    )
    # 121 SKUs, 100 per call.
    assert await control.count("flexe", "/v2/inventory") == 2


async def test_flexe_inbound_shipments_by_po_number(
    flexe: FlexeProvider, control: SandboxControl
) -> None:
    numbers = [f"PO-{10001 + n}" for n in range(60)]
    found = await flexe.get_inbound_shipments_by_po_number(numbers)
    assert found
    inbound = next(iter(found.values()))[0]
    assert inbound.purchase_order_number in numbers
    assert inbound.lines
    assert await control.count("flexe", "/v2/inbound-shipments") == 1
    again = await flexe.get_inbound_shipments([inbound.id])
    assert again[inbound.id].purchase_order_number == inbound.purchase_order_number


def new_order(external_id: str) -> OrderCreate:
    return OrderCreate(
        kind=OrderKind.DTC,
        external_id=external_id,
        recipient=AddressInput(
            name="Grace Hopper",
            line1="1 Navy Way",
            city="Arlington",
            region="VA",
            postal_code="22202",
            country="US",
        ),
        lines=(OrderLineCreate(sku="SKU-10001", quantity=2),),
    )


async def test_flexe_create_then_cancel_then_illegal_cancel(
    flexe: FlexeProvider, control: SandboxControl
) -> None:
    created = await flexe.create_order(new_order("GW-1"), idempotency_key="k1")
    assert created.external_id == "GW-1"
    assert created.status is OrderStatus.PENDING
    with pytest.raises(errors.Conflict):
        await flexe.create_order(new_order("GW-1"), idempotency_key="k2")
    cancelled = await flexe.cancel_order(created.id)
    assert cancelled.status is OrderStatus.CANCELLED
    shipped = (await first_page(flexe, size=1, statuses=(OrderStatus.SHIPPED,))).items
    with pytest.raises(errors.Conflict):
        await flexe.cancel_order(shipped[0].id)


async def test_flexe_get_orders_by_external_id(flexe: FlexeProvider) -> None:
    listed = (await first_page(flexe, size=3)).items
    wanted = [o.external_id for o in listed if o.external_id]
    found = await flexe.get_orders_by_external_id([*wanted, "SO-NOPE"])
    assert set(found) == set(wanted)
