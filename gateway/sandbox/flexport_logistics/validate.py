"""Body checks that name the field path (`orderItems[0].quantityUOM …`) in a 422."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from aiohttp import web

from ..clock import parse_instant
from .errors import LapiError, bad_request

MAX_STRING = 255


def at(prefix: str, key: str) -> str:
    return key if not prefix else f"{prefix}.{key}"


def index(prefix: str, position: int) -> str:
    return f"{prefix}[{position}]"


def options(allowed: Iterable[str]) -> str:
    """`EACH or CASE` for two choices, `one of A, B, C` for more."""
    names = list(allowed)
    if len(names) == 2:
        return f"{names[0]} or {names[1]}"
    return "one of " + ", ".join(names)


async def read_object(request: web.Request) -> dict[str, Any]:
    """The JSON object body, or 400 Bad Request."""
    raw = await request.read()
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise bad_request("Request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise bad_request("Request body must be a JSON object")
    return body


class Checker:
    """Collects every problem in a body; `done()` raises one 422 naming them all.

    problem+json has a single `detail`, so problems are joined with "; " in
    document order, each starting with its field path. Unknown fields are
    problems too, so a misspelt field name never passes unnoticed.
    """

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append(f"{path or 'body'} {message}")

    def done(self) -> None:
        if self.problems:
            raise LapiError(422, "; ".join(self.problems))

    def fields(self, value: Any, path: str, allowed: Iterable[str]) -> bool:
        """Is `value` an object with only allowed keys? Reports what is wrong."""
        if not isinstance(value, dict):
            self.fail(path, "must be an object")
            return False
        known = set(allowed)
        for key in value:
            if key not in known:
                self.fail(at(path, key), "is not a known field")
        return True

    def present(self, parent: dict[str, Any], key: str, path: str, req: bool) -> Any:
        """The value at `key`, reporting it when required and missing."""
        value = parent.get(key)
        if value is None and req:
            self.fail(path, "is required")
        return value

    def text(
        self,
        parent: dict[str, Any],
        key: str,
        prefix: str = "",
        *,
        required: bool = False,
        max_length: int = MAX_STRING,
    ) -> str | None:
        path = at(prefix, key)
        value = self.present(parent, key, path, required)
        if value is None:
            return None
        if not isinstance(value, str):
            self.fail(path, "must be a string")
        elif required and not value.strip():
            self.fail(path, "must not be empty")
        elif len(value) > max_length:
            self.fail(path, f"must be at most {max_length} characters")
        else:
            return value
        return None

    def choice(
        self,
        parent: dict[str, Any],
        key: str,
        allowed: Iterable[str],
        prefix: str = "",
        *,
        required: bool = False,
    ) -> str | None:
        path = at(prefix, key)
        names = tuple(allowed)
        value = self.present(parent, key, path, required)
        if value is None:
            return None
        if value not in names:
            self.fail(path, f"must be {options(names)}")
            return None
        return str(value)

    def integer(
        self,
        parent: dict[str, Any],
        key: str,
        prefix: str = "",
        *,
        required: bool = False,
        minimum: int = 1,
    ) -> int | None:
        path = at(prefix, key)
        value = self.present(parent, key, path, required)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            self.fail(path, f"must be an integer >= {minimum}")
            return None
        return value

    def amount(self, parent: dict[str, Any], key: str, prefix: str) -> float | None:
        """A number >= 0 (prices, discounts)."""
        path = at(prefix, key)
        value = parent.get(key)
        if value is None:
            return None
        if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
            self.fail(path, "must be a number >= 0")
            return None
        return float(value)

    def boolean(self, parent: dict[str, Any], key: str, prefix: str) -> bool | None:
        value = parent.get(key)
        if value is not None and not isinstance(value, bool):
            self.fail(at(prefix, key), "must be true or false")
            return None
        return value

    def instant(self, parent: dict[str, Any], key: str, prefix: str = "") -> str | None:
        """An ISO 8601 date-time, kept as sent."""
        value = self.text(parent, key, prefix)
        if value is None:
            return None
        try:
            parse_instant(value)
        except ValueError:
            self.fail(at(prefix, key), "must be an ISO 8601 date-time")
            return None
        return value

    def array(
        self,
        parent: dict[str, Any],
        key: str,
        prefix: str = "",
        *,
        required: bool = False,
        max_items: int = 500,
    ) -> list[Any] | None:
        path = at(prefix, key)
        value = self.present(parent, key, path, required)
        if value is None:
            return None
        if not isinstance(value, list):
            self.fail(path, "must be an array")
        elif required and not value:
            self.fail(path, "must not be empty")
        elif len(value) > max_items:
            self.fail(path, f"accepts at most {max_items} items")
        else:
            return value
        return None
