"""The `idempotency-key` header (§2.7): replay, payload mismatch, in-flight guard.

Scope is token + method + path + key; entries live 24 hours on the sandbox
clock. Only 2xx answers of the operation itself are stored: an error or an
injected fault leaves the key free, so a retry after a 503 really runs.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiohttp import web

from ..middleware import FAULT_KEY
from .errors import LapiError, bad_request, conflict

if TYPE_CHECKING:
    from aiohttp.typedefs import Handler, Middleware

HEADER = "idempotency-key"
REPLAYED_HEADER = "idempotent-replayed"
RETENTION_S = 24 * 3600
MAX_KEY = 255
TOKEN_KEY = web.RequestKey("lapi_token", str)
# Route names of L1, L4, L5, L6, L8 and L17, the operations that honour the key.
IDEMPOTENT_ROUTES = frozenset(
    {
        "create_outbound",
        "upload_url",
        "cancel_outbound",
        "create_order",
        "cancel_order",
        "create_webhook",
    }
)

Scope = tuple[str, str, str, str]


@dataclass
class Stored:
    fingerprint: str
    started: float
    status: int | None = None  # None while the first request is in flight
    body: bytes = b""
    content_type: str = "application/json"


def fingerprint(raw: bytes) -> str:
    """JSON bodies compare by content (key order and spacing do not matter)."""
    try:
        canonical = json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":"))
    except (ValueError, UnicodeDecodeError):
        return hashlib.sha256(raw).hexdigest()
    return hashlib.sha256(canonical.encode()).hexdigest()


class IdempotencyStore:
    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._entries: dict[Scope, Stored] = {}

    def get(self, scope: Scope) -> Stored | None:
        entry = self._entries.get(scope)
        if entry is not None and self._clock() - entry.started >= RETENTION_S:
            del self._entries[scope]
            return None
        return entry

    def start(self, scope: Scope, print_: str) -> None:
        now = self._clock()
        self._entries = {
            k: e for k, e in self._entries.items() if now - e.started < RETENTION_S
        }
        self._entries[scope] = Stored(print_, now)

    def finish(self, scope: Scope, response: web.Response) -> None:
        entry = self._entries.get(scope)
        body = response.body
        if entry is None or not isinstance(body, bytes):
            self._entries.pop(scope, None)
            return
        entry.status, entry.body = response.status, body
        entry.content_type = response.content_type

    def drop(self, scope: Scope) -> None:
        self._entries.pop(scope, None)

    def clear(self) -> None:
        self._entries.clear()


def idempotency_middleware(store: IdempotencyStore) -> Middleware:
    @web.middleware
    async def idempotency(request: web.Request, handler: Handler) -> web.StreamResponse:
        key = request.headers.get(HEADER)
        if key is None or request.match_info.route.name not in IDEMPOTENT_ROUTES:
            return await handler(request)
        if not key.strip() or len(key) > MAX_KEY:
            raise bad_request(f"{HEADER} must be 1 to {MAX_KEY} characters")
        scope = (request[TOKEN_KEY], request.method, request.path, key)
        print_ = fingerprint(await request.read())
        stored = store.get(scope)
        if stored is not None:
            if stored.status is None:
                raise conflict(
                    f"A request with {HEADER} {key} is still being processed"
                )
            if stored.fingerprint != print_:
                raise LapiError(422, f"{HEADER} reused with a different payload")
            replay = web.Response(body=stored.body, status=stored.status)
            replay.content_type = stored.content_type
            replay.headers[REPLAYED_HEADER] = "true"
            return replay
        store.start(scope, print_)
        try:
            response = await handler(request)
        except BaseException:
            store.drop(scope)
            raise
        if (
            200 <= response.status < 300
            and request.get(FAULT_KEY) is None
            and isinstance(response, web.Response)
        ):
            store.finish(scope, response)
        else:
            store.drop(scope)
        return response

    return idempotency
