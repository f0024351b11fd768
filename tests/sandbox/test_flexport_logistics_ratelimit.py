"""LAPI's token bucket: 10 requests/s, burst 20, per token, on the injected clock."""

from __future__ import annotations

from .conftest import Api, FakeClock, LapiApi


async def spend(lapi: LapiApi, calls: int) -> None:
    for _ in range(calls):
        assert (await lapi.call("GET", "/outbounds/1")).status == 404


async def test_burst_of_20_then_429_until_tokens_refill(
    lapi: LapiApi, clock: FakeClock
) -> None:
    await spend(lapi, 20)
    problem = await lapi.problem("GET", "/outbounds/71001", 429)
    assert problem["detail"] == "Rate limit exceeded"
    assert problem["title"] == "Too Many Requests"
    limited = await lapi.call("GET", "/outbounds/71001")
    assert limited.headers["Retry-After"] == "1"
    clock.now += 0.1
    assert (await lapi.call("GET", "/outbounds/71001")).status == 200, "one token back"
    assert (await lapi.call("GET", "/outbounds/71001")).status == 429
    clock.now += 1.0
    await spend(lapi, 10)
    assert (await lapi.call("GET", "/outbounds/71001")).status == 429
    clock.now += 60
    await spend(lapi, 20)
    assert (await lapi.call("GET", "/outbounds/71001")).status == 429, (
        "the bucket holds 20"
    )


async def test_bucket_is_per_provider_token(lapi: LapiApi, flexe: Api) -> None:
    await spend(lapi, 20)
    assert (await lapi.call("GET", "/outbounds/71001")).status == 429
    assert (
        await flexe.call("GET", "/v2/orders", params={"pageSize": "1"})
    ).status == 200


async def test_unauthenticated_calls_do_not_drain(lapi: LapiApi) -> None:
    for _ in range(25):
        assert (await lapi.call("GET", "/outbounds/71001", auth=False)).status == 401
    await spend(lapi, 20)
    assert (await lapi.call("GET", "/outbounds/71001")).status == 429


async def test_rate_limits_off_and_reset(lapi: LapiApi, control: Api) -> None:
    await control.patch("/_sandbox/settings", {"rateLimits": False})
    await spend(lapi, 30)
    await control.patch("/_sandbox/settings", {"rateLimits": True})
    assert (await lapi.call("GET", "/outbounds/71001")).status == 429, (
        "calls still drain"
    )
    assert (await control.call("POST", "/_sandbox/reset")).status == 204
    assert (await lapi.call("GET", "/outbounds/71001")).status == 200
