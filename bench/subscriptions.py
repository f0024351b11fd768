"""The subscription benchmark: many subscribers on one instance, signed webhooks in.

    .venv/bin/python -m bench.subscriptions [--subscribers 1000 5000] [--events 20]
                                           [--rate 10] [--burst 50]

Starts the sandbox and one gateway process (Flexe in use, pinned to core 0),
opens N graphql-transport-ws subscribers to `orderStatusChanged` from this
process (pinned to core 1), then POSTs signed Flexe `outbound_order.state_changed`
webhooks to the gateway: `--events` at `--rate` per second for latency, then a
`--burst` as fast as the gateway accepts them for throughput. For each event
the latency is from just before its webhook POST to the moment the last
subscriber received it. Prints webhooks accepted per second, delivery latency
p50/p99, events lost, and the gateway's resident memory before the
subscribers, with them, and after the events.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import hmac
import json
import os
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import aiohttp

from bench import procs

SECRET = "bench-flexe-webhook-secret"
QUERY = "subscription { orderStatusChanged { eventId orderId status } }"
CONNECT_BATCH = 200


@dataclass
class Tally:
    """When each event (by provider order id) reached how many subscribers."""

    sent: dict[str, float] = field(default_factory=dict)
    received: dict[str, int] = field(default_factory=dict)
    last: dict[str, float] = field(default_factory=dict)

    def record(self, order_id: str, at: float) -> None:
        self.received[order_id] = self.received.get(order_id, 0) + 1
        self.last[order_id] = at


def provider_id(global_id: str) -> str:
    raw = base64.urlsafe_b64decode(global_id + "=" * (-len(global_id) % 4)).decode()
    return raw.rsplit(":", 1)[1]


async def subscriber(
    session: aiohttp.ClientSession, url: str, tally: Tally, ready: asyncio.Event
) -> None:
    async with session.ws_connect(url, protocols=["graphql-transport-ws"]) as ws:
        await ws.send_str(json.dumps({"type": "connection_init", "payload": {}}))
        await ws.receive()
        payload = {"query": QUERY}
        await ws.send_str(
            json.dumps({"id": "1", "type": "subscribe", "payload": payload})
        )
        ready.set()
        async for msg in ws:
            if msg.type != aiohttp.WSMsgType.TEXT:
                break
            data = json.loads(msg.data)
            if data.get("type") == "next":
                event = data["payload"]["data"]["orderStatusChanged"]
                tally.record(provider_id(event["orderId"]), time.perf_counter())


def delivery(n: int) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(
        {
            "id": f"evt_bench_{n}",
            "type": "outbound_order.state_changed",
            "createdAt": "2026-12-07T12:00:00Z",
            "data": {
                "orderId": f"bench-{n}",
                "externalId": f"B-{n}",
                "previousState": "new",
                "state": "allocated",
                "hasErrors": False,
            },
        }
    ).encode()
    stamp = str(int(time.time()))
    mac = hmac.new(SECRET.encode(), stamp.encode() + b"." + body, hashlib.sha256)
    return body, {
        "Content-Type": "application/json",
        "X-Flexe-Timestamp": stamp,
        "X-Flexe-Signature": f"sha256={mac.hexdigest()}",
    }


async def post(session: aiohttp.ClientSession, base: str, n: int, tally: Tally) -> bool:
    body, headers = delivery(n)
    tally.sent[f"bench-{n}"] = time.perf_counter()
    async with session.post(f"{base}/webhooks/flexe", data=body, headers=headers) as r:
        return r.status == 200


async def settle(tally: Tally, subscribers: int, wait_s: float = 30.0) -> None:
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        if all(tally.received.get(k, 0) >= subscribers for k in tally.sent):
            return
        await asyncio.sleep(0.05)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def measure(
    gateway: procs.Proc, n: int, events: int, rate: float, burst: int
) -> None:
    ws_url = gateway.url.replace("http://", "ws://") + "/graphql"
    base_rss = procs.rss_mib(gateway.pid)
    tally = Tally()
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        tasks: list[asyncio.Task[None]] = []
        started = time.perf_counter()
        for first in range(0, n, CONNECT_BATCH):
            readies = []
            for _ in range(min(CONNECT_BATCH, n - first)):
                ready = asyncio.Event()
                readies.append(ready)
                tasks.append(
                    asyncio.create_task(subscriber(session, ws_url, tally, ready))
                )
            await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies)), 60)
        await asyncio.sleep(1.0)
        connect_s = time.perf_counter() - started
        with_subscribers = procs.rss_mib(gateway.pid)

        # Paced events: latency to the last subscriber.
        cpu_before = procs.cpu_seconds(gateway.pid)
        for i in range(events):
            await post(session, gateway.url, i, tally)
            await asyncio.sleep(1 / rate)
        await settle(tally, n)
        paced = [tally.last[k] - tally.sent[k] for k in tally.sent if k in tally.last]
        lost = sum(n - tally.received.get(k, 0) for k in tally.sent)

        # A burst: how many webhooks per second the instance takes in while
        # fanning each out to every subscriber.
        burst_tally_start = len(tally.sent)
        t0 = time.perf_counter()
        sem = asyncio.Semaphore(16)

        async def one(i: int) -> bool:
            async with sem:
                return await post(session, gateway.url, i, tally)

        accepted = await asyncio.gather(
            *(one(burst_tally_start + i) for i in range(burst))
        )
        accept_s = time.perf_counter() - t0
        await settle(tally, n, 60)
        fanned_s = max(tally.last.values()) - t0 if tally.last else float("nan")
        cpu = procs.cpu_seconds(gateway.pid) - cpu_before
        after = procs.rss_mib(gateway.pid)
        burst_lost = sum(
            n - tally.received.get(f"bench-{burst_tally_start + i}", 0)
            for i in range(burst)
        )
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    print(f"\n{n} subscribers (connected in {connect_s:.1f} s)")
    print(
        f"  paced {events} events at {rate:g}/s: delivery latency to the last "
        f"subscriber p50 {statistics.median(paced) * 1000:.1f} ms, "
        f"p99 {percentile(paced, 0.99) * 1000:.1f} ms; deliveries lost {lost}"
    )
    print(
        f"  burst of {burst}: {sum(accepted)} accepted in {accept_s:.2f} s = "
        f"{sum(accepted) / accept_s:.0f} webhooks/s in; all {burst * n} "
        f"deliveries done after {fanned_s:.2f} s = {burst * n / fanned_s:.0f} "
        f"messages/s out; lost {burst_lost}"
    )
    print(
        f"  gateway CPU during events {cpu:.1f} s; RSS {base_rss:.0f} MiB idle, "
        f"{with_subscribers:.0f} MiB with subscribers "
        f"({(with_subscribers - base_rss) * 1024 / n:.0f} KiB each), "
        f"{after:.0f} MiB after"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--events", type=int, default=20)
    parser.add_argument("--rate", type=float, default=10.0)
    parser.add_argument("--burst", type=int, default=50)
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) > 1:
        os.sched_setaffinity(0, {1})
    env = {
        "GATEWAY_PROVIDERS__FLEXE__WEBHOOK_SECRET": SECRET,
        "GATEWAY_BROKER__QUEUE_SIZE": "10000",
    }
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")
    with procs.sandbox(0, None) as sandbox:
        for n in args.subscribers:
            with procs.gateway(sandbox.url, ["flexe"], 0, env) as gateway:
                asyncio.run(measure(gateway, n, args.events, args.rate, args.burst))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
