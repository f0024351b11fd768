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


# --- Flxpoint (X-API-TOKEN auth, bare-array page-number lists) ---------------

FLXPOINT_TOKEN = SANDBOX_TOKENS["flxpoint"]
FLXPOINT_AUTH = {"X-API-TOKEN": FLXPOINT_TOKEN}


class FlxpointApi(Api):
    """Raw requests under /flxpoint; every call carries `X-API-TOKEN` only."""

    async def call(
        self,
        method: str,
        path: str,
        *,
        auth: bool = True,
        headers: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> ClientResponse:
        merged = {**(FLXPOINT_AUTH if auth else {}), **(headers or {})}
        return await self.client.request(
            method, self.prefix + path, headers=merged, **kwargs
        )

    async def put(self, path: str, body: Any, expect: int = 200) -> Any:
        return await self.json("PUT", path, expect, json=body)

    async def pages(
        self,
        path: str,
        params: Params | None = None,
        *,
        names: tuple[str, str] = ("filterPageNumber", "filterPageSize"),
        size: int = 100,
    ) -> tuple[list[Any], int]:
        """Walk 1-based pages until a short or empty one: (all items, requests)."""
        base = (
            list(params.items()) if isinstance(params, Mapping) else list(params or [])
        )
        items: list[Any] = []
        number = 0
        while True:
            number += 1
            page = await self.get(
                path, [*base, (names[0], str(number)), (names[1], str(size))]
            )
            assert isinstance(page, list)
            items.extend(page)
            if len(page) < size:
                return items, number


def flxpoint_error(body: Any) -> str:
    """The message of a Flxpoint error body, after checking it is `{"error": str}`."""
    assert isinstance(body, dict)
    assert set(body) == {"error"}, body
    message = body["error"]
    assert isinstance(message, str)
    assert message
    return message


@pytest.fixture
def flxpoint(client: TestClient[web.Request, web.Application]) -> FlxpointApi:
    return FlxpointApi(client, "/flxpoint")


# --- Flexport API v3 (Bearer + Flexport-Version: 3, /api/response envelope) ---

FLEXPORT_V3_TOKEN = SANDBOX_TOKENS["flexport_v3"]
FLEXPORT_V3_HEADERS = {
    "Authorization": f"Bearer {FLEXPORT_V3_TOKEN}",
    "Flexport-Version": "3",
}


class FlexportV3Api(Api):
    """Raw requests under /flexport-v3 carrying the v3 token and version header."""

    async def call(
        self,
        method: str,
        path: str,
        *,
        auth: bool = True,
        headers: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> ClientResponse:
        merged = {**(FLEXPORT_V3_HEADERS if auth else {}), **(headers or {})}
        return await self.client.request(
            method, self.prefix + path, headers=merged, **kwargs
        )

    async def data(
        self, path: str, params: Params | None = None, expect: int = 200
    ) -> Any:
        """GET, check the success envelope, return its `data`."""
        body = await self.get(path, params, expect)
        return v3_data(body)

    async def upsert(self, body: Any, expect: int = 200) -> Any:
        return v3_data(await self.post("/purchase_orders", body, expect))

    async def walk(
        self, path: str, params: Params | None = None
    ) -> tuple[list[Any], int, int]:
        """Follow absolute `next` links to the end: (items, total_count, pages)."""
        page = await self.data(path, params)
        items, total, pages = list(page["data"]), page["total_count"], 1
        while page["next"] is not None:
            response = await self.client.session.get(
                page["next"], headers=FLEXPORT_V3_HEADERS
            )
            assert response.status == 200, await response.text()
            page = v3_data(await response.json())
            assert page["total_count"] == total
            items.extend(page["data"])
            pages += 1
        return items, total, pages


def v3_data(body: Any) -> Any:
    """The `data` of a v3 success envelope, after checking the envelope."""
    assert set(body) == {"_object", "self", "version", "data", "error"}, body
    assert body["_object"] == "/api/response"
    assert body["version"] == 3
    assert body["error"] is None
    assert body["self"].startswith("http://127.0.0.1:")
    return body["data"]


def v3_error(body: Any) -> dict[str, Any]:
    """The `/api/error` of a v3 error envelope, after checking both shapes."""
    assert set(body) == {"_object", "self", "version", "data", "error"}, body
    assert (body["_object"], body["version"], body["data"]) == (
        "/api/response",
        3,
        None,
    )
    error: dict[str, Any] = body["error"]
    assert set(error) == {"_object", "status", "code", "message"}, error
    assert error["_object"] == "/api/error"
    assert isinstance(error["message"], str)
    assert error["message"]
    return error


def po_body(**changes: Any) -> dict[str, Any]:
    """A valid V3 body (dates after the default anchor, 2026-11-01)."""
    body: dict[str, Any] = {
        "name": "PO-TEST-1",
        "status": "open",
        "priority": "standard",
        "order_class": "purchase_order",
        "currency_code": "USD",
        "parties": [
            {"role": "buyer", "external_ref": "northwind-us"},
            {"role": "seller", "external_ref": "hanoi-knitworks-vn"},
        ],
        "cargo_ready_date": "2026-12-01",
        "must_arrive_date": "2027-01-10",
        "transportation_mode": "ocean",
        "incoterm": "FOB",
        "line_items": [
            {
                "item_key": "1",
                "product": {"sku": "SKU-10001"},
                "units": "500",
                "unit_cost": {"_object": "/money", "amount": "4.65"},
                "line_type": "main_line",
                "unit_of_measure": "EA",
            },
            {
                "item_key": "2",
                "product": {"sku": "NEW-SKU-1", "name": "Cool Product 123"},
                "units": 240,
                "unit_of_measure": "PCS",
            },
        ],
    }
    body.update(changes)
    return body


@pytest.fixture
def flexport_v3(client: TestClient[web.Request, web.Application]) -> FlexportV3Api:
    return FlexportV3Api(client, "/flexport-v3")


# --- Flexport Logistics API (LAPI: Bearer, /logistics/api/2024-04, problem+json) ---

LAPI_TOKEN = SANDBOX_TOKENS["flexport_logistics"]
LAPI_AUTH = {"Authorization": f"Bearer {LAPI_TOKEN}"}
LAPI_PREFIX = "/flexport-logistics"
LAPI_BASE = LAPI_PREFIX + "/logistics/api/2024-04"
PROBLEM_KEYS = {"type", "title", "status", "detail", "instance", "code", "message"}


class LapiApi(Api):
    """Raw requests under /flexport-logistics/logistics/api/2024-04 with the LAPI
    token; bodies are read whatever their JSON content type (problem+json too)."""

    async def call(
        self,
        method: str,
        path: str,
        *,
        auth: bool = True,
        headers: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> ClientResponse:
        merged = {**(LAPI_AUTH if auth else {}), **(headers or {})}
        return await self.client.request(
            method, self.prefix + path, headers=merged, **kwargs
        )

    async def json(
        self, method: str, path: str, expect: int = 200, **kwargs: Any
    ) -> Any:
        response = await self.call(method, path, **kwargs)
        body = await response.text()
        assert response.status == expect, f"{method} {path}: {response.status} {body}"
        return await response.json(content_type=None)

    async def problem(
        self, method: str, path: str, expect: int, **kwargs: Any
    ) -> dict[str, Any]:
        """The problem+json body of an error answer, after checking its shape."""
        response = await self.call(method, path, **kwargs)
        body = await response.json(content_type=None)
        assert response.status == expect, f"{method} {path}: {response.status} {body}"
        return lapi_problem(response, body)


def lapi_problem(response: ClientResponse, body: Any) -> dict[str, Any]:
    """Check the §2.5 union body and headers; return the body."""
    assert response.content_type == "application/problem+json"
    assert response.headers["Content-Language"] == "en"
    assert isinstance(body, dict)
    assert set(body) == PROBLEM_KEYS, body
    assert body["status"] == response.status
    assert body["instance"] == response.headers["x-correlation-id"]
    assert body["message"] == body["detail"]
    assert body["type"].endswith(
        f"#section/Errors/{response.status}-{body['title'].replace(' ', '-')}"
    )
    return body


@pytest.fixture
def lapi(client: TestClient[web.Request, web.Application]) -> LapiApi:
    return LapiApi(client, LAPI_BASE)


@pytest.fixture
def unlimited(sandbox: Sandbox) -> None:
    """Tests that make more than LAPI's burst of 20 calls on a frozen clock."""
    sandbox.settings.rate_limits = False


def _plain(value: Any) -> Any:
    """A response object without its `_object` keys (what a V3 body sends)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k != "_object"}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def po_body_from(po: dict[str, Any]) -> dict[str, Any]:
    """The V3 body that re-sends an expanded V2 PO unchanged (a no-op amendment)."""
    keep = (
        "name", "status", "priority", "order_type", "incoterm", "transportation_mode",
        "cargo_ready_date", "must_arrive_date", "issue_date", "origin_address",
        "destination_addresses", "memo", "freight_payment_terms", "metadata",
    )  # fmt: skip
    body = {key: _plain(po[key]) for key in keep}
    body["order_class"] = "purchase_order"
    for port in ("origin_port", "destination_port"):
        place = po[port]
        body[port] = (
            None if place is None else {"unlocode": place["address"]["unlocode"]}
        )
    body["parties"] = [
        {
            "role": p["role"],
            "external_ref": p["company_entity"]["ref"],
            "contacts": _plain(p["contacts"]),
            "location_address": _plain(p["location_address"]),
        }
        for p in po["parties"]
    ]
    line_keys = (
        "item_key", "line_type", "parent_line_key", "units", "unit_cost", "product",
        "incoterm", "transportation_mode", "unit_of_measure", "must_arrive_date",
        "cargo_ready_date", "origin_address", "hs_codes", "measurements", "metadata",
        "destination_addresses",
    )  # fmt: skip
    lines = []
    for line in po["line_items"]["data"]:
        item = {key: _plain(line[key]) for key in line_keys}
        for port in ("origin_port", "destination_port"):
            place = line[port]
            item[port] = (
                None if place is None else {"unlocode": place["address"]["unlocode"]}
            )
        party = line["assigned_party"]
        item["assigned_party"] = (
            None if party is None else {"external_ref": party["ref"]}
        )
        lines.append(item)
    body["line_items"] = lines
    return body
