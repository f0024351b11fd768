"""Fault injection: the X-Sandbox-Fault header and scheduled rules, Flexe format."""

from __future__ import annotations

import asyncio
import contextlib
import time

import aiohttp
import pytest
from pytest_aiohttp import AiohttpServer

from gateway.sandbox import SandboxConfig, create_sandbox

from .conftest import AUTH, Api, FakeClock, only_error

STATUS_FAULTS = [
    ("404", 404, "NOT_FOUND"),
    ("409", 409, "CONFLICT"),
    ("429", 429, "RATE_LIMITED"),
    ("500", 500, "INTERNAL_ERROR"),
    ("503", 503, "SERVICE_UNAVAILABLE"),
    ("timeout", 504, "GATEWAY_TIMEOUT"),
]


@pytest.mark.parametrize(("fault", "status", "code"), STATUS_FAULTS)
async def test_header_fault_answers_in_flexe_format(
    flexe: Api, fault: str, status: int, code: str
) -> None:
    response = await flexe.call(
        "GET",
        "/v2/shipments",
        headers={"X-Sandbox-Fault": fault, "X-Sandbox-Retry-After": "7"},
    )
    assert response.status == status
    assert only_error(await response.json())["code"] == code
    assert response.headers.get("Retry-After") == (
        "7" if status in (429, 503) else None
    )
    assert response.headers["X-RateLimit-Limit"] == "100"


async def test_404_fault_on_an_order_path_is_order_not_found(flexe: Api) -> None:
    response = await flexe.call(
        "GET", "/v2/orders/anything", headers={"X-Sandbox-Fault": "404"}
    )
    assert only_error(await response.json())["code"] == "ORDER_NOT_FOUND"
    response = await flexe.call("GET", "/v2/lines", headers={"X-Sandbox-Fault": "503"})
    assert response.headers["Retry-After"] == "1", "default Retry-After"


async def test_garbage_and_shape_faults_are_200s(flexe: Api) -> None:
    garbage = await flexe.call(
        "GET", "/v2/orders", headers={"X-Sandbox-Fault": "garbage"}
    )
    assert garbage.status == 200
    assert garbage.content_type == "application/json"
    with pytest.raises(ValueError, match=r"Expecting|Unterminated"):
        await garbage.json()
    shape = await flexe.call("GET", "/v2/orders", headers={"X-Sandbox-Fault": "shape"})
    assert (shape.status, await shape.json()) == (200, {"unexpected": True})


async def test_faults_apply_after_auth(flexe: Api) -> None:
    response = await flexe.call(
        "GET", "/v2/orders", auth=False, headers={"X-Sandbox-Fault": "500"}
    )
    assert response.status == 401


async def test_unknown_fault_header_is_rejected(flexe: Api) -> None:
    response = await flexe.call(
        "GET", "/v2/orders", headers={"X-Sandbox-Fault": "teapot"}
    )
    assert response.status == 400
    assert only_error(await response.json())["field"] == "X-Sandbox-Fault"


async def test_timeout_fault_waits_then_answers_504(flexe: Api) -> None:
    started = time.monotonic()
    response = await flexe.call(
        "GET", "/v2/orders", headers={"X-Sandbox-Fault": "timeout"}
    )
    assert response.status == 504
    assert time.monotonic() - started >= 0.05


async def test_timed_out_client_does_not_hold_teardown(
    aiohttp_server: AiohttpServer, clock: FakeClock
) -> None:
    server = await aiohttp_server(
        create_sandbox(SandboxConfig(order_count=5, clock=clock, fault_timeout_s=20))
    )
    async with aiohttp.ClientSession(str(server.make_url("/flexe")) + "/") as session:
        with pytest.raises(asyncio.TimeoutError):
            await session.get(
                "v2/orders",
                headers={**AUTH, "X-Sandbox-Fault": "timeout"},
                timeout=aiohttp.ClientTimeout(total=0.05),
            )
    started = time.monotonic()
    await server.close()
    assert time.monotonic() - started < 1


async def test_shutdown_ends_a_timeout_fault_still_waiting(
    aiohttp_server: AiohttpServer, clock: FakeClock
) -> None:
    server = await aiohttp_server(
        create_sandbox(SandboxConfig(order_count=5, clock=clock, fault_timeout_s=20))
    )
    async with aiohttp.ClientSession() as session:
        pending = asyncio.create_task(
            session.get(
                server.make_url("/flexe/v2/orders"),
                headers={**AUTH, "X-Sandbox-Fault": "timeout"},
            )
        )
        await asyncio.sleep(0.05)
        started = time.monotonic()
        await server.close()
        assert time.monotonic() - started < 1
        with contextlib.suppress(aiohttp.ClientError):
            (await pending).release()


async def test_scheduled_rule_fires_times_then_stops(flexe: Api, control: Api) -> None:
    rule = await control.post(
        "/_sandbox/faults",
        {
            "provider": "flexe",
            "method": "GET",
            "path": "/v2/lines*",
            "fault": "503",
            "times": 2,
            "retryAfter": 0,
        },
        expect=201,
    )
    assert (rule["times"], rule["retryAfter"]) == (2, 0)
    assert (await flexe.call("POST", "/v2/lines")).status == 405, (
        "other methods untouched"
    )
    first = await flexe.call("GET", "/v2/lines")
    assert (first.status, first.headers["Retry-After"]) == (503, "0")
    listed = (await control.get("/_sandbox/faults"))["faults"]
    assert [r["times"] for r in listed] == [1]
    assert (
        await flexe.call("GET", "/v2/lines", params={"pageSize": "1"})
    ).status == 503
    assert (
        await flexe.call("GET", "/v2/lines", params={"pageSize": "1"})
    ).status == 200
    assert (await control.get("/_sandbox/faults"))["faults"] == []


async def test_rule_without_limit_lasts_until_cleared(flexe: Api, control: Api) -> None:
    await control.post(
        "/flexe/_sandbox/faults",
        {"path": "/v2/orders/*", "fault": "shape", "times": None},
        expect=201,
    )
    for _ in range(3):
        response = await flexe.call("GET", "/v2/orders/x")
        assert await response.json() == {"unexpected": True}
    assert (
        await flexe.call("GET", "/v2/orders", params={"pageSize": "1"})
    ).status == 200
    response = await control.call("DELETE", "/_sandbox/faults")
    assert response.status == 204
    assert (await flexe.call("GET", "/v2/orders/x")).status == 404


async def test_fault_rule_validation(control: Api) -> None:
    bad = [
        {"provider": "flexe", "fault": "418"},
        {"provider": "acme", "fault": "500"},
        {"fault": "500"},
        {"provider": "flexe", "fault": "500", "times": 0},
    ]
    for body in bad:
        response = await control.call("POST", "/_sandbox/faults", json=body)
        assert response.status == 400, body
