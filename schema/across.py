"""Loads that ask every provider with a capability, keeping what answered.

A field such as a purchase order's inbound shipments asks each provider that
could hold some. One provider failing must not hide the others' answers, so
its error is recorded as a partial error at the field's path (see
`schema.partial`) and the field returns the rest; only when every provider
failed does the field fail (null), and then each provider still has its own
error at that path.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Sequence
from typing import NoReturn, Protocol, TypeVar

from gateway import models
from gateway.errors import ProviderError
from gateway.loaders import SkuKey
from gateway.providers.base import Capability
from schema.node import Info

K = TypeVar("K", contravariant=True)
V = TypeVar("V", covariant=True)
T = TypeVar("T")


class Loads(Protocol[K, V]):
    """What these helpers need of a DataLoader."""

    def load(self, key: K) -> Awaitable[V]: ...


def providers_with(info: Info, capability: Capability) -> list[str]:
    """The enabled providers that declare `capability`, in registry order."""
    return [
        slug
        for slug, provider in info.context.providers.items()
        if capability in provider.capabilities
    ]


async def _outcomes(loader: Loads[K, T], keys: Sequence[K]) -> list[T | ProviderError]:
    """Each key's value or ProviderError; anything else unexpected is raised."""
    outcomes = await asyncio.gather(
        *(loader.load(key) for key in keys), return_exceptions=True
    )
    result: list[T | ProviderError] = []
    for outcome in outcomes:
        if isinstance(outcome, BaseException) and not isinstance(
            outcome, ProviderError
        ):
            raise outcome
        result.append(outcome)
    return result


def _fail(info: Info | None, errors: Sequence[ProviderError]) -> NoReturn:
    """Raise the first error (it nulls the field); the others become partial
    errors at the same path, so every provider that failed is named."""
    if info is not None:
        path = tuple(info.path.as_list())
        info.context.partial_errors.extend((path, error) for error in errors[1:])
    raise errors[0]


async def load_each(info: Info, loader: Loads[K, T], keys: Sequence[K]) -> list[T]:
    """The value of each key that loaded; failed keys become partial errors.

    When every key failed the field fails: the first ProviderError is raised
    and the others are partial errors at the same path.
    """
    outcomes = await _outcomes(loader, keys)
    found: list[T] = []
    errors: list[ProviderError] = []
    for outcome in outcomes:
        if isinstance(outcome, ProviderError):
            errors.append(outcome)
        else:
            found.append(outcome)
    if errors and not found:
        _fail(info, errors)
    path = tuple(info.path.as_list())
    info.context.partial_errors.extend((path, error) for error in errors)
    return found


async def first_found(
    loader: Loads[K, T | None], keys: Sequence[K], info: Info | None = None
) -> T | None:
    """The first key's value that is not None, in key order.

    A provider that failed is only an error when no other one has the value:
    then the first ProviderError is raised (with `info`, the others are
    partial errors at the field's path); with no error it is None.
    """
    outcomes = await _outcomes(loader, keys)
    for outcome in outcomes:
        if outcome is not None and not isinstance(outcome, ProviderError):
            return outcome
    errors = [outcome for outcome in outcomes if isinstance(outcome, ProviderError)]
    if errors:
        _fail(info, errors)
    return None


async def inventory_everywhere(
    info: Info, sku: str | None
) -> list[models.InventoryLevel]:
    """Levels of `sku` at every provider that keeps stock, one load per provider."""
    if not sku:
        return []
    keys = [SkuKey(slug, sku) for slug in providers_with(info, Capability.INVENTORY)]
    found: list[list[models.InventoryLevel]] = await load_each(
        info, info.context.loaders.inventory_by_sku, keys
    )
    return [level for levels in found for level in levels]
