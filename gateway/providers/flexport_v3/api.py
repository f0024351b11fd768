"""Flexport v3 transport: the envelope, paging by `next`, bounded fan-out."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote

from pydantic import BaseModel
from yarl import URL

from gateway.errors import NotFound, ProviderResponseInvalid
from gateway.providers.flexport_v3 import wire

if TYPE_CHECKING:
    from gateway.http import Upstream

M = TypeVar("M", bound=BaseModel)
K = TypeVar("K")
V = TypeVar("V")

MAX_PER = 100
"""v3 pages hold at most 100 items (`per` 1 to 100)."""
FAN_OUT = 8
"""Concurrent single-object calls where v3 has no batch filter; the Upstream
token bucket (5/s, burst 10) still paces them."""
MAX_PAGES = 1000
"""A guard against a `next` link that never ends."""

Query = list[tuple[str, str]]

EXPAND = [("expand", "line_items")]
"""V1/V2 with the PO's lines embedded."""


class FlexportV3Api:
    """Reads v3: unwraps and validates the envelope, walks pages, fans out."""

    def __init__(self, upstream: Upstream) -> None:
        self.upstream = upstream
        self.slug = upstream.provider
        self._fan_out = asyncio.Semaphore(FAN_OUT)

    async def data(self, path: str, params: Query | None = None) -> Any:
        """The envelope's `data` of a GET, untouched."""
        response = await self.upstream.request("GET", path, params=params)
        return self.unwrap(response.data)

    def unwrap(self, body: Any) -> Any:
        """`data` of an `/api/response`; anything else is not a v3 answer."""
        envelope = self.validate(wire.Envelope, body)
        if envelope.error is not None or envelope.data is None:
            raise ProviderResponseInvalid(
                self.slug, "the provider answered 2xx without data"
            )
        return envelope.data

    async def one(
        self, path: str, model: type[M], params: Query | None = None
    ) -> tuple[M, dict[str, Any]]:
        """One object, validated, with its raw JSON."""
        raw = await self.data(path, params)
        return self.validate(model, raw), raw

    async def maybe(
        self, path: str, model: type[M], params: Query | None = None
    ) -> tuple[M, dict[str, Any]] | None:
        """One object, or None when v3 answers 404 (a batch drops missing ids)."""
        try:
            return await self.one(path, model, params)
        except NotFound:
            return None

    async def page(
        self, path: str, model: type[M], params: Query
    ) -> tuple[wire.Page[M], list[tuple[M, dict[str, Any]]]]:
        """One page of a list: the parsed collection and its items with raw JSON."""
        raw = await self.data(path, params)
        parsed = self.validate(wire.Page[model], raw)  # type: ignore[valid-type]
        return parsed, list(zip(parsed.data, raw["data"], strict=True))

    async def walk(
        self, path: str, model: type[M], params: Query
    ) -> list[tuple[M, dict[str, Any]]]:
        """Every page of a list, following the envelope's `next` to the end."""
        found: list[tuple[M, dict[str, Any]]] = []
        query = [*params, ("per", str(MAX_PER))]
        seen: set[tuple[tuple[str, str], ...]] = set()
        while True:
            seen.add(tuple(query))
            parsed, items = await self.page(path, model, query)
            found += items
            if parsed.next is None:
                return found
            query = next_query(parsed.next)
            if tuple(query) in seen or len(seen) >= MAX_PAGES:
                raise ProviderResponseInvalid(
                    self.slug, "the provider's `next` link does not move on"
                )

    async def line_items(self, po_id: str) -> list[tuple[wire.LineItem, Any]]:
        """Every line of one PO through V4 (all pages)."""
        return await self.walk(
            "/purchase_order_line_items",
            wire.LineItem,
            [("f.purchase_order.id", po_id)],
        )

    async def fan_out(
        self, keys: Iterable[K], call: Callable[[K], Awaitable[V]]
    ) -> list[tuple[K, V]]:
        """`call` for every key, at most FAN_OUT at once, in key order."""
        ordered = list(keys)

        async def bounded(key: K) -> V:
            async with self._fan_out:
                return await call(key)

        results = await asyncio.gather(*(bounded(key) for key in ordered))
        return list(zip(ordered, results, strict=True))

    def validate(self, model: type[M], data: Any) -> M:
        try:
            return model.model_validate(data)
        except ValueError:
            raise ProviderResponseInvalid(
                self.slug, f"the provider's answer is not a valid {model.__name__}"
            ) from None


def next_query(link: str) -> Query:
    """The query of a `next` link, to be sent to our own path.

    The link is absolute and built from the host the provider saw; keeping
    only its query means a proxy or a sandbox prefix cannot send us elsewhere.
    """
    return [(key, value) for key, value in URL(link).query.items()]


def po_path(po_id: str) -> str:
    """V2's path for one purchase order."""
    return f"/purchase_orders/{quote(po_id, safe='')}"


def unique_ids(ids: Sequence[str]) -> list[str]:
    """Distinct ids in order; v3 ids are integers, so others cannot exist."""
    return [i for i in dict.fromkeys(ids) if i.isdigit()]
