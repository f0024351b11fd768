"""F15: inventory counts by SKU, the one snake_case Flexe call (`skus[]` style)."""

from __future__ import annotations

from itertools import groupby

from aiohttp import web

from .errors import invalid_parameter
from .model import InventoryRecord
from .pagination import paginate
from .params import Params
from .serialize import inventory_json
from .state import HOLDER_KEY

routes = web.RouteTableDef()

_PARAMS = (
    "reservation_id",
    "client_request_id",
    "continuation_token",
    "ever_in_use",
    "in_use_since",
    "item_ids[]",
    "skus[]",
)


@routes.get("/v2/inventory")
async def inventory(request: web.Request) -> web.Response:
    """Pages hold up to 3000 SKUs (every reservation's row for a SKU stays on one page).

    `item_ids[]` overrides `skus[]` and `ever_in_use`; `skus[]` overrides
    `ever_in_use`; `in_use_since` needs `ever_in_use` and applies with it.
    """
    holder = request.app[HOLDER_KEY]
    q = Params(request.query, _PARAMS)
    reservation = q.text("reservation_id")
    client_request_id = q.text("client_request_id")
    ever_in_use_given = q.text("ever_in_use") is not None
    ever_in_use = q.boolean("ever_in_use")
    since = q.instant("in_use_since")
    if since is not None and not ever_in_use_given:
        raise invalid_parameter("in_use_since", "in_use_since requires ever_in_use")
    item_ids = q.rails_list("item_ids[]")
    skus = q.rails_list("skus[]")

    def keep(record: InventoryRecord) -> bool:
        if reservation is not None and record.reservation_id != reservation:
            return False
        if item_ids is not None:
            return record.item_id in item_ids
        if skus is not None:
            return record.sku in skus
        if ever_in_use is False and record.on_hand <= 0:
            return False
        return since is None or record.last_updated_at >= since

    records = [r for r in holder.state.inventory if keep(r)]
    groups = [list(rows) for _, rows in groupby(records, key=lambda r: r.sku)]
    filters = {
        "reservation_id": reservation,
        "ever_in_use": ever_in_use,
        "in_use_since": since,
        "item_ids": sorted(item_ids or []),
        "skus": sorted(skus or []),
    }
    page, following = paginate(
        groups,
        size=holder.inventory_page_size,
        token=q.text("continuation_token"),
        path=request.path,
        filters=filters,
        token_param="continuation_token",
    )
    return web.json_response(
        {
            "client_request_id": client_request_id,
            "continuation_token": following,
            "inventory": [inventory_json(r) for group in page for r in group],
        }
    )
