"""Upstream HTTP: the shared ClientSession, timeouts, retries and request counting.

Retries happen here and nowhere else: GETs, and writes the caller marks replay-safe
(an idempotency key or a natural key guards them), are retried on 429/502/503/504
and on transport errors, honouring `Retry-After`. Every non-2xx answer leaves this
module as a ProviderError built by `errors.error_from_response`.

Each provider's Upstream also has a retry budget (`retry_budget`: retries add at
most `RetrySettings.budget_ratio` to its traffic) and a circuit breaker
(`breaker`: after repeated failures, calls fail at once without a request).
Retries pass the client-side rate limiter like first attempts.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import random
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp
import orjson

from gateway import __version__, provider_time
from gateway.breaker import CircuitBreaker
from gateway.errors import (
    ErrorParser,
    ProviderError,
    ProviderResponseInvalid,
    ProviderUnavailable,
    RateLimited,
    error_from_response,
)
from gateway.ratelimit import TokenBucket
from gateway.retry_budget import RetryBudget
from gateway.settings import ProviderSettings, RetrySettings

log = logging.getLogger("gateway.upstream")

RETRY_STATUSES = frozenset({429, 502, 503, 504})

upstream_calls: contextvars.ContextVar[Counter[str] | None] = contextvars.ContextVar(
    "upstream_calls", default=None
)
"""Per-operation count of upstream HTTP requests by provider (set by the view)."""

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "request_id", default=None
)

deadline: contextvars.ContextVar[tuple[float, float] | None] = contextvars.ContextVar(
    "deadline", default=None
)
"""(start, end) of the operation on the monotonic clock, set by the view: no
upstream call, rate-limiter wait or retry of the operation runs past `end`, nor
once the operation has waited the provider's `budget_s` on that provider (time
spent waiting on other providers is not charged: `gateway.provider_time`).
Background work has none."""

Params = Mapping[str, str | int | Sequence[str]] | Sequence[tuple[str, str]]


def create_session() -> aiohttp.ClientSession:
    """The one ClientSession an app uses for every provider."""
    connector = aiohttp.TCPConnector(limit=200, limit_per_host=64, ttl_dns_cache=300)
    return aiohttp.ClientSession(
        connector=connector,
        headers={"User-Agent": f"fulfillment-gateway/{__version__}"},
        json_serialize=lambda obj: orjson.dumps(obj).decode(),
        raise_for_status=False,
    )


@dataclass(frozen=True)
class Response:
    """A 2xx upstream answer: status, headers and the decoded JSON body."""

    status: int
    headers: Mapping[str, str]
    data: Any


class Upstream:
    """Sends one provider's requests: auth headers, timeouts, retries, error mapping."""

    def __init__(
        self,
        provider: str,
        settings: ProviderSettings,
        session: aiohttp.ClientSession,
        retry: RetrySettings,
        *,
        auth_headers: Mapping[str, str],
        parse_error: ErrorParser,
        conflict_codes: frozenset[str] = frozenset(),
    ) -> None:
        if not settings.base_url:
            raise ValueError(f"provider {provider!r} has no base_url")
        self.provider = provider
        self.base_url = settings.base_url.rstrip("/")
        self.session = session
        self.retry = retry
        self.timeout = aiohttp.ClientTimeout(total=settings.timeout_s)
        self.budget_s = settings.budget_s
        self.auth_headers = dict(auth_headers)
        self.parse_error = parse_error
        self.conflict_codes = conflict_codes
        self.limiter = (
            TokenBucket(settings.rate_limit_per_s, settings.rate_limit_burst)
            if settings.rate_limit_per_s
            else None
        )
        self.budget = RetryBudget(retry.budget_ratio, min_retries=retry.budget_floor)
        self.breaker = CircuitBreaker(retry.breaker.failures, retry.breaker.open_s)

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Params | None = None,
        json: Any = None,
        data: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        replay_safe: bool | None = None,
        expect_json: bool = True,
        absolute: bool = False,
    ) -> Response:
        """Send a request, retrying when it is safe to; raise ProviderError otherwise.

        `replay_safe` defaults to True for GET/HEAD; pass True for a write that an
        idempotency key or natural key protects from being applied twice.
        `absolute` sends `path` as the complete URL the provider handed out (a
        pre-signed upload target) and without the auth headers: it carries its
        own credential, and our token must not travel to another host.
        """
        # Attempts, rate-limiter waits and backoff all count as waiting on
        # this provider: the budget (`_time_left`) is charged for them.
        with provider_time.waiting(deadline.get(), self.provider):
            return await self._send(
                method,
                path,
                params=params,
                json=json,
                data=data,
                headers=headers,
                replay_safe=replay_safe,
                expect_json=expect_json,
                absolute=absolute,
            )

    async def _send(
        self,
        method: str,
        path: str,
        *,
        params: Params | None,
        json: Any,
        data: bytes | None,
        headers: Mapping[str, str] | None,
        replay_safe: bool | None,
        expect_json: bool,
        absolute: bool,
    ) -> Response:
        safe = method in ("GET", "HEAD") if replay_safe is None else replay_safe
        all_headers = {**({} if absolute else self.auth_headers), **(headers or {})}
        if rid := request_id.get():
            all_headers["X-Request-Id"] = rid
        url = path if absolute else self.base_url + path
        attempt = 0
        last: ProviderError | None = None
        while True:
            attempt += 1
            if (left := self.breaker.allow()) is not None:
                if last is not None:
                    raise last
                raise ProviderUnavailable(
                    self.provider,
                    "circuit open after repeated failures; not calling the "
                    f"provider for {left:.1f} s",
                    retry_after=round(left, 3),
                )
            left_s = self._time_left()
            if left_s is not None and left_s <= 0:
                raise last or self._past_deadline()
            probe = self.breaker.state == "half_open"
            if attempt == 1:
                self.budget.record_attempt()
            try:
                if self.limiter is not None and not await self.limiter.acquire(
                    max_wait=left_s
                ):
                    raise self._past_deadline()
                _count(self.provider)
                async with self.session.request(
                    method,
                    url,
                    params=params,
                    json=json,
                    data=data,
                    headers=all_headers,
                    timeout=self._timeout(left_s),
                ) as resp:
                    body = await resp.read()
                    status = resp.status
                    resp_headers = resp.headers
            except (TimeoutError, aiohttp.ClientError) as exc:
                self.breaker.failure()
                error = ProviderUnavailable(
                    self.provider, _transport_message(exc, self._timeout(left_s).total)
                )
                backoff = self._backoff(attempt)
                if (
                    safe
                    and attempt <= self.retry.max_retries
                    and self._in_time(backoff)
                    and self.budget.try_retry()
                ):
                    last = error
                    await asyncio.sleep(backoff)
                    continue
                log.warning(
                    "upstream unreachable",
                    extra={"provider": self.provider, "path": path, "error": str(exc)},
                )
                raise error from None
            except BaseException:
                # Cancelled mid-request: no verdict on the provider's health.
                if probe:
                    self.breaker.release()
                raise
            if status >= 500 or status == 429:
                self.breaker.failure()
            else:
                self.breaker.success()
            if 200 <= status < 300:
                return Response(status, resp_headers, self._decode(body, expect_json))
            failure = error_from_response(
                self.provider,
                status,
                body,
                resp_headers,
                self.parse_error,
                conflict_codes=self.conflict_codes,
            )
            wait = self._retry_wait(failure, status, attempt, safe)
            if wait is None:
                raise failure
            last = failure
            await asyncio.sleep(wait)

    def _retry_wait(
        self, exc: Exception, status: int, attempt: int, safe: bool
    ) -> float | None:
        """Seconds to wait before the next attempt, or None to give up now."""
        if not safe or status not in RETRY_STATUSES:
            return None
        if attempt > self.retry.max_retries:
            return None
        retry_after = exc.retry_after if isinstance(exc, ProviderUnavailable) else None
        if retry_after is not None:
            # A long Retry-After is the client's to honour, not a reason to hold
            # the whole GraphQL response open.
            if retry_after > self.retry.max_retry_after_s:
                return None
        else:
            retry_after = self._backoff(attempt)
        if not self._in_time(retry_after):
            return None
        # Last: a retry we would not send must not spend the budget.
        return retry_after if self.budget.try_retry() else None

    def _time_left(self) -> float | None:
        """Seconds this operation may still spend on this provider: to its
        deadline, and what is left of the provider's budget after the time the
        operation already waited on it (`provider_time`); None: no deadline
        (background work)."""
        span = deadline.get()
        if span is None:
            return None
        left = self.budget_s - provider_time.used(span, self.provider)
        return min(span[1] - time.monotonic(), left)

    def _in_time(self, wait_s: float) -> bool:
        """Whether waiting `wait_s` before a retry still leaves time for it."""
        left_s = self._time_left()
        return left_s is None or wait_s < left_s

    def _timeout(self, left_s: float | None) -> aiohttp.ClientTimeout:
        if left_s is None or left_s >= (self.timeout.total or left_s + 1):
            return self.timeout
        return aiohttp.ClientTimeout(total=max(left_s, 0.001))

    def _past_deadline(self) -> ProviderUnavailable:
        return ProviderUnavailable(
            self.provider,
            "no answer within the operation's deadline; the other providers' "
            "data is in the response",
        )

    def _backoff(self, attempt: int) -> float:
        """Exponential backoff with full jitter."""
        ceiling = min(self.retry.backoff_cap_s, self.retry.backoff_base_s * 2**attempt)
        return random.uniform(0, ceiling)

    def _decode(self, body: bytes, expect_json: bool) -> Any:
        if not expect_json:
            return body
        try:
            return orjson.loads(body) if body else None
        except orjson.JSONDecodeError:
            raise ProviderResponseInvalid(
                self.provider, "the provider answered with a body that is not JSON"
            ) from None


def _count(provider: str) -> None:
    counter = upstream_calls.get()
    if counter is not None:
        counter[provider] += 1


def _transport_message(exc: BaseException, timeout: float | None) -> str:
    if isinstance(exc, TimeoutError | aiohttp.ServerTimeoutError):
        return f"the provider did not answer within {round(timeout or 0, 1):g} s"
    if isinstance(exc, aiohttp.ClientConnectionError):
        return "the provider could not be reached"
    return "the provider's answer could not be read"


__all__ = ["RateLimited", "Response", "Upstream", "create_session", "upstream_calls"]
