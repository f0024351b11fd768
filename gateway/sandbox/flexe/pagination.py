"""Continuation-token pagination: opaque base64 of `{"offset": n, "filterHash": h}`."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from aiohttp import web

from .errors import invalid_parameter
from .params import Params

T = TypeVar("T")


def filter_hash(path: str, filters: Mapping[str, object]) -> str:
    """Fingerprint of the path and normalised filters a token was issued for."""
    canonical = json.dumps([path, filters], sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def encode_token(offset: int, fingerprint: str) -> str:
    raw = json.dumps({"offset": offset, "filterHash": fingerprint}).encode()
    return base64.urlsafe_b64encode(raw).decode()


def decode_token(token: str, param: str) -> tuple[int, str]:
    try:
        padded = token + "=" * (-len(token) % 4)
        data: Any = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise invalid_parameter(param, f"{param} is not a valid token") from None
    offset = data.get("offset") if isinstance(data, dict) else None
    fingerprint = data.get("filterHash") if isinstance(data, dict) else None
    if (
        not isinstance(offset, int)
        or isinstance(offset, bool)
        or offset < 0
        or not isinstance(fingerprint, str)
    ):
        raise invalid_parameter(param, f"{param} is not a valid token")
    return offset, fingerprint


def paginate(
    items: Sequence[T],
    *,
    size: int,
    token: str | None,
    path: str,
    filters: Mapping[str, object],
    token_param: str = "continuationToken",
) -> tuple[list[T], str | None]:
    """One page of `items` and the token for the next page (None on the last)."""
    fingerprint = filter_hash(path, filters)
    offset = 0
    if token is not None:
        offset, issued_for = decode_token(token, token_param)
        if issued_for != fingerprint:
            raise invalid_parameter(
                token_param, f"{token_param} was issued for different filters"
            )
    end = offset + size
    following = encode_token(end, fingerprint) if end < len(items) else None
    return list(items[offset:end]), following


def list_body(
    collection: str, total: int, token: str | None, items: list[dict[str, Any]]
) -> dict[str, Any]:
    return {"total": total, "continuationToken": token, collection: items}


def page_response(
    request: web.Request,
    params: Params,
    items: Sequence[T],
    render: Callable[[T], dict[str, Any]],
    collection: str,
    filters: Mapping[str, object],
) -> web.Response:
    """The `{total, continuationToken, <collection>}` answer for one page of `items`."""
    size = params.page_size()
    page, following = paginate(
        items,
        size=size,
        token=params.text("continuationToken"),
        path=request.path,
        filters=filters,
    )
    return web.json_response(
        list_body(collection, len(items), following, [render(x) for x in page])
    )
