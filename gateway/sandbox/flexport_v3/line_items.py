"""V4-V5: purchase order line items, across POs or for one (`f.purchase_order.id`)."""

from __future__ import annotations

from aiohttp import web

from .envelope import respond
from .model import LineItem
from .pagination import page_request, paginated
from .params import SORTED_PAGE_PARAMS, Params
from .serialize import line_json
from .state import FlexportV3State, current

routes = web.RouteTableDef()

LINE_SORTS = ("cargo_ready_date", "created_at")
_LIST_PARAMS = (
    *SORTED_PAGE_PARAMS,
    "f.purchase_order.id",
    "f.line_item_number",
    "f.item_key",
)


def cargo_ready(st: FlexportV3State, line: LineItem) -> str:
    """The line's own date, else its PO's; none at all sorts as the earliest."""
    po = st.pos[line.po_id]
    return line.spec.cargo_ready_date or po.spec.cargo_ready_date or ""


def line_order(
    st: FlexportV3State, lines: list[LineItem], sort: str | None, descending: bool
) -> list[LineItem]:
    """By `sort`, ties broken by id in the same direction."""
    if sort == "cargo_ready_date":
        return sorted(
            lines, key=lambda line: (cargo_ready(st, line), line.id), reverse=descending
        )
    return sorted(
        lines, key=lambda line: (line.created_at, line.id), reverse=descending
    )


@routes.get("/purchase_order_line_items")
async def list_line_items(request: web.Request) -> web.Response:
    """V4, newest first (`created_at` desc) unless told otherwise."""
    q = Params(request.query, _LIST_PARAMS)
    pr = page_request(q, LINE_SORTS, "created_at", "desc")
    po_id = q.integer("f.purchase_order.id")
    number = q.integer("f.line_item_number")
    item_key = q.text("f.item_key")
    st = current(request)

    def keep(line: LineItem) -> bool:
        return (
            (po_id is None or line.po_id == po_id)
            and (number is None or line.line_item_number == number)
            and (item_key is None or line.spec.item_key == item_key)
        )

    items = line_order(
        st, [line for line in st.lines.values() if keep(line)], pr.sort, pr.descending
    )
    return respond(
        request,
        paginated(
            request,
            items,
            lambda line: line_json(request, line, st.pos[line.po_id]),
            pr,
        ),
    )


@routes.get("/purchase_order_line_items/{id}")
async def get_line_item(request: web.Request) -> web.Response:
    """V5."""
    Params(request.query, ())
    st = current(request)
    line = st.line_or_404(request.match_info["id"])
    return respond(request, line_json(request, line, st.pos[line.po_id]))
