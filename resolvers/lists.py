"""The steps every merged list field shares: check `first`, resume, merge, report."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TypeVar

from gateway.errors import InvalidArgument, ProviderError
from gateway.paging import (
    Arrived,
    Fetch,
    MergedPage,
    Position,
    decode_cursor,
    merge_pages,
)
from gateway.providers.base import Page, PageRequest
from schema.node import Info
from schema.pagination import MAX_FIRST

T = TypeVar("T")


async def merged_page(
    info: Info,
    first: int,
    after: str | None,
    providers: Sequence[str],
    fetch: Fetch[T],
    sort_key: Callable[[T], datetime | None],
    *,
    oldest_first: bool = False,
    arrived: Arrived[T] | None = None,
) -> MergedPage[T]:
    """One page merged across `providers`; a failed provider is a partial error.

    `first` must be 1 to MAX_FIRST; `after` is a cursor of this list. Providers
    that failed are left out of the page (the next page asks them again) and
    reported as errors at the field's path, next to the others' data; when
    every one failed the field fails, still with one error per provider.
    `arrived` hears of each provider's window as it arrives (`merge_pages`).
    """
    if not 1 <= first <= MAX_FIRST:
        raise InvalidArgument(f"first must be between 1 and {MAX_FIRST}, got {first}")
    wanted = list(providers)
    cursor = decode_cursor(after, wanted) if after else {s: Position() for s in wanted}
    failed: list[ProviderError] = []

    async def recorded(slug: str, page: PageRequest) -> Page[T]:
        try:
            return await fetch(slug, page)
        except ProviderError as error:
            failed.append(error)
            raise

    path = tuple(info.path.as_list())
    try:
        merged = await merge_pages(
            cursor,
            first,
            recorded,
            sort_key,
            oldest_first=oldest_first,
            arrived=arrived,
        )
    except ProviderError as raised:
        # Every provider failed: the list is null with the first one's error,
        # and the others are named at the same path all the same.
        info.context.partial_errors.extend(
            (path, error) for error in failed if error is not raised
        )
        raise
    for error in merged.failures.values():
        info.context.partial_errors.append((path, error))
    return merged
