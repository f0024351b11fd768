"""State-change events raised by simulated providers, and the hook listeners use.

The webhook emitter (emitter.py) subscribes here and turns each event into
its provider's signed HTTP deliveries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class SandboxEvent:
    """One change in a provider's world, named in that provider's event vocabulary."""

    provider: str
    type: str
    # The provider's own webhook `data` payload, ready to be wrapped in its envelope.
    data: dict[str, Any]
    occurred_at: datetime


Listener = Callable[[SandboxEvent], None]


class EventHub:
    """Synchronous fan-out to listeners; a listener that needs I/O schedules a task."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def publish(self, event: SandboxEvent) -> None:
        for listener in list(self._listeners):
            listener(event)
