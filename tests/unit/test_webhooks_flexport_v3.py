"""Flexport v3 webhooks: X-Hub-Signature-256 over the raw body, PO events."""

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
from gateway.models import PurchaseOrderStatus, PurchaseOrderStatusEvent
from gateway.providers.base import Capability
from gateway.providers.flexport_v3 import FlexportV3Provider, webhooks
from gateway.settings import RetrySettings, provider_settings

FIXTURES = Path(__file__).parent.parent / "fixtures" / "flexport_v3" / "webhooks"
SECRET = "flexport-v3-endpoint-secret"


def body_of(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def sha256(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def sha1(body: bytes, secret: str = SECRET) -> str:
    return "sha1=" + hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()


def signed(body: bytes) -> dict[str, str]:
    return {"X-Hub-Signature": sha1(body), "X-Hub-Signature-256": sha256(body)}


def parse_one(name: str) -> PurchaseOrderStatusEvent:
    (event,) = webhooks.parse(body_of(name))
    assert isinstance(event, PurchaseOrderStatusEvent)
    return event


def with_po(name: str, **fields: Any) -> bytes:
    raw = json.loads(body_of(name))
    raw["data"]["purchase_order"].update(fields)
    return json.dumps(raw).encode()


# Signature ---------------------------------------------------------------------


def test_good_signature_is_accepted() -> None:
    body = body_of("po_created.json")
    webhooks.verify(signed(body), body, SECRET)


def test_only_the_sha256_header_is_needed_and_read_case_insensitively() -> None:
    body = body_of("po_created.json")
    webhooks.verify({"x-hub-signature-256": sha256(body)}, body, SECRET)


def test_a_wrong_signature_is_rejected_without_leaking_the_expected_one() -> None:
    body = body_of("po_created.json")
    headers = {"X-Hub-Signature-256": sha256(body, "other-secret")}
    with pytest.raises(WebhookRejected, match="signature does not match") as info:
        webhooks.verify(headers, body, SECRET)
    assert sha256(body)[7:] not in str(info.value)
    assert SECRET not in str(info.value)


def test_a_changed_body_is_rejected() -> None:
    body = body_of("po_created.json")
    with pytest.raises(WebhookRejected, match="signature does not match"):
        webhooks.verify(signed(body), body.replace(b'"open"', b'"closed"'), SECRET)


def test_a_good_sha256_is_not_saved_by_a_bad_sha1_nor_the_reverse() -> None:
    body = body_of("po_created.json")
    webhooks.verify(
        {"X-Hub-Signature": "sha1=" + "0" * 40, "X-Hub-Signature-256": sha256(body)},
        body,
        SECRET,
    )
    with pytest.raises(WebhookRejected, match="signature does not match"):
        webhooks.verify(
            {
                "X-Hub-Signature": sha1(body),
                "X-Hub-Signature-256": "sha256=" + "0" * 64,
            },
            body,
            SECRET,
        )


def test_a_sha1_signature_alone_is_not_accepted() -> None:
    body = body_of("po_created.json")
    with pytest.raises(WebhookRejected, match="X-Hub-Signature alone is not accepted"):
        webhooks.verify({"X-Hub-Signature": sha1(body)}, body, SECRET)


def test_a_missing_signature_is_rejected() -> None:
    body = body_of("po_created.json")
    with pytest.raises(
        WebhookRejected, match=r"X-Hub-Signature-256 header is missing$"
    ):
        webhooks.verify({"Content-Type": "application/json"}, body, SECRET)


@pytest.mark.parametrize(
    "value", ["", "sha256", "sha1=" + "a" * 40, "sha256=" + "g" * 64, "a" * 64]
)
def test_a_malformed_signature_is_rejected(value: str) -> None:
    body = body_of("po_created.json")
    with pytest.raises(WebhookRejected, match="is not sha256=<64 hex digits>"):
        webhooks.verify({"X-Hub-Signature-256": value}, body, SECRET)


@pytest.mark.parametrize("secret", [None, ""])
def test_without_a_secret_every_delivery_is_rejected(secret: str | None) -> None:
    body = body_of("po_created.json")
    with pytest.raises(WebhookRejected, match="webhook secret is not configured"):
        webhooks.verify(signed(body), body, secret)


# The adapter -----------------------------------------------------------------------


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def adapter(session: aiohttp.ClientSession, secret: str | None) -> FlexportV3Provider:
    settings = provider_settings(
        "flexport_v3",
        base_url="http://127.0.0.1:9",
        token=SecretStr("t"),
        webhook_secret=SecretStr(secret) if secret is not None else None,
    )
    return FlexportV3Provider(settings, session, RetrySettings())


def test_adapter_declares_webhooks() -> None:
    assert Capability.WEBHOOKS in FlexportV3Provider.capabilities


async def test_adapter_verifies_with_its_secret_and_parses(
    session: aiohttp.ClientSession,
) -> None:
    body = body_of("po_closed.json")
    provider = adapter(session, SECRET)
    try:
        provider.verify_webhook(signed(body), body)
        (event,) = provider.parse_webhook(signed(body), body)
        assert isinstance(event, PurchaseOrderStatusEvent)
        assert event.status is PurchaseOrderStatus.CLOSED
        with pytest.raises(WebhookRejected, match="not configured"):
            adapter(session, None).verify_webhook(signed(body), body)
        with pytest.raises(WebhookRejected, match="does not match"):
            adapter(session, "rotated").verify_webhook(signed(body), body)
    finally:
        await provider.close()


# Events ------------------------------------------------------------------------------


def test_created_is_an_open_purchase_order() -> None:
    event = parse_one("po_created.json")
    assert event.provider == "flexport_v3"
    assert event.purchase_order_id == "171997"
    assert event.number == "PO-2026-0042"
    assert event.status is PurchaseOrderStatus.OPEN
    assert event.raw_status == "open"
    assert event.previous_status is None
    assert event.dedupe_key == "4100001"
    assert event.occurred_at == datetime(2026, 8, 1, 9, 0, tzinfo=UTC)


def test_updated_reports_the_status_at_the_event() -> None:
    event = parse_one("po_updated.json")
    assert event.status is PurchaseOrderStatus.OPEN
    assert event.previous_status is None
    assert event.dedupe_key == "4100002"


def test_acknowledged_keeps_the_status_open() -> None:
    event = parse_one("po_acknowledged.json")
    assert event.status is PurchaseOrderStatus.OPEN
    assert event.previous_status is PurchaseOrderStatus.OPEN
    assert event.raw_status == "open"
    assert event.dedupe_key == "4100003"


def test_closed_was_open() -> None:
    event = parse_one("po_closed.json")
    assert event.status is PurchaseOrderStatus.CLOSED
    assert event.previous_status is PurchaseOrderStatus.OPEN
    assert event.raw_status == "closed"
    assert event.dedupe_key == "4100004"


def test_cancelled_was_open() -> None:
    event = parse_one("po_cancelled.json")
    assert event.status is PurchaseOrderStatus.CANCELLED
    assert event.previous_status is PurchaseOrderStatus.OPEN
    assert event.dedupe_key == "4100005"


def test_archived_reports_the_cancelled_status() -> None:
    event = parse_one("po_archived.json")
    assert event.status is PurchaseOrderStatus.CANCELLED
    assert event.previous_status is None
    assert event.dedupe_key == "4100006"


def test_an_unknown_status_is_unknown_not_an_error() -> None:
    (event,) = webhooks.parse(with_po("po_updated.json", status="on_hold"))
    assert isinstance(event, PurchaseOrderStatusEvent)
    assert event.status is PurchaseOrderStatus.UNKNOWN
    assert event.raw_status == "on_hold"


def test_created_at_stands_in_for_a_missing_occurred_at() -> None:
    raw = json.loads(body_of("po_created.json"))
    del raw["occurred_at"]
    raw["created_at"] = "2026-08-01T09:00:05Z"
    (event,) = webhooks.parse(json.dumps(raw).encode())
    assert event.occurred_at == datetime(2026, 8, 1, 9, 0, 5, tzinfo=UTC)


def test_every_purchase_order_event_has_a_mapper() -> None:
    actions = {"created", "updated", "closed", "cancelled", "archived", "acknowledged"}
    assert set(webhooks.MAPPERS) == {f"/purchase_order#{a}" for a in actions}


def test_other_event_types_are_acknowledged_and_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.INFO, logger="gateway.providers.flexport_v3"):
        assert webhooks.parse(body_of("shipment_created.json")) == []
    (record,) = [r for r in caplog.records if "not followed" in r.getMessage()]
    assert record.levelno == logging.INFO
    assert record.__dict__["event_type"] == "/shipment#created"


# Bodies that are not an /event -------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"{",
        b"[]",
        b'{"_object": "/event", "type": "/purchase_order#created", "data": {}}',
        b'{"_object": "/event", "id": "", "type": "/purchase_order#created"}',
        b'{"_object": "/event", "id": 1, "data": {}}',
    ],
)
def test_a_body_that_is_not_an_event_is_invalid(body: bytes) -> None:
    with pytest.raises(ProviderResponseInvalid, match="not a Flexport /event"):
        webhooks.parse(body)


def test_a_purchase_order_event_without_its_purchase_order_is_invalid() -> None:
    raw = json.loads(body_of("po_closed.json"))
    del raw["data"]["purchase_order"]["status"]
    with pytest.raises(ProviderResponseInvalid, match="no readable purchase_order"):
        webhooks.parse(json.dumps(raw).encode())


def test_a_purchase_order_event_without_a_time_is_invalid() -> None:
    raw = json.loads(body_of("po_closed.json"))
    del raw["occurred_at"], raw["created_at"]
    with pytest.raises(ProviderResponseInvalid, match="has no time"):
        webhooks.parse(json.dumps(raw).encode())
