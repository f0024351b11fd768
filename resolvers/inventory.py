"""Inventory queries: stock of SKUs across providers."""

from __future__ import annotations

import asyncio
from typing import Annotated

import strawberry

from gateway.errors import InvalidArgument, ProviderError
from gateway.loaders import SkuKey
from gateway.providers.base import Capability
from schema.enums import Provider, provider_slug
from schema.inventory import SkuInventory
from schema.node import Info

MAX_SKUS = 100


async def get_inventory(
    info: Info,
    skus: Annotated[
        list[str],
        strawberry.argument(description=f"The merchant SKUs, at most {MAX_SKUS}."),
    ],
    providers: Annotated[
        list[Provider] | None,
        strawberry.argument(
            description="Only these providers (default: every one that keeps stock)."
        ),
    ] = None,
) -> list[SkuInventory]:
    if len(skus) > MAX_SKUS:
        raise InvalidArgument(
            f"inventory takes at most {MAX_SKUS} SKUs, got {len(skus)}"
        )
    asked = {provider_slug(p) for p in providers} if providers is not None else None
    slugs = [
        slug
        for slug, provider in info.context.providers.items()
        if Capability.INVENTORY in provider.capabilities
        and (asked is None or slug in asked)
    ]
    loader = info.context.loaders.inventory_by_sku
    unique = list(dict.fromkeys(skus))
    outcomes = await asyncio.gather(
        *(loader.load(SkuKey(slug, sku)) for sku in unique for slug in slugs),
        return_exceptions=True,
    )
    result: list[SkuInventory] = []
    for index, sku in enumerate(unique):
        mine = outcomes[index * len(slugs) : (index + 1) * len(slugs)]
        for outcome in mine:
            if isinstance(outcome, BaseException) and not isinstance(
                outcome, ProviderError
            ):
                raise outcome
        result.append(SkuInventory(sku=sku, outcomes=list(mine)))  # type: ignore[arg-type]
    return result
