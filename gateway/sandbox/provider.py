"""The seam between the provider-neutral sandbox runtime and one simulated provider."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from aiohttp import web

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
