"""Flexe's 100-calls-per-60-seconds window, driven by an injected clock."""

from __future__ import annotations

import pytest

from gateway.sandbox import SandboxConfig

from .conftest import Api, FakeClock, only_error

WINDOW_START = 1_800_000_000.0  # a multiple of 60


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(WINDOW_START + 15)


@pytest.fixture
def config(clock: FakeClock) -> SandboxConfig:
    return SandboxConfig(order_count=5, clock=clock)


async def _spend(flexe: Api, calls: int) -> None:
    for _ in range(calls):
        response = await flexe.call("GET", "/v2/orders/none")
        assert response.status == 404


async def test_101st_call_in_a_window_is_429_until_the_window_ends(
    flexe: Api, clock: FakeClock
) -> None:
    first = await flexe.call("GET", "/v2/orders/none")
    assert first.headers["X-RateLimit-Remaining"] == "99"
    assert first.headers["X-RateLimit-Reset"] == str(int(WINDOW_START) + 60)
    await _spend(flexe, 99)
    clock.now += 10
    limited = await flexe.call("GET", "/v2/orders")
    assert limited.status == 429
    assert limited.headers["Retry-After"] == "35"
    assert limited.headers["X-RateLimit-Limit"] == "100"
    assert limited.headers["X-RateLimit-Remaining"] == "0"
    assert limited.headers["X-RateLimit-Reset"] == str(int(WINDOW_START) + 60)
    assert only_error(await limited.json())["code"] == "RATE_LIMITED"
    clock.now = WINDOW_START + 59.5
    assert (await flexe.call("GET", "/v2/orders")).headers["Retry-After"] == "1"
    clock.now = WINDOW_START + 60
    fresh = await flexe.call("GET", "/v2/orders", params={"pageSize": "1"})
    assert fresh.status == 200
    assert fresh.headers["X-RateLimit-Remaining"] == "99"
    assert fresh.headers["X-RateLimit-Reset"] == str(int(WINDOW_START) + 120)


async def test_unauthenticated_calls_do_not_spend_the_budget(flexe: Api) -> None:
    for _ in range(5):
        assert (await flexe.call("GET", "/v2/orders", auth=False)).status == 401
    response = await flexe.call("GET", "/v2/orders/none")
    assert response.headers["X-RateLimit-Remaining"] == "99"


async def test_rate_limits_off_never_answers_429(flexe: Api, control: Api) -> None:
    await control.patch("/_sandbox/settings", {"rateLimits": False})
    await _spend(flexe, 105)
    await control.patch("/_sandbox/settings", {"rateLimits": True})
    assert (await flexe.call("GET", "/v2/orders")).status == 429


async def test_reset_clears_the_window(flexe: Api, control: Api) -> None:
    await _spend(flexe, 100)
    assert (await flexe.call("GET", "/v2/orders")).status == 429
    assert (await control.call("POST", "/_sandbox/reset")).status == 204
    assert (
        await flexe.call("GET", "/v2/orders", params={"pageSize": "1"})
    ).status == 200
