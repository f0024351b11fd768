"""Sandbox test fixtures: a small seeded sandbox on 127.0.0.1, a raw HTTP helper."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from aiohttp import ClientResponse, web
from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient

from gateway.sandbox import (
    SANDBOX_KEY,
    SANDBOX_TOKENS,
    Sandbox,
    SandboxConfig,
    create_sandbox,
)

TOKEN = SANDBOX_TOKENS["flexe"]
AUTH = {"Authorization": f"Bearer {TOKEN}"}
Params = Mapping[str, Any] | list[tuple[str, str]]


class FakeClock:
    """Wall-clock seconds that only move when a test says so."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


class Api:
    """Raw requests to one provider prefix; every call carries the sandbox token."""

    def __init__(
        self, client: TestClient[web.Request, web.Application], prefix: str
    ) -> None:
        self.client = client
        self.prefix = prefix

    async def call(
        self,
        method: str,
        path: str,
        *,
        auth: bool = True,
        headers: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> ClientResponse:
        merged = {**(AUTH if auth else {}), **(headers or {})}
        return await self.client.request(
            method, self.prefix + path, headers=merged, **kwargs
        )

    async def json(
        self, method: str, path: str, expect: int = 200, **kwargs: Any
    ) -> Any:
        response = await self.call(method, path, **kwargs)
        body = await response.text()
        assert response.status == expect, f"{method} {path}: {response.status} {body}"
        return await response.json()

    async def get(
        self, path: str, params: Params | None = None, expect: int = 200
    ) -> Any:
        return await self.json("GET", path, expect, params=params)

    async def post(self, path: str, body: Any = None, expect: int = 200) -> Any:
        return await self.json("POST", path, expect, json=body)

    async def patch(self, path: str, body: Any, expect: int = 200) -> Any:
        return await self.json("PATCH", path, expect, json=body)

    async def collect(
        self, path: str, collection: str, params: Params | None = None
    ) -> tuple[list[Any], int]:
        """Follow continuation tokens to the end: (all items, first page total)."""
        base = (
            list(params.items()) if isinstance(params, Mapping) else list(params or [])
        )
        page = await self.get(path, base)
        items, total = list(page[collection]), page["total"]
        while page["continuationToken"] is not None:
            page = await self.get(
                path, [*base, ("continuationToken", page["continuationToken"])]
            )
            items.extend(page[collection])
        assert page["continuationToken"] is None
        return items, total


def only_error(body: dict[str, Any]) -> dict[str, Any]:
    """The single entry of a Flexe error body, after checking the envelope."""
    assert set(body) == {"errors", "correlationId"}
    assert isinstance(body["correlationId"], str)
    assert body["correlationId"]
    assert len(body["errors"]) == 1, body
    error: dict[str, Any] = body["errors"][0]
    assert set(error) == {"code", "message", "field"}
    return error


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def config(clock: FakeClock) -> SandboxConfig:
    # A smaller world keeps each test's seeding in the low milliseconds.
    return SandboxConfig(order_count=120, clock=clock, fault_timeout_s=0.05)


@pytest.fixture
def app(config: SandboxConfig) -> web.Application:
    return create_sandbox(config)


@pytest.fixture
def sandbox(app: web.Application) -> Sandbox:
    return app[SANDBOX_KEY]


@pytest.fixture
async def client(
    aiohttp_client: AiohttpClient, app: web.Application
) -> TestClient[web.Request, web.Application]:
    return await aiohttp_client(app)


@pytest.fixture
def flexe(client: TestClient[web.Request, web.Application]) -> Api:
    return Api(client, "/flexe")


@pytest.fixture
def control(client: TestClient[web.Request, web.Application]) -> Api:
    return Api(client, "")


ORDER_BODY: dict[str, Any] = {
    "externalId": "SO-TEST-1",
    "reservationId": "res-seattle-01",
    "labels": {"channel": "shopify"},
    "recipient": {
        "name": "Ada Lovelace",
        "phone": "+1-555-010-0000",
        "email": "ada@example.com",
        "address": {
            "line1": "1 Analytical Way",
            "city": "Seattle",
            "region": "WA",
            "postcode": "98101",
            "country": "US",
        },
    },
    "shipping": {"serviceType": "ground"},
    "lines": [
        {"externalId": "L1", "sku": "SKU-10001", "quantity": 2},
        {
            "externalId": "L2",
            "sku": "SKU-10002",
            "quantity": 3,
            "unitOfMeasure": "each",
        },
    ],
}


def order_body(**changes: Any) -> dict[str, Any]:
    return {**ORDER_BODY, **changes}
