"""Partial failure: a failing provider call fails only the fields that needed it."""

from __future__ import annotations

from tests.conftest import GQL, SandboxControl

BOARD = "{ orders(first: 10) { edges { node { id status lines { sku quantity } } } } }"


async def test_transient_503_on_lines_is_retried(
    gql: GQL, control: SandboxControl
) -> None:
    await control.fault("/v2/lines", "503", times=1)
    body = await gql(BOARD)
    assert "errors" not in body
    assert all(e["node"]["lines"] for e in body["data"]["orders"]["edges"])
    assert await control.count("flexe", "/v2/lines") == 2


async def test_persistent_503_on_lines_keeps_orders_and_names_provider(
    gql: GQL, control: SandboxControl
) -> None:
    await control.fault("/v2/lines", "503", times=None)
    body = await gql(BOARD)
    edges = body["data"]["orders"]["edges"]
    assert len(edges) == 10
    assert all(e["node"]["id"] and e["node"]["lines"] is None for e in edges)
    assert all(e["node"]["status"] for e in edges)
    assert len(body["errors"]) == 10
    error = body["errors"][0]
    assert error["path"][-1] == "lines"
    assert error["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
    assert error["extensions"]["provider"] == "FLEXE"
    assert error["extensions"]["retryable"] is True
    assert error["message"].startswith("flexe:")


async def test_failing_list_call_is_a_typed_error_not_a_crash(
    gql: GQL, control: SandboxControl
) -> None:
    await control.fault("/v2/orders", "garbage", times=None)
    body = await gql(BOARD)
    assert body["data"] == {"orders": None}
    assert body["errors"][0]["extensions"]["code"] == "UPSTREAM_INVALID_RESPONSE"
    assert "Traceback" not in str(body)
