"""LAPI webhook subscriptions (L17-L18): one per type, stored, never echoing secrets."""

from __future__ import annotations

from .conftest import LapiApi


async def test_create_list_delete(lapi: LapiApi) -> None:
    created = await lapi.post(
        "/webhooks",
        {
            "type": "Order.Shipped",
            "url": "https://hooks.example.com/lapi",
            "method": "PUT",
            "authMethod": "TOKEN",
            "token": "s3cret",
            "tokenHeader": "X-Token",
        },
        expect=202,
    )
    assert created == {
        "id": created["id"],
        "type": "Order.Shipped",
        "url": "https://hooks.example.com/lapi",
        "method": "PUT",
        "authMethod": "TOKEN",
        "username": None,
        "tokenHeader": "X-Token",
        "createdAt": created["createdAt"],
    }
    basic = await lapi.post(
        "/webhooks",
        {
            "type": "Outbound.StatusChanged",
            "url": "https://hooks.example.com/b",
            "authMethod": "BASIC_AUTH",
            "username": "u",
            "password": "p",
        },
        expect=202,
    )
    assert (basic["method"], basic["username"]) == ("POST", "u")
    assert "password" not in basic
    plain = await lapi.post(
        "/webhooks",
        {"type": "Order.Created", "url": "https://hooks.example.com/c"},
        expect=202,
    )
    assert plain["authMethod"] == "NONE"
    assert [w["id"] for w in await lapi.get("/webhooks")] == [
        created["id"],
        basic["id"],
        plain["id"],
    ]
    assert (await lapi.call("DELETE", f"/webhooks/{basic['id']}")).status == 204
    assert [w["type"] for w in await lapi.get("/webhooks")] == [
        "Order.Shipped",
        "Order.Created",
    ]
    assert (await lapi.problem("DELETE", f"/webhooks/{basic['id']}", 404))[
        "detail"
    ] == f"Cannot find webhook {basic['id']}"


async def test_one_subscription_per_type(lapi: LapiApi) -> None:
    body = {"type": "Shipment.Shipped", "url": "https://hooks.example.com/a"}
    await lapi.post("/webhooks", body, expect=202)
    problem = await lapi.problem(
        "POST", "/webhooks", 409, json={**body, "url": "https://hooks.example.com/b"}
    )
    assert problem["detail"] == "A webhook for Shipment.Shipped already exists"


async def test_validation(lapi: LapiApi) -> None:
    for body, detail in [
        (
            {"type": "Order.Teleported", "url": "https://x.example"},
            "type must be one of ",
        ),
        (
            {"type": "Order.Shipped", "url": "http://x.example"},
            "url must be an https URL",
        ),
        (
            {
                "type": "Order.Shipped",
                "url": "https://x.example",
                "authMethod": "TOKEN",
            },
            "token is required when authMethod is TOKEN; tokenHeader is required when authMethod is TOKEN",
        ),
        (
            {
                "type": "Order.Shipped",
                "url": "https://x.example",
                "authMethod": "BASIC_AUTH",
                "username": "u",
            },
            "password is required when authMethod is BASIC_AUTH",
        ),
        (
            {
                "type": "Order.Shipped",
                "url": "https://x.example",
                "method": "GET",
                "secret": "x",
            },
            "secret is not a known field; method must be POST or PUT",
        ),
    ]:
        problem = await lapi.problem("POST", "/webhooks", 422, json=body)
        assert problem["detail"].startswith(detail), problem["detail"]
    assert await lapi.get("/webhooks") == []
