"""Bounded memory and time per request: body size, token count, cache weight."""

from __future__ import annotations

import asyncio
import io
import json
import time
from typing import Any

import aiohttp
from aiohttp.test_utils import TestClient, TestServer
from graphql import parse

from gateway.app import create_app
from gateway.settings import LimitSettings, Settings
from schema.caches import DocumentStore, Entry, store_for, weight_of
from tests.api.mutations import ATTACHMENT_CREATE, ORDER_CREATE, order_input
from tests.conftest import all_providers

Client = TestClient  # type: ignore[type-arg]
QUERY = "{ orders(first: 1) { edges { node { id } } } }"
# Just under the default 1 MiB body: only the token limit can refuse it.
HOSTILE = "{ " + "__typename " * 95_000 + "}"
JSON = {"Content-Type": "application/json"}


def body(payload: object) -> io.BytesIO:
    """A JSON body aiohttp streams (a large bytes body would warn)."""
    return io.BytesIO(json.dumps(payload).encode())


async def test_a_body_over_the_limit_is_413_json(gateway: Client) -> None:
    payload = {"query": "{ __typename }", "pad": "x" * (2 * 1024 * 1024)}
    resp = await gateway.post("/graphql", data=body(payload), headers=JSON)
    assert resp.status == 413
    assert resp.content_type == "application/json"
    [error] = (await resp.json())["errors"]
    assert error["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
    assert error["message"].endswith(f"limit is {1024 * 1024} bytes.")


async def test_a_chunked_body_over_the_limit_is_413_json(gateway: Client) -> None:
    async def chunks() -> Any:
        for _ in range(3):
            yield b"x" * (1024 * 1024)

    resp = await gateway.post(
        "/graphql", data=chunks(), headers={"Content-Type": "application/json"}
    )
    assert resp.status == 413
    [error] = (await resp.json())["errors"]
    assert error["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
    assert f"limit is {1024 * 1024} bytes" in error["message"]


async def test_a_megabyte_query_is_refused_fast_and_kept_nowhere(
    gateway: Client, settings: Settings
) -> None:
    assert len(HOSTILE) > 1_000_000
    store = store_for(settings.limits)
    before = (len(store), store.nbytes)

    async def hostile() -> tuple[float, aiohttp.ClientResponse]:
        start = time.perf_counter()
        resp = await gateway.post(
            "/graphql", data=body({"query": HOSTILE}), headers=JSON
        )
        await resp.read()
        return time.perf_counter() - start, resp

    async def health() -> tuple[float, int]:
        await asyncio.sleep(0.01)
        start = time.perf_counter()
        resp = await gateway.get("/healthz")
        return time.perf_counter() - start, resp.status

    (took, resp), (health_took, health_status) = await asyncio.gather(
        hostile(), health()
    )
    assert took < 1.0
    assert health_status == 200
    assert health_took < 1.0
    assert resp.status == 200
    [error] = (await resp.json())["errors"]
    assert error["extensions"] == {"code": "MAX_TOKENS_EXCEEDED", "limit": 5000}
    assert "limit is 5000 tokens" in error["message"]
    assert (len(store), store.nbytes) == before

    accept = {"Accept": "application/graphql-response+json", **JSON}
    spec = await gateway.post("/graphql", data=body({"query": HOSTILE}), headers=accept)
    assert spec.status == 400
    assert "data" not in await spec.json()


async def test_a_normal_query_still_works_and_is_cached_once(
    gateway: Client, settings: Settings
) -> None:
    store = store_for(settings.limits)
    query = "{ orders(first: 2) { edges { node { id } } } __typename }"
    assert store.get(query, settings.limits.max_tokens) is None
    for _ in range(2):
        resp = await gateway.post("/graphql", json={"query": query})
        assert resp.status == 200
        body = await resp.json()
        assert len(body["data"]["orders"]["edges"]) == 2
        assert body["extensions"]["cost"]["requestedQueryCost"] > 0
    entry = store.get(query, settings.limits.max_tokens)
    assert entry is not None
    assert entry.weight == weight_of(query)
    assert entry.shapes  # the cost analysis is kept with the document
    assert entry.errors == {next(iter(entry.errors)): []}


async def test_the_token_limit_follows_the_settings(
    aiohttp_client: Any, settings: Settings
) -> None:
    settings.limits.max_tokens = 10
    client: Client = await aiohttp_client(create_app(settings))
    resp = await client.post("/graphql", json={"query": QUERY})
    [error] = (await resp.json())["errors"]
    assert error["extensions"]["code"] == "MAX_TOKENS_EXCEEDED"
    assert error["extensions"]["limit"] == 10


def test_the_store_is_bounded_by_weight_and_skips_a_heavy_document() -> None:
    document = parse("{ __typename }")
    store = DocumentStore(maxsize=100, max_bytes=3 * weight_of("{ a }"))
    for name in "abcd":
        store.put(f"{{ {name} }}", 10, Entry(document, weight_of("{ a }")))
    assert len(store) == 3
    assert store.nbytes == 3 * weight_of("{ a }")
    assert store.get("{ a }", 10) is None  # the oldest went first
    store.put("{ heavy }", 10, Entry(document, store.max_bytes + 1))
    assert store.get("{ heavy }", 10) is None
    assert len(store) == 3


def test_cache_bytes_bound_the_gateway_store() -> None:
    limits = LimitSettings(cache_bytes=weight_of("{ a }"))
    store = store_for(limits)
    assert store.max_bytes == weight_of("{ a }")
    assert store.maxsize == limits.cache_size


async def test_the_upload_route_keeps_its_own_limit(
    aiohttp_client: Any, sandbox: TestServer
) -> None:
    settings = all_providers(sandbox)
    settings.limits.max_body_bytes = 16 * 1024
    settings.limits.max_upload_bytes = 64 * 1024
    client: Client = await aiohttp_client(create_app(settings))
    created = await client.post(
        "/graphql",
        json={
            "query": ORDER_CREATE,
            "variables": {"input": order_input("FLEXE", "DTC", "GW-LIMITS-1")},
        },
    )
    order = (await created.json())["data"]["orderCreate"]["order"]
    form = aiohttp.FormData()
    operations = {
        "query": ATTACHMENT_CREATE,
        "variables": {
            "input": {"orderId": order["id"], "documentType": "other", "file": None}
        },
    }
    form.add_field("operations", json.dumps(operations))
    form.add_field("map", json.dumps({"0": ["variables.input.file"]}))
    form.add_field("0", b"%PDF-" + b"x" * (60 * 1024), filename="big.pdf")
    resp = await client.post("/graphql/upload", data=form)
    assert resp.status == 200, await resp.text()
    payload = (await resp.json())["data"]["attachmentCreate"]
    assert payload["userErrors"] == []
    assert payload["attachment"]["id"]
