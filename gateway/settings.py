"""Gateway configuration: one Settings object built from GATEWAY_* variables."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROVIDER_SLUGS: tuple[str, ...] = ("flexe",)
"""Every provider the gateway knows, by slug (folder, settings key, registry key)."""


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
    timeout_s: float = Field(default=10.0, gt=0, description="Per attempt.")
    max_batch_size: int = Field(
        default=100, ge=1, description="Ids per batched upstream call."
    )
    page_size: int = Field(
        default=500, ge=1, description="Page size for batched list calls."
    )


class RetrySettings(BaseModel):
    """Retries of idempotent upstream calls on 429/502/503/504 and transport errors."""

    max_retries: int = Field(default=3, ge=0)
    backoff_base_s: float = Field(default=0.25, ge=0)
    backoff_cap_s: float = Field(default=5.0, ge=0)
    max_retry_after_s: float = Field(
        default=10.0,
        ge=0,
        description="A Retry-After longer than this is not waited for: the error "
        "is returned to the client at once, with retryAfter.",
    )


def _default_providers() -> dict[str, ProviderSettings]:
    return {slug: ProviderSettings() for slug in PROVIDER_SLUGS}


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
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    graphiql: bool = True
    providers: dict[str, ProviderSettings] = Field(default_factory=_default_providers)
    retry: RetrySettings = Field(default_factory=RetrySettings)

    @field_validator("providers")
    @classmethod
    def _known_providers(
        cls, value: dict[str, ProviderSettings]
    ) -> dict[str, ProviderSettings]:
        unknown = sorted(set(value) - set(PROVIDER_SLUGS))
        if unknown:
            known = ", ".join(PROVIDER_SLUGS)
            raise ValueError(f"unknown provider(s) {unknown}; known: {known}")
        return {**_default_providers(), **value}

    def enabled_providers(self) -> dict[str, ProviderSettings]:
        """The providers switched on, by slug, in registry order."""
        return {
            slug: self.providers[slug]
            for slug in PROVIDER_SLUGS
            if slug in self.providers and self.providers[slug].enabled
        }

    def sandbox_mode(self) -> bool:
        """Whether the gateway runs on the sandbox (explicit, or no credentials)."""
        if self.sandbox is not None:
            return self.sandbox
        return not any(p.token for p in self.enabled_providers().values())
