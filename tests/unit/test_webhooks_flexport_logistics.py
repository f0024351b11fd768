"""LAPI webhooks: token or Basic credentials, the flat envelope, events and the index."""

from __future__ import annotations

import base64
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
    OrderKind,
    OrderStatus,
    OrderStatusEvent,
    ShipmentEvent,
    ShipmentStatus,
)
from gateway.providers.base import Capability
from gateway.providers.flexport_logistics import FlexportLogisticsProvider, webhooks
from gateway.providers.flexport_logistics.catalog import Catalog
from gateway.settings import RetrySettings, provider_settings

FIXTURES = Path(__file__).parent.parent / "fixtures" / "flexport_logistics" / "webhooks"
SECRET = "lapi-webhook-token-0123456789"


def body_of(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def changed(name: str, **fields: Any) -> bytes:
    raw = json.loads(body_of(name))
    raw.update(fields)
    return json.dumps({k: v for k, v in raw.items() if v is not None}).encode()


def basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def parse_one(name: str, catalog: Catalog | None = None) -> Any:
    (event,) = webhooks.parse(body_of(name), catalog)
    return event


# Token credentials -------------------------------------------------------------


def test_token_in_the_default_header_is_accepted() -> None:
    webhooks.verify({"X-Webhook-Token": SECRET}, secret=SECRET)


def test_token_header_is_read_case_insensitively() -> None:
    webhooks.verify({"x-lapi-auth": SECRET}, secret=SECRET, token_header="X-Lapi-Auth")


def test_wrong_token_is_rejected_without_echoing_either() -> None:
    with pytest.raises(
        WebhookRejected, match="is not the subscription's token"
    ) as info:
        webhooks.verify({"X-Webhook-Token": "guess"}, secret=SECRET)
    assert SECRET not in str(info.value)
    assert "guess" not in str(info.value)


def test_token_in_another_header_is_missing() -> None:
    with pytest.raises(WebhookRejected, match="X-Lapi-Auth header is missing"):
        webhooks.verify(
            {"X-Webhook-Token": SECRET}, secret=SECRET, token_header="X-Lapi-Auth"
        )


def test_token_must_match_exactly() -> None:
    with pytest.raises(WebhookRejected, match="not the subscription's token"):
        webhooks.verify({"X-Webhook-Token": SECRET + " "}, secret=SECRET)


@pytest.mark.parametrize("secret", [None, ""])
def test_without_a_secret_every_delivery_is_rejected(secret: str | None) -> None:
    with pytest.raises(WebhookRejected, match="webhook secret is not configured"):
        webhooks.verify({"X-Webhook-Token": ""}, secret=secret)
    with pytest.raises(WebhookRejected, match="webhook secret is not configured"):
        webhooks.verify(
            {"Authorization": basic("gw", "")}, secret=secret, username="gw"
        )


# Basic credentials -------------------------------------------------------------


def test_basic_credentials_are_accepted() -> None:
    webhooks.verify(
        {"authorization": basic("gateway", SECRET)}, secret=SECRET, username="gateway"
    )


@pytest.mark.parametrize(
    ("username", "password"),
    [("gateway", "wrong"), ("someone", SECRET), ("gateway", SECRET + "x"), ("", "")],
)
def test_wrong_basic_credentials_are_rejected(username: str, password: str) -> None:
    with pytest.raises(WebhookRejected, match="Basic credentials are not") as info:
        webhooks.verify(
            {"Authorization": basic(username, password)},
            secret=SECRET,
            username="gateway",
        )
    assert SECRET not in str(info.value)


def test_basic_mode_ignores_the_token_header() -> None:
    with pytest.raises(WebhookRejected, match="Authorization header is missing"):
        webhooks.verify({"X-Webhook-Token": SECRET}, secret=SECRET, username="gateway")


@pytest.mark.parametrize(
    "value",
    [
        f"Bearer {SECRET}",
        "Basic",
        "Basic not*base64",
        base64.b64encode(f"gateway:{SECRET}".encode()).decode(),
    ],
)
def test_authorization_that_is_not_basic_is_rejected(value: str) -> None:
    with pytest.raises(WebhookRejected, match="is not Basic credentials"):
        webhooks.verify({"Authorization": value}, secret=SECRET, username="gateway")


# Order events ------------------------------------------------------------------


def test_outbound_created_is_a_pending_b2b_order() -> None:
    event = parse_one("outbound_created.json")
    assert isinstance(event, OrderStatusEvent)
    assert event.provider == "flexport_logistics"
    assert event.order_id == "B2B-71001"
    assert event.external_id == "WHS-300001"
    assert event.status is OrderStatus.PENDING
    assert event.raw_status == "PLANNED"
    assert event.previous_status is None
    assert event.dedupe_key == "1000002"
    assert event.occurred_at == datetime(2026, 8, 4, 10, 59, 11, 796000, tzinfo=UTC)


def test_outbound_status_changed_maps_both_statuses() -> None:
    event = parse_one("outbound_status_changed.json")
    assert isinstance(event, OrderStatusEvent)
    assert event.order_id == "B2B-71001"
    assert event.previous_status is OrderStatus.PENDING
    assert event.status is OrderStatus.ACCEPTED
    assert event.raw_status == "BOOKED"
    assert event.dedupe_key == "1000013"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("IN_PROGRESS", OrderStatus.IN_PROGRESS),
        ("SHIPPED", OrderStatus.SHIPPED),
        ("DELIVERED", OrderStatus.DELIVERED),
        ("CANCELLED", OrderStatus.CANCELLED),
        ("LOST_AT_SEA", OrderStatus.UNKNOWN),
    ],
)
def test_outbound_status_changed_uses_the_read_status_map(
    raw: str, expected: OrderStatus
) -> None:
    (event,) = webhooks.parse(changed("outbound_status_changed.json", orderStatus=raw))
    assert isinstance(event, OrderStatusEvent)
    assert event.status is expected
    assert event.raw_status == raw


def test_order_created_is_a_pending_dtc_order() -> None:
    event = parse_one("order_created.json")
    assert isinstance(event, OrderStatusEvent)
    assert event.order_id == "DTC-49201824001"
    assert event.external_id == "279-7091323-5449120"
    assert event.status is OrderStatus.PENDING
    assert event.raw_status == "CREATED"
    assert event.dedupe_key == "1000003"


def test_order_shipped_is_shipped() -> None:
    event = parse_one("order_shipped.json")
    assert isinstance(event, OrderStatusEvent)
    assert event.order_id == "DTC-49201824001"
    assert event.status is OrderStatus.SHIPPED
    assert event.raw_status == "SHIPPED"
    assert event.dedupe_key == "1000031"


def test_order_cancelled_is_cancelled() -> None:
    event = parse_one("order_cancelled.json")
    assert isinstance(event, OrderStatusEvent)
    assert event.order_id == "DTC-49201824002"
    assert event.external_id == "279-1111111-2222222"
    assert event.status is OrderStatus.CANCELLED
    assert event.raw_status == "CANCELLED"


@pytest.mark.parametrize(
    ("name", "raw", "expected"),
    [
        ("order_shipped.json", "SHIPPED", OrderStatus.SHIPPED),
        ("order_cancelled.json", "CANCELLED", OrderStatus.CANCELLED),
    ],
)
def test_order_event_without_status_means_its_type(
    name: str, raw: str, expected: OrderStatus
) -> None:
    (event,) = webhooks.parse(changed(name, status=None))
    assert isinstance(event, OrderStatusEvent)
    assert (event.raw_status, event.status) == (raw, expected)


def test_order_created_without_status_is_invalid() -> None:
    with pytest.raises(ProviderResponseInvalid, match="has no status"):
        webhooks.parse(changed("order_created.json", status=None))


# Shipment and stock events -------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "raw", "expected", "dedupe_key"),
    [
        ("shipment_created.json", "PACKED", ShipmentStatus.PACKED, "1000029"),
        ("shipment_shipped.json", "SHIPPED", ShipmentStatus.SHIPPED, "1000030"),
        ("shipment_cancelled.json", "CANCELLED", ShipmentStatus.CANCELLED, "1000033"),
    ],
)
def test_shipment_events_take_their_status_from_the_type(
    name: str, raw: str, expected: ShipmentStatus, dedupe_key: str
) -> None:
    event = parse_one(name)
    assert isinstance(event, ShipmentEvent)
    assert event.status is expected
    assert event.raw_status == raw
    assert event.dedupe_key == dedupe_key
    assert event.shipment_id is not None
    assert event.shipment_id.startswith("DTC-88000")
    assert event.order_id is not None
    assert event.order_id.startswith("DTC-4920182400")


def test_shipment_tracking_numbers_are_distinct_and_present() -> None:
    created = parse_one("shipment_created.json")
    assert created.tracking_numbers == ("1Z999AA10123456784", "1Z999AA10123456795")
    shipped = parse_one("shipment_shipped.json")
    assert shipped.shipment_id == "DTC-880001"
    assert shipped.order_id == "DTC-49201824001"
    assert shipped.tracking_numbers == ("1Z999AA10123456784",)
    assert parse_one("shipment_cancelled.json").tracking_numbers == ()


def test_inventory_adjusted_names_the_merchant_sku_when_the_catalog_knows_it() -> None:
    catalog = Catalog(
        merchant_by_logistics={"LS47676199": "SKU-10047"},
        logistics_by_merchant={"SKU-10047": "LS47676199"},
    )
    event = parse_one("inventory_adjusted.json", catalog)
    assert isinstance(event, InventoryEvent)
    assert event.sku == "SKU-10047"
    assert event.location_id is None
    assert (event.available, event.on_hand) == (412, 430)
    assert event.dedupe_key == "1000040"


@pytest.mark.parametrize("catalog", [None, Catalog()])
def test_inventory_adjusted_keeps_the_logistics_sku_otherwise(
    catalog: Catalog | None,
) -> None:
    assert parse_one("inventory_adjusted.json", catalog).sku == "LS47676199"


# Types not followed, and bodies that are not LAPI's --------------------------------


@pytest.mark.parametrize(
    ("body", "event_type"),
    [
        (body_of("inbound_received.json"), "Inbound.Received"),
        (
            changed("order_created.json", logisticsEventType="Order.StatusChanged"),
            "Order.StatusChanged",
        ),
        (
            changed("order_created.json", logisticsEventType="Parcel.TrackingUpdated"),
            "Parcel.TrackingUpdated",
        ),
    ],
)
def test_types_not_followed_are_acknowledged_and_logged(
    body: bytes, event_type: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="gateway.providers.flexport_logistics"):
        assert webhooks.parse(body) == []
    (record,) = [r for r in caplog.records if "not followed" in r.getMessage()]
    assert record.levelno == logging.INFO
    assert record.__dict__["event_type"] == event_type


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"<html>",
        b"[]",
        b'"Order.Shipped"',
        changed("order_shipped.json", logisticsEventId=None),
        changed("order_shipped.json", logisticsEventId=""),
        changed("order_shipped.json", logisticsEventType=None),
        changed("order_shipped.json", logisticsEventTime="last week"),
    ],
)
def test_a_body_that_is_not_the_envelope_is_invalid(body: bytes) -> None:
    with pytest.raises(ProviderResponseInvalid, match="not a LAPI event"):
        webhooks.parse(body)


@pytest.mark.parametrize(
    "body",
    [
        changed("order_shipped.json", orderId=None),
        changed("shipment_shipped.json", shipmentId=None),
        changed("inventory_adjusted.json", available="lots"),
    ],
)
def test_followed_type_with_unreadable_fields_is_invalid(body: bytes) -> None:
    with pytest.raises(ProviderResponseInvalid, match="are not LAPI's"):
        webhooks.parse(body)


@pytest.mark.parametrize(
    "body",
    [
        changed("order_shipped.json", orderId="abc"),
        changed("shipment_shipped.json", shipmentId="S-1"),
    ],
)
def test_an_id_that_is_not_an_integer_is_invalid(body: bytes) -> None:
    with pytest.raises(ProviderResponseInvalid, match="names id"):
        webhooks.parse(body)


# The adapter: credentials from settings, and the order index ----------------------


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def adapter(
    session: aiohttp.ClientSession, secret: str | None = SECRET, **settings: Any
) -> FlexportLogisticsProvider:
    values = provider_settings(
        "flexport_logistics",
        base_url="http://127.0.0.1:9",
        token=SecretStr("t"),
        webhook_secret=SecretStr(secret) if secret is not None else None,
        **settings,
    )
    return FlexportLogisticsProvider(values, session, RetrySettings())


def test_adapter_declares_webhooks() -> None:
    assert Capability.WEBHOOKS in FlexportLogisticsProvider.capabilities


async def test_adapter_checks_the_configured_token_header(
    session: aiohttp.ClientSession,
) -> None:
    body = body_of("order_shipped.json")
    adapter(session).verify_webhook({"X-Webhook-Token": SECRET}, body)
    custom = adapter(session, webhook_auth_header="X-Flexport-Token")
    custom.verify_webhook({"X-Flexport-Token": SECRET}, body)
    with pytest.raises(WebhookRejected, match="X-Flexport-Token header is missing"):
        custom.verify_webhook({"X-Webhook-Token": SECRET}, body)
    with pytest.raises(WebhookRejected, match="not configured"):
        adapter(session, None).verify_webhook({"X-Webhook-Token": SECRET}, body)


async def test_adapter_checks_basic_credentials_when_a_username_is_set(
    session: aiohttp.ClientSession,
) -> None:
    body = body_of("order_shipped.json")
    provider = adapter(session, webhook_username="flexport")
    provider.verify_webhook({"Authorization": basic("flexport", SECRET)}, body)
    with pytest.raises(WebhookRejected, match="Basic credentials are not"):
        provider.verify_webhook({"Authorization": basic("flexport", "x")}, body)


async def test_adapter_puts_webhook_orders_into_the_index(
    session: aiohttp.ClientSession,
) -> None:
    provider = adapter(session)
    try:
        for name in ("outbound_created.json", "outbound_status_changed.json"):
            assert provider.parse_webhook({}, body_of(name))
        (shipped,) = provider.parse_webhook({}, body_of("order_shipped.json"))
        assert shipped.dedupe_key == "1000031"
        await provider.sync.settle()
        found = await provider.index.get(["B2B-71001", "DTC-49201824001"])
        b2b, dtc = found["B2B-71001"], found["DTC-49201824001"]
        assert (b2b.kind, b2b.status, b2b.external_id) == (
            OrderKind.B2B,
            "BOOKED",
            "WHS-300001",
        )
        assert b2b.created_at == datetime(2026, 8, 4, 10, 59, 11, 796000, tzinfo=UTC)
        assert b2b.provisional is False
        assert (dtc.kind, dtc.status) == (OrderKind.DTC, "SHIPPED")
        # Known only from a status event: its time is a provisional creation time.
        assert dtc.provisional is True
    finally:
        await provider.close()


async def test_adapter_index_ignores_events_about_no_order(
    session: aiohttp.ClientSession,
) -> None:
    provider = adapter(session)
    try:
        provider.parse_webhook({}, body_of("inventory_adjusted.json"))
        provider.parse_webhook({}, body_of("inbound_received.json"))
        await provider.sync.settle()
        assert await provider.index.count() == 0
    finally:
        await provider.close()


async def test_adapter_keeps_the_logistics_sku_before_the_catalog_loads(
    session: aiohttp.ClientSession,
) -> None:
    provider = adapter(session)
    try:
        (event,) = provider.parse_webhook({}, body_of("inventory_adjusted.json"))
        assert isinstance(event, InventoryEvent)
        assert event.sku == "LS47676199"
    finally:
        await provider.close()
