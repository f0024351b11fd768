"""SIGTERM under load: in-flight operations finish, new ones are refused, exit 0."""

from __future__ import annotations

import asyncio
import json
import signal
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import aiohttp
import pytest

from tests.e2e.test_process import free_port, post, start, wait_for_line

pytestmark = pytest.mark.e2e

BOARD = "{ orders(first: 5, filter: {providers: [FLEXE]}) { edges { node { id lines { sku } } } } }"


def subscriber_close_code(url: str, connected: list[bool]) -> int | None:
    """Hold a subscription open until the server closes it; its close code."""

    async def run() -> int | None:
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(url, protocols=["graphql-transport-ws"]) as ws,
        ):
            await ws.send_str(json.dumps({"type": "connection_init"}))
            await ws.receive()
            query = "subscription { orderStatusChanged { eventId } }"
            payload = {"id": "1", "type": "subscribe", "payload": {"query": query}}
            await ws.send_str(json.dumps(payload))
            connected.append(True)
            while not ws.closed:
                msg = await ws.receive(timeout=30)
                if msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                    break
            return ws.close_code

    return asyncio.run(run())


def test_sigterm_lets_operations_in_flight_finish_then_exits_0() -> None:
    port, sandbox_port = free_port(), free_port()
    proc = start(
        "-m", "gateway", "--port", str(port), "--sandbox-port", str(sandbox_port)
    )
    try:
        wait_for_line(proc, "GraphiQL at")
        url = f"http://127.0.0.1:{port}/graphql"
        settings = urllib.request.Request(
            f"http://127.0.0.1:{sandbox_port}/_sandbox/settings",
            data=json.dumps({"latencyMs": 700}).encode(),
            headers={"Content-Type": "application/json"},
            method="PATCH",
        )
        with urllib.request.urlopen(settings, timeout=5) as resp:
            assert resp.status == 200
        with ThreadPoolExecutor(9) as pool:
            connected: list[bool] = []
            ws_url = url.replace("http://", "ws://")
            socket = pool.submit(subscriber_close_code, ws_url, connected)
            while not connected:
                time.sleep(0.05)
            flights = [pool.submit(post, url, BOARD) for _ in range(8)]
            time.sleep(0.5)  # every request is now waiting on the sandbox
            stopped_at = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            answers = [flight.result(timeout=20) for flight in flights]
            # The open subscription is closed as "going away", not waited for.
            assert socket.result(timeout=20) == 1001
        for body in answers:
            assert "errors" not in body, body
            assert len(body["data"]["orders"]["edges"]) == 5
        _, stderr = proc.communicate(timeout=20)
        took = time.monotonic() - stopped_at
        assert proc.returncode == 0, stderr
        assert "Traceback" not in stderr
        assert took < 10, f"stopping took {took:.1f} s"
        with pytest.raises(urllib.error.URLError):
            post(url, "{ __typename }")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
