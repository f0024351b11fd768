"""Body checks reporting every problem with its dotted path (422 VALIDATION_FAILED)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from aiohttp import web

from .errors import Problem, invalid_body, validation_failed

MAX_STRING = 255


def join(prefix: str, key: str | int) -> str:
    return str(key) if not prefix else f"{prefix}.{key}"


async def read_object(request: web.Request) -> dict[str, Any]:
    """The JSON object body, or 400 INVALID_BODY."""
    raw = await request.read()
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise invalid_body("Request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise invalid_body("Request body must be a JSON object")
    return body


class Checker:
    """Walks a parsed body and collects problems; `done()` raises them all at once.

    Unknown fields are problems too: a sandbox that ignored them would let a
    client's misspelt field name pass unnoticed.
    """

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append(Problem("VALIDATION_FAILED", message, path or None))

    def done(self) -> None:
        if self.problems:
            raise validation_failed(self.problems)

    def fields(self, value: Any, path: str, allowed: Iterable[str]) -> bool:
        """Is `value` an object with only allowed keys? Reports what is wrong."""
        if not isinstance(value, dict):
            self.fail(path, f"{path or 'body'} must be an object")
            return False
        known = set(allowed)
        for key in value:
            if key not in known:
                self.fail(join(path, key), f"{join(path, key)} is not a known field")
        return True

    def text(
        self,
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
                self.fail(path, f"{path} is required")
            return None
        if not isinstance(value, str):
            self.fail(path, f"{path} must be a string")
            return None
        if required and not value.strip():
            self.fail(path, f"{path} must not be empty")
            return None
        if len(value) > max_length:
            self.fail(path, f"{path} must be at most {max_length} characters")
            return None
        return value

    def choice(
        self,
        parent: dict[str, Any],
        key: str,
        options: Iterable[str],
        prefix: str = "",
        *,
        required: bool = False,
    ) -> str | None:
        value = self.text(parent, key, prefix, required=required)
        allowed = tuple(options)
        if value is not None and value not in allowed:
            path = join(prefix, key)
            self.fail(path, f"{path} must be one of {', '.join(allowed)}")
            return None
        return value

    def integer(
        self,
        parent: dict[str, Any],
        key: str,
        prefix: str = "",
        *,
        required: bool = False,
        minimum: int = 1,
    ) -> int | None:
        path = join(prefix, key)
        value = parent.get(key)
        if value is None:
            if required:
                self.fail(path, f"{path} is required")
            return None
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            self.fail(path, f"{path} must be an integer >= {minimum}")
            return None
        return value

    def labels(
        self, parent: dict[str, Any], key: str = "labels", prefix: str = ""
    ) -> dict[str, str] | None:
        path = join(prefix, key)
        value = parent.get(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.fail(path, f"{path} must be an object of strings")
            return None
        for label, text in value.items():
            if not isinstance(text, str):
                self.fail(join(path, label), f"{join(path, label)} must be a string")
        return {k: v for k, v in value.items() if isinstance(v, str)}

    def array(
        self,
        parent: dict[str, Any],
        key: str,
        prefix: str = "",
        *,
        required: bool = False,
        max_items: int = 500,
    ) -> list[Any] | None:
        path = join(prefix, key)
        value = parent.get(key)
        if value is None:
            if required:
                self.fail(path, f"{path} is required")
            return None
        if not isinstance(value, list):
            self.fail(path, f"{path} must be an array")
            return None
        if required and not value:
            self.fail(path, f"{path} must not be empty")
            return None
        if len(value) > max_items:
            self.fail(path, f"{path} accepts at most {max_items} items")
            return None
        return value
