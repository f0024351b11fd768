"""Query parsing in Flexe's dialect: list filters, booleans, dates, labels, pages."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from multidict import MultiMapping

from ..clock import parse_instant
from .errors import invalid_parameter

MAX_LIST_VALUES = 100
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


class Params:
    """Typed access to one request's query.

    Unknown parameters are rejected rather than ignored: the sandbox exists to
    catch a client that misspells a filter, which the real API might let pass.
    """

    def __init__(self, query: MultiMapping[str], allowed: Iterable[str]) -> None:
        unknown = sorted(set(query.keys()) - set(allowed))
        if unknown:
            raise invalid_parameter(unknown[0], f"Unknown parameter {unknown[0]}")
        self._query = query

    def text(self, name: str) -> str | None:
        values = self._query.getall(name, [])
        if len(values) > 1:
            raise invalid_parameter(name, f"{name} may be given only once")
        return values[0] if values else None

    def id_list(self, name: str) -> list[str] | None:
        """Comma-separated values, repeated keys, or both; None when absent."""
        raw = self._query.getall(name, [])
        if not raw:
            return None
        values = [part.strip() for item in raw for part in item.split(",")]
        return self._checked_list(name, values)

    def rails_list(self, name: str) -> list[str] | None:
        """Rails-style `skus[]=A&skus[]=B`; values are taken verbatim."""
        raw = self._query.getall(name, [])
        if not raw:
            return None
        return self._checked_list(name, [item.strip() for item in raw])

    def choice_list(self, name: str, allowed: Iterable[str]) -> list[str] | None:
        values = self.id_list(name)
        if values is None:
            return None
        choices = list(allowed)
        for value in values:
            if value not in choices:
                raise invalid_parameter(
                    name, f"{name} must be among {', '.join(choices)}; got {value!r}"
                )
        return values

    def boolean(self, name: str) -> bool | None:
        value = self.text(name)
        if value is None:
            return None
        lowered = value.strip().lower()
        if lowered not in ("true", "false"):
            raise invalid_parameter(name, f"{name} must be true or false")
        return lowered == "true"

    def instant(self, name: str) -> datetime | None:
        value = self.text(name)
        if value is None:
            return None
        try:
            return parse_instant(value)
        except ValueError:
            raise invalid_parameter(
                name, f"{name} must be an ISO 8601 date or date-time"
            ) from None

    def labels(self, name: str = "labels") -> list[tuple[str, str]]:
        """`labels=key:value`, repeatable; every pair must match."""
        pairs: list[tuple[str, str]] = []
        for item in self._query.getall(name, []):
            key, sep, value = item.partition(":")
            if not sep or not key.strip():
                raise invalid_parameter(name, f"{name} must look like key:value")
            pairs.append((key.strip(), value.strip()))
        return pairs

    def page_size(
        self,
        name: str = "pageSize",
        default: int = DEFAULT_PAGE_SIZE,
        maximum: int = MAX_PAGE_SIZE,
    ) -> int:
        value = self.text(name)
        if value is None:
            return default
        try:
            size = int(value)
        except ValueError:
            size = 0
        if not 1 <= size <= maximum:
            raise invalid_parameter(name, f"{name} must be between 1 and {maximum}")
        return size

    def _checked_list(self, name: str, values: list[str]) -> list[str]:
        kept = list(dict.fromkeys(v for v in values if v))
        if not kept:
            raise invalid_parameter(name, f"{name} must not be empty")
        if len(kept) > MAX_LIST_VALUES:
            raise invalid_parameter(
                name, f"{name} accepts at most {MAX_LIST_VALUES} values"
            )
        return kept


def labels_match(labels: dict[str, str], wanted: list[tuple[str, str]]) -> bool:
    return all(labels.get(key) == value for key, value in wanted)


def in_range(moment: datetime, start: datetime | None, end: datetime | None) -> bool:
    """`From` is inclusive, `To` exclusive."""
    return (start is None or moment >= start) and (end is None or moment < end)
