"""LAPI `idempotency-key` (§2.7): replay, mismatch, in-flight, retention, scope."""

from __future__ import annotations

import asyncio
from typing import Any

from .conftest import Api, FakeClock, LapiApi
from .test_flexport_logistics_outbounds import outbound_body


def key(value: str) -> dict[str, str]:
    return {"idempotency-key": value}


async def created_events(lapi: LapiApi) -> int:
    return len(
        await lapi.get(
            "/events", {"type": "Outbound.Created", "after": "2026-10-31T23:59:59Z"}
        )
    )


async def test_replay_returns_the_stored_answer_once_executed(lapi: LapiApi) -> None:
    first = await lapi.call(
        "POST", "/outbounds", json=outbound_body(), headers=key("k-1")
    )
    assert first.status == 200
    assert "idempotent-replayed" not in first.headers
    body = await first.json()
    again = await lapi.call(
        "POST", "/outbounds", json=outbound_body(), headers=key("k-1")
    )
    assert again.status == 200
    assert again.headers["idempotent-replayed"] == "true"
    assert await again.json() == body
    assert again.headers["x-correlation-id"] != first.headers["x-correlation-id"]
    assert await created_events(lapi) == 1, "the order was created once"
    reordered = dict(reversed(list(outbound_body().items())))
    assert (
        await lapi.call("POST", "/outbounds", json=reordered, headers=key("k-1"))
    ).headers["idempotent-replayed"] == "true"
    no_key = await lapi.problem("POST", "/outbounds", 409, json=outbound_body())
    assert no_key["detail"] == "Order with externalId PO-TEST-1001 already exists"
    other_key = await lapi.problem(
        "POST", "/outbounds", 409, json=outbound_body(), headers=key("k-2")
    )
    assert other_key["code"] == 409


async def test_same_key_with_a_different_payload_is_422(lapi: LapiApi) -> None:
    await lapi.json("POST", "/outbounds", json=outbound_body(), headers=key("k-1"))
    problem = await lapi.problem(
        "POST",
        "/outbounds",
        422,
        json=outbound_body(notes="changed"),
        headers=key("k-1"),
    )
    assert problem["detail"] == "idempotency-key reused with a different payload"


async def test_scope_is_method_and_path(lapi: LapiApi) -> None:
    order = await lapi.json(
        "POST", "/outbounds", json=outbound_body(), headers=key("shared")
    )
    cancelled = await lapi.call(
        "POST", f"/outbounds/{order['orderId']}/cancel", headers=key("shared")
    )
    assert "idempotent-replayed" not in cancelled.headers
    assert (await cancelled.json())["orderStatus"] == "CANCELLED"
    replay = await lapi.call(
        "POST", f"/outbounds/{order['orderId']}/cancel", headers=key("shared")
    )
    assert replay.headers["idempotent-replayed"] == "true"


async def test_errors_are_not_stored(lapi: LapiApi) -> None:
    bad = outbound_body(type="EDI")
    await lapi.problem("POST", "/outbounds", 422, json=bad, headers=key("k-1"))
    fixed = await lapi.call(
        "POST", "/outbounds", json=outbound_body(), headers=key("k-1")
    )
    assert (fixed.status, fixed.headers.get("idempotent-replayed")) == (200, None)
    await lapi.problem(
        "POST",
        "/outbounds",
        503,
        json=outbound_body(externalId="F-1"),
        headers={**key("k-9"), "X-Sandbox-Fault": "503"},
    )
    retried = await lapi.call(
        "POST", "/outbounds", json=outbound_body(externalId="F-1"), headers=key("k-9")
    )
    assert (retried.status, retried.headers.get("idempotent-replayed")) == (200, None)


async def test_keys_expire_after_24_hours(lapi: LapiApi, clock: FakeClock) -> None:
    await lapi.json("POST", "/outbounds", json=outbound_body(), headers=key("k-1"))
    clock.now += 24 * 3600 - 1
    assert (
        await lapi.call("POST", "/outbounds", json=outbound_body(), headers=key("k-1"))
    ).headers["idempotent-replayed"] == "true"
    clock.now += 1
    await lapi.problem(
        "POST", "/outbounds", 409, json=outbound_body(), headers=key("k-1")
    )


async def test_same_key_while_the_first_is_in_flight_is_409(
    lapi: LapiApi, sandbox: Any
) -> None:
    sandbox.config.fault_timeout_s = 0.3
    slow = asyncio.create_task(
        lapi.call(
            "POST",
            "/outbounds",
            json=outbound_body(),
            headers={**key("k-1"), "X-Sandbox-Fault": "timeout"},
        )
    )
    await asyncio.sleep(0.1)
    problem = await lapi.problem(
        "POST", "/outbounds", 409, json=outbound_body(), headers=key("k-1")
    )
    assert (
        problem["detail"]
        == "A request with idempotency-key k-1 is still being processed"
    )
    assert (await slow).status == 504
    retried = await lapi.call(
        "POST", "/outbounds", json=outbound_body(), headers=key("k-1")
    )
    assert (retried.status, retried.headers.get("idempotent-replayed")) == (200, None)


async def test_every_write_operation_honours_the_key(
    lapi: LapiApi, control: Api
) -> None:
    stock = await lapi.get("/products/inventory/all", {"limit": "50"})
    sku = next(r["logisticsSku"] for r in stock if r["available"] > 5)
    order_body: dict[str, Any] = {
        "externalOrderId": "I-1",
        "lineItems": [{"logisticsSku": sku, "quantity": 1}],
        "address": {
            "name": "A",
            "street1": "B",
            "city": "C",
            "zip": "1",
            "country": "GB",
        },
    }
    outbound = await lapi.json("POST", "/outbounds", json=outbound_body())
    await control.post(
        "/_sandbox/advance",
        {
            "provider": "flexport_logistics",
            "type": "outbound",
            "id": str(outbound["orderId"]),
        },
    )
    shipment_id = (await lapi.get(f"/outbounds/{outbound['orderId']}"))["shipments"][0][
        "shipmentId"
    ]
    order = await lapi.json("POST", "/orders", json=order_body, headers=key("o"))
    calls = [
        ("/orders", order_body, 200),
        (f"/orders/{order['id']}/cancel", None, 200),
        (
            f"/outbounds/{outbound['orderId']}/shipments/{shipment_id}/attachments/upload-url",
            {"attachmentType": "SHIPPING_LABELS", "contentType": "application/pdf"},
            200,
        ),
        (
            "/webhooks",
            {"type": "Order.Shipped", "url": "https://hooks.example.com/lapi"},
            202,
        ),
    ]
    for path, body, status in calls:
        first = await lapi.call("POST", path, json=body, headers=key("o"))
        second = await lapi.call("POST", path, json=body, headers=key("o"))
        assert (second.status, second.headers.get("idempotent-replayed")) == (
            status,
            "true",
        ), path
        assert await second.json() == await first.json(), path
    plain = await lapi.call("GET", f"/orders/{order['id']}", headers=key("o"))
    assert "idempotent-replayed" not in plain.headers, "reads ignore the key"
    assert (
        await lapi.problem("POST", "/orders", 400, json=order_body, headers=key(" "))
    )["detail"] == "idempotency-key must be 1 to 255 characters"
