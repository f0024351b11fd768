"""Query parsing in Flexport v3's dialect: `f.*` filters, integers, dates, booleans.

Unknown parameters are rejected (400 `invalid_parameter`) rather than ignored:
the sandbox exists to catch a client that misspells a filter.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from multidict import MultiMapping

from ..clock import parse_instant
from .errors import invalid_parameter

PAGE_PARAMS = ("page", "per")
SORTED_PAGE_PARAMS = ("page", "per", "sort", "direction")


class Params:
    """Typed access to one request's query; every value may be given once."""

    def __init__(self, query: MultiMapping[str], allowed: Iterable[str]) -> None:
        unknown = sorted(set(query.keys()) - set(allowed))
        if unknown:
            raise invalid_parameter(f"Unknown parameter {unknown[0]}")
        self._query = query

    def text(self, name: str) -> str | None:
        values = self._query.getall(name, [])
        if len(values) > 1:
            raise invalid_parameter(f"{name} may be given only once")
        if values and not values[0].strip():
            raise invalid_parameter(f"{name} must not be empty")
        return values[0] if values else None

    def integer(self, name: str, minimum: int = 1) -> int | None:
        value = self.text(name)
        if value is None:
            return None
        try:
            number = int(value)
        except ValueError:
            number = minimum - 1
        if number < minimum:
            raise invalid_parameter(f"{name} must be an integer >= {minimum}")
        return number

    def boolean(self, name: str) -> bool | None:
        value = self.text(name)
        if value is None:
            return None
        lowered = value.strip().lower()
        if lowered not in ("true", "false"):
            raise invalid_parameter(f"{name} must be true or false")
        return lowered == "true"

    def choice(self, name: str, allowed: Iterable[str]) -> str | None:
        value = self.text(name)
        choices = tuple(allowed)
        if value is not None and value not in choices:
            raise invalid_parameter(f"{name} must be one of {', '.join(choices)}")
        return value

    def choice_list(self, name: str, allowed: Iterable[str]) -> list[str] | None:
        """A comma-separated list, every value among `allowed`."""
        value = self.text(name)
        if value is None:
            return None
        choices = tuple(allowed)
        values = [part.strip() for part in value.split(",") if part.strip()]
        bad = [v for v in values if v not in choices]
        if not values or bad:
            raise invalid_parameter(
                f"{name} must be a comma list of {', '.join(choices)}"
            )
        return values

    def instant(self, name: str) -> datetime | None:
        value = self.text(name)
        if value is None:
            return None
        try:
            return parse_instant(value)
        except ValueError:
            raise invalid_parameter(
                f"{name} must be an ISO 8601 date or date-time"
            ) from None


def after(moment: datetime, bound: datetime | None, *, inclusive: bool) -> bool:
    if bound is None:
        return True
    return moment >= bound if inclusive else moment > bound


def before(moment: datetime, bound: datetime | None, *, inclusive: bool) -> bool:
    if bound is None:
        return True
    return moment <= bound if inclusive else moment < bound
