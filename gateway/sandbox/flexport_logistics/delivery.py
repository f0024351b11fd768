"""Flexport Logistics webhooks (providers.md 2.6): unsigned, authMethod credentials."""

from __future__ import annotations

import base64
import uuid
from typing import TYPE_CHECKING

from ..config import SANDBOX_WEBHOOK_SECRETS
from ..deliveries import Outgoing, render

if TYPE_CHECKING:
    from ..config import SandboxConfig
    from ..events import SandboxEvent
    from .model import Webhook
    from .state import LapiState

SLUG = "flexport_logistics"
# Published for tests and L17 subscribers, but not part of the contract's
# webhooks, so the gateway's endpoint is not sent them unasked.
SANDBOX_ONLY_TYPES = ("Order.StatusChanged", "Outbound.ShipmentStatusChanged")


def token_for(config: SandboxConfig) -> str:
    return config.webhook_secrets.get(SLUG, SANDBOX_WEBHOOK_SECRETS[SLUG])


def auth_headers(
    auth_method: str,
    *,
    username: str | None = None,
    password: str | None = None,
    token: str | None = None,
    token_header: str | None = None,
) -> dict[str, str]:
    """The credentials E3 says each authMethod sends; NONE sends nothing."""
    if auth_method == "BASIC_AUTH":
        pair = f"{username or ''}:{password or ''}".encode()
        return {"Authorization": "Basic " + base64.b64encode(pair).decode()}
    if auth_method == "TOKEN" and token_header:
        return {token_header: token or ""}
    return {}


def _subscription_headers(hook: Webhook) -> dict[str, str]:
    return auth_headers(
        hook.auth_method,
        username=hook.username,
        password=hook.password,
        token=hook.token,
        token_header=hook.token_header,
    )


def _gateway_headers(config: SandboxConfig) -> dict[str, str]:
    token = token_for(config)
    if config.webhook_username:
        return auth_headers(
            "BASIC_AUTH", username=config.webhook_username, password=token
        )
    return auth_headers("TOKEN", token=token, token_header=config.webhook_auth_header)


def deliveries(
    event: SandboxEvent,
    st: LapiState,
    config: SandboxConfig,
    gateway_url: str | None,
) -> list[Outgoing]:
    """`SandboxEvent.data` is already the §2.6 envelope; it is sent as it is,
    unsigned, with the credentials each target's authMethod calls for."""
    targets: list[tuple[str, str, dict[str, str], str]] = [
        (hook.url, hook.method, _subscription_headers(hook), f"subscription:{hook.id}")
        for hook in (st.webhooks[i] for i in sorted(st.webhooks))
        if hook.type == event.type
    ]
    # A subscription at the gateway's own URL stands in for the default one.
    if (
        gateway_url is not None
        and event.type not in SANDBOX_ONLY_TYPES
        and all(url != gateway_url for url, _, _, _ in targets)
    ):
        targets.insert(0, (gateway_url, "POST", _gateway_headers(config), "gateway"))
    if not targets:
        return []
    body = render(event.data)
    event_id = str(event.data["logisticsEventId"])
    return [
        Outgoing(
            provider=SLUG,
            type=event.type,
            event_id=event_id,
            delivery_id=str(uuid.uuid4()),
            url=url,
            method=method,
            headers={"Content-Type": "application/json", **auth},
            body=body,
            target=target,
        )
        for url, method, auth, target in targets
    ]
