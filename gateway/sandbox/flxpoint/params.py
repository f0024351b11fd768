"""Query parsing in Flxpoint's dialect: lists, numbers, booleans, dates, pages."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from multidict import MultiMapping

from ..clock import parse_instant
from .errors import bad_request
from .vocabulary import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

# Each list endpoint documents one spelling of its page parameters; the sandbox
# accepts the other spelling too, because clients mix them up.
FR_PAGE = ("filterPageNumber", "filterPageSize")
VARIANT_PAGE = ("page", "pageSize")
PAGE_PARAMS = (*FR_PAGE, *VARIANT_PAGE)

T = TypeVar("T")


@dataclass(frozen=True)
class Page:
    number: int
    size: int

    def slice(self, items: Sequence[T]) -> list[T]:
        start = (self.number - 1) * self.size
        return list(items[start : start + self.size])


class Params:
    """Typed access to one request's query.

    Unknown parameters are rejected rather than ignored: the sandbox exists to
    catch a client that misspells a filter, which the real API might let pass.
    """

    def __init__(self, query: MultiMapping[str], allowed: Iterable[str]) -> None:
        unknown = sorted(set(query.keys()) - set(allowed))
        if unknown:
            raise bad_request(f"Unknown parameter {unknown[0]}")
        self._query = query

    def text(self, name: str) -> str | None:
        values = self._query.getall(name, [])
        if len(values) > 1:
            raise bad_request(f"{name} may be given only once")
        return values[0] if values else None

    def integer(self, name: str) -> int | None:
        value = self.text(name)
        if value is None:
            return None
        return _whole(name, value)

    def text_list(self, name: str, limit: int | None = None) -> list[str] | None:
        """Comma-separated values, repeated keys, or both; None when absent."""
        raw = self._query.getall(name, [])
        if not raw:
            return None
        values = [part.strip() for item in raw for part in item.split(",")]
        kept = list(dict.fromkeys(v for v in values if v))
        if not kept:
            raise bad_request(f"{name} must not be empty")
        if limit is not None and len(kept) > limit:
            raise bad_request(f"{name} accepts at most {limit} values")
        return kept

    def int_list(self, name: str, limit: int | None = None) -> list[int] | None:
        values = self.text_list(name, limit)
        return None if values is None else [_whole(name, v) for v in values]

    def choice_list(self, name: str, allowed: Iterable[str]) -> list[str] | None:
        values = self.text_list(name)
        if values is None:
            return None
        choices = tuple(allowed)
        for value in values:
            if value not in choices:
                raise bad_request(
                    f"{name} must be among {', '.join(choices)}; got {value!r}"
                )
        return values

    def boolean(self, name: str) -> bool | None:
        value = self.text(name)
        if value is None:
            return None
        lowered = value.strip().lower()
        if lowered not in ("true", "false"):
            raise bad_request(f"{name} must be true or false")
        return lowered == "true"

    def instant(self, name: str) -> datetime | None:
        value = self.text(name)
        if value is None:
            return None
        try:
            return parse_instant(value)
        except ValueError:
            raise bad_request(f"{name} must be an ISO 8601 date or date-time") from None

    def page(self, native: tuple[str, str]) -> Page:
        """1-based page and size under either spelling; `native` is named first."""
        number_names, size_names = _spellings(native)
        number_name, number = self._agreed(number_names)
        size_name, size = self._agreed(size_names)
        page = 1 if number is None else _whole(number_name, number, minimum=1)
        if size is None:
            return Page(page, DEFAULT_PAGE_SIZE)
        count = _whole(size_name, size, minimum=1)
        if count > MAX_PAGE_SIZE:
            raise bad_request(
                f"{size_name} must be an integer between 1 and {MAX_PAGE_SIZE}"
            )
        return Page(page, count)

    def _agreed(self, names: tuple[str, str]) -> tuple[str, str | None]:
        """(the name used, its value); both names at once must carry one value."""
        first, second = (self.text(name) for name in names)
        if first is not None and second is not None and first != second:
            raise bad_request(
                f"{names[0]} and {names[1]} are the same parameter and disagree"
            )
        if first is None and second is not None:
            return names[1], second
        return names[0], first

    def aliased_list(self, name: str, alias: str, limit: int) -> list[str] | None:
        """A list with a deprecated second name; both may be sent if they agree."""
        current, deprecated = self.text_list(name, limit), self.text_list(alias, limit)
        if (
            current is not None
            and deprecated is not None
            and set(current) != set(deprecated)
        ):
            raise bad_request(f"{name} and {alias} (deprecated) disagree")
        return current if current is not None else deprecated


def _spellings(native: tuple[str, str]) -> tuple[tuple[str, str], tuple[str, str]]:
    other = VARIANT_PAGE if native == FR_PAGE else FR_PAGE
    return (native[0], other[0]), (native[1], other[1])


def _whole(name: str, value: str, minimum: int | None = None) -> int:
    try:
        number = int(value.strip())
    except ValueError:
        number = None
    if number is None or (minimum is not None and number < minimum):
        if minimum is not None and name in PAGE_PARAMS and "Size" in name:
            raise bad_request(
                f"{name} must be an integer between 1 and {MAX_PAGE_SIZE}"
            )
        bound = "" if minimum is None else f" >= {minimum}"
        raise bad_request(f"{name} must be an integer{bound}")
    return number


def after(moment: datetime, since: datetime | None) -> bool:
    """`…After` filters are inclusive, so a poll never misses a same-instant change."""
    return since is None or moment >= since
