"""Flexe transport: paged GETs, id chunking, writes, and validation of answers."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from gateway.errors import ProviderResponseInvalid
from gateway.http import Upstream
from gateway.models import OrderStatus
from gateway.providers.base import OrderFilter
from gateway.providers.flexe import mapping

if TYPE_CHECKING:
    from pydantic import BaseModel

M = TypeVar("M", bound="BaseModel")

MAX_IDS_PER_CALL = 100
"""Flexe accepts at most 100 values in a list filter (`ids`, `orderIds`, …)."""
MAX_PAGE_SIZE = 500

Query = Mapping[str, str] | Sequence[tuple[str, str]]


class FlexeApi:
    """Reads Flexe lists: every page, every chunk of ids, each page validated."""

    def __init__(self, upstream: Upstream, batch_size: int, page_size: int) -> None:
        self.upstream = upstream
        self.slug = upstream.provider
        self.batch_size = min(batch_size, MAX_IDS_PER_CALL)
        self.page_size = min(page_size, MAX_PAGE_SIZE)

    async def get(self, path: str, params: Query | None = None) -> Any:
        return (await self.upstream.request("GET", path, params=params)).data

    async def send(
        self,
        method: str,
        path: str,
        *,
        replay_safe: bool,
        json: Any = None,
        data: bytes | None = None,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        """A write's JSON answer; `replay_safe` only where a key guards a repeat."""
        response = await self.upstream.request(
            method,
            path,
            params=params,
            json=json,
            data=data,
            headers=headers,
            replay_safe=replay_safe,
        )
        return response.data

    async def batched(
        self, path: str, param: str, values: Sequence[str], model: type[M]
    ) -> list[tuple[M, dict[str, Any]]]:
        """Every page of a list filtered by `param`, one chunk of values per call."""
        per_chunk = await asyncio.gather(
            *(
                self.collect(path, {param: ",".join(chunk)}, model)
                for chunk in chunks(values, self.batch_size)
            )
        )
        return [page for pages in per_chunk for page in pages]

    async def collect(
        self, path: str, params: Mapping[str, str], model: type[M]
    ) -> list[tuple[M, dict[str, Any]]]:
        """Every page of a list endpoint, each validated, with its raw JSON."""
        pages: list[tuple[M, dict[str, Any]]] = []
        query = {**params, "pageSize": str(self.page_size)}
        while True:
            data = await self.get(path, query)
            parsed = self.validate(model, data)
            pages.append((parsed, data))
            token = getattr(parsed, "continuationToken", None)
            if not token:
                return pages
            query = {**query, "continuationToken": token}

    def validate(self, model: type[M], data: Any) -> M:
        try:
            return model.model_validate(data)
        except ValueError:
            raise ProviderResponseInvalid(
                self.slug, f"the provider's answer is not a valid {model.__name__}"
            ) from None


def order_params(filter: OrderFilter) -> dict[str, str]:
    params: dict[str, str] = {}
    if filter.statuses:
        states = sorted(
            {s for st in filter.statuses for s in mapping.STATES_FOR_STATUS.get(st, ())}
        )
        params["state"] = ",".join(states)
        # `new` is both PENDING and EXCEPTION; hasErrors tells them apart when
        # only one of the two was asked for and no other state is involved.
        wants = set(filter.statuses)
        if states == ["new"] and len(wants) == 1:
            params["hasErrors"] = "true" if OrderStatus.EXCEPTION in wants else "false"
    if filter.has_errors is not None:
        params["hasErrors"] = "true" if filter.has_errors else "false"
    if filter.external_ids:
        params["externalIds"] = ",".join(filter.external_ids)
    if filter.created_after:
        params["createdAtFrom"] = filter.created_after.isoformat()
    if filter.created_before:
        params["createdAtTo"] = filter.created_before.isoformat()
    return params


def chunks(ids: Sequence[str], size: int) -> list[Sequence[str]]:
    unique = list(dict.fromkeys(ids))
    return [unique[i : i + size] for i in range(0, len(unique), size)]


def items(
    pages: list[tuple[Any, dict[str, Any]]], key: str
) -> list[tuple[Any, dict[str, Any]]]:
    return [pair for parsed, raw in pages for pair in pairs(parsed, raw, key)]


def pairs(
    parsed: Any, raw: dict[str, Any], key: str
) -> list[tuple[Any, dict[str, Any]]]:
    return list(zip(getattr(parsed, key), raw[key], strict=True))
