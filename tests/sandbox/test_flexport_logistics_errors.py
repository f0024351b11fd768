"""LAPI auth, problem+json shapes, versions, routing and strict parameters."""

from __future__ import annotations

from .conftest import LAPI_PREFIX, LapiApi, lapi_problem


async def test_missing_or_wrong_token_is_401(lapi: LapiApi) -> None:
    for headers in (
        {},
        {"Authorization": "Bearer nope"},
        {"Authorization": "Token sandbox-flexport-logistics-token"},
        {"Authorization": "Bearer sandbox-flexe-token"},
    ):
        problem = await lapi.problem(
            "GET", "/outbounds/71001", 401, auth=False, headers=headers
        )
        assert problem["detail"] == "The access token is invalid"
        assert problem["code"] == 401
        assert problem["title"] == "Unauthorized"
    response = await lapi.call("GET", "/nowhere", auth=False)
    assert response.status == 401, "auth runs before routing"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    lower = await lapi.call(
        "GET",
        "/outbounds/71001",
        auth=False,
        headers={"Authorization": "bearer sandbox-flexport-logistics-token"},
    )
    assert lower.status == 200


async def test_success_carries_a_correlation_id_and_json(lapi: LapiApi) -> None:
    response = await lapi.call("GET", "/outbounds/71001")
    assert response.status == 200
    assert response.content_type == "application/json"
    ids = {
        response.headers["x-correlation-id"],
        (await lapi.call("GET", "/outbounds/71001")).headers["x-correlation-id"],
    }
    assert len(ids) == 2
    assert all(len(i) == 36 and i[14] == "4" for i in ids), "UUID v4"


async def test_other_versions_and_unknown_paths_are_404(lapi: LapiApi) -> None:
    for version in ("2023-10", "2024-07", "unstable", "2024-041"):
        response = await lapi.client.get(
            f"{LAPI_PREFIX}/logistics/api/{version}/outbounds/71001",
            headers={"Authorization": "Bearer sandbox-flexport-logistics-token"},
        )
        problem = lapi_problem(response, await response.json(content_type=None))
        assert response.status == 404
        assert problem["detail"] == f"API version {version} is not served; use 2024-04"
    problem = await lapi.problem("GET", "/parcels", 404)
    assert problem["detail"].startswith("No such resource")


async def test_wrong_method_is_400_with_allow(lapi: LapiApi) -> None:
    response = await lapi.call("DELETE", "/outbounds/71001")
    problem = lapi_problem(response, await response.json(content_type=None))
    assert response.status == 400
    assert "GET" in response.headers["Allow"]
    assert problem["detail"].startswith("Method DELETE is not allowed")


async def test_unknown_and_repeated_parameters_are_400(lapi: LapiApi) -> None:
    assert (
        await lapi.problem("GET", "/outbounds/71001", 400, params={"expand": "all"})
    )["detail"] == "Unknown query parameter expand"
    assert (
        await lapi.problem(
            "POST", "/outbounds/71001/cancel", 400, params={"force": "true"}
        )
    )["detail"] == "Unknown query parameter force"
