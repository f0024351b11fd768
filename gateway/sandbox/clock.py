"""Sandbox time (the anchor plus elapsed clock time) and its ISO 8601 wire format."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

_MS = timedelta(milliseconds=1)


class WorldClock:
    """Timestamps for objects created through the API.

    Time starts at the config anchor when the sandbox starts (or is reset) and
    moves with the injected clock, so anything created through the API is newer
    than every seeded object. Readings are strictly increasing at millisecond
    resolution so that "newest first" is never a coin toss between two creates.
    """

    def __init__(self, anchor: datetime, source: Callable[[], float]) -> None:
        self._anchor = anchor
        self._source = source
        self._start = source()
        self._last: datetime | None = None

    def restart(self) -> None:
        self._start = self._source()
        self._last = None

    def now(self) -> datetime:
        elapsed = max(0.0, self._source() - self._start)
        moment = truncate_ms(self._anchor + timedelta(seconds=elapsed))
        if self._last is not None and moment <= self._last:
            moment = self._last + _MS
        self._last = moment
        return moment


def truncate_ms(moment: datetime) -> datetime:
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def iso(moment: datetime) -> str:
    """UTC with millisecond precision and a Z suffix: 2026-10-31T08:15:00.000Z."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def iso_or_none(moment: datetime | None) -> str | None:
    return None if moment is None else iso(moment)


def parse_instant(text: str) -> datetime:
    """Accept an ISO 8601 date or date-time; naive values are taken as UTC.

    Raises ValueError for anything else.
    """
    value = text.strip()
    if not value:
        raise ValueError("empty timestamp")
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)
