"""The log of provider requests that tests read to count upstream calls."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any


@dataclass
class LoggedRequest:
    """One provider request; `status` stays None while the request is in flight."""

    seq: int
    provider: str
    method: str
    path: str
    query: str
    params: dict[str, list[str]]
    status: int | None = None
    fault: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "provider": self.provider,
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "params": self.params,
            "status": self.status,
            "fault": self.fault,
        }


class RequestLog:
    """The most recent `capacity` entries, in arrival order.

    Sequence numbers never restart, not even on reset, so a `since` taken
    before a reset can never hide newer requests. The log is bounded because a
    sandbox behind `make run` serves for as long as anyone likes.
    """

    def __init__(self, capacity: int = 10_000) -> None:
        self._entries: deque[LoggedRequest] = deque(maxlen=capacity)
        self._seq = 0

    @property
    def last_seq(self) -> int:
        return self._seq

    def begin(
        self,
        provider: str,
        method: str,
        path: str,
        query: str,
        params: dict[str, list[str]],
    ) -> LoggedRequest:
        self._seq += 1
        entry = LoggedRequest(self._seq, provider, method, path, query, params)
        self._entries.append(entry)
        return entry

    def entries(
        self, provider: str | None = None, since: int = 0
    ) -> list[LoggedRequest]:
        return [
            entry
            for entry in self._entries
            if entry.seq > since and (provider is None or entry.provider == provider)
        ]

    def clear(self, provider: str | None = None) -> None:
        if provider is None:
            self._entries.clear()
        else:
            kept = [e for e in self._entries if e.provider != provider]
            self._entries = deque(kept, maxlen=self._entries.maxlen)
