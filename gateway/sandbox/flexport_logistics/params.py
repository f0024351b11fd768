"""Query parsing in LAPI's dialect: strict names, limit/offset, lists, instants."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from multidict import MultiMapping

from ..clock import parse_instant
from .errors import bad_request

MAX_LIST_VALUES = 100


class Params:
    """Typed access to one request's query; every problem is a 400 problem+json.

    Unknown parameters are rejected rather than ignored: the sandbox exists to
    catch a client that misspells a filter, which the real API might let pass.
    """

    def __init__(self, query: MultiMapping[str], allowed: Iterable[str]) -> None:
        unknown = sorted(set(query.keys()) - set(allowed))
        if unknown:
            raise bad_request(f"Unknown query parameter {unknown[0]}")
        self._query = query

    def given(self, name: str) -> bool:
        return name in self._query

    def text(self, name: str) -> str | None:
        values = self._query.getall(name, [])
        if len(values) > 1:
            raise bad_request(f"{name} may be given only once")
        return values[0] if values else None

    def id_list(self, name: str, maximum: int = MAX_LIST_VALUES) -> list[str] | None:
        """Comma-separated values, repeated keys, or both; None when absent."""
        raw = self._query.getall(name, [])
        if not raw:
            return None
        values = [part.strip() for item in raw for part in item.split(",")]
        kept = list(dict.fromkeys(v for v in values if v))
        if not kept:
            raise bad_request(f"{name} must not be empty")
        if len(kept) > maximum:
            raise bad_request(f"{name} accepts at most {maximum} values")
        return kept

    def number(self, name: str, default: int, low: int, high: int | None) -> int:
        value = self.text(name)
        if value is None:
            return default
        stripped = value.strip()
        number = int(stripped) if stripped.isascii() and stripped.isdigit() else -1
        if number < low or (high is not None and number > high):
            bound = f"between {low} and {high}" if high is not None else f">= {low}"
            raise bad_request(f"{name} must be an integer {bound}")
        return number

    def limit(self, default: int, maximum: int) -> int:
        return self.number("limit", default, 1, maximum)

    def offset(self) -> int:
        return self.number("offset", 0, 0, None)

    def instant(self, name: str) -> datetime | None:
        value = self.text(name)
        if value is None:
            return None
        try:
            return parse_instant(value)
        except ValueError:
            raise bad_request(f"{name} must be an ISO 8601 date-time") from None
