"""The /_sandbox/ control surface (project design, not a provider API).

Served at the root and again under every provider prefix (/flexe/_sandbox/...),
where the provider is implied. Reset and settings are always sandbox-wide;
the request log, fault rules and advance are scoped to the implied provider.
Control requests are never authenticated, logged, delayed or faulted.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from .faults import DEFAULT_RETRY_AFTER, FaultSpecError, check_fault
from .provider import ControlError
from .runtime import Sandbox

_SETTINGS_FIELDS = ("latencyMs", "rateLimits")
_FAULT_FIELDS = ("provider", "method", "path", "fault", "times", "retryAfter")
_ADVANCE_FIELDS = ("provider", "type", "id")


def error_response(exc: ControlError) -> web.Response:
    body = {"errors": [{"code": exc.code, "message": exc.message, "field": exc.field}]}
    return web.json_response(body, status=exc.status)


async def read_body(request: web.Request, allowed: tuple[str, ...]) -> dict[str, Any]:
    try:
        body = json.loads(await request.read())
    except (ValueError, UnicodeDecodeError):
        raise ControlError(400, "INVALID_BODY", "Body is not valid JSON") from None
    if not isinstance(body, dict):
        raise ControlError(400, "INVALID_BODY", "Body must be a JSON object")
    for key in body:
        if key not in allowed:
            raise ControlError(400, "INVALID_FIELD", f"Unknown field {key}", key)
    return body


def whole(value: Any, field: str, minimum: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ControlError(
            400, "INVALID_FIELD", f"{field} must be an integer >= {minimum}", field
        )
    return value


class ControlSurface:
    """Handlers for one scope: the whole sandbox (`scope=None`) or one provider."""

    def __init__(self, sandbox: Sandbox, scope: str | None) -> None:
        self._sandbox = sandbox
        self._scope = scope

    def routes(self, base: str) -> list[web.RouteDef]:
        return [
            web.get(f"{base}/_sandbox", self.index, allow_head=False),
            web.get(f"{base}/_sandbox/requests", self.requests, allow_head=False),
            web.delete(f"{base}/_sandbox/requests", self.clear_requests),
            web.post(f"{base}/_sandbox/reset", self.reset),
            web.get(f"{base}/_sandbox/settings", self.settings, allow_head=False),
            web.patch(f"{base}/_sandbox/settings", self.patch_settings),
            web.post(f"{base}/_sandbox/faults", self.add_fault),
            web.get(f"{base}/_sandbox/faults", self.faults, allow_head=False),
            web.delete(f"{base}/_sandbox/faults", self.clear_faults),
            web.delete(f"{base}/_sandbox/faults/{{ruleId}}", self.remove_fault),
            web.post(f"{base}/_sandbox/advance", self.advance),
        ]

    def _provider(self, named: Any, *, required: bool) -> str | None:
        """The implied provider under a prefix, else the one the caller named."""
        if self._scope is not None:
            if named not in (None, self._scope):
                raise ControlError(
                    400,
                    "INVALID_FIELD",
                    f"provider is implied: {self._scope}",
                    "provider",
                )
            return self._scope
        if named is None:
            if required:
                raise ControlError(
                    400, "INVALID_FIELD", "provider is required", "provider"
                )
            return None
        if named not in self._sandbox.providers:
            raise ControlError(
                400, "UNKNOWN_PROVIDER", f"No provider {named!r}", "provider"
            )
        return str(named)

    async def index(self, request: web.Request) -> web.Response:
        providers = {
            slug: {"prefix": sim.prefix, "token": self._sandbox.config.tokens.get(slug)}
            for slug, sim in self._sandbox.providers.items()
            if self._scope in (None, slug)
        }
        config = self._sandbox.config
        return web.json_response(
            {
                "providers": providers,
                "settings": self._sandbox.settings.to_json(),
                "lastSeq": self._sandbox.log.last_seq,
                "webhooks": {
                    "target": config.webhook_target,
                    "secrets": dict(config.webhook_secrets),
                    "authHeader": config.webhook_auth_header,
                    "liveSpeed": config.live_speed,
                },
            }
        )

    async def requests(self, request: web.Request) -> web.Response:
        try:
            provider = self._provider(request.query.get("provider"), required=False)
            since = int(request.query.get("since", "0"))
        except ControlError as exc:
            return error_response(exc)
        except ValueError:
            return error_response(
                ControlError(400, "INVALID_FIELD", "since must be an integer", "since")
            )
        entries = self._sandbox.log.entries(provider, since)
        return web.json_response(
            {
                "requests": [e.to_json() for e in entries],
                "lastSeq": self._sandbox.log.last_seq,
            }
        )

    async def clear_requests(self, request: web.Request) -> web.Response:
        self._sandbox.log.clear(self._scope)
        return web.Response(status=204)

    async def reset(self, request: web.Request) -> web.Response:
        self._sandbox.reset()
        return web.Response(status=204)

    async def settings(self, request: web.Request) -> web.Response:
        return web.json_response(self._sandbox.settings.to_json())

    async def patch_settings(self, request: web.Request) -> web.Response:
        try:
            body = await read_body(request, _SETTINGS_FIELDS)
            latency = body.get("latencyMs", self._sandbox.settings.latency_ms)
            if (
                isinstance(latency, bool)
                or not isinstance(latency, int | float)
                or latency < 0
            ):
                raise ControlError(
                    400, "INVALID_FIELD", "latencyMs must be a number >= 0", "latencyMs"
                )
            rate_limits = body.get("rateLimits", self._sandbox.settings.rate_limits)
            if not isinstance(rate_limits, bool):
                raise ControlError(
                    400, "INVALID_FIELD", "rateLimits must be a boolean", "rateLimits"
                )
        except ControlError as exc:
            return error_response(exc)
        self._sandbox.settings.latency_ms = float(latency)
        self._sandbox.settings.rate_limits = rate_limits
        return web.json_response(self._sandbox.settings.to_json())

    async def add_fault(self, request: web.Request) -> web.Response:
        """`times` defaults to 1 when omitted; an explicit null means until cleared."""
        try:
            body = await read_body(request, _FAULT_FIELDS)
            provider = self._provider(body.get("provider"), required=True)
            assert provider is not None
            fault = body.get("fault")
            if not isinstance(fault, str):
                raise ControlError(400, "INVALID_FIELD", "fault is required", "fault")
            check_fault(fault)
            method = body.get("method")
            if method is not None and (
                not isinstance(method, str) or not method.isalpha()
            ):
                raise ControlError(
                    400, "INVALID_FIELD", "method must be an HTTP method", "method"
                )
            path = body.get("path", "*")
            if not isinstance(path, str) or not path:
                raise ControlError(400, "INVALID_FIELD", "path must be a glob", "path")
            times = body.get("times", 1)
            times = None if times is None else whole(times, "times", 1)
            retry_after = whole(
                body.get("retryAfter", DEFAULT_RETRY_AFTER), "retryAfter", 0
            )
        except FaultSpecError as exc:
            return error_response(
                ControlError(400, "INVALID_FIELD", exc.message, exc.field)
            )
        except ControlError as exc:
            return error_response(exc)
        rule = self._sandbox.faults.add(
            provider,
            None if method in (None, "*") else method.upper(),
            path,
            fault,
            times,
            retry_after,
        )
        return web.json_response(rule.to_json(), status=201)

    async def faults(self, request: web.Request) -> web.Response:
        return web.json_response(
            {"faults": [r.to_json() for r in self._sandbox.faults.list(self._scope)]}
        )

    async def clear_faults(self, request: web.Request) -> web.Response:
        self._sandbox.faults.clear(self._scope)
        return web.Response(status=204)

    async def remove_fault(self, request: web.Request) -> web.Response:
        raw = request.match_info["ruleId"]
        if not raw.isdigit() or not self._sandbox.faults.remove(int(raw), self._scope):
            return error_response(
                ControlError(404, "NOT_FOUND", f"No fault rule {raw}")
            )
        return web.Response(status=204)

    async def advance(self, request: web.Request) -> web.Response:
        try:
            body = await read_body(request, _ADVANCE_FIELDS)
            provider = self._provider(body.get("provider"), required=True)
            assert provider is not None
            kind, object_id = body.get("type"), body.get("id")
            if not isinstance(kind, str) or not kind:
                raise ControlError(400, "INVALID_FIELD", "type is required", "type")
            if not isinstance(object_id, str) or not object_id:
                raise ControlError(400, "INVALID_FIELD", "id is required", "id")
            result = self._sandbox.providers[provider].advance(kind, object_id)
        except ControlError as exc:
            return error_response(exc)
        return web.json_response(result)


def add_control_routes(app: web.Application, sandbox: Sandbox) -> None:
    """Root routes plus one set per provider prefix (matched before the sub-apps)."""
    app.add_routes(ControlSurface(sandbox, None).routes(""))
    for slug, sim in sandbox.providers.items():
        app.add_routes(ControlSurface(sandbox, slug).routes(sim.prefix))
