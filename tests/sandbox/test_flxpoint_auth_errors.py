"""Flxpoint auth (X-API-TOKEN only), the `{"error"}` body, strictness, rate limit."""

from __future__ import annotations

import pytest

from gateway.sandbox import SandboxConfig

from .conftest import FLXPOINT_TOKEN, Api, FakeClock, FlxpointApi, flxpoint_error

UNAUTHORIZED = "Invalid or missing X-API-TOKEN"


@pytest.fixture
def config(clock: FakeClock) -> SandboxConfig:
    return SandboxConfig(order_count=5, clock=clock)


async def test_anything_but_a_good_x_api_token_is_401(flxpoint: FlxpointApi) -> None:
    for headers in (
        {},
        {"X-API-TOKEN": "wrong"},
        {"X-API-TOKEN": ""},
        {"X-API-TOKEN": "sandbox-flexe-token"},
        {"Authorization": f"Bearer {FLXPOINT_TOKEN}"},
        {"Authorization": FLXPOINT_TOKEN},
    ):
        response = await flxpoint.call(
            "GET", "/fulfillment-requests", auth=False, headers=headers
        )
        assert response.status == 401, headers
        assert flxpoint_error(await response.json()) == UNAUTHORIZED
        assert "X-Auth-Pool-Size" not in response.headers


async def test_header_name_is_case_insensitive_and_bearer_is_ignored(
    flxpoint: FlxpointApi,
) -> None:
    response = await flxpoint.call(
        "GET",
        "/fulfillment-requests",
        auth=False,
        headers={"x-api-token": FLXPOINT_TOKEN, "Authorization": "Bearer nonsense"},
        params={"filterPageSize": "1"},
    )
    assert response.status == 200
    assert len(await response.json()) == 1


async def test_unknown_route_method_and_parameter_answer_in_flxpoint_format(
    flxpoint: FlxpointApi,
) -> None:
    missing = await flxpoint.call("GET", "/purchase-orders")
    assert (missing.status, flxpoint_error(await missing.json())) == (404, "Not found")
    wrong = await flxpoint.call("DELETE", "/shipments")
    assert wrong.status == 405
    assert "GET" in wrong.headers["Allow"]
    assert flxpoint_error(await wrong.json()).startswith("Method not allowed")
    body = await flxpoint.get("/shipments", {"filterPagesize": "5"}, expect=400)
    assert flxpoint_error(body) == "Unknown parameter filterPagesize"
    body = await flxpoint.get("/fulfillment-requests/4585401", {"x": "1"}, expect=400)
    assert flxpoint_error(body) == "Unknown parameter x"
    unauthenticated = await flxpoint.call("GET", "/purchase-orders", auth=False)
    assert unauthenticated.status == 401, "auth runs before routing"


async def test_malformed_bodies_are_400_never_422(flxpoint: FlxpointApi) -> None:
    for payload, message in (
        (b"{nope", "Request body is not valid JSON"),
        (b"\xff", "Request body is not valid JSON"),
        (b"[1, 2]", "body must be an object"),
        (b"", "body must be an object"),
    ):
        response = await flxpoint.call("POST", "/shipments", data=payload)
        assert response.status == 400
        assert flxpoint_error(await response.json()) == message


async def test_unknown_body_field_is_400(flxpoint: FlxpointApi) -> None:
    body = await flxpoint.json(
        "POST",
        "/shipments",
        400,
        json={
            "purchaseOrderId": 4585401,
            "shipment": {"trackingNumber": "T", "colour": 1},
        },
    )
    assert flxpoint_error(body) == "Unknown field shipment.colour"


# --- rate limit: a bucket of 40 per token, +2 tokens per second ---------------


async def _spend(flxpoint: FlxpointApi, calls: int) -> None:
    for _ in range(calls):
        response = await flxpoint.call("GET", "/shipments/1")
        assert response.status == 404


async def test_bucket_empties_after_40_calls_and_refills_at_two_per_second(
    flxpoint: FlxpointApi, clock: FakeClock
) -> None:
    first = await flxpoint.call("GET", "/shipments/1")
    assert first.headers["X-Auth-Pool-Size"] == "40"
    assert first.headers["X-Auth-Pool-Used"] == "1"
    assert first.headers["X-Auth-Replenished-Per-Second"] == "2"
    await _spend(flxpoint, 39)
    limited = await flxpoint.call("GET", "/fulfillment-requests")
    assert limited.status == 429
    assert limited.headers["Retry-After"] == "1"
    assert limited.headers["X-Auth-Pool-Used"] == "40"
    assert limited.headers["X-Auth-Pool-Size"] == "40"
    assert flxpoint_error(await limited.json()) == (
        "Rate limit exceeded (2 requests/second)"
    )
    clock.now += 0.25  # half a token back: still nothing whole to spend
    assert (await flxpoint.call("GET", "/shipments/1")).status == 429
    clock.now += 0.25
    again = await flxpoint.call("GET", "/shipments/1")
    assert (again.status, again.headers["X-Auth-Pool-Used"]) == (404, "40")
    assert (await flxpoint.call("GET", "/shipments/1")).status == 429
    clock.now += 5  # ten tokens back
    refilled = await flxpoint.call("GET", "/shipments/1")
    assert refilled.headers["X-Auth-Pool-Used"] == "31"
    clock.now += 3600
    full = await flxpoint.call("GET", "/shipments/1")
    assert full.headers["X-Auth-Pool-Used"] == "1", "the pool never exceeds 40"


async def test_errors_and_401s_carry_or_spare_the_pool(flxpoint: FlxpointApi) -> None:
    for _ in range(3):
        response = await flxpoint.call("GET", "/shipments", auth=False)
        assert response.status == 401
    bad = await flxpoint.call("GET", "/shipments", params={"nope": "1"})
    assert bad.status == 400
    assert bad.headers["X-Auth-Pool-Used"] == "1", "401s do not spend tokens"


async def test_rate_limits_off_never_429s_but_still_counts(
    flxpoint: FlxpointApi, control: Api
) -> None:
    await control.patch("/_sandbox/settings", {"rateLimits": False})
    await _spend(flxpoint, 45)
    response = await flxpoint.call("GET", "/shipments/1")
    assert (response.status, response.headers["X-Auth-Pool-Used"]) == (404, "40")
    await control.patch("/_sandbox/settings", {"rateLimits": True})
    assert (await flxpoint.call("GET", "/shipments/1")).status == 429


async def test_reset_refills_the_bucket(flxpoint: FlxpointApi, control: Api) -> None:
    await _spend(flxpoint, 40)
    assert (await flxpoint.call("GET", "/shipments/1")).status == 429
    assert (await control.call("POST", "/_sandbox/reset")).status == 204
    response = await flxpoint.call("GET", "/shipments/1")
    assert (response.status, response.headers["X-Auth-Pool-Used"]) == (404, "1")
