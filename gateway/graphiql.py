"""Self-hosted GraphiQL: the page, its vendored assets and a strict CSP."""

from __future__ import annotations

import hashlib
import html
import re
from functools import cache, lru_cache
from pathlib import Path
from typing import Final

from aiohttp import hdrs, web

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "STATIC_PREFIX",
    "add_graphiql_static",
    "graphiql_response",
    "wants_graphiql",
]

STATIC_PREFIX: Final = "/graphiql-static"
"""URL prefix under which :func:`add_graphiql_static` serves the assets."""

CONTENT_SECURITY_POLICY: Final = "; ".join(
    (
        "default-src 'none'",
        # Only the gateway's own files: no inline script, no eval.
        "script-src 'self'",
        # One inline <style> is allowed, by hash: when a modal dialog opens
        # (settings, short keys), react-remove-scroll-bar inside graphiql.min.js
        # injects its scroll-lock rules as a <style> element. With this page's
        # CSS (no body margin, no page scrollbar) the rules are always the same
        # text, all gaps 0px; this is its SHA-256. Without it each dialog logs
        # a CSP violation; if the text ever differs, only that redundant
        # scroll lock is lost. No 'unsafe-inline'.
        "style-src 'self' 'sha256-Y/huXlwoYkVyQlxwSVcCi1RCDGDCSVBzDt0hYP9qlTc='",
        # data: for the small PNG images inlined in graphiql.min.css.
        "img-src 'self' data:",
        # data: for the woff2 fonts inlined in graphiql.min.css.
        "font-src 'self' data:",
        # Queries go to this origin. Subscriptions open ws(s):// to the same
        # URL: CSP Level 3 browsers match that with 'self' alone (checked in
        # Chromium), ws: wss: keep it working in browsers that predate that.
        "connect-src 'self' ws: wss:",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    )
)
"""Content-Security-Policy sent with the GraphiQL page and its assets."""

_STATIC_DIR: Final = Path(__file__).resolve().parent / "static" / "graphiql"
_TEMPLATE: Final = "index.html"
# Only these kinds of file are served; the HTML template is not an asset.
_CONTENT_TYPES: Final = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".md": "text/markdown; charset=utf-8",
}
# The asset URLs carry a content hash (?v=...), so they may be cached for good.
_ASSET_CACHE_CONTROL: Final = "public, max-age=31536000, immutable"
_PLACEHOLDER: Final = re.compile(r"\{\{(title|asset:[A-Za-z0-9._-]+)\}\}")
_JSON_MEDIA_TYPES: Final = frozenset(
    {"application/json", "application/graphql-response+json"}
)


@cache
def _asset_versions() -> dict[str, str]:
    """Map each servable asset's file name to a short hash of its content."""
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        for path in sorted(_STATIC_DIR.iterdir())
        if path.is_file() and path.suffix in _CONTENT_TYPES
    }


@lru_cache(maxsize=16)
def _render_page(title: str) -> bytes:
    versions = _asset_versions()

    def substitute(match: re.Match[str]) -> str:
        token = match.group(1)
        if token == "title":
            return html.escape(title)
        name = token.removeprefix("asset:")
        if name not in versions:
            raise LookupError(f"{_TEMPLATE} refers to a missing asset: {name}")
        return f"{STATIC_PREFIX}/{name}?v={versions[name]}"

    template = (_STATIC_DIR / _TEMPLATE).read_text(encoding="utf-8")
    return _PLACEHOLDER.sub(substitute, template).encode()


def graphiql_response(title: str = "Fulfilment Gateway") -> web.Response:
    """Return the GraphiQL page, which loads everything from :data:`STATIC_PREFIX`.

    The page queries the URL it was served from over HTTP (subscriptions over
    a WebSocket to the same URL), so serve it for browser GETs on the GraphQL
    endpoint itself; see :func:`wants_graphiql`.
    """
    return web.Response(
        body=_render_page(title),
        content_type="text/html",
        charset="utf-8",
        headers={
            hdrs.CONTENT_SECURITY_POLICY: CONTENT_SECURITY_POLICY,
            hdrs.CACHE_CONTROL: "no-store",
            hdrs.X_CONTENT_TYPE_OPTIONS: "nosniff",
            "Referrer-Policy": "no-referrer",
        },
    )


async def _serve_asset(request: web.Request) -> web.StreamResponse:
    name = request.match_info["name"]
    if name not in _asset_versions():
        raise web.HTTPNotFound()
    return web.FileResponse(
        _STATIC_DIR / name,
        headers={
            hdrs.CONTENT_TYPE: _CONTENT_TYPES[Path(name).suffix],
            hdrs.CACHE_CONTROL: _ASSET_CACHE_CONTROL,
            hdrs.CONTENT_SECURITY_POLICY: CONTENT_SECURITY_POLICY,
            hdrs.X_CONTENT_TYPE_OPTIONS: "nosniff",
        },
    )


def add_graphiql_static(app: web.Application) -> None:
    """Serve the GraphiQL assets at ``STATIC_PREFIX/<file>`` (GET and HEAD).

    Only the files of ``gateway/static/graphiql`` with a known type are served
    (anything else is a 404), each with its content type, long-lived cache
    headers and :data:`CONTENT_SECURITY_POLICY`.
    """
    _asset_versions()  # hash the files now, not on the event loop's first request
    app.router.add_get(STATIC_PREFIX + "/{name}", _serve_asset)


def _html_preferred(accept: str) -> bool:
    """Tell whether an ``Accept`` value ranks ``text/html`` above JSON."""
    best: dict[str, tuple[float, int]] = {}
    for position, item in enumerate(accept.split(",")):
        media_type, *params = (part.strip() for part in item.split(";"))
        media_type = media_type.lower()
        if media_type == "text/html":
            kind = "html"
        elif media_type in _JSON_MEDIA_TYPES:
            kind = "json"
        else:
            continue
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        if kind not in best or quality > best[kind][0]:
            best[kind] = (quality, position)
    html_quality, html_position = best.get("html", (0.0, 0))
    json_quality, json_position = best.get("json", (0.0, 0))
    if html_quality <= 0.0:
        return False
    if html_quality != json_quality:
        return html_quality > json_quality
    return html_position < json_position


def wants_graphiql(request: web.Request) -> bool:
    """Tell whether *request* should get the GraphiQL page instead of GraphQL.

    The rule, in order:

    * only ``GET`` qualifies (``POST``, ``HEAD`` and the rest never do);
    * a ``query`` URL parameter, even empty, means a GraphQL-over-HTTP GET:
      it is answered with JSON (the page keeps its editor in ``?q=``);
    * a WebSocket upgrade (``Upgrade: websocket``) is a subscription client;
    * otherwise it is GraphiQL when the ``Accept`` header lists ``text/html``
      explicitly with a non-zero quality that is higher than that of
      ``application/json`` and ``application/graphql-response+json`` (on a
      tie, whichever is listed first wins). Wildcards (``*/*``, ``text/*``)
      do not count, so curl, ``fetch()`` defaults and a missing ``Accept``
      get JSON, while a browser navigating to the endpoint gets the page.
    """
    if request.method != hdrs.METH_GET or "query" in request.query:
        return False
    upgrade = request.headers.get(hdrs.UPGRADE, "")
    if "websocket" in (token.strip().lower() for token in upgrade.split(",")):
        return False
    return _html_preferred(",".join(request.headers.getall(hdrs.ACCEPT, [])))
