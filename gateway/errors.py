"""Provider errors: one exception tree and one function from HTTP answer to exception.

```
GatewayError                    (everything we raise on purpose)
├── InvalidId                   ID that does not decode        INVALID_ID
├── InvalidArgument             argument out of range          BAD_USER_INPUT
├── WebhookRejected             bad, stale or missing signature WEBHOOK_REJECTED
└── ProviderError               (.extensions: code, provider, retryable)
    ├── ProviderUnavailable     connect error, timeout, 5xx    UPSTREAM_UNAVAILABLE
    │   └── RateLimited         429 (+ retry_after)            RATE_LIMITED
    ├── ProviderAuthError       401 / 403                      UPSTREAM_AUTH
    ├── ProviderResponseInvalid 2xx that is not expected JSON  UPSTREAM_INVALID_RESPONSE
    ├── NotFound                404                            NOT_FOUND
    ├── Conflict                409, illegal transition        CONFLICT
    ├── Rejected                400 / 422 with field errors    INVALID
    └── NotSupported            capability missing, no call    NOT_SUPPORTED
```

The raw upstream body is kept on the exception for logs; it never reaches a client.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import orjson

log = logging.getLogger("gateway.upstream")


class GatewayError(Exception):
    """An error the gateway raises on purpose; its message is safe to show."""

    code: ClassVar[str] = "INTERNAL"
    retryable: ClassVar[bool] = False

    @property
    def extensions(self) -> dict[str, Any]:
        """What graphql-core copies into `errors[].extensions`."""
        return {"code": self.code, "retryable": self.retryable}


class InvalidId(GatewayError):
    """A GraphQL ID that is not one of ours, or names another type."""

    code = "INVALID_ID"


class InvalidArgument(GatewayError):
    """An argument the schema accepts but the gateway cannot serve (first > 100)."""

    code = "BAD_USER_INPUT"


class WebhookRejected(GatewayError):
    """A webhook delivery that is not provably from the provider, or too old.

    The message says which check failed (for the log and the 401 body); it
    never echoes a secret or the signature that was expected.
    """

    code = "WEBHOOK_REJECTED"


class ProviderError(GatewayError):
    """An upstream call failed; carries what a client may see and what logs need."""

    code = "UPSTREAM_ERROR"

    def __init__(
        self,
        provider: str,
        message: str,
        *,
        status: int | None = None,
        provider_code: str | None = None,
        fields: Mapping[str, str] | None = None,
        retry_after: float | None = None,
        body: bytes | None = None,
    ) -> None:
        # graphql-core shows `.message` to the client, so it names the provider.
        self.detail = message
        self.message = f"{provider}: {message}"
        super().__init__(self.message)
        self.provider = provider
        self.status = status
        self.provider_code = provider_code
        self.fields: dict[str, str] = dict(fields or {})
        self.retry_after = retry_after
        self.body = body

    @property
    def extensions(self) -> dict[str, Any]:
        ext: dict[str, Any] = {
            "code": self.code,
            "provider": self.provider.upper(),
            "retryable": self.retryable,
        }
        if self.status is not None:
            ext["upstreamStatus"] = self.status
        if self.retry_after is not None:
            ext["retryAfter"] = self.retry_after
        return ext


class ProviderUnavailable(ProviderError):
    """The provider could not be reached, timed out, or answered 5xx."""

    code = "UPSTREAM_UNAVAILABLE"
    retryable = True


class RateLimited(ProviderUnavailable):
    """The provider answered 429; `retry_after` says when to try again."""

    code = "RATE_LIMITED"


class ProviderAuthError(ProviderError):
    """The provider refused our credentials (401/403): configuration, not input."""

    code = "UPSTREAM_AUTH"


class ProviderResponseInvalid(ProviderError):
    """A 2xx answer that is not the JSON the provider documents."""

    code = "UPSTREAM_INVALID_RESPONSE"


class NotFound(ProviderError):
    """The provider has no such object (404)."""

    code = "NOT_FOUND"


class Conflict(ProviderError):
    """The object's state forbids the change (409, or an illegal transition)."""

    code = "CONFLICT"


class Rejected(ProviderError):
    """The provider rejected the input (400/422); `fields` maps its field paths.

    `input_paths` are the same errors located in the caller's input, one
    (path or None, message) each; the adapter's write fills them in
    (`gateway.providers.fieldmap`). Empty means nobody translated them.
    """

    code = "INVALID"

    def __init__(self, provider: str, message: str, **kwargs: Any) -> None:
        super().__init__(provider, message, **kwargs)
        self.input_paths: list[tuple[tuple[str, ...] | None, str]] = []


class NotSupported(ProviderError):
    """The provider cannot do this at all; raised without an upstream call."""

    code = "NOT_SUPPORTED"


@dataclass(frozen=True)
class ParsedError:
    """What a provider's error body says, in its own terms."""

    code: str | None = None
    message: str | None = None
    fields: dict[str, str] = field(default_factory=dict)


ErrorParser = Callable[[Any], ParsedError]


def parse_retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds from a `Retry-After` header given as delta-seconds, else None."""
    value = headers.get("Retry-After")
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    return max(seconds, 0.0)


def error_from_response(
    provider: str,
    status: int,
    body: bytes,
    headers: Mapping[str, str],
    parse_error: ErrorParser,
    *,
    conflict_codes: frozenset[str] = frozenset(),
) -> ProviderError:
    """Map one non-2xx upstream answer to the exception a caller should see.

    `conflict_codes` are provider error codes that mean "illegal state transition"
    even though the provider answers 400/422 (Flexport's 407001, say).
    """
    parsed = _parse_body(body, parse_error)
    message = parsed.message or f"HTTP {status}"
    kwargs: dict[str, Any] = {
        "status": status,
        "provider_code": parsed.code,
        "fields": parsed.fields,
        "body": body,
    }
    exc: ProviderError
    if status == 429:
        retry_after = parse_retry_after(headers)
        exc = RateLimited(provider, message, retry_after=retry_after, **kwargs)
    elif status >= 500:
        retry_after = parse_retry_after(headers)
        exc = ProviderUnavailable(provider, message, retry_after=retry_after, **kwargs)
    elif status in (401, 403):
        exc = ProviderAuthError(provider, message, **kwargs)
    elif status == 404:
        exc = NotFound(provider, message, **kwargs)
    elif status == 409 or (parsed.code is not None and parsed.code in conflict_codes):
        exc = Conflict(provider, message, **kwargs)
    elif status in (400, 422):
        exc = Rejected(provider, message, **kwargs)
    else:
        exc = ProviderError(provider, message, **kwargs)
    log.warning(
        "upstream error",
        extra={
            "provider": provider,
            "status": status,
            "error_code": exc.code,
            "provider_code": parsed.code,
            "body": body[:2000].decode("utf-8", "replace"),
        },
    )
    return exc


def _parse_body(body: bytes, parse_error: ErrorParser) -> ParsedError:
    """Decode a provider error body; a body we cannot read still yields an error."""
    try:
        data = orjson.loads(body) if body else None
    except orjson.JSONDecodeError:
        return ParsedError()
    try:
        return parse_error(data)
    except (KeyError, TypeError, ValueError, AttributeError):
        return ParsedError()
