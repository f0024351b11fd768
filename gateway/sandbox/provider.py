"""The seam between the provider-neutral sandbox runtime and one simulated provider."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from aiohttp import web

    from .deliveries import Outgoing
    from .events import SandboxEvent
    from .faults import Fault


class ControlError(Exception):
    """A /_sandbox/ request that cannot be honoured (bad input, unknown id, …)."""

    def __init__(
        self, status: int, code: str, message: str, field: str | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field


class ProviderSim(Protocol):
    """What the runtime and the control surface need from a simulated provider."""

    slug: str

    @property
    def prefix(self) -> str:
        """Mount point of the provider's sub-application, e.g. "/flexe"."""
        ...

    def build_app(self) -> web.Application:
        """The sub-application serving the provider's real paths under `prefix`."""
        ...

    def reset(self) -> None:
        """Reload seed state and forget rate-limit windows."""
        ...

    def advance(self, kind: str, object_id: str) -> dict[str, Any]:
        """Move one object to its next state; raise ControlError when it cannot move.

        Returns the control answer `{provider, type, id, previousState, state}`.
        """
        ...

    def fault_response(self, request: web.Request, fault: Fault) -> web.Response:
        """A status fault (404, 409, 429, 500, 503, timeout -> 504) in the provider's
        own error format."""
        ...

    def webhook_deliveries(
        self, event: SandboxEvent, gateway_url: str | None
    ) -> list[Outgoing]:
        """The requests this provider sends for `event`: one to `gateway_url`
        (when given and the event is one the provider's webhooks carry) and
        one per matching subscription made through its API. Ids, timestamps
        and signatures are fixed here, once per event."""
        ...

    def live_candidates(self) -> dict[str, list[str]]:
        """Ids the live clock may advance, by advance type, in a stable order."""
        ...
