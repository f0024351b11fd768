"""Gateway configuration: one Settings object built from GATEWAY_* variables."""

from __future__ import annotations

from typing import Annotated, Any, Literal, Self

from pydantic import (
    BaseModel,
    Field,
    PrivateAttr,
    SecretStr,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

PROVIDER_SLUGS: tuple[str, ...] = (
    "flexe",
    "flexport_logistics",
    "flexport_v3",
    "flxpoint",
)
"""Every provider the gateway knows, by slug (folder, settings key, registry key)."""

PROVIDER_DEFAULTS: dict[str, dict[str, Any]] = {
    # Client-side limits sit about 10% under each provider's own, because our
    # clock and theirs never agree exactly and a 429 costs a Retry-After wait.
    # 100 calls per 60 s per token (providers.md §1.1).
    "flexe": {
        "base_url": "https://api.flexe.com",
        "rate_limit_per_s": 1.5,
        "rate_limit_burst": 90,
    },
    # Token bucket 10/s, burst 20; inbound lists cap at 100 (§2.1).
    "flexport_logistics": {
        "base_url": "https://logistics-api.flexport.com",
        "rate_limit_per_s": 9.0,
        "rate_limit_burst": 18,
        "page_size": 100,
    },
    # 5/s, burst 10; pages of at most 100 (§3.1).
    "flexport_v3": {
        "base_url": "https://api.flexport.com",
        "rate_limit_per_s": 4.5,
        "rate_limit_burst": 9,
        "page_size": 100,
    },
    # Bucket of 40 refilled at 2/s; frNumbers at most 50 (§4.1).
    "flxpoint": {
        "base_url": "https://api.flxpoint.com",
        "rate_limit_per_s": 1.8,
        "rate_limit_burst": 36,
        "max_batch_size": 50,
        "page_size": 100,
    },
}
"""Each provider's own limits, under any value the environment gives."""


class ProviderSettings(BaseModel):
    """How to reach one provider's API."""

    enabled: bool = True
    base_url: str | None = Field(
        default=None,
        description="The provider's API root; in sandbox mode the local sandbox's.",
    )
    token: SecretStr | None = Field(
        default=None, description="API token; never logged or returned."
    )
    webhook_secret: SecretStr | None = None
    webhook_auth_header: str | None = Field(
        default="X-Webhook-Token",
        description="Flexport Logistics (unsigned webhooks): the header a TOKEN "
        "subscription sends its token in; the token is webhook_secret.",
    )
    webhook_username: str | None = Field(
        default=None,
        description="Flexport Logistics: set for a BASIC_AUTH subscription, whose "
        "deliveries carry this username and webhook_secret as the password; "
        "unset: TOKEN auth (webhook_auth_header).",
    )
    timeout_s: float = Field(default=10.0, gt=0, description="Per attempt.")
    max_batch_size: int = Field(
        default=100, ge=1, description="Ids per batched upstream call."
    )
    page_size: int = Field(
        default=500, ge=1, description="Page size for batched list calls."
    )
    rate_limit_per_s: float | None = Field(
        default=None,
        ge=0,
        description="Requests per second this gateway allows itself; 0 or unset: "
        "no client-side limit.",
    )
    rate_limit_burst: int = Field(default=1, ge=1, description="Bucket capacity.")
    budget_s: float = Field(
        default=8.0,
        gt=0,
        description="Seconds one operation may spend on this provider (calls, "
        "rate-limiter waits, retries), inside the operation's deadline.",
    )
    warm_orders: bool = Field(
        default=True,
        description="Flexport Logistics (no batch read): serve an order read "
        "before again while the events feed names no change to it; off: one GET "
        "per order per read.",
    )
    warm_max_age_s: float = Field(
        default=300.0,
        gt=0,
        description="Flexport Logistics: longest an order is served warm, for "
        "changes no event names.",
    )
    warm_max_orders: int = Field(
        default=10_000, ge=1, description="Flexport Logistics: warm orders kept (LRU)."
    )


class BreakerSettings(BaseModel):
    """The circuit breaker each provider's upstream has (`gateway/breaker.py`)."""

    failures: int = Field(
        default=5,
        ge=1,
        description="Consecutive failures (transport, timeout, 5xx, 429) that "
        "open the circuit.",
    )
    open_s: float = Field(
        default=10.0,
        ge=0,
        description="Seconds an open circuit fails calls at once before one "
        "probe is let through.",
    )


class RetrySettings(BaseModel):
    """Retries of idempotent upstream calls on 429/502/503/504 and transport errors.

    It also carries `Settings.breaker` to each provider's upstream (every
    adapter is built with its RetrySettings); `Settings` sets it, and
    `with_breaker` does for a RetrySettings built by hand.
    """

    max_retries: int = Field(default=3, ge=0)
    backoff_base_s: float = Field(default=0.25, ge=0)
    backoff_cap_s: float = Field(default=5.0, ge=0)
    max_retry_after_s: float = Field(
        default=10.0,
        ge=0,
        description="A Retry-After longer than this is not waited for: the error "
        "is returned to the client at once, with retryAfter.",
    )
    budget_ratio: float = Field(
        default=0.1,
        ge=0,
        description="Retries per provider may add at most this fraction of its "
        "first attempts over a sliding 10 s window (at least budget_floor).",
    )
    budget_floor: int = Field(
        default=3,
        ge=0,
        description="Retries a provider may always have in a 10 s window, so a "
        "quiet one can still retry a call or two.",
    )
    _breaker: BreakerSettings = PrivateAttr(default_factory=BreakerSettings)

    @property
    def breaker(self) -> BreakerSettings:
        """The circuit-breaker settings of the upstreams built with these."""
        return self._breaker

    def with_breaker(self, breaker: BreakerSettings) -> RetrySettings:
        """A copy that carries `breaker`."""
        copy = self.model_copy()
        copy._breaker = breaker
        return copy


class LimitSettings(BaseModel):
    """Limits on a GraphQL document, enforced before anything executes.

    See `schema/limits.py` for how depth, aliases, page size and cost are counted.
    """

    max_depth: int = Field(
        default=10, ge=1, description="Deepest field nesting; introspection is free."
    )
    max_aliases: int = Field(default=60, ge=0, description="Aliases per document.")
    max_cost: int = Field(
        default=50_000, ge=1, description="Largest static cost estimate."
    )
    # The all-provider order board of 50 is estimated at 124 (it sends 73):
    # room for it, while ten FLEXPORT_LOGISTICS pages of 100 (1,010) or
    # `nodes` of 100 orders with their shipments (202) are refused unsent.
    max_upstream_requests: int = Field(
        default=200,
        ge=1,
        description="Largest estimate of the upstream requests one operation "
        "sends (schema/upstream.py).",
    )
    # The resolvers never return more than 100 per page (schema.pagination.MAX_FIRST),
    # so the limit can only be lowered.
    max_page_size: int = Field(
        default=100, ge=1, le=100, description="Largest explicit `first`."
    )
    default_list_size: int = Field(
        default=10,
        ge=0,
        description="Assumed length of a list field without `first`, for the cost.",
    )
    cache_size: int = Field(
        default=1000,
        ge=1,
        description="Query texts whose parse, validation and cost analysis are kept.",
    )
    max_upload_bytes: int = Field(
        default=10 * 1024 * 1024,
        ge=1,
        description="Largest multipart request on /graphql/upload (the file and "
        "the operation together).",
    )
    max_body_bytes: int = Field(
        default=1024 * 1024,
        ge=1,
        description="Largest request body on /graphql (413 above it).",
    )
    max_tokens: int = Field(
        default=5000,
        ge=1,
        description="Tokens a document may have; parsing stops past them.",
    )
    cache_bytes: int = Field(
        default=32 * 1024 * 1024,
        ge=1,
        description="Estimated bytes the per-query-text caches may hold.",
    )


CACHE_TTL_DEFAULTS: dict[str, float] = {
    "orders": 30.0,
    "lines": 30.0,
    "shipments": 60.0,
    "inventory": 15.0,
    "purchase_orders": 60.0,
    "attachments": 300.0,
}
"""Seconds each entity type stays in the entity cache: stock moves fastest,
documents hardly ever change."""


class CacheSettings(BaseModel):
    """The cross-request cache of upstream entities (`gateway/cache/`).

    Where it lives is the top-level `cache_url`: a field here would be read from
    GATEWAY_CACHE__URL, and the variable is GATEWAY_CACHE_URL, like
    GATEWAY_INDEX_URL.
    """

    enabled: bool = Field(
        default=True, description="Off: every request goes to the providers."
    )
    ttl_s: dict[str, Annotated[float, Field(ge=0)]] = Field(
        default_factory=lambda: dict(CACHE_TTL_DEFAULTS),
        description="Seconds per entity type; 0 (or a type not listed): not cached.",
    )
    max_items: int = Field(
        default=50_000, ge=1, description="Entities the in-process cache holds (LRU)."
    )
    # Values range from a few hundred bytes to tens of KiB, so the count alone
    # bounds nothing; the same number as gateway.cache.memory.DEFAULT_MAX_BYTES.
    max_bytes: int = Field(
        default=64 * 1024 * 1024,
        ge=1,
        description="Bytes of encoded entities (with their keys) the in-process "
        "cache holds (LRU beyond them).",
    )
    # The same string as gateway.cache.redis_cache.DEFAULT_PREFIX (a test keeps
    # them equal); importing it would pull redis into every settings import.
    key_prefix: str = Field(
        default="gateway:cache:v1:",
        min_length=1,
        description="Redis only: the prefix of every key; gateways that should "
        "share the cache use the same one.",
    )
    # Refresh-ahead (gateway/cache/refresh.py): under load a value is fetched
    # again once in the background before it runs out, instead of every
    # request waiting for the upstream when it does.
    refresh_ahead: float = Field(
        default=0.2,
        ge=0,
        lt=1,
        description="Fraction of a TTL before expiry in which a read serves the "
        "value and refreshes it once in the background; 0: not ahead.",
    )
    stale_grace_s: float = Field(
        default=3.0,
        ge=0,
        description="Seconds a value past its TTL is still served (stale) while "
        "one background refresh fetches it; 0: none.",
    )

    @field_validator("ttl_s", mode="before")
    @classmethod
    def _over_defaults(cls, value: Any) -> Any:
        # GATEWAY_CACHE__TTL_S__INVENTORY=5 arrives as {"inventory": "5"}: it
        # changes that type and keeps the others' defaults.
        if isinstance(value, dict):
            return {
                **CACHE_TTL_DEFAULTS,
                **{str(k).lower(): v for k, v in value.items()},
            }
        return value

    def ttl_for(self, entity: str) -> float:
        """Seconds to cache an entity (a `gateway.cache.entities` name); 0: don't.

        The entity's own TTL if `ttl_s` lists it, else its type's (the part
        before `:`), else 0.
        """
        if not self.enabled:
            return 0.0
        if entity in self.ttl_s:
            return self.ttl_s[entity]
        return self.ttl_s.get(entity.partition(":")[0], 0.0)


class BrokerSettings(BaseModel):
    """Change events between webhooks, pollers and subscribers (`gateway/broker/`).

    Where it lives is the top-level `broker_url` (GATEWAY_BROKER_URL), like
    GATEWAY_CACHE_URL.
    """

    keep_events: int = Field(
        default=10_000,
        ge=1,
        description="Events kept per topic for subscribers resuming with `after`.",
    )
    queue_size: int = Field(
        default=1_000,
        ge=1,
        description="Events one subscriber may fall behind before it is closed.",
    )
    dedupe_s: float = Field(
        default=86_400.0,
        gt=0,
        description="How long a delivered event's id is remembered, so a "
        "redelivery is published once.",
    )
    # The same string as gateway.broker.redis_broker.DEFAULT_PREFIX.
    key_prefix: str = Field(
        default="gateway:events:v1:",
        min_length=1,
        description="Redis only: the prefix of the streams and dedupe keys; "
        "instances that should share events use the same one.",
    )


class PollSettings(BaseModel):
    """Polling providers that push no changes (`gateway/polling.py`)."""

    interval_s: float = Field(
        default=10.0, ge=0.1, description="Seconds between two polls of a provider."
    )
    providers: list[str] | None = Field(
        default=None,
        description="Slugs to poll; unset: every provider that declares POLL_CHANGES.",
    )
    max_tracked: int = Field(
        default=100_000,
        ge=1,
        description="Orders and shipments whose last seen status is remembered (LRU).",
    )

    @field_validator("providers", mode="before")
    @classmethod
    def _known_slugs(cls, value: Any) -> Any:
        # GATEWAY_POLLING__PROVIDERS=flxpoint,flexe reads as a comma list too;
        # a blank one as unset, and `[]` polls nothing.
        if isinstance(value, str) and not value.lstrip().startswith("["):
            value = [v.strip() for v in value.split(",") if v.strip()] or None
        if isinstance(value, list):
            unknown = sorted(set(map(str, value)) - set(PROVIDER_SLUGS))
            if unknown:
                known = ", ".join(PROVIDER_SLUGS)
                raise ValueError(f"unknown provider(s) {unknown}; known: {known}")
        return value


def provider_settings(slug: str, **values: Any) -> ProviderSettings:
    """Settings for one provider: its own defaults, overridden by `values`."""
    return ProviderSettings(**{**PROVIDER_DEFAULTS.get(slug, {}), **values})


def _default_providers() -> dict[str, ProviderSettings]:
    return {slug: provider_settings(slug) for slug in PROVIDER_SLUGS}


class Settings(BaseSettings):
    """Everything the gateway reads from its environment."""

    model_config = SettingsConfigDict(
        env_prefix="GATEWAY_", env_nested_delimiter="__", extra="ignore"
    )

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    sandbox: bool | None = Field(
        default=None,
        description="Serve the built-in provider simulations and point every "
        "enabled provider at them. Unset: on when no provider has a token.",
    )
    sandbox_host: str = "127.0.0.1"
    sandbox_port: int = Field(default=8001, ge=0, le=65535)
    sandbox_speed: float = Field(
        default=1.0,
        ge=0,
        description="Sandbox mode: how fast the sandbox moves orders and purchase "
        "orders along on its own (1: a few changes every 5 s); 0: only when asked.",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    graphiql: bool = True
    batching: bool = Field(
        default=True,
        description="Batch loader keys into one upstream call per provider; "
        "false only to measure what batching saves.",
    )
    index_url: str | None = Field(
        default=None,
        description="redis://… to keep the order index of providers that cannot "
        "list orders in Redis, shared by every instance; unset: in process.",
    )
    cache_url: str | None = Field(
        default=None,
        description="redis://… or rediss://… to keep the entity cache in Redis, "
        "shared by every instance; unset: in process.",
    )
    lock_url: str | None = Field(
        default=None,
        description="redis://… or rediss://… to keep the locks that queue updates "
        "of one object (v3 purchase orders) in Redis, so they queue across every "
        "instance; unset: in process.",
    )
    deadline_s: float = Field(
        default=10.0,
        gt=0,
        description="Seconds an operation may wait on providers; what is still "
        "waiting then is null with a retryable error naming the provider.",
    )
    shutdown_grace_s: float = Field(
        default=10.0,
        ge=0,
        description="On SIGTERM/SIGINT: how long in-flight operations may run "
        "to the end before they are cancelled.",
    )
    broker_url: str | None = Field(
        default=None,
        description="redis://… to share change events (webhooks, polls) between "
        "instances, so every subscriber sees every event; unset: in process.",
    )
    broker: BrokerSettings = Field(default_factory=BrokerSettings)
    providers: dict[str, ProviderSettings] = Field(default_factory=_default_providers)
    retry: RetrySettings = Field(default_factory=RetrySettings)
    breaker: BreakerSettings = Field(default_factory=BreakerSettings)
    limits: LimitSettings = Field(default_factory=LimitSettings)
    cache: CacheSettings = Field(default_factory=CacheSettings)
    polling: PollSettings = Field(default_factory=PollSettings)

    @field_validator("providers", mode="before")
    @classmethod
    def _known_providers(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        unknown = sorted(set(value) - set(PROVIDER_SLUGS))
        if unknown:
            known = ", ".join(PROVIDER_SLUGS)
            raise ValueError(f"unknown provider(s) {unknown}; known: {known}")
        merged: dict[str, Any] = dict(_default_providers())
        for slug, given in value.items():
            # Environment values arrive as dicts: lay them over the provider's
            # own defaults rather than over the generic ones.
            if isinstance(given, dict):
                merged[slug] = {**PROVIDER_DEFAULTS.get(slug, {}), **given}
            else:
                merged[slug] = given
        return merged

    @model_validator(mode="after")
    def _retry_carries_breaker(self) -> Self:
        # Upstreams see only RetrySettings; a copy, as `retry` may be shared.
        self.retry = self.retry.with_breaker(self.breaker)
        return self

    def enabled_providers(self) -> dict[str, ProviderSettings]:
        """The providers in use: switched on, with a token and a base URL.

        A provider without a token is simply not configured: a merchant who
        ships only through Flexe sets only Flexe's token.
        """
        return {
            slug: settings
            for slug in PROVIDER_SLUGS
            if (settings := self.providers.get(slug)) is not None
            and settings.enabled
            and settings.token is not None
            and settings.base_url
        }

    def sandbox_mode(self) -> bool:
        """Whether the gateway runs on the sandbox (explicit, or no credentials)."""
        if self.sandbox is not None:
            return self.sandbox
        return not self.enabled_providers()
