"""Body checks: the first problem becomes a 400 `{"error": ...}` naming its path."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from aiohttp import web

from ..clock import parse_instant
from .errors import bad_request

MAX_STRING = 255
# Large enough for any price, weight or dimension; small enough to stay exact.
MAX_NUMBER = 10_000_000


def join(prefix: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{prefix}[{key}]"
    return key if not prefix else f"{prefix}.{key}"


async def read_json(request: web.Request) -> Any:
    """The parsed body (None for an empty one), or 400 when it is not JSON."""
    raw = await request.read()
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise bad_request("Request body is not valid JSON") from None


async def read_object(request: web.Request) -> dict[str, Any]:
    body = await read_json(request)
    if not isinstance(body, dict):
        raise bad_request("Request body must be a JSON object")
    return body


async def no_body(request: web.Request) -> None:
    """State-change PATCHes take no body; an empty one, `{}` or `null` is fine."""
    body = await read_json(request)
    if body not in (None, {}):
        raise bad_request("This endpoint takes no request body")


def fields(value: Any, path: str, allowed: Iterable[str]) -> dict[str, Any]:
    """`value` as an object with only allowed keys, else 400.

    Unknown fields are errors: a sandbox that ignored them would let a client's
    misspelt field name pass unnoticed.
    """
    if not isinstance(value, dict):
        raise bad_request(f"{path or 'body'} must be an object")
    known = set(allowed)
    for key in value:
        if key not in known:
            raise bad_request(f"Unknown field {join(path, key)}")
    return value


def text(
    parent: dict[str, Any],
    key: str,
    prefix: str = "",
    *,
    required: bool = False,
    max_length: int = MAX_STRING,
) -> str | None:
    path = join(prefix, key)
    value = parent.get(key)
    if value is None:
        if required:
            raise bad_request(f"{path} is required")
        return None
    if not isinstance(value, str):
        raise bad_request(f"{path} must be a string")
    if required and not value.strip():
        raise bad_request(f"{path} must not be empty")
    if len(value) > max_length:
        raise bad_request(f"{path} must be at most {max_length} characters")
    return value


def integer(
    parent: dict[str, Any],
    key: str,
    prefix: str = "",
    *,
    required: bool = False,
    minimum: int = 0,
) -> int | None:
    path = join(prefix, key)
    value = parent.get(key)
    if value is None:
        if required:
            raise bad_request(f"{path} is required")
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise bad_request(f"{path} must be an integer >= {minimum}")
    return value


def cents(parent: dict[str, Any], key: str, prefix: str = "") -> int | None:
    """A money amount (a JSON number >= 0), kept in cents."""
    path = join(prefix, key)
    value = parent.get(key)
    if value is None:
        return None
    return round(_amount(value, path) * 100)


def number(parent: dict[str, Any], key: str, prefix: str = "") -> float | None:
    path = join(prefix, key)
    value = parent.get(key)
    if value is None:
        return None
    return _amount(value, path)


def _amount(value: Any, path: str) -> float:
    if (
        not isinstance(value, int | float)
        or isinstance(value, bool)
        or not math.isfinite(value)
        or not 0 <= value <= MAX_NUMBER
    ):
        raise bad_request(f"{path} must be a number between 0 and {MAX_NUMBER}")
    return float(value)


def boolean(
    parent: dict[str, Any], key: str, prefix: str = "", *, default: bool = False
) -> bool:
    value = parent.get(key)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise bad_request(f"{join(prefix, key)} must be true or false")
    return value


def choice(
    parent: dict[str, Any], key: str, options: Iterable[str], prefix: str = ""
) -> str | None:
    value = text(parent, key, prefix)
    allowed = tuple(options)
    if value is not None and value not in allowed:
        raise bad_request(f"{join(prefix, key)} must be one of {', '.join(allowed)}")
    return value


def instant(parent: dict[str, Any], key: str, prefix: str = "") -> datetime | None:
    value = text(parent, key, prefix)
    if value is None:
        return None
    try:
        return parse_instant(value)
    except ValueError:
        raise bad_request(
            f"{join(prefix, key)} must be an ISO 8601 date-time"
        ) from None


def array(
    parent: dict[str, Any],
    key: str,
    prefix: str = "",
    *,
    max_items: int | None = None,
) -> list[Any] | None:
    """A non-empty array, or None when absent or null."""
    path = join(prefix, key)
    value = parent.get(key)
    if value is None:
        return None
    if not isinstance(value, list):
        raise bad_request(f"{path} must be an array")
    if not value:
        raise bad_request(f"{path} must not be empty")
    if max_items is not None and len(value) > max_items:
        raise bad_request(f"{path} accepts at most {max_items} items")
    return value
