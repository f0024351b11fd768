"""L9-L13: products, network inventory (all or by SKU) and per-warehouse stock."""

from __future__ import annotations

from aiohttp import web

from .errors import LapiError, bad_request
from .params import Params
from .serialize import inventory_json, product_json, warehouses_json
from .state import LapiState, current
from .validate import read_object
from .vocabulary import BASE

routes = web.RouteTableDef()

DEFAULT_LIMIT = 100
MAX_LIMIT = 500
MAX_SKUS = 100


@routes.get(BASE + "/products")
async def list_products(request: web.Request) -> web.Response:
    """L9: by logisticsSku; `merchantSku` (list, up to 100) narrows it (S2 lookup)."""
    q = Params(request.query, ("limit", "offset", "merchantSku"))
    limit, offset = q.limit(DEFAULT_LIMIT, MAX_LIMIT), q.offset()
    merchant_skus = q.id_list("merchantSku", MAX_SKUS)
    items = [
        p
        for p in current(request).products_in_order()
        if merchant_skus is None or p.merchant_sku in merchant_skus
    ]
    return web.json_response([product_json(p) for p in items[offset : offset + limit]])


@routes.get(BASE + "/products/inventory/all")
async def all_inventory(request: web.Request) -> web.Response:
    """L11: network totals for every product, in L9's order."""
    q = Params(request.query, ("limit", "offset"))
    limit, offset = q.limit(DEFAULT_LIMIT, MAX_LIMIT), q.offset()
    st = current(request)
    page = st.products_in_order()[offset : offset + limit]
    return web.json_response(
        [inventory_json(p, st.network_stock(p.logistics_sku)) for p in page]
    )


def _known(st: LapiState, skus: list[str]) -> list[str]:
    """Requested SKUs in request order; unknown ones are simply absent."""
    return [sku for sku in skus if sku in st.products]


@routes.get(BASE + "/products/inventory")
async def inventory_for_skus(request: web.Request) -> web.Response:
    """L12: `logisticsSkus` (comma list or repeated, 1-100) is required."""
    q = Params(request.query, ("logisticsSkus",))
    skus = q.id_list("logisticsSkus", MAX_SKUS)
    if skus is None:
        raise bad_request("logisticsSkus is required")
    st = current(request)
    return web.json_response(
        [
            inventory_json(st.products[sku], st.network_stock(sku))
            for sku in _known(st, skus)
        ]
    )


@routes.get(BASE + "/products/{logisticsSku}")
async def get_product(request: web.Request) -> web.Response:
    """L10."""
    Params(request.query, ())
    st = current(request)
    return web.json_response(
        product_json(st.product_or_404(request.match_info["logisticsSku"]))
    )


@routes.post(BASE + "/products/warehouses")
async def warehouses(request: web.Request) -> web.Response:
    """L13: body `{"logisticsSKUs": [...]}` (1-100, S2 spelling)."""
    Params(request.query, ())
    body = await read_object(request)
    unknown = sorted(set(body) - {"logisticsSKUs"})
    if unknown:
        raise LapiError(422, f"{unknown[0]} is not a known field")
    skus = body.get("logisticsSKUs")
    if (
        not isinstance(skus, list)
        or not skus
        or not all(isinstance(s, str) and s for s in skus)
    ):
        raise LapiError(422, "logisticsSKUs must be a non-empty array of strings")
    wanted = list(dict.fromkeys(skus))
    if len(wanted) > MAX_SKUS:
        raise LapiError(422, f"logisticsSKUs accepts at most {MAX_SKUS} values")
    st = current(request)
    return web.json_response(
        [warehouses_json(sku, st.stock.get(sku, {})) for sku in _known(st, wanted)]
    )
