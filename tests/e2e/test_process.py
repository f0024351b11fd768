"""The real process: `python -m gateway` on the sandbox, then Ctrl-C."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from typing import Any

import pytest

pytestmark = pytest.mark.e2e


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(*args: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GATEWAY_")}
    return subprocess.Popen(
        [sys.executable, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def wait_for_line(
    proc: subprocess.Popen[str], pattern: str, timeout: float = 20
) -> str:
    assert proc.stderr is not None
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            if proc.poll() is not None:
                break
            continue
        seen.append(line)
        if re.search(pattern, line):
            return line
    proc.kill()
    raise AssertionError(f"no line matching {pattern!r}; got {''.join(seen)}")


def stop(proc: subprocess.Popen[str]) -> str:
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=15)
    assert proc.returncode == 0, stderr
    assert "Traceback" not in stderr
    return stderr


def post(url: str, query: str) -> Any:
    request = urllib.request.Request(
        url,
        data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as resp:
        return json.loads(resp.read())


def test_gateway_process_serves_sandbox_orders_and_stops_cleanly() -> None:
    port, sandbox_port = free_port(), free_port()
    proc = start(
        "-m", "gateway", "--port", str(port), "--sandbox-port", str(sandbox_port)
    )
    line = wait_for_line(proc, r"GraphiQL at http://127\.0\.0\.1:\d+/graphql")
    assert f":{port}/graphql" in line
    assert f"127.0.0.1:{sandbox_port}" in line
    try:
        body = post(
            f"http://127.0.0.1:{port}/graphql",
            "{ orders(first: 3) { edges { node { id status lines { sku quantity } } } } }",
        )
        edges = body["data"]["orders"]["edges"]
        assert len(edges) == 3
        assert all(edge["node"]["lines"] for edge in edges)
        page = urllib.request.Request(
            f"http://127.0.0.1:{port}/graphql", headers={"Accept": "text/html"}
        )
        with urllib.request.urlopen(page, timeout=10) as resp:
            assert "text/html" in resp.headers["Content-Type"]
    finally:
        stop(proc)


def test_sandbox_process_runs_alone() -> None:
    port = free_port()
    proc = start("-m", "gateway.sandbox", "--port", str(port))
    wait_for_line(proc, rf"127\.0\.0\.1:{port}")
    try:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/flexe/v2/orders?pageSize=2",
            headers={"Authorization": "Bearer sandbox-flexe-token"},
        )
        with urllib.request.urlopen(request, timeout=10) as resp:
            assert len(json.loads(resp.read())["outboundOrders"]) == 2
    finally:
        stop(proc)
