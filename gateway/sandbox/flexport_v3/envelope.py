"""The `/api/response` envelope, absolute URLs and `/api/refs/*` objects.

Links are absolute and built from the URL the client called (scheme, Host and
the sandbox prefix), so following `next` or a ref's `link` lands back on the
same sandbox, exactly as the real API's links land on api.flexport.com.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from aiohttp import web
from yarl import URL

from .vocabulary import API_VERSION

Json = dict[str, Any]

# Where the sandbox mounts this provider; the sim's `prefix`.
PREFIX = "/flexport-v3"


def base_url(request: web.Request) -> str:
    """`http://host:port/flexport-v3`: what the real API calls https://api.flexport.com."""
    return f"{request.url.origin()}{PREFIX}"


def api_url(
    request: web.Request, path: str, query: Iterable[tuple[str, str]] = ()
) -> str:
    url = URL(base_url(request) + path)
    pairs = list(query)
    return str(url.with_query(pairs)) if pairs else str(url)


def self_url(request: web.Request) -> str:
    return str(request.url)


def envelope(request: web.Request, data: Any, error: Json | None = None) -> Json:
    return {
        "_object": "/api/response",
        "self": self_url(request),
        "version": API_VERSION,
        "data": data,
        "error": error,
    }


def respond(request: web.Request, data: Any, status: int = 200) -> web.Response:
    return web.json_response(envelope(request, data), status=status)


def ref_object(request: web.Request, ref_type: str, path: str, obj_id: int) -> Json:
    return {
        "_object": "/api/refs/object",
        "ref_type": ref_type,
        "link": api_url(request, f"{path}/{obj_id}"),
        "id": obj_id,
    }


def ref_collection(
    request: web.Request, ref_type: str, path: str, query: Iterable[tuple[str, str]]
) -> Json:
    return {
        "_object": "/api/refs/collection",
        "ref_type": ref_type,
        "link": api_url(request, path, query),
    }
