"""Delivery mechanics: retries keep ids and bytes, drops log once, nothing blocks."""

from __future__ import annotations

import asyncio
import logging

import pytest
from aiohttp import web
from pytest_aiohttp import AiohttpServer

from gateway.sandbox import EMITTER_KEY, Sandbox, SandboxConfig

from .conftest import Api, FakeClock
from .conftest import order_body as flexe_order
from .receiver import Receiver, config_for, settled, until


@pytest.fixture
def receiver() -> Receiver:
    return Receiver()


@pytest.fixture
async def config(
    aiohttp_server: AiohttpServer, receiver: Receiver, clock: FakeClock
) -> SandboxConfig:
    server = await aiohttp_server(receiver.app())
    return config_for(str(server.make_url("")).rstrip("/"), clock)


async def test_a_500_is_retried_with_the_same_ids_and_bytes(
    flexe: Api, app: web.Application, receiver: Receiver
) -> None:
    receiver.answers = [500]
    await flexe.post("/v2/orders", flexe_order(), expect=201)
    await until(lambda: len(receiver.requests) == 2)
    await settled(app)
    first, retry = receiver.requests
    assert retry.body == first.body
    assert retry.headers["X-Flexe-Delivery"] == first.headers["X-Flexe-Delivery"]
    assert retry.headers["X-Flexe-Signature"] == first.headers["X-Flexe-Signature"]
    (delivery,) = app[EMITTER_KEY].log.entries()
    assert (delivery.state, delivery.attempts, delivery.statuses) == (
        "delivered",
        2,
        [500, 200],
    )


async def test_a_dead_endpoint_is_dropped_after_retries_with_one_warning(
    flexe: Api,
    app: web.Application,
    receiver: Receiver,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="gateway.sandbox.webhooks")
    receiver.status = 404
    await flexe.post("/v2/orders", flexe_order(), expect=201)
    await flexe.post("/v2/orders", flexe_order(externalId="SO-TEST-2"), expect=201)
    await until(lambda: len(receiver.requests) == 6)
    await settled(app)
    log = app[EMITTER_KEY].log.entries()
    assert [(d.state, d.attempts, d.status) for d in log] == [("failed", 3, 404)] * 2
    drops = [r for r in caplog.records if r.name == "gateway.sandbox.webhooks"]
    assert [r.levelno for r in drops] == [logging.WARNING, logging.DEBUG]
    assert "HTTP 404" in drops[0].getMessage()
    assert "/webhooks/flexe" in drops[0].getMessage()


async def test_the_api_answers_before_the_receiver_does(
    flexe: Api, app: web.Application, receiver: Receiver
) -> None:
    receiver.gate = asyncio.Event()
    await flexe.post("/v2/orders", flexe_order(), expect=201)
    (delivery,) = app[EMITTER_KEY].log.entries()
    assert delivery.state == "pending"
    receiver.gate.set()
    await settled(app)
    assert delivery.state == "delivered"


async def test_no_target_means_no_gateway_deliveries(
    flexe: Api, sandbox: Sandbox, app: web.Application, receiver: Receiver
) -> None:
    sandbox.config.webhook_target = None
    await flexe.post("/v2/orders", flexe_order(), expect=201)
    assert app[EMITTER_KEY].log.entries() == []
