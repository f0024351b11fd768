"""Flexport v3 auth, version header, token-bucket rate limit and injected faults."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.sandbox import SandboxConfig

from .conftest import (
    FLEXPORT_V3_HEADERS,
    FakeClock,
    FlexportV3Api,
    po_body,
    v3_error,
)

V3 = {"Flexport-Version": "3"}


@pytest.fixture
def config(clock: FakeClock) -> SandboxConfig:
    return SandboxConfig(order_count=5, clock=clock, fault_timeout_s=0.05)


async def _status(api: FlexportV3Api, **kwargs: Any) -> int:
    response = await api.call("GET", "/purchase_orders/1", **kwargs)
    await response.read()
    return response.status


async def test_bad_tokens_are_401(flexport_v3: FlexportV3Api) -> None:
    for authorization in [
        None,
        "Bearer wrong",
        "Bearer sandbox-flexe-token",
        "Basic c2FuZGJveA==",
        "Bearer ",
    ]:
        headers = {**V3, **({"Authorization": authorization} if authorization else {})}
        response = await flexport_v3.call(
            "GET", "/purchase_orders", auth=False, headers=headers
        )
        assert response.status == 401, authorization
        assert response.headers["WWW-Authenticate"] == 'Bearer realm="flexport"'
        error = v3_error(await response.json())
        assert (error["status"], error["code"], error["message"]) == (
            401,
            "unauthorized",
            "Invalid API token",
        )


async def test_bearer_is_case_insensitive_and_auth_precedes_routing(
    flexport_v3: FlexportV3Api,
) -> None:
    token = FLEXPORT_V3_HEADERS["Authorization"].split()[1]
    lower = {**V3, "Authorization": f"bearer {token}"}
    response = await flexport_v3.call(
        "GET", "/purchase_orders", auth=False, headers=lower, params={"per": "1"}
    )
    assert response.status == 200
    assert await _status(flexport_v3, auth=False) == 401
    nowhere = await flexport_v3.call("GET", "/nowhere", auth=False)
    assert nowhere.status == 401


async def test_version_header_is_required(flexport_v3: FlexportV3Api) -> None:
    for version, message in [
        (None, "Missing Flexport-Version header; supported versions: 3"),
        ("2", "Unsupported Flexport-Version '2'; supported versions: 3"),
        ("three", "Unsupported Flexport-Version 'three'; supported versions: 3"),
    ]:
        headers = {"Authorization": FLEXPORT_V3_HEADERS["Authorization"]}
        if version is not None:
            headers["Flexport-Version"] = version
        response = await flexport_v3.call(
            "GET", "/purchase_orders", auth=False, headers=headers
        )
        assert response.status == 400
        error = v3_error(await response.json())
        assert (error["code"], error["message"]) == ("invalid_version", message)


async def test_bucket_of_ten_refills_five_a_second(
    flexport_v3: FlexportV3Api, clock: FakeClock
) -> None:
    for _ in range(3):
        assert await _status(flexport_v3, auth=False) == 401, "401s are free"
        assert await _status(flexport_v3, headers={"Flexport-Version": "9"}) == 400
    for _ in range(10):
        assert await _status(flexport_v3) == 404
    limited = await flexport_v3.call("GET", "/purchase_orders", params={"per": "1"})
    assert limited.status == 429
    assert limited.headers["Retry-After"] == "1"
    error = v3_error(await limited.json())
    assert (error["code"], error["message"]) == ("rate_limited", "Too many requests")
    assert await _status(flexport_v3) == 429, "a refused call takes no token"
    clock.now += 0.2
    assert await _status(flexport_v3) == 404
    assert await _status(flexport_v3) == 429
    clock.now += 60
    for _ in range(10):
        assert await _status(flexport_v3) == 404, "the bucket holds at most ten"
    assert await _status(flexport_v3) == 429


async def test_rate_limits_off_and_reset(
    flexport_v3: FlexportV3Api, control: FlexportV3Api
) -> None:
    await control.patch("/_sandbox/settings", {"rateLimits": False})
    for _ in range(15):
        assert await _status(flexport_v3) == 404
    await control.patch("/_sandbox/settings", {"rateLimits": True})
    assert await _status(flexport_v3) == 429, "calls made while off still drained it"
    assert (await control.call("POST", "/_sandbox/reset")).status == 204
    assert await _status(flexport_v3) == 404


STATUS_FAULTS = [
    ("404", 404, "not_found", "Couldn't find PurchaseOrder with id 5"),
    ("409", 409, "conflict", "The resource is being modified by another request"),
    ("429", 429, "rate_limited", "Too many requests"),
    ("500", 500, "internal_server_error", "Internal server error"),
    (
        "503",
        503,
        "service_unavailable",
        "Error message received from Http Server, Code 503: Service Unavailable.",
    ),
    (
        "timeout",
        504,
        "gateway_timeout",
        "Error message received from Http Server, Code 504: Gateway Time-out.",
    ),
]


async def test_header_faults_answer_in_the_envelope(
    flexport_v3: FlexportV3Api,
) -> None:
    for fault, status, code, message in STATUS_FAULTS:
        response = await flexport_v3.call(
            "GET",
            "/purchase_orders/5",
            headers={"X-Sandbox-Fault": fault, "X-Sandbox-Retry-After": "7"},
        )
        assert response.status == status
        error = v3_error(await response.json())
        assert (error["status"], error["code"], error["message"]) == (
            status,
            code,
            message,
        )
        retry = response.headers.get("Retry-After")
        assert retry == ("7" if status in (429, 503) else None), fault


async def test_garbage_shape_and_bad_fault_headers(flexport_v3: FlexportV3Api) -> None:
    garbage = await flexport_v3.call(
        "GET", "/purchase_orders", headers={"X-Sandbox-Fault": "garbage"}
    )
    assert (garbage.status, garbage.content_type) == (200, "application/json")
    with pytest.raises(ValueError, match=r"Expecting|Unterminated"):
        await garbage.json()
    shape = await flexport_v3.call(
        "GET", "/purchase_orders", headers={"X-Sandbox-Fault": "shape"}
    )
    assert (shape.status, await shape.json()) == (200, {"unexpected": True})
    teapot = await flexport_v3.call(
        "GET", "/purchase_orders", headers={"X-Sandbox-Fault": "teapot"}
    )
    assert teapot.status == 400
    assert v3_error(await teapot.json())["code"] == "invalid_parameter"
    unauthenticated = await flexport_v3.call(
        "GET", "/purchase_orders", auth=False, headers={"X-Sandbox-Fault": "500"}
    )
    assert unauthenticated.status == 401, "faults apply after auth"


async def test_scheduled_rule_fails_a_write_once(
    flexport_v3: FlexportV3Api, control: FlexportV3Api
) -> None:
    rule = await control.post(
        "/flexport-v3/_sandbox/faults",
        {"method": "POST", "path": "/purchase_orders", "fault": "503", "retryAfter": 2},
        expect=201,
    )
    assert rule["provider"] == "flexport_v3"
    listed = await flexport_v3.call("GET", "/purchase_orders", params={"per": "1"})
    assert listed.status == 200, "other methods are untouched"
    failed = await flexport_v3.call("POST", "/purchase_orders", json=po_body())
    assert (failed.status, failed.headers["Retry-After"]) == (503, "2")
    assert v3_error(await failed.json())["code"] == "service_unavailable"
    created = await flexport_v3.call("POST", "/purchase_orders", json=po_body())
    assert created.status == 201
    log = await control.get("/_sandbox/requests", {"provider": "flexport_v3"})
    assert [(e["method"], e["status"], e["fault"]) for e in log["requests"]] == [
        ("GET", 200, None),
        ("POST", 503, "503"),
        ("POST", 201, None),
    ]


async def test_file_links_skip_auth_version_and_the_limit(
    flexport_v3: FlexportV3Api,
) -> None:
    doc = (await flexport_v3.data("/documents", {"per": "1"}))["data"][0]
    path = f"/_files/{doc['id']}"
    for _ in range(12):
        response = await flexport_v3.call("GET", path, auth=False)
        assert response.status == 200
        await response.read()
    assert await _status(flexport_v3) == 404, "the bucket still has tokens"
