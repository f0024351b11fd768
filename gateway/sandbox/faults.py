"""Fault injection: the X-Sandbox-Fault header and scheduled fault rules."""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from multidict import CIMultiDictProxy

FAULT_HEADER = "X-Sandbox-Fault"
RETRY_AFTER_HEADER = "X-Sandbox-Retry-After"

# Status faults answer in the provider's error format; "timeout" waits
# fault_timeout_s and then answers 504; "garbage" and "shape" are 200s whose
# body is unparseable or of the wrong shape.
FAULTS = ("404", "409", "429", "500", "503", "timeout", "garbage", "shape")
DEFAULT_RETRY_AFTER = 1


class FaultSpecError(ValueError):
    """A fault header or rule that the sandbox cannot honour."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Fault:
    """The fault chosen for one request."""

    kind: str
    retry_after: int = DEFAULT_RETRY_AFTER


@dataclass
class FaultRule:
    """Answer matching requests with `fault`, `times` times (None: until cleared)."""

    id: int
    provider: str
    method: str | None
    path: str
    fault: str
    times: int | None
    retry_after: int

    def matches(self, provider: str, method: str, path: str) -> bool:
        if self.provider != provider:
            return False
        if self.method is not None and self.method != method:
            return False
        return fnmatchcase(path, self.path)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "provider": self.provider,
            "method": self.method,
            "path": self.path,
            "fault": self.fault,
            "times": self.times,
            "retryAfter": self.retry_after,
        }


class FaultRules:
    """Rules in the order they were added; the first live match wins."""

    def __init__(self) -> None:
        self._rules: list[FaultRule] = []
        self._next_id = 1

    def add(
        self,
        provider: str,
        method: str | None,
        path: str,
        fault: str,
        times: int | None,
        retry_after: int,
    ) -> FaultRule:
        rule = FaultRule(
            self._next_id, provider, method, path, fault, times, retry_after
        )
        self._next_id += 1
        self._rules.append(rule)
        return rule

    def take(self, provider: str, method: str, path: str) -> Fault | None:
        """Consume one use of the first matching rule, dropping it when spent."""
        for rule in self._rules:
            if rule.matches(provider, method, path):
                if rule.times is not None:
                    rule.times -= 1
                    if rule.times <= 0:
                        self._rules.remove(rule)
                return Fault(rule.fault, rule.retry_after)
        return None

    def list(self, provider: str | None = None) -> list[FaultRule]:
        return [r for r in self._rules if provider is None or r.provider == provider]

    def remove(self, rule_id: int, provider: str | None = None) -> bool:
        for rule in self._rules:
            if rule.id == rule_id and (provider is None or rule.provider == provider):
                self._rules.remove(rule)
                return True
        return False

    def clear(self, provider: str | None = None) -> None:
        self._rules = [
            r for r in self._rules if provider is not None and r.provider != provider
        ]


def check_fault(kind: str, field: str = "fault") -> str:
    if kind not in FAULTS:
        raise FaultSpecError(field, f"{field} must be one of {', '.join(FAULTS)}")
    return kind


def fault_from_headers(headers: CIMultiDictProxy[str]) -> Fault | None:
    """The per-request fault asked for by a test, if any."""
    kind = headers.get(FAULT_HEADER)
    if kind is None:
        return None
    check_fault(kind.strip().lower(), FAULT_HEADER)
    raw = headers.get(RETRY_AFTER_HEADER)
    if raw is None:
        return Fault(kind.strip().lower())
    try:
        retry_after = int(raw)
    except ValueError:
        retry_after = -1
    if retry_after < 0:
        raise FaultSpecError(
            RETRY_AFTER_HEADER, f"{RETRY_AFTER_HEADER} must be a whole number >= 0"
        )
    return Fault(kind.strip().lower(), retry_after)
