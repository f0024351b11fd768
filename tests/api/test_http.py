"""The HTTP surface: GraphQL-over-HTTP status codes and media types, health, GraphiQL."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from pydantic import SecretStr

from gateway.app import create_app
from gateway.settings import ProviderSettings, Settings
from tests.conftest import FAST_RETRY

Client = TestClient  # type: ignore[type-arg]
QUERY = "{ orders(first: 1) { edges { node { id } } } }"


async def error_body(resp: Any) -> dict[str, Any]:
    assert resp.content_type in (
        "application/json",
        "application/graphql-response+json",
    )
    body: dict[str, Any] = await resp.json()
    assert body["errors"][0]["message"]
    assert "Traceback" not in str(body)
    return body


async def test_post_and_get_queries(gateway: Client) -> None:
    post = await gateway.post("/graphql", json={"query": QUERY})
    assert post.status == 200
    assert post.content_type == "application/json"
    assert len((await post.json())["data"]["orders"]["edges"]) == 1
    get = await gateway.get("/graphql", params={"query": QUERY})
    assert get.status == 200
    assert (await get.json())["data"]["orders"]["edges"]


async def test_graphql_response_json_is_used_when_accepted(gateway: Client) -> None:
    accept = {"Accept": "application/graphql-response+json, application/json"}
    ok = await gateway.post("/graphql", json={"query": QUERY}, headers=accept)
    assert ok.status == 200
    assert ok.content_type == "application/graphql-response+json"
    bad = await gateway.post("/graphql", json={"query": "{ orders("}, headers=accept)
    assert bad.status == 400
    body = await error_body(bad)
    assert "data" not in body
    invalid = await gateway.post("/graphql", json={"query": "{ nope }"}, headers=accept)
    assert invalid.status == 400
    # With plain JSON the spec keeps 200 for a well-formed HTTP request.
    legacy = await gateway.post("/graphql", json={"query": "{ nope }"})
    assert legacy.status == 200
    assert (
        "Cannot query field 'nope'"
        in (await error_body(legacy))["errors"][0]["message"]
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"data": b"{not json", "headers": {"Content-Type": "application/json"}},
            "parse",
        ),
        ({"json": {"variables": {}}}, "No GraphQL query"),
        ({"json": {"query": 42}}, "must be a string"),
        ({"json": {"query": QUERY, "variables": [1]}}, "must be an object"),
        (
            {"data": b"query=x", "headers": {"Content-Type": "text/plain"}},
            "content type",
        ),
    ],
)
async def test_unparsable_requests_are_400_with_json(
    gateway: Client, kwargs: dict[str, Any], message: str
) -> None:
    resp = await gateway.post("/graphql", **kwargs)
    assert resp.status in (400, 415)
    body = await error_body(resp)
    assert message.lower() in body["errors"][0]["message"].lower()
    assert body["errors"][0]["extensions"]["code"] in (
        "BAD_REQUEST",
        "UNSUPPORTED_MEDIA_TYPE",
    )


async def test_get_without_query_from_api_client_is_400(gateway: Client) -> None:
    resp = await gateway.get("/graphql", headers={"Accept": "application/json"})
    assert resp.status == 400
    await error_body(resp)


async def test_mutation_over_get_is_405(gateway: Client) -> None:
    resp = await gateway.get(
        "/graphql",
        params={"query": "mutation { __typename }"},
        headers={"Accept": "application/json"},
    )
    assert resp.status == 405
    assert "POST" in resp.headers["Allow"]
    await error_body(resp)


async def test_other_methods_are_405_with_json(gateway: Client) -> None:
    resp = await gateway.put("/graphql", json={"query": QUERY})
    assert resp.status == 405
    await error_body(resp)


async def test_unknown_path_is_json_404(gateway: Client) -> None:
    resp = await gateway.get("/nope")
    assert resp.status == 404
    await error_body(resp)


async def test_browser_gets_self_hosted_graphiql(gateway: Client) -> None:
    resp = await gateway.get("/graphql", headers={"Accept": "text/html,*/*;q=0.8"})
    assert resp.status == 200
    assert resp.content_type == "text/html"
    html = await resp.text()
    assert "graphiql" in html.lower()
    assert "unpkg.com" not in html
    assert "cdn" not in html.lower()
    assert "script-src 'self'" in resp.headers["Content-Security-Policy"]


async def test_healthz_and_readyz(gateway: Client) -> None:
    health = await gateway.get("/healthz")
    assert health.status == 200
    assert await health.json() == {"status": "ok"}
    ready = await gateway.get("/readyz")
    assert ready.status == 200
    assert await ready.json() == {"status": "ready", "providers": {"FLEXE": "ok"}}


async def test_readyz_is_503_when_a_provider_is_unreachable(
    aiohttp_client: Any, unused_tcp_port: int
) -> None:
    settings = Settings(
        providers={
            "flexe": ProviderSettings(
                base_url=f"http://127.0.0.1:{unused_tcp_port}/flexe",
                token=SecretStr("t"),
                timeout_s=0.5,
            )
        },
        retry=FAST_RETRY.model_copy(update={"max_retries": 0}),
    )
    client = await aiohttp_client(create_app(settings))
    resp = await client.get("/readyz")
    assert resp.status == 503
    assert await resp.json() == {
        "status": "unavailable",
        "providers": {"FLEXE": "UPSTREAM_UNAVAILABLE"},
    }
