"""The /graphql view: strawberry's aiohttp view held to the GraphQL-over-HTTP rules.

- `application/graphql-response+json` when the client accepts it, else JSON;
  with the former a request that never executed (syntax or validation error)
  answers 400, as the spec asks.
- Transport failures (bad JSON, no query, mutation over GET, wrong method) get a
  JSON error body with `extensions.code`, never plain text or a stack trace.
- A client that hangs up cancels its query and the upstream work only it was
  waiting for; a mutation runs to its end instead (see `gateway.operation`).
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
import weakref
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import fields
from typing import Any

import orjson
from aiohttp import WSCloseCode, web
from cross_web import HTTPException
from graphql import GraphQLError, OperationType, get_operation_ast, parse
from strawberry.aiohttp.views import GraphQLView
from strawberry.http import GraphQLHTTPResponse
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult

from gateway import graphiql, http, operation
from gateway.broker import Broker
from gateway.cache import EntityCache, bypass_requested, fresh_reads
from gateway.cache.inflight import InFlight
from gateway.context import Context
from gateway.loaders import Loaders
from gateway.providers.base import Provider
from gateway.settings import Settings

log = logging.getLogger("gateway.view")

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
KEEP_ALIVE_S = 15.0
CONTEXT = web.RequestKey("gateway.context", Context)
"""Where a request's Context waits (on the aiohttp request) to be released."""
HTTP_ERROR_CODES = {
    400: "BAD_REQUEST",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
}


def wants_graphql_response_json(accept: str) -> bool:
    """True when the Accept header lists the GraphQL response media type."""
    return GRAPHQL_RESPONSE_JSON in accept


def json_error(status: int, message: str, code: str, media_type: str) -> web.Response:
    """A GraphQL-shaped error body for a request that did not execute."""
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    return web.Response(status=status, body=orjson.dumps(body), content_type=media_type)


class GatewayView(GraphQLView[Context, None]):
    """Serves /graphql: POST and GET queries, GraphiQL for browsers."""

    def __init__(
        self,
        *,
        settings: Settings,
        providers: Callable[[], Mapping[str, Provider]],
        cache: Callable[[], EntityCache],
        render_ide: Callable[[], web.Response] | None,
        broker: Callable[[], Broker | None] = lambda: None,
        **kwargs: Any,
    ) -> None:
        from schema.root import schema  # only this module touches the schema

        super().__init__(
            schema=schema,
            graphql_ide="graphiql" if render_ide else None,
            # A ping a second per socket is needless load with thousands of
            # subscribers; proxies keep sockets open for far longer than this.
            keep_alive_interval=KEEP_ALIVE_S,
            **kwargs,
        )
        self.settings = settings
        self.get_providers = providers
        self.get_cache = cache
        self.get_broker = broker
        # One per view, so per app: concurrent requests share upstream fetches.
        self.inflight = InFlight()
        self.sockets: weakref.WeakSet[web.WebSocketResponse] = weakref.WeakSet()
        # Writes whose client left, running to their end; shutdown waits for them.
        self.orphaned_writes: set[asyncio.Task[Any]] = set()
        self.render_ide = render_ide

    async def __call__(self, request: web.Request) -> web.StreamResponse:
        media_type = _media_type(request)
        limit = self._body_limit()
        try:
            size = await _body_size(request, streamed=self.multipart_uploads_enabled)
            if size is not None and size > limit:
                return json_error(
                    413,
                    f"The request body is {size} bytes; the limit is {limit} bytes.",
                    "PAYLOAD_TOO_LARGE",
                    media_type,
                )
            response = await self.run(request=request)
            # Only on a normal end: a write whose client left (a cancellation)
            # still runs in the background with its context.
            release_context(request.get(CONTEXT))
            return response
        except web.HTTPRequestEntityTooLarge:
            # Over even the app's client_max_size while reading the body.
            return json_error(
                413,
                f"The request body is too large; the limit is {limit} bytes.",
                "PAYLOAD_TOO_LARGE",
                media_type,
            )
        except HTTPException as exc:
            code = HTTP_ERROR_CODES.get(exc.status_code, "BAD_REQUEST")
            response = json_error(exc.status_code, exc.reason, code, media_type)
            if exc.status_code == 405:
                response.headers["Allow"] = "GET, POST"
            return response
        except Exception:
            log.exception("unhandled error serving /graphql")
            return json_error(500, "Internal server error.", "INTERNAL", media_type)

    def _body_limit(self) -> int:
        # Multipart bodies are streamed part by part (the upload route), not read
        # whole, and have their own limit.
        limits = self.settings.limits
        if self.multipart_uploads_enabled:
            return limits.max_upload_bytes
        return limits.max_body_bytes

    async def close_sockets(self) -> None:
        """Close every subscription socket with 1001 (going away): a socket
        would otherwise hold the shutdown for its whole grace period."""
        for ws in list(self.sockets):
            await ws.close(code=WSCloseCode.GOING_AWAY, message=b"server shutdown")

    async def drain_orphaned_writes(self, timeout_s: float) -> None:
        """Wait (at shutdown) for the writes whose clients left."""
        await operation.drain(self.orphaned_writes, timeout_s)

    def should_render_graphql_ide(self, request: Any) -> bool:
        # Strawberry also serves the IDE to `Accept: */*` (curl, fetch); only a
        # browser that asks for HTML gets it here.
        adapter_request = getattr(request, "request", None)
        return (
            self.render_ide is not None
            and isinstance(adapter_request, web.Request)
            and graphiql.wants_graphiql(adapter_request)
        )

    async def render_graphql_ide(self, request: web.Request) -> web.Response:
        assert self.render_ide is not None
        return self.render_ide()

    async def get_context(
        self, request: web.Request, response: web.Response | web.WebSocketResponse
    ) -> Context:
        if isinstance(response, web.WebSocketResponse):
            # Remembered so shutdown can close it instead of waiting for it.
            self.sockets.add(response)
        else:
            # A socket lives for hours: only a query or mutation has a deadline.
            now = time.monotonic()
            http.deadline.set((now, now + self.settings.deadline_s))
        rid = request.headers.get("X-Request-Id") or uuid.uuid4().hex
        calls: Counter[str] = Counter()
        # Set in the handler's task, so every loader batch it schedules sees them.
        http.upstream_calls.set(calls)
        http.request_id.set(rid)
        providers = self.get_providers()
        cache = self.get_cache()
        bypass = bypass_requested(
            request.headers.get("Cache-Control"), request.headers.get("Pragma")
        )
        fresh_reads.set(bypass)
        request[CONTEXT] = context = Context(
            settings=self.settings,
            providers=providers,
            loaders=Loaders.create(
                providers,
                cache,
                self.settings.cache,
                bypass=bypass,
                batch=self.settings.batching,
                inflight=self.inflight,
            ),
            request_id=rid,
            upstream_calls=calls,
            cache=cache,
            bypass_cache=bypass,
            broker=self.get_broker(),
            inflight=self.inflight,
        )
        return context

    async def get_sub_response(self, request: web.Request) -> web.Response:
        response = web.Response()
        response.content_type = _media_type(request)
        # The same GET URL answers HTML or JSON depending on Accept.
        response.headers["Vary"] = "Accept"
        return response

    async def execute_operation(self, *args: Any, **kwargs: Any) -> Any:
        request_data = kwargs.get("request_data")
        try:
            return await operation.run_operation(
                lambda: super(GatewayView, self).execute_operation(*args, **kwargs),
                is_write=lambda: _writes(request_data),
                background=self.orphaned_writes,
                keep_scope=_streaming,
            )
        except HTTPException as exc:
            # Spec: a mutation over GET is 405, not a generic 400.
            if isinstance(exc.__cause__, InvalidOperationTypeError):
                raise HTTPException(405, exc.reason) from exc
            raise

    async def process_result(
        self, request: web.Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        data = await super().process_result(request, result)
        if (
            result.data is None
            and result.errors
            and all(error.path is None for error in result.errors)
        ):
            # Nothing executed (syntax or validation error): the spec wants no
            # `data` entry at all, which also tells create_response to answer 400.
            data.pop("data", None)
        return data

    def encode_json(self, data: object) -> str:
        # Text, not bytes: the websocket adapter sends bytes as binary frames,
        # which graphql-ws clients cannot parse.
        return orjson.dumps(data).decode()

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: web.Response,
    ) -> web.Response:
        sub_response.body = orjson.dumps(response_data)
        if (
            sub_response.content_type == GRAPHQL_RESPONSE_JSON
            and isinstance(response_data, dict)
            and "data" not in response_data
        ):
            sub_response.set_status(400)
        return sub_response


def release_context(context: Context | None) -> None:
    """Drop what a finished request's loaders hold (their futures and values).

    graphql-core's and strawberry's per-request objects reference each other
    in cycles that reach the context, so without this every order, line and
    stock level a request read stays until a full cyclic collection: measured
    at ~3,000 objects a board (1.1 M freed by generation-2 collections in a
    40 s run), 124 k of them garbage at its end. Cleared, refcounting frees
    them when the request ends, and only the small cyclic shell waits.
    """
    if context is None:
        return
    for field in fields(context.loaders):
        getattr(context.loaders, field.name).clear_all()
    context.partial_errors.clear()


def _streaming(result: object) -> bool:
    """A stream (subscription over HTTP, incremental delivery) still executes
    after execute_operation returns: its scope must stay open."""
    return not isinstance(result, ExecutionResult | list)


def _writes(request_data: object) -> bool:
    """Whether the request (or a request of a batch) is a mutation; only asked
    once its client has left, so a normal request parses its document once."""
    items = request_data if isinstance(request_data, list) else [request_data]
    for item in items:
        query = getattr(item, "query", None)
        if not query:
            continue
        try:
            document = parse(query)
        except GraphQLError:
            continue  # never executed, so nothing was written
        found = get_operation_ast(document, getattr(item, "operation_name", None))
        if found is not None and found.operation == OperationType.MUTATION:
            return True
    return False


async def _body_size(request: web.Request, *, streamed: bool) -> int | None:
    """The body's size: its Content-Length, or for a body sent without one (and
    not streamed by the view) its length once read; aiohttp keeps what `read`
    returned for the handler."""
    if request.content_length is not None or streamed or not request.body_exists:
        return request.content_length
    return len(await request.read())


def _media_type(request: web.Request) -> str:
    accept = request.headers.get("Accept", "")
    if wants_graphql_response_json(accept):
        return GRAPHQL_RESPONSE_JSON
    return "application/json"
