"""A small graphql-transport-ws client over aiohttp, for subscription tests."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
from aiohttp.test_utils import TestClient

TRANSPORT_WS = "graphql-transport-ws"
LEGACY_WS = "graphql-ws"


class Socket:
    """One websocket to /graphql speaking graphql-transport-ws."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self._ids = 0

    @classmethod
    async def open(
        cls,
        client: TestClient,
        protocol: str = TRANSPORT_WS,  # type: ignore[type-arg]
    ) -> Socket:
        ws = await client.ws_connect("/graphql", protocols=[protocol])
        return cls(ws)

    async def init(self, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        await self.send({"type": "connection_init", "payload": payload or {}})
        ack = await self.receive()
        assert ack["type"] == "connection_ack", ack
        return ack

    async def subscribe(
        self, query: str, variables: dict[str, Any] | None = None
    ) -> str:
        self._ids += 1
        op = str(self._ids)
        payload = {"query": query, "variables": variables or {}}
        await self.send({"id": op, "type": "subscribe", "payload": payload})
        return op

    async def send(self, message: dict[str, Any]) -> None:
        await self.ws.send_str(json.dumps(message))

    async def receive(self, wait: float = 5) -> dict[str, Any]:
        """The next protocol message, skipping pings/pongs; frames must be text."""
        while True:
            msg = await asyncio.wait_for(self.ws.receive(), wait)
            assert msg.type == aiohttp.WSMsgType.TEXT, f"not a text frame: {msg}"
            data: dict[str, Any] = json.loads(msg.data)
            if data.get("type") in ("ping", "pong", "ka"):
                continue
            return data

    async def next_data(self, wait: float = 5) -> dict[str, Any]:
        """The `payload.data` of the next `next` message."""
        message = await self.receive(wait)
        assert message["type"] in ("next", "data"), message
        assert "errors" not in message["payload"], message
        data: dict[str, Any] = message["payload"]["data"]
        return data

    async def close(self) -> None:
        await self.ws.close()
