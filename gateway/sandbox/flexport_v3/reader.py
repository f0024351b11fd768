"""Typed reads of a JSON body that stop at the first problem (422, one message).

The real API answers a bad V3 body with one `/api/error`, so there is no list
of problems: the first check that fails names its JSON path in the message.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from aiohttp import web

from .errors import invalid_body, unprocessable
from .model import Fields

MAX_TEXT = 255
MAX_MEMO = 2000
_DECIMAL = re.compile(r"^\d+(\.\d+)?$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


async def read_object(request: web.Request) -> dict[str, Any]:
    """The JSON object body, or 400 `invalid_body`."""
    raw = await request.read()
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise invalid_body("Request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise invalid_body("Request body must be a JSON object")
    return body


def path(prefix: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{prefix}[{key}]"
    return key if not prefix else f"{prefix}.{key}"


def known(value: Any, where: str, allowed: Iterable[str]) -> dict[str, Any]:
    """`value` as an object holding only `allowed` keys (plus `_object`)."""
    if not isinstance(value, dict):
        raise unprocessable(f"{where or 'body'} must be an object")
    keys = {*allowed, "_object"}
    for key in value:
        if key not in keys:
            raise unprocessable(f"Unknown attribute {path(where, key)}")
    return value


def text(
    parent: dict[str, Any],
    key: str,
    where: str = "",
    *,
    required: bool = False,
    max_length: int = MAX_TEXT,
) -> str | None:
    value = parent.get(key)
    name = path(where, key)
    if value is None:
        if required:
            raise unprocessable(f"{name} is required")
        return None
    if not isinstance(value, str):
        raise unprocessable(f"{name} must be a string")
    if required and not value.strip():
        raise unprocessable(f"{name} is required")
    if len(value) > max_length:
        raise unprocessable(f"{name} must be at most {max_length} characters")
    return value


def day(parent: dict[str, Any], key: str, where: str = "") -> str | None:
    value = text(parent, key, where)
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise unprocessable(f"{path(where, key)} must be a date (YYYY-MM-DD)") from None


def whole(parent: dict[str, Any], key: str, where: str = "") -> int | None:
    """A whole number >= 1; digit strings count (S3 sends `"units": "500"`)."""
    value = parent.get(key)
    if value is None:
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise unprocessable(f"{path(where, key)} must be a whole number >= 1")
    return value


def decimal(parent: dict[str, Any], key: str, where: str = "") -> str | None:
    value = text(parent, key, where)
    if value is not None and not _DECIMAL.match(value):
        raise unprocessable(f"{path(where, key)} must be a decimal string like 4.65")
    return value


def currency(parent: dict[str, Any], key: str, where: str = "") -> str | None:
    value = text(parent, key, where)
    if value is not None and not _CURRENCY.match(value):
        raise unprocessable(f"{path(where, key)} must be an ISO 4217 currency code")
    return value


def array(parent: dict[str, Any], key: str, where: str = "") -> list[Any]:
    value = parent.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise unprocessable(f"{path(where, key)} must be an array")
    if len(value) > 500:
        raise unprocessable(f"{path(where, key)} accepts at most 500 items")
    return value


def flat(
    value: Any, where: str, fields: Iterable[str], *, booleans: Iterable[str] = ()
) -> Fields:
    """An object of strings (or the named booleans) with every field present."""
    allowed = tuple(fields)
    flags = set(booleans)
    obj = known(value, where, allowed)
    out: Fields = {}
    for key in allowed:
        item = obj.get(key)
        if key in flags:
            if item is not None and not isinstance(item, bool):
                raise unprocessable(f"{path(where, key)} must be true or false")
            out[key] = item
        else:
            out[key] = text(obj, key, where)
    return out


def metadata(parent: dict[str, Any], where: str = "") -> dict[str, Any]:
    """`metadata`: an object whose values are strings or arrays of strings."""
    value = parent.get("metadata")
    name = path(where, "metadata")
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise unprocessable(f"{name} must be an object")
    for key, item in value.items():
        ok = isinstance(item, str) or (
            isinstance(item, list) and all(isinstance(i, str) for i in item)
        )
        if not ok:
            raise unprocessable(
                f"{path(name, key)} must be a string or an array of strings"
            )
    return dict(value)
