"""Auth and the Flexe error envelope under /flexe, unknown routes included."""

from __future__ import annotations

from .conftest import Api, only_error


async def test_missing_or_wrong_token_is_401_unauthorized(flexe: Api) -> None:
    for headers in (
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": "Token sandbox-flexe-token"},
    ):
        response = await flexe.call("GET", "/v2/orders", auth=False, headers=headers)
        assert response.status == 401
        body = await response.json()
        error = only_error(body)
        assert (error["code"], error["field"]) == ("UNAUTHORIZED", None)
        assert response.headers["X-Correlation-Id"] == body["correlationId"]
        assert "X-RateLimit-Limit" not in response.headers


async def test_unknown_route_and_wrong_method_answer_in_flexe_format(
    flexe: Api,
) -> None:
    response = await flexe.call("GET", "/v2/nothing-here")
    assert response.status == 404
    assert only_error(await response.json())["code"] == "NOT_FOUND"
    response = await flexe.call("DELETE", "/v2/orders")
    assert response.status == 405
    assert only_error(await response.json())["code"] == "METHOD_NOT_ALLOWED"
    assert "GET" in response.headers["Allow"]
    unauthenticated = await flexe.call("GET", "/v2/nothing-here", auth=False)
    assert unauthenticated.status == 401


async def test_success_carries_correlation_and_rate_limit_headers(flexe: Api) -> None:
    response = await flexe.call("GET", "/v2/shipments", params={"pageSize": "1"})
    assert response.status == 200
    assert response.headers["X-Correlation-Id"]
    assert response.headers["X-RateLimit-Limit"] == "100"
    assert response.headers["X-RateLimit-Remaining"] == "99"


async def test_body_that_is_not_an_object_is_invalid_body(flexe: Api) -> None:
    for payload in (b"[1, 2]", b"", b"\xff"):
        response = await flexe.call("POST", "/v2/orders", data=payload)
        assert response.status == 400
        assert only_error(await response.json())["code"] == "INVALID_BODY"
