"""Arguments every mutation shares: global IDs, line IDs and idempotency keys."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic import BaseModel

from gateway import ids
from gateway.errors import InvalidId
from resolvers.user_errors import invalid, validate

M = TypeVar("M", bound=BaseModel)

MAX_KEY_LENGTH = 200


def decode(value: str, kind: str, at: Sequence[str] = ("id",)) -> ids.Ref:
    """The ref behind a global ID of `kind`, or an INVALID userError at `at`."""
    try:
        return ids.decode(value, kind=kind)
    except InvalidId as exc:
        raise invalid(at, str(exc)) from None


def line_of(value: str, at: Sequence[str]) -> tuple[ids.Ref, str, str]:
    """An OrderLine ID as (ref, provider order id, provider line id)."""
    ref = decode(value, "OrderLine", at)
    order_id, _, line_id = ref.id.rpartition("/")
    if not order_id or not line_id:
        raise invalid(at, f"{value!r} is not a valid ID")
    return ref, order_id, line_id


def idempotency_key(value: str | None, at: Sequence[str] = ("input",)) -> str:
    """The caller's key, checked, or a new one when they gave none."""
    if value is None:
        return uuid.uuid4().hex
    if not value.strip() or len(value) > MAX_KEY_LENGTH or not value.isprintable():
        raise invalid(
            [*at, "idempotencyKey"],
            f"idempotencyKey must be 1 to {MAX_KEY_LENGTH} printable characters",
        )
    return value


def keyed(model: type[M], data: dict[str, Any]) -> tuple[M, str]:
    """A create's input (`plain` data) as `model`, and its idempotency key."""
    key = idempotency_key(data.pop("idempotencyKey", None))
    return validate(model, data), key
