"""Flexport v3 webhook helpers: X-Hub-Signature(-256) and the `/event` payload."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from gateway.sandbox import Sandbox, SandboxConfig, SandboxEvent
from gateway.sandbox.flexport_v3 import webhooks

from .conftest import FakeClock, FlexportV3Api, po_body

FOX = b"The quick brown fox jumps over the lazy dog"


@pytest.fixture
def config(clock: FakeClock) -> SandboxConfig:
    return SandboxConfig(order_count=5, clock=clock)


def test_sign_matches_the_published_hmac_vectors() -> None:
    assert webhooks.sign("key", FOX) == {
        "X-Hub-Signature-256": (
            "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"
        ),
        "X-Hub-Signature": "sha1=de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9",
    }


def test_verify_accepts_only_the_right_secret_and_body() -> None:
    good = webhooks.sign("s3cret", b"{}")["X-Hub-Signature-256"]
    assert webhooks.verify("s3cret", b"{}", good)
    assert not webhooks.verify("other", b"{}", good)
    assert not webhooks.verify("s3cret", b"{ }", good)
    assert not webhooks.verify("s3cret", b"{}", good.removeprefix("sha256="))
    assert not webhooks.verify("s3cret", b"{}", None)


def test_event_payload_is_the_event_object() -> None:
    at = datetime(2026, 11, 2, 3, 4, 5, 678000, tzinfo=UTC)
    header = {"_object": "/purchase_order", "id": 7, "name": "PO-1"}
    payload = webhooks.event_payload(31, "/purchase_order#acknowledged", at, header, 99)
    assert payload == {
        "_object": "/event",
        "id": 31,
        "version": 3,
        "created_at": "2026-11-02T03:04:05.678Z",
        "occurred_at": "2026-11-02T03:04:05.678Z",
        "type": "/purchase_order#acknowledged",
        "data": {
            "_object": "/order_management_event_data",
            "context": {
                "_object": "/order_management_event_data/acknowledged_context",
                "purchase_order_version_id": 99,
            },
            "purchase_order": header,
        },
    }
    booked = webhooks.event_payload(32, "/purchase_order#updated", at, header, 100, 5)
    assert booked["data"]["shipment"] == {"_object": "/shipment", "id": 5}


def test_render_is_compact_utf8_and_secrets_come_from_the_config() -> None:
    body = webhooks.render({"name": "Café", "n": [1, 2]})
    assert body == '{"name":"Café","n":[1,2]}'.encode()
    assert webhooks.secret_for(SandboxConfig()) == "sandbox-flexport-v3-webhook-secret"
    custom = SandboxConfig(webhook_secrets={"flexport_v3": "mine"})
    assert webhooks.secret_for(custom) == "mine"
    assert webhooks.secret_for(SandboxConfig(webhook_secrets={})) == (
        webhooks.DEFAULT_SECRET
    )


async def test_published_events_are_ready_to_sign_and_send(
    flexport_v3: FlexportV3Api, sandbox: Sandbox
) -> None:
    seen: list[SandboxEvent] = []
    sandbox.events.subscribe(seen.append)
    po = await flexport_v3.upsert(po_body(), expect=201)
    (event,) = seen
    body = webhooks.render(event.data)
    headers = webhooks.sign(webhooks.secret_for(sandbox.config), body)
    assert webhooks.verify(
        "sandbox-flexport-v3-webhook-secret", body, headers["X-Hub-Signature-256"]
    )
    sent = json.loads(body)
    assert sent == await flexport_v3.data(f"/events/{sent['id']}")
    assert sent["data"]["purchase_order"]["id"] == po["id"]
    assert event.occurred_at == datetime(2026, 11, 1, tzinfo=UTC)
