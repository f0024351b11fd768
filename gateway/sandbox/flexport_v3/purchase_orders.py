"""V1-V3: list, get and create-or-amend purchase orders."""

from __future__ import annotations

from aiohttp import web

from .concurrency import ARRIVAL_KEY
from .envelope import respond
from .errors import ApiError
from .model import PurchaseOrder
from .network import ENTITIES_BY_REF
from .pagination import page_request, paginated
from .params import SORTED_PAGE_PARAMS, Params, after, before
from .po_body import parse_po
from .reader import read_object
from .serialize import po_json
from .state import HOLDER_KEY, current
from .upsert import upsert
from .vocabulary import PARTY_ROLES, PO_STATUSES

routes = web.RouteTableDef()

_EXPANDABLE = ("line_items",)
_LIST_PARAMS = (
    *SORTED_PAGE_PARAMS,
    "expand",
    "f.status",
    "f.archived_at.exists",
    "f.buyer_ref",
    "f.seller_ref",
    "f.buyer_entity_ref",
    "f.seller_entity_ref",
    "f.roles",
    "f.shipment.id",
    "f.name",
    "f.updated_at.lt",
    "f.updated_at.gt",
    "f.created_at.lt",
    "f.created_at.gt",
)


def _company_ref(po: PurchaseOrder, role: str) -> str | None:
    entity = ENTITIES_BY_REF.get(po.spec.party_ref(role) or "")
    return None if entity is None else entity.company_ref


def _own_roles(po: PurchaseOrder) -> set[str]:
    """The roles the account's own company plays on the PO (`f.roles`)."""
    return {
        p.role
        for p in po.spec.parties
        if (entity := ENTITIES_BY_REF.get(p.entity_ref)) is not None and entity.own
    }


@routes.get("/purchase_orders")
async def list_purchase_orders(request: web.Request) -> web.Response:
    """V1, by id ascending unless told otherwise. Archived POs (every cancelled
    one) are listed only with `f.archived_at.exists=true`, and then only they."""
    q = Params(request.query, _LIST_PARAMS)
    pr = page_request(q, ("id",), "id", "asc")
    expand = q.choice("expand", _EXPANDABLE) is not None
    status = q.choice("f.status", PO_STATUSES)
    archived = bool(q.boolean("f.archived_at.exists"))
    buyer, seller = q.text("f.buyer_ref"), q.text("f.seller_ref")
    buyer_entity = q.text("f.buyer_entity_ref")
    seller_entity = q.text("f.seller_entity_ref")
    roles = q.choice_list("f.roles", PARTY_ROLES)
    shipment = q.integer("f.shipment.id")
    name = q.text("f.name")
    updated = q.instant("f.updated_at.gt"), q.instant("f.updated_at.lt")
    created = q.instant("f.created_at.gt"), q.instant("f.created_at.lt")

    def keep(po: PurchaseOrder) -> bool:
        return (
            (po.archived_at is not None) == archived
            and (status is None or po.status == status)
            and (buyer is None or _company_ref(po, "buyer") == buyer)
            and (seller is None or _company_ref(po, "seller") == seller)
            and (buyer_entity is None or po.spec.party_ref("buyer") == buyer_entity)
            and (seller_entity is None or po.spec.party_ref("seller") == seller_entity)
            and (roles is None or bool(_own_roles(po) & set(roles)))
            and (shipment is None or shipment in po.shipment_ids)
            and (name is None or po.spec.name == name)
            and after(po.updated_at, updated[0], inclusive=False)
            and before(po.updated_at, updated[1], inclusive=False)
            and after(po.created_at, created[0], inclusive=False)
            and before(po.created_at, created[1], inclusive=False)
        )

    items = sorted(
        (po for po in current(request).pos.values() if keep(po)),
        key=lambda po: po.id,
        reverse=pr.descending,
    )
    return respond(
        request,
        paginated(request, items, lambda po: po_json(request, po, expand=expand), pr),
    )


@routes.get("/purchase_orders/{id}")
async def get_purchase_order(request: web.Request) -> web.Response:
    """V2; archived POs are found by id too."""
    q = Params(request.query, ("expand",))
    expand = q.choice("expand", _EXPANDABLE) is not None
    po = current(request).po_or_404(request.match_info["id"])
    return respond(request, po_json(request, po, expand=expand))


@routes.post("/purchase_orders")
async def upsert_purchase_order(request: web.Request) -> web.Response:
    """V3: 201 with a new PO, 200 with the amended one; line_items always expanded."""
    Params(request.query, ())
    st = current(request)
    holder = request.app[HOLDER_KEY]
    spec, lines = parse_po(await read_object(request), st.products)
    key = (spec.name, spec.party_ref("buyer"), spec.party_ref("seller"))
    if holder.arrivals.overtaken(key, request[ARRIVAL_KEY]):
        raise ApiError(
            409,
            "conflict",
            f"Purchase order {spec.name} is being amended by another request",
        )
    po, status = upsert(st, spec, lines, st.now())
    holder.arrivals.commit(key)
    for line in lines:
        # S3: a SKU sent with a name joins the product library.
        st.products.setdefault(line.product["sku"], line.product["name"])
    return respond(request, po_json(request, po, expand=True), status)
