"""Flexe webhooks: HMAC-SHA256 over timestamp and body, 300 s tolerance, event mapping."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from pydantic import SecretStr

from gateway.errors import ProviderResponseInvalid, WebhookRejected
from gateway.models import (
    InventoryEvent,
    OrderStatus,
    OrderStatusEvent,
    PurchaseOrderStatus,
    PurchaseOrderStatusEvent,
    ShipmentEvent,
    ShipmentStatus,
)
from gateway.providers.base import Capability
from gateway.providers.flexe import FlexeProvider, webhooks
from gateway.settings import RetrySettings, provider_settings

FIXTURES = Path(__file__).parent.parent / "fixtures" / "flexe" / "webhooks"
SECRET = "whsec_flexe_test_0123456789"
NOW = 1_786_000_000
ORDER_ID = "8c1f2e4a-5b6d-4e7f-9a0b-1c2d3e4f5a6b"


def body_of(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def sign(body: bytes, timestamp: int | str, secret: str = SECRET) -> str:
    message = f"{timestamp}.".encode() + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def headers_for(body: bytes, timestamp: int = NOW, **extra: str) -> dict[str, str]:
    return {
        "X-Flexe-Event": json.loads(body).get("type", ""),
        "X-Flexe-Delivery": "0b6f9a52-7d1e-4c3a-8f2b-5e6d7c8b9a01",
        "X-Flexe-Timestamp": str(timestamp),
        "X-Flexe-Signature": sign(body, timestamp),
        **extra,
    }


def parse_one(name: str) -> Any:
    (event,) = webhooks.parse(body_of(name), {})
    return event


# Signature -------------------------------------------------------------------


def test_verify_accepts_a_good_signature() -> None:
    body = body_of("order_created.json")
    webhooks.verify(headers_for(body), body, SECRET, NOW)


def test_verify_reads_headers_case_insensitively() -> None:
    body = body_of("order_created.json")
    lowered = {k.lower(): v for k, v in headers_for(body).items()}
    webhooks.verify(lowered, body, SECRET, NOW)


def test_verify_accepts_uppercase_hex() -> None:
    body = body_of("order_created.json")
    headers = headers_for(body)
    headers["X-Flexe-Signature"] = "sha256=" + sign(body, NOW)[7:].upper()
    webhooks.verify(headers, body, SECRET, NOW)


@pytest.mark.parametrize("skew", [-300, 300])
def test_verify_accepts_the_edges_of_the_tolerance(skew: int) -> None:
    body = body_of("order_created.json")
    webhooks.verify(headers_for(body, NOW + skew), body, SECRET, NOW)


def test_verify_rejects_a_signature_made_with_another_secret() -> None:
    body = body_of("order_created.json")
    headers = headers_for(body)
    headers["X-Flexe-Signature"] = sign(body, NOW, secret="someone-else")
    with pytest.raises(WebhookRejected, match="signature does not match") as info:
        webhooks.verify(headers, body, SECRET, NOW)
    # Neither the secret nor the signature we expected may leak into the message.
    assert SECRET not in str(info.value)
    assert sign(body, NOW)[7:] not in str(info.value)


def test_verify_rejects_a_changed_body() -> None:
    body = body_of("order_created.json")
    headers = headers_for(body)
    with pytest.raises(WebhookRejected, match="signature does not match"):
        webhooks.verify(headers, body.replace(b'"new"', b'"shipped"'), SECRET, NOW)


def test_verify_rejects_a_changed_timestamp() -> None:
    body = body_of("order_created.json")
    headers = headers_for(body)
    headers["X-Flexe-Timestamp"] = str(NOW + 1)
    with pytest.raises(WebhookRejected, match="signature does not match"):
        webhooks.verify(headers, body, SECRET, NOW)


@pytest.mark.parametrize("skew", [-301, 301, -86_400])
def test_verify_rejects_stale_and_future_timestamps(skew: int) -> None:
    body = body_of("order_created.json")
    with pytest.raises(WebhookRejected, match="300 s tolerance"):
        webhooks.verify(headers_for(body, NOW + skew), body, SECRET, NOW)


@pytest.mark.parametrize("missing", ["X-Flexe-Signature", "X-Flexe-Timestamp"])
def test_verify_rejects_a_missing_header(missing: str) -> None:
    body = body_of("order_created.json")
    headers = headers_for(body)
    del headers[missing]
    with pytest.raises(WebhookRejected, match=f"{missing} header is missing"):
        webhooks.verify(headers, body, SECRET, NOW)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "deadbeef",
        "sha1=" + "a" * 40,
        "sha256=" + "z" * 64,
        "sha256=" + "a" * 63,
        "v1=" + "a" * 64,
    ],
)
def test_verify_rejects_a_malformed_signature(value: str) -> None:
    body = body_of("order_created.json")
    headers = {**headers_for(body), "X-Flexe-Signature": value}
    with pytest.raises(WebhookRejected, match="is not sha256=<64 hex digits>"):
        webhooks.verify(headers, body, SECRET, NOW)


@pytest.mark.parametrize("value", ["", "soon", "1786000000.5", "-1786000000", "9" * 13])
def test_verify_rejects_a_timestamp_that_is_not_epoch_seconds(value: str) -> None:
    body = body_of("order_created.json")
    headers = {**headers_for(body), "X-Flexe-Timestamp": value}
    headers["X-Flexe-Signature"] = sign(body, value)
    with pytest.raises(WebhookRejected, match="is not epoch seconds"):
        webhooks.verify(headers, body, SECRET, NOW)


@pytest.mark.parametrize("secret", [None, ""])
def test_verify_without_a_secret_rejects_even_a_signed_delivery(
    secret: str | None,
) -> None:
    body = body_of("order_created.json")
    with pytest.raises(WebhookRejected, match="webhook secret is not configured"):
        webhooks.verify(headers_for(body), body, secret, NOW)


# The adapter ------------------------------------------------------------------


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def adapter(
    session: aiohttp.ClientSession, secret: str | None, now: float = NOW
) -> FlexeProvider:
    settings = provider_settings(
        "flexe",
        base_url="http://127.0.0.1:9",
        token=SecretStr("t"),
        webhook_secret=SecretStr(secret) if secret is not None else None,
    )
    return FlexeProvider(settings, session, RetrySettings(), clock=lambda: now)


def test_adapter_declares_webhooks() -> None:
    assert Capability.WEBHOOKS in FlexeProvider.capabilities


async def test_adapter_verifies_with_its_secret_and_clock(
    session: aiohttp.ClientSession,
) -> None:
    body = body_of("order_created.json")
    headers = headers_for(body)
    adapter(session, SECRET).verify_webhook(headers, body)
    with pytest.raises(WebhookRejected, match="tolerance"):
        adapter(session, SECRET, now=NOW + 301).verify_webhook(headers, body)
    with pytest.raises(WebhookRejected, match="signature does not match"):
        adapter(session, "rotated").verify_webhook(headers, body)
    with pytest.raises(WebhookRejected, match="not configured"):
        adapter(session, None).verify_webhook(headers, body)


async def test_adapter_parses_with_the_delivery_header(
    session: aiohttp.ClientSession,
) -> None:
    raw = json.loads(body_of("order_created.json"))
    del raw["id"]
    body = json.dumps(raw).encode()
    (event,) = adapter(session, SECRET).parse_webhook(headers_for(body), body)
    assert event.dedupe_key == "0b6f9a52-7d1e-4c3a-8f2b-5e6d7c8b9a01"


# Events -------------------------------------------------------------------------


def test_order_created_is_a_pending_order() -> None:
    event = parse_one("order_created.json")
    assert isinstance(event, OrderStatusEvent)
    assert event.provider == "flexe"
    assert event.order_id == ORDER_ID
    assert event.external_id == "SO-100123"
    assert event.status is OrderStatus.PENDING
    assert event.raw_status == "new"
    assert event.previous_status is None
    assert event.dedupe_key == "evt_01J9Z3K7Q2M4"
    assert event.occurred_at == datetime(2026, 8, 4, 10, 59, 11, tzinfo=UTC)
    assert event.event_id is None


def test_state_changed_maps_both_states() -> None:
    event = parse_one("order_state_changed.json")
    assert isinstance(event, OrderStatusEvent)
    assert event.previous_status is OrderStatus.ALLOCATED
    assert event.status is OrderStatus.IN_PROGRESS
    assert event.raw_status == "in_progress"
    assert event.dedupe_key == "evt_01J9Z3K9R5T8"


def test_state_changed_with_errors_is_an_exception() -> None:
    event = parse_one("order_state_changed_errors.json")
    assert isinstance(event, OrderStatusEvent)
    assert event.previous_status is OrderStatus.ALLOCATED
    assert event.status is OrderStatus.EXCEPTION
    assert event.raw_status == "new"


@pytest.mark.parametrize(
    ("state", "has_errors", "expected"),
    [
        ("allocated", False, OrderStatus.ALLOCATED),
        ("shipped", True, OrderStatus.SHIPPED),
        ("cancelled", False, OrderStatus.CANCELLED),
        ("teleported", False, OrderStatus.UNKNOWN),
    ],
)
def test_state_changed_uses_the_read_status_map(
    state: str, has_errors: bool, expected: OrderStatus
) -> None:
    raw = json.loads(body_of("order_state_changed.json"))
    raw["data"].update(previousState="new", state=state, hasErrors=has_errors)
    (event,) = webhooks.parse(json.dumps(raw).encode())
    assert isinstance(event, OrderStatusEvent)
    assert event.status is expected
    assert event.previous_status is OrderStatus.PENDING
    assert event.raw_status == state


def test_line_cancelled_alone_says_nothing_about_the_order(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.INFO, logger="gateway.providers.flexe"):
        assert webhooks.parse(body_of("order_line_cancelled.json")) == []
    # A followed type: not logged as one the gateway ignores.
    assert "not followed" not in caplog.text


def test_allocation_error_is_an_exception() -> None:
    event = parse_one("order_allocation_error.json")
    assert isinstance(event, OrderStatusEvent)
    assert event.order_id == ORDER_ID
    assert event.status is OrderStatus.EXCEPTION
    assert event.raw_status == "new"
    assert event.dedupe_key == "evt_01J9Z3KC4F5G"


def test_shipment_shipped_is_a_shipment_event() -> None:
    event = parse_one("shipment_shipped.json")
    assert isinstance(event, ShipmentEvent)
    assert event.shipment_id == "5001"  # numeric ids become strings, as in reads
    assert event.order_id == ORDER_ID
    assert event.status is ShipmentStatus.SHIPPED
    assert event.raw_status == "shipped"
    assert event.tracking_numbers == ("1Z999AA10123456784", "1Z999AA10123456795")
    assert event.dedupe_key == "evt_01J9Z3KD6H7J"


def test_inventory_updated_reads_amount_objects() -> None:
    event = parse_one("inventory_updated.json")
    assert isinstance(event, InventoryEvent)
    assert event.sku == "SKU-10047"
    assert event.location_id == "res-seattle-01"
    assert event.on_hand == 118
    assert event.available == 96
    assert event.dedupe_key == "evt_01J9Z3KE8K9L"


def test_inventory_updated_reads_bare_counts() -> None:
    raw = json.loads(body_of("inventory_updated.json"))
    raw["data"].update(quantity_on_hand=7, quantity_available=5)
    (event,) = webhooks.parse(json.dumps(raw).encode())
    assert isinstance(event, InventoryEvent)
    assert (event.on_hand, event.available) == (7, 5)


def test_inbound_received_closes_the_purchase_order_view() -> None:
    event = parse_one("inbound_shipment_received.json")
    assert isinstance(event, PurchaseOrderStatusEvent)
    assert event.purchase_order_id == "c3d4e5f6-0718-4293-a4b5-c6d7e8f90a1b"
    assert event.number == "PO-10042"
    assert event.previous_status is PurchaseOrderStatus.OPEN
    assert event.status is PurchaseOrderStatus.CLOSED
    assert event.raw_status == "received"


def test_every_contract_type_has_a_mapper() -> None:
    assert set(webhooks.MAPPERS) == {
        "outbound_order.created",
        "outbound_order.state_changed",
        "outbound_order_line.cancelled",
        "outbound_order.allocation_error",
        "shipment.shipped",
        "inventory.updated",
        "inbound_shipment.received",
    }


def test_unknown_type_is_acknowledged_and_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.INFO, logger="gateway.providers.flexe"):
        assert webhooks.parse(body_of("unknown_type.json")) == []
    (record,) = [r for r in caplog.records if "not followed" in r.getMessage()]
    assert record.levelno == logging.INFO
    assert record.__dict__["event_type"] == "return.received"


# Dedupe keys and bodies that are not the envelope ------------------------------


def test_dedupe_key_falls_back_to_the_delivery_header() -> None:
    raw = json.loads(body_of("shipment_shipped.json"))
    del raw["id"]
    (event,) = webhooks.parse(
        json.dumps(raw).encode(), {"x-flexe-delivery": "delivery-7"}
    )
    assert event.dedupe_key == "delivery-7"


def test_no_event_id_and_no_delivery_header_is_invalid() -> None:
    raw = json.loads(body_of("shipment_shipped.json"))
    del raw["id"]
    with pytest.raises(ProviderResponseInvalid, match="neither an event id"):
        webhooks.parse(json.dumps(raw).encode(), {})


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"[]",
        b'{"type": "outbound_order.created"}',
        b'{"id": "e", "createdAt": "2026-08-04T10:59:11Z", "data": {}}',
        b'{"id": "e", "type": "x", "createdAt": "yesterday", "data": {}}',
    ],
)
def test_a_body_that_is_not_the_envelope_is_invalid(body: bytes) -> None:
    with pytest.raises(ProviderResponseInvalid, match="not a Flexe event envelope"):
        webhooks.parse(body)


def test_followed_type_with_unreadable_data_is_invalid() -> None:
    raw = json.loads(body_of("order_state_changed.json"))
    del raw["data"]["state"]
    with pytest.raises(ProviderResponseInvalid, match=r"outbound_order\.state_changed"):
        webhooks.parse(json.dumps(raw).encode())
