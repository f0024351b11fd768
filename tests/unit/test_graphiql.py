"""Self-hosted GraphiQL: page, static assets, CSP and the browser-GET rule."""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, make_mocked_request
from pytest_aiohttp import AiohttpClient

from gateway import graphiql
from gateway.graphiql import (
    CONTENT_SECURITY_POLICY,
    STATIC_PREFIX,
    add_graphiql_static,
    graphiql_response,
    wants_graphiql,
)

Client = TestClient[web.Request, web.Application]
STATIC_DIR = Path(graphiql.__file__).parent / "static" / "graphiql"
BROWSER_ACCEPT = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,"
    "image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"
)
CONTENT_TYPES = {
    ".js": "text/javascript",
    ".css": "text/css",
    ".svg": "image/svg+xml",
}
# SHA-384 of the npm releases, as pinned (SRI) by strawberry-graphql 0.341.2.
VENDORED_SHA384 = {
    "react.production.min.js": (
        "tMH8h3BGESGckSAVGZ82T9n90ztNXxvdwvdM6UoR56cYcf+0iGXBliJ29D+wZ/x8"
    ),
    "react-dom.production.min.js": (
        "bm7MnzvK++ykSwVJ2tynSE5TRdN+xL418osEVF2DE/L/gfWHj91J2Sphe582B1Bh"
    ),
    "graphiql.min.js": (
        "HbRVEFG0JGJZeAHCJ9Xm2+tpknBQ7QZmNlO/DgZtkZ0aJSypT96YYGRNod99l9Ie"
    ),
    "graphiql.min.css": (
        "Mq3vbRBY71jfjQAt/DcjxUIYY33ksal4cgdRt9U/hNPvHBCaT2JfJ/PTRiPKf0aM"
    ),
    "plugin-explorer.umd.js": (
        "2oonKe47vfHIZnmB6ZZ10vl7T0Y+qrHQF2cmNTaFDuPshpKqpUMGMc9jgj9MLDZ9"
    ),
    "plugin-explorer.css": (
        "5DFJlDPW2tSATRbM8kzoP1j194jexLswuNmClWoRr2Q0x7R68JIQzPHZ02Faktwi"
    ),
}


class PageParser(HTMLParser):
    """Collect what matters for the CSP from the GraphiQL page."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []
        self.inline_script_text: list[str] = []
        self.style_elements = 0
        self.refs: list[str] = []
        self.inline_attributes: list[tuple[str, str]] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script":
            self.scripts.append(attributes)
            self._in_script = True
        if tag == "style":
            self.style_elements += 1
        for name, value in attrs:
            if name in ("src", "href") and value is not None:
                self.refs.append(value)
            if name == "style" or name.startswith("on"):
                self.inline_attributes.append((tag, name))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_script_text.append(data)


@pytest.fixture
async def client(aiohttp_client: AiohttpClient) -> Client:
    async def page(request: web.Request) -> web.Response:
        return graphiql_response()

    app = web.Application()
    app.router.add_get("/graphql", page)
    add_graphiql_static(app)
    return await aiohttp_client(app)


async def fetch_page(client: Client) -> str:
    response = await client.get("/graphql", headers={"Accept": BROWSER_ACCEPT})
    assert response.status == 200
    return await response.text()


def parse(page: str) -> PageParser:
    parser = PageParser()
    parser.feed(page)
    parser.close()
    return parser


def directives(policy: str) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for directive in policy.split(";"):
        name, *sources = directive.split()
        result[name] = sources
    return result


def without_xml_namespaces(text: str) -> str:
    return re.sub(r'xmlns(:\w+)?="http://www\.w3\.org/[^"]*"', "", text)


async def test_page_headers(client: Client) -> None:
    response = await client.get("/graphql", headers={"Accept": BROWSER_ACCEPT})

    assert response.status == 200
    assert response.content_type == "text/html"
    assert response.charset == "utf-8"
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_csp_is_strict() -> None:
    policy = directives(CONTENT_SECURITY_POLICY)

    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert "unsafe-eval" not in CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert policy["default-src"] == ["'none'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"][0] == "'self'"
    # Beyond 'self', styles may only be allowed by hash.
    assert all(source.startswith("'sha256-") for source in policy["style-src"][1:])
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["font-src"] == ["'self'", "data:"]
    assert policy["connect-src"][0] == "'self'"
    assert set(policy["connect-src"][1:]) <= {"ws:", "wss:"}
    for name in ("base-uri", "form-action", "frame-ancestors"):
        assert policy[name] == ["'none'"]
    # Nothing may come from another host.
    assert not re.search(r"https?://|\*", CONTENT_SECURITY_POLICY)


async def test_page_has_no_inline_script_or_style(
    client: Client,
) -> None:
    parsed = parse(await fetch_page(client))

    assert len(parsed.scripts) == 5
    assert all(script.get("src") for script in parsed.scripts)
    assert parsed.inline_script_text == []
    assert parsed.style_elements == 0
    assert parsed.inline_attributes == []


async def test_own_files_have_no_external_references(
    client: Client,
) -> None:
    page = await fetch_page(client)
    own_files = ("graphiql-init.js", "graphiql-page.css", "favicon.svg")
    texts = [page] + [(STATIC_DIR / name).read_text() for name in own_files]

    for text in texts:
        assert not re.search(r"https?://", without_xml_namespaces(text))


async def test_every_reference_is_served_by_the_static_route(
    client: Client,
) -> None:
    refs = parse(await fetch_page(client)).refs
    served = set()

    assert refs
    for ref in refs:
        url = urlsplit(ref)
        assert not url.scheme
        assert not url.netloc
        assert url.path.startswith(STATIC_PREFIX + "/")
        name = url.path.removeprefix(STATIC_PREFIX + "/")
        body = (STATIC_DIR / name).read_bytes()
        # The ?v= cache buster is the content hash of the file.
        assert url.query == f"v={hashlib.sha256(body).hexdigest()[:16]}"

        response = await client.get(ref)

        assert response.status == 200, ref
        assert response.content_type == CONTENT_TYPES[Path(name).suffix], ref
        assert await response.read() == body
        assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        cache_control = response.headers["Cache-Control"]
        assert "max-age=31536000" in cache_control
        assert "immutable" in cache_control
        served.add(name)
    assert served == set(VENDORED_SHA384) | {
        "graphiql-init.js",
        "graphiql-page.css",
        "favicon.svg",
    }


@pytest.mark.parametrize(
    "path",
    [
        "/missing.js",
        "/index.html",
        "/..%2F..%2Fgraphiql.py",
        "/%2E%2E/graphiql.py",
        "/",
    ],
)
async def test_static_route_serves_only_assets(client: Client, path: str) -> None:
    response = await client.get(STATIC_PREFIX + path)

    assert response.status == 404


async def test_static_route_answers_head(
    client: Client,
) -> None:
    response = await client.head(STATIC_PREFIX + "/graphiql-init.js")

    assert response.status == 200
    assert response.content_type == "text/javascript"


async def test_licences_are_served_and_name_every_package(
    client: Client,
) -> None:
    response = await client.get(STATIC_PREFIX + "/LICENSES.md")
    licences = await response.text()

    assert response.status == 200
    assert response.content_type == "text/markdown"

    for package, version in (
        ("react", "18.2.0"),
        ("react-dom", "18.2.0"),
        ("graphiql", "3.8.3"),
        ("@graphiql/plugin-explorer", "1.0.2"),
        ("graphiql-explorer", "0.9.0"),
    ):
        assert f"{package} {version}" in licences
    assert licences.count("MIT License") >= 4


@pytest.mark.parametrize(("name", "sha384"), sorted(VENDORED_SHA384.items()))
def test_vendored_files_are_the_pinned_releases(name: str, sha384: str) -> None:
    digest = hashlib.sha384((STATIC_DIR / name).read_bytes()).digest()

    assert base64.b64encode(digest).decode() == sha384


def test_init_script_keeps_the_editor_in_q_not_query() -> None:
    init = (STATIC_DIR / "graphiql-init.js").read_text()

    assert 'params.get("q")' in init
    assert 'updateUrl("q"' in init
    assert 'updateUrl("variables"' in init
    assert "orders(first: 3)" in init
    assert "explorerPlugin()" in init
    assert "subscriptionUrl" in init
    assert "Cookies" not in init
    assert "csrf" not in init.lower()


def test_title_is_escaped() -> None:
    response = graphiql_response("<Gateway & co>")

    assert isinstance(response.body, bytes)
    assert b"<title>&lt;Gateway &amp; co&gt;</title>" in response.body
    assert b"{{" not in response.body


@pytest.mark.parametrize(
    ("method", "path", "headers", "expected"),
    [
        ("GET", "/graphql", {"Accept": BROWSER_ACCEPT}, True),
        ("GET", "/graphql", {"Accept": "text/html"}, True),
        ("GET", "/graphql?q=%7B__typename%7D", {"Accept": BROWSER_ACCEPT}, True),
        ("GET", "/graphql", {"Accept": "text/html, application/json;q=0.9"}, True),
        ("GET", "/graphql", {"Accept": "application/json, text/html;q=0.9"}, False),
        ("GET", "/graphql", {"Accept": "application/json, text/html"}, False),
        ("GET", "/graphql", {"Accept": "text/html;q=0"}, False),
        ("GET", "/graphql", {"Accept": "text/html;q=oops"}, False),
        ("GET", "/graphql", {"Accept": "*/*"}, False),
        ("GET", "/graphql", {"Accept": "text/*"}, False),
        ("GET", "/graphql", {}, False),
        ("GET", "/graphql", {"Accept": "application/json"}, False),
        (
            "GET",
            "/graphql",
            {"Accept": "application/graphql-response+json, application/json"},
            False,
        ),
        ("GET", "/graphql?query=%7B__typename%7D", {"Accept": BROWSER_ACCEPT}, False),
        ("GET", "/graphql?query=", {"Accept": BROWSER_ACCEPT}, False),
        (
            "GET",
            "/graphql",
            {"Accept": BROWSER_ACCEPT, "Connection": "Upgrade", "Upgrade": "websocket"},
            False,
        ),
        ("POST", "/graphql", {"Accept": BROWSER_ACCEPT}, False),
        ("HEAD", "/graphql", {"Accept": BROWSER_ACCEPT}, False),
    ],
)
def test_wants_graphiql(
    method: str, path: str, headers: dict[str, str], expected: bool
) -> None:
    request = make_mocked_request(method, path, headers=headers)

    assert wants_graphiql(request) is expected
