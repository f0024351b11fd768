"""LAPI transport: versioned paths, limit/offset paging, chunking, validation."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from gateway.errors import NotFound, ProviderResponseInvalid
from gateway.http import Params, Response, Upstream

M = TypeVar("M", bound=BaseModel)
K = TypeVar("K")
V = TypeVar("V")

BASE = "/logistics/api/2024-04"
"""The pinned API version is part of every path (providers.md §2.1)."""

MAX_IDS_PER_CALL = 100
"""L12, L13 and L14's `shipmentIds` take at most 100 values."""

FAN_OUT = 8
"""Concurrent single-object GETs where LAPI has no batch endpoint (orders)."""

IDEMPOTENCY_HEADER = "idempotency-key"


class LapiApi:
    """Sends LAPI requests through `Upstream` and validates what comes back."""

    def __init__(self, upstream: Upstream, batch_size: int) -> None:
        self.upstream = upstream
        self.slug = upstream.provider
        self.batch_size = max(1, min(batch_size, MAX_IDS_PER_CALL))
        self._fan_out = asyncio.Semaphore(FAN_OUT)

    async def get(self, path: str, params: Params | None = None) -> Response:
        return await self.upstream.request("GET", BASE + path, params=params)

    async def get_or_none(self, path: str) -> Any:
        """One object, or None when LAPI answers 404; under the fan-out bound."""
        async with self._fan_out:
            try:
                return (await self.get(path)).data
            except NotFound:
                return None

    async def post(
        self,
        path: str,
        body: Any,
        *,
        idempotency_key: str | None = None,
        read_only: bool = False,
    ) -> Any:
        """A POST; `Upstream` retries it only when repeating it is harmless: a
        read (L13), or a write whose idempotency key LAPI replays (§2.7)."""
        headers = {IDEMPOTENCY_HEADER: idempotency_key} if idempotency_key else None
        response = await self.upstream.request(
            "POST",
            BASE + path,
            json=body,
            headers=headers,
            replay_safe=read_only or idempotency_key is not None,
        )
        return response.data

    async def put_upload(self, url: str, content: bytes, content_type: str) -> None:
        """PUT a document to a pre-signed L4 `uploadUrl`: an absolute URL with its
        own credential. Replay-safe: a second PUT replaces the first."""
        await self.upstream.request(
            "PUT",
            url,
            data=content,
            headers={"Content-Type": content_type},
            replay_safe=True,
            expect_json=False,
            absolute=True,
        )

    async def offset_pages(
        self,
        path: str,
        params: Mapping[str, str],
        limit: int,
        adapter: TypeAdapter[list[M]],
    ) -> list[tuple[M, dict[str, Any]]]:
        """Every item of a limit/offset list: bare arrays, no totals, so a page
        shorter than `limit` is the last."""
        found: list[tuple[M, dict[str, Any]]] = []
        offset = 0
        while True:
            query = {**params, "limit": str(limit), "offset": str(offset)}
            data = (await self.get(path, query)).data
            page = self.validate_list(adapter, data)
            found += page
            if len(page) < limit:
                return found
            offset += limit

    async def gather_map(
        self, keys: Iterable[K], fetch: Callable[[K], Awaitable[V | None]]
    ) -> dict[K, V]:
        """`fetch` for every key concurrently; keys it answers None for are left out."""
        unique = list(dict.fromkeys(keys))
        results = await asyncio.gather(*(fetch(key) for key in unique))
        return {
            key: value
            for key, value in zip(unique, results, strict=True)
            if value is not None
        }

    def validate(self, model: type[M], data: Any) -> M:
        try:
            return model.model_validate(data)
        except ValidationError:
            raise self._invalid(model.__name__) from None

    def validate_list(
        self, adapter: TypeAdapter[list[M]], data: Any
    ) -> list[tuple[M, dict[str, Any]]]:
        """A bare JSON array, each item validated and paired with its raw JSON."""
        try:
            items = adapter.validate_python(data)
        except ValidationError:
            raise self._invalid("list") from None
        return list(zip(items, data, strict=True))

    def _invalid(self, what: str) -> ProviderResponseInvalid:
        return ProviderResponseInvalid(
            self.slug, f"the provider's answer is not a valid {what}"
        )


def chunks(values: Sequence[str], size: int) -> list[list[str]]:
    """Deduplicated values in order, cut into chunks of at most `size`."""
    unique = list(dict.fromkeys(values))
    return [unique[i : i + size] for i in range(0, len(unique), size)]
