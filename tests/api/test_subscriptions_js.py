"""The reference JavaScript client (`graphql-ws` from npm, run by node) against
the gateway: connect, receive events, complete, close."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from gateway.app import BROKER
from gateway.broker import Broker
from gateway.models import OrderStatus, OrderStatusEvent

Client = TestClient  # type: ignore[type-arg]
JS = Path(__file__).resolve().parents[1] / "js"
QUERY = "subscription { orderStatusChanged { eventId orderId status } }"


@pytest.fixture(scope="module")
def node() -> str:
    """node, with the pinned client installed (npm ci, once)."""
    found = shutil.which("node")
    npm = shutil.which("npm")
    if found is None or npm is None:
        pytest.skip(
            "node/npm are not installed: the reference graphql-ws client test "
            "did NOT run (install nodejs and npm to run it)"
        )
    if not (JS / "node_modules" / "graphql-ws").is_dir():
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--silent"],
            cwd=JS,
            check=True,
            timeout=300,
        )
    return found


def event(n: int) -> OrderStatusEvent:
    return OrderStatusEvent(
        provider="flexe",
        occurred_at=datetime(2026, 12, 7, tzinfo=UTC),
        dedupe_key=f"evt_js_{n}",
        order_id=f"o-{n}",
        status=OrderStatus.SHIPPED,
        raw_status="shipped",
    )


class NodeClient:
    """subscribe.mjs in a child process, its JSON lines read from a file.

    A file, not an asyncio pipe: the child is a plain Popen, which does not
    depend on the event loop's child watcher."""

    def __init__(self, node: str, url: str, count: int, out: Path) -> None:
        self.out = out
        self._log = out.open("w")
        self._read = 0
        self.process = subprocess.Popen(
            [
                node,
                str(JS / "subscribe.mjs"),
                url,
                QUERY,
                str(count),
                "--then-complete",
            ],
            cwd=JS,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    async def line(self, wait: float = 20) -> dict[str, Any]:
        for _ in range(int(wait * 50)):
            lines = self.out.read_text().splitlines()
            if len(lines) > self._read and lines[self._read].startswith("{"):
                self._read += 1
                found: dict[str, Any] = json.loads(lines[self._read - 1])
                return found
            if self.process.poll() is not None and len(lines) <= self._read:
                raise AssertionError(f"the client exited: {self.out.read_text()}")
            await asyncio.sleep(0.02)
        raise AssertionError(f"no line from the client: {self.out.read_text()}")

    async def exit_code(self) -> int:
        for _ in range(500):
            code = self.process.poll()
            if code is not None:
                self._log.close()
                return code
            await asyncio.sleep(0.02)
        self.process.kill()
        raise AssertionError("the client did not exit")


async def test_reference_graphql_ws_client_receives_events_then_completes(
    node: str, gateway: Client, tmp_path: Path
) -> None:
    broker: Broker = gateway.server.app[BROKER]
    url = str(gateway.make_url("/graphql")).replace("http://", "ws://")
    client = NodeClient(node, url, 2, tmp_path / "client.jsonl")
    assert await client.line() == {"connected": True}
    for _ in range(500):
        if broker.subscriber_count():
            break
        await asyncio.sleep(0.01)
    sent = [await broker.publish(event(n)) for n in range(2)]
    got = [await client.line() for _ in range(2)]
    assert [g["next"]["data"]["orderStatusChanged"]["eventId"] for g in got] == [
        e.event_id for e in sent if e
    ]
    # Unsubscribing completes the operation; disposing closes the socket
    # normally (1000), and the server answers alike.
    assert await client.line() == {"complete": True}
    assert await client.line() == {"closed": 1000}
    assert await client.exit_code() == 0
    for _ in range(100):
        if not broker.subscriber_count():
            break
        await asyncio.sleep(0.01)
    assert broker.subscriber_count() == 0
