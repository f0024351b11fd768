"""Flxpoint transport: bare-array pages, 1-based page numbers, fan-out, validation."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Generic, TypeVar
from urllib.parse import quote

from pydantic import BaseModel

from gateway.errors import NotFound, ProviderResponseInvalid, Rejected
from gateway.http import Upstream
from gateway.providers.base import Page

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")

FR_PATH = "/fulfillment-requests"
SHIPMENTS_PATH = "/shipments"
VARIANTS_PATH = "/inventory/variants"

MAX_PAGE_SIZE = 100
"""Flxpoint's largest page (providers.md §4.1)."""
MAX_FR_NUMBERS = 50
"""X1 takes at most 50 `frNumbers`."""

FR_PAGE = ("filterPageNumber", "filterPageSize")
"""Page parameters of X1 and X7."""
VARIANT_PAGE = ("page", "pageSize")
"""Page parameters of X10."""

Query = list[tuple[str, str]]
Row = tuple[M, dict[str, Any]]


class FlxpointApi:
    """Reads Flxpoint lists page by page and single objects under a fan-out bound."""

    def __init__(
        self, upstream: Upstream, *, batch_size: int, page_size: int, fan_out: int
    ) -> None:
        self.upstream = upstream
        self.slug = upstream.provider
        self.batch_size = max(1, min(batch_size, MAX_FR_NUMBERS))
        self.page_size = max(1, min(page_size, MAX_PAGE_SIZE))
        self._fan_out = asyncio.Semaphore(fan_out)

    async def get(self, path: str, params: Query | None = None) -> Any:
        return (await self.upstream.request("GET", path, params=params)).data

    async def one(self, path: str, model: type[M]) -> Row[M]:
        """One object, validated, with its raw JSON."""
        data = await self.get(path)
        return self.validate(model, data), data

    async def page(
        self,
        path: str,
        params: Query,
        model: type[M],
        number: int,
        size: int,
        names: tuple[str, str] = FR_PAGE,
    ) -> list[Row[M]]:
        """Page `number` (1-based) of `size` items of a bare-array list."""
        query = [*params, (names[0], str(number)), (names[1], str(size))]
        return self.rows(model, await self.get(path, query))

    async def all_pages(
        self,
        path: str,
        params: Query,
        model: type[M],
        names: tuple[str, str] = FR_PAGE,
    ) -> list[Row[M]]:
        """Every page of a list; the first short (or empty) page is the last."""
        found: list[Row[M]] = []
        number = 1
        while True:
            rows = await self.page(path, params, model, number, self.page_size, names)
            found += rows
            if len(rows) < self.page_size:
                return found
            number += 1

    async def fan_out(
        self, keys: Sequence[str], fetch: Callable[[str], Awaitable[T]]
    ) -> dict[str, T]:
        """`fetch` per distinct key, a bounded number at a time; NotFound -> absent."""

        async def bounded(key: str) -> tuple[str, T | None]:
            async with self._fan_out:
                try:
                    return key, await fetch(key)
                except NotFound:
                    return key, None

        found = await asyncio.gather(*(bounded(k) for k in dict.fromkeys(keys)))
        return {key: value for key, value in found if value is not None}

    def rows(self, model: type[M], data: Any) -> list[Row[M]]:
        """A bare JSON array of `model` objects, each with its raw JSON."""
        if not isinstance(data, list) or not all(isinstance(d, dict) for d in data):
            raise ProviderResponseInvalid(
                self.slug, f"the provider's answer is not a list of {model.__name__}"
            )
        return [(self.validate(model, item), item) for item in data]

    def validate(self, model: type[M], data: Any) -> M:
        try:
            return model.model_validate(data)
        except ValueError:
            raise ProviderResponseInvalid(
                self.slug, f"the provider's answer is not a valid {model.__name__}"
            ) from None


class Pages(Generic[M]):
    """One list query read by ascending index; each page is fetched once per call.

    Flxpoint pages by number only, so a window [low, high) is read as the one
    page whose size (from the window's up to 100) puts it all on that page, or
    else as the two pages of 100 around it.
    """

    def __init__(
        self, api: FlxpointApi, path: str, params: Query, model: type[M]
    ) -> None:
        self.api = api
        self.path = path
        self.params = params
        self.model = model
        self._pages: dict[tuple[int, int], list[tuple[int, Row[M]]]] = {}

    async def get(self, size: int, number: int) -> list[tuple[int, Row[M]]]:
        """Page `number` of `size` rows, each with its ascending index."""
        key = (size, number)
        if key not in self._pages:
            rows = await self.api.page(self.path, self.params, self.model, number, size)
            offset = (number - 1) * size
            self._pages[key] = [(offset + i, row) for i, row in enumerate(rows)]
        return self._pages[key]

    async def span(self, low: int, high: int) -> list[tuple[int, Row[M]]]:
        """Rows covering at least indexes [low, high), 0 < high - low <= 100."""
        for (size, number), rows in self._pages.items():
            if (number - 1) * size <= low and high <= number * size:
                return rows
        for size in range(high - low, MAX_PAGE_SIZE + 1):
            if low // size == (high - 1) // size:
                return await self.get(size, low // size + 1)
        first, last = low // MAX_PAGE_SIZE + 1, (high - 1) // MAX_PAGE_SIZE + 1
        return [
            *await self.get(MAX_PAGE_SIZE, first),
            *await self.get(MAX_PAGE_SIZE, last),
        ]


def fr_path(fr_id: str) -> str:
    """X2's path for one fulfilment request (X3-X6 hang off it)."""
    return f"{FR_PATH}/{quote(fr_id, safe='')}"


def chunks(values: Sequence[str], size: int) -> list[list[str]]:
    """Distinct values in order, `size` at a time."""
    unique = list(dict.fromkeys(values))
    return [unique[i : i + size] for i in range(0, len(unique), size)]


def repeated(name: str, values: Sequence[str]) -> Query:
    """A list parameter as repeated keys (safe for values that contain commas)."""
    return [(name, value) for value in values]


def offset(cursor: str | None, slug: str) -> int:
    """An index cursor (this adapter's own, for lists read in memory or by index)."""
    if cursor is None:
        return 0
    if not cursor.isdigit():
        raise Rejected(slug, f"{cursor!r} is not a Flxpoint page cursor")
    return int(cursor)


def slice_page(items: list[T], cursor: str | None, want: int, slug: str) -> Page[T]:
    """One page of a list already read in full."""
    start = offset(cursor, slug)
    end = start + want
    return Page(
        items=items[start:end],
        next_cursor=str(end) if end < len(items) else None,
        total=len(items),
    )
