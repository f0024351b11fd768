"""Benchmark plumbing: the sandbox and a gateway as real processes, and their CPU."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
SANDBOX_TOKENS = {
    "flexe": "sandbox-flexe-token",
    "flexport_logistics": "sandbox-flexport-logistics-token",
    "flexport_v3": "sandbox-flexport-v3-token",
    "flxpoint": "sandbox-flxpoint-token",
}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for(url: str, timeout_s: float = 60.0) -> None:
    """Poll `url` until it answers 2xx, or fail after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status < 300:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not come up within {timeout_s} s")
        time.sleep(0.2)


def cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def rss_mib(pid: int) -> float:
    """Resident memory of the process, in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def pinned(core: int | None, argv: list[str]) -> list[str]:
    """`argv` under `taskset -c core` when asked and available."""
    if core is None or not Path("/usr/bin/taskset").exists():
        return argv
    return ["taskset", "-c", str(core), *argv]


@dataclass
class Proc:
    """A started process and the URL it serves."""

    popen: subprocess.Popen[bytes]
    url: str

    @property
    def pid(self) -> int:
        return self.popen.pid


@contextmanager
def running(
    argv: list[str], url: str, health: str, env: Mapping[str, str] | None = None
) -> Iterator[Proc]:
    """Run `argv` until the block ends; wait until `url + health` answers."""
    full_env = {**os.environ, **(env or {})}
    popen = subprocess.Popen(
        argv, cwd=ROOT, env=full_env, stdout=subprocess.DEVNULL, stderr=sys.stderr
    )
    try:
        wait_for(url + health)
        yield Proc(popen, url)
    finally:
        popen.terminate()
        try:
            popen.wait(10)
        except subprocess.TimeoutExpired:
            popen.kill()


def sandbox(latency_ms: float, core: int | None) -> AbstractContextManager[Proc]:
    """The simulated providers with latency on every request and no rate limits."""
    port = free_port()
    argv = [sys.executable, "-m", "gateway.sandbox", "--port", str(port)]
    argv += ["--latency-ms", str(latency_ms), "--no-rate-limits"]
    url = f"http://127.0.0.1:{port}"
    return running(pinned(core, argv), url, "/_sandbox")


def gateway(
    sandbox_url: str, providers: list[str], core: int | None, env: Mapping[str, str]
) -> AbstractContextManager[Proc]:
    """A gateway process on `providers` at the sandbox, without client-side limits."""
    port = free_port()
    settings = {"GATEWAY_LOG_LEVEL": "WARNING", **env}
    for slug in SANDBOX_TOKENS:
        key = f"GATEWAY_PROVIDERS__{slug.upper()}"
        if slug in providers:
            settings[f"{key}__TOKEN"] = SANDBOX_TOKENS[slug]
            settings[f"{key}__BASE_URL"] = f"{sandbox_url}/{slug.replace('_', '-')}"
            settings[f"{key}__RATE_LIMIT_PER_S"] = "0"
        else:
            settings[f"{key}__ENABLED"] = "false"
    argv = [sys.executable, "-m", "gateway", "--no-sandbox", "--port", str(port)]
    url = f"http://127.0.0.1:{port}"
    return running(pinned(core, argv), url, "/healthz", settings)
