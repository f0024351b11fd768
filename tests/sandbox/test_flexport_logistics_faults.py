"""Fault injection for LAPI: the header and scheduled rules, in problem+json."""

from __future__ import annotations

import pytest

from .conftest import Api, LapiApi

STATUS_FAULTS = [
    ("404", 404, "Not Found"),
    ("409", 409, "Conflict"),
    ("429", 429, "Too Many Requests"),
    ("500", 500, "Internal Server Error"),
    ("503", 503, "Service Unavailable"),
    ("timeout", 504, "Gateway Timeout"),
]


async def test_header_faults_answer_in_problem_json(lapi: LapiApi) -> None:
    for fault, status, title in STATUS_FAULTS:
        headers = {"X-Sandbox-Fault": fault, "X-Sandbox-Retry-After": "7"}
        problem = await lapi.problem("GET", "/outbounds/71001", status, headers=headers)
        assert (problem["title"], problem["code"]) == (title, status)
        response = await lapi.call("GET", "/outbounds/71001", headers=headers)
        assert response.headers.get("Retry-After") == (
            "7" if status in (429, 503) else None
        )
        assert response.headers["x-correlation-id"]
    default = await lapi.call("GET", "/events", headers={"X-Sandbox-Fault": "503"})
    assert default.headers["Retry-After"] == "1"


async def test_garbage_and_shape_faults_are_200s(lapi: LapiApi) -> None:
    garbage = await lapi.call(
        "GET", "/outbounds/71001", headers={"X-Sandbox-Fault": "garbage"}
    )
    assert (garbage.status, garbage.content_type) == (200, "application/json")
    with pytest.raises(ValueError, match=r"Expecting|Unterminated"):
        await garbage.json()
    assert garbage.headers["x-correlation-id"]
    shape = await lapi.call(
        "GET", "/outbounds/71001", headers={"X-Sandbox-Fault": "shape"}
    )
    assert (shape.status, await shape.json()) == (200, {"unexpected": True})


async def test_faults_come_after_auth_and_bad_names_are_400(lapi: LapiApi) -> None:
    assert (
        await lapi.call(
            "GET", "/events", auth=False, headers={"X-Sandbox-Fault": "500"}
        )
    ).status == 401
    problem = await lapi.problem(
        "GET", "/events", 400, headers={"X-Sandbox-Fault": "teapot"}
    )
    assert "X-Sandbox-Fault" in problem["detail"]


async def test_scheduled_rules_match_paths_and_are_logged(
    lapi: LapiApi, control: Api
) -> None:
    rule = await control.post(
        "/flexport-logistics/_sandbox/faults",
        {
            "method": "GET",
            "path": "/logistics/api/2024-04/outbounds/*",
            "fault": "503",
            "times": 2,
            "retryAfter": 3,
        },
        expect=201,
    )
    assert rule["provider"] == "flexport_logistics"
    assert (await lapi.call("GET", "/events", params={"limit": "1"})).status == 200, (
        "other paths pass"
    )
    for _ in range(2):
        response = await lapi.call("GET", "/outbounds/71001")
        assert (response.status, response.headers["Retry-After"]) == (503, "3")
    assert (await lapi.call("GET", "/outbounds/71001")).status == 200, (
        "spent after two uses"
    )
    log = await control.get("/_sandbox/requests", {"provider": "flexport_logistics"})
    assert [
        (e["method"], e["path"], e["status"], e["fault"]) for e in log["requests"]
    ] == [
        ("GET", "/logistics/api/2024-04/events", 200, None),
        ("GET", "/logistics/api/2024-04/outbounds/71001", 503, "503"),
        ("GET", "/logistics/api/2024-04/outbounds/71001", 503, "503"),
        ("GET", "/logistics/api/2024-04/outbounds/71001", 200, None),
    ]
    assert log["requests"][0]["params"] == {"limit": ["1"]}
