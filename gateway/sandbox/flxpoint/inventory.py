"""X10-X11: read and update inventory variants (the only `page`/`pageSize` list)."""

from __future__ import annotations

from datetime import datetime

from aiohttp import web

from ..clock import iso
from .inventory_bodies import parse_variant_updates
from .model import Variant
from .params import PAGE_PARAMS, VARIANT_PAGE, Params, after
from .serialize import variant_json
from .state import FlxpointState, current
from .validate import read_json

routes = web.RouteTableDef()

INCLUDE_FLAGS = (
    "includeParent",
    "includeImages",
    "includeOptions",
    "includeAttributes",
    "includeCategories",
    "includeCustomFields",
    "includeCustomAggregates",
    "includeLinkedProductVariants",
)
_LIST_PARAMS = (
    *PAGE_PARAMS,
    "sourceId",
    "updatedAfter",
    "skus",
    "upcs",
    "ids",
    *INCLUDE_FLAGS,
)


@routes.get("/inventory/variants")
async def list_variants(request: web.Request) -> web.Response:
    """X10: by id ascending. Only one identifier filter applies: `ids`, else
    `skus`, else `upcs`; each takes at most `pageSize` values."""
    st = current(request)
    q = Params(request.query, _LIST_PARAMS)
    page = q.page(VARIANT_PAGE)
    source_id = q.integer("sourceId")
    updated_after = q.instant("updatedAfter")
    ids = q.int_list("ids", page.size)
    skus = q.text_list("skus", page.size)
    upcs = q.text_list("upcs", page.size)
    include = [flag for flag in INCLUDE_FLAGS if q.boolean(flag)]

    def keep(variant: Variant) -> bool:
        if ids is not None:
            matched = variant.id in ids
        elif skus is not None:
            matched = variant.sku in skus
        else:
            matched = upcs is None or variant.upc in upcs
        return (
            matched
            and (source_id is None or variant.source_id == source_id)
            and after(variant.updated_at, updated_after)
        )

    if ids is not None:
        pool = [st.variants[i] for i in ids if i in st.variants]
    else:
        pool = list(st.variants.values())
    items = sorted((v for v in pool if keep(v)), key=lambda v: v.id)
    return web.json_response([variant_json(v, include) for v in page.slice(items)])


@routes.put("/inventory/variants")
async def update_variants(request: web.Request) -> web.Response:
    """X11: all-or-nothing; answers the updated variants in request order."""
    st = current(request)
    q = Params(request.query, ("sourceId",))
    updates = parse_variant_updates(st, await read_json(request), q.integer("sourceId"))
    at = st.now()
    for update in updates:
        _apply(st, update.variant, update.changes, at)
    return web.json_response([variant_json(u.variant) for u in updates])


def _apply(
    st: FlxpointState, variant: Variant, changes: dict[str, object], at: datetime
) -> None:
    """Only real changes bump `updatedAt`, so replaying a PUT changes nothing."""
    changed = {k: v for k, v in changes.items() if getattr(variant, k) != v}
    if not changed:
        return
    total_before = variant.total_quantity
    for attribute, value in changed.items():
        setattr(variant, attribute, value)
    variant.updated_at = at
    if variant.total_quantity != total_before:
        variant.total_quantity_last_changed_at = at
    if set(changed) - {"quantity"}:
        variant.content_updated_at = at
    st.emit(
        "inventory_variant.updated",
        {
            "id": variant.id,
            "sku": variant.sku,
            "sourceId": variant.source_id,
            "quantity": variant.quantity,
            "totalQuantity": variant.total_quantity,
            "updatedAt": iso(at),
        },
        at,
    )
