"""Which provider reads each field of the graph forces, for the upstream estimate.

The facts about what a read costs live with each adapter (`ProviderBase.fan_out`);
this table only says which read a field's resolver makes, so the estimate never
looks at a provider's name.
"""

from __future__ import annotations

from dataclasses import dataclass

from gateway.providers.capabilities import Capability
from gateway.providers.fanout import Read


@dataclass(frozen=True)
class FieldReads:
    """The reads one field makes per parent object."""

    reads: frozenset[Read] = frozenset()
    owner: frozenset[Read] = frozenset()
    """Reads of the line's order: made once per order when the line was reached
    from its order (the order is loaded already), else once per line."""
    everywhere: Capability | None = None
    """The reads (and the objects below) are at every provider with this
    capability, not only the parent's."""


def _f(
    *reads: Read, owner: tuple[Read, ...] = (), everywhere: Capability | None = None
) -> FieldReads:
    return FieldReads(frozenset(reads), frozenset(owner), everywhere)


FIELDS: dict[tuple[str, str], FieldReads] = {
    # Order.status refines some statuses from the lines (`status_needs_lines`).
    ("Order", "status"): _f(Read.LINES),
    ("Order", "lines"): _f(Read.LINES),
    ("Order", "shipments"): _f(Read.SHIPMENTS),
    ("Order", "allocationErrors"): _f(Read.ALLOCATION_ERRORS),
    ("Order", "attachments"): _f(Read.ATTACHMENTS),
    ("OrderLine", "inventory"): _f(Read.INVENTORY),
    ("OrderLine", "status"): _f(owner=(Read.ORDERS,)),
    ("OrderLine", "order"): _f(owner=(Read.ORDERS,)),
    ("OrderLine", "shipments"): _f(owner=(Read.ORDERS, Read.SHIPMENTS)),
    ("Shipment", "order"): _f(Read.ORDERS),
    ("Shipment", "attachments"): _f(Read.ATTACHMENTS),
    ("PurchaseOrder", "lines"): _f(Read.PURCHASE_ORDER_LINES),
    ("PurchaseOrder", "attachments"): _f(Read.ATTACHMENTS),
    ("PurchaseOrder", "inboundShipments"): _f(
        Read.INBOUND_SHIPMENTS, everywhere=Capability.INBOUND_SHIPMENTS
    ),
    ("PurchaseOrderLine", "inventory"): _f(
        Read.INVENTORY, everywhere=Capability.INVENTORY
    ),
    ("InboundShipment", "purchaseOrder"): _f(
        Read.PURCHASE_ORDERS, everywhere=Capability.PURCHASE_ORDERS
    ),
    ("InboundShipmentLine", "inventory"): _f(
        Read.INVENTORY, everywhere=Capability.INVENTORY
    ),
}
"""Fields not named here read nothing beyond their parent object."""

OBJECT_READS = (
    Read.ORDERS,
    Read.LINES,
    Read.SHIPMENTS_BY_ID,
    Read.PURCHASE_ORDERS,
    Read.INBOUND_SHIPMENTS,
)
"""What `node`/`nodes` may read per id: the dearest of these counts."""


@dataclass(frozen=True)
class RootReads:
    """How a root field finds its objects."""

    kind: str
    """"list" (a page per provider), "ids" (one read per id) or "skus"."""
    capability: Capability | None = None
    """Providers asked: those with this capability (None: every one)."""
    reads: tuple[Read, ...] = ()
    count_argument: str | None = None
    """The list argument whose length is the number of ids; else one id."""
    providers_argument: str | None = None
    """A `[Provider!]` argument narrowing the providers."""


ROOTS: dict[str, RootReads] = {
    "orders": RootReads("list", Capability.LIST_ORDERS),
    "shipments": RootReads("list", Capability.LIST_SHIPMENTS),
    "purchaseOrders": RootReads("list", Capability.PURCHASE_ORDERS),
    "order": RootReads("ids", Capability.LIST_ORDERS, (Read.ORDERS,)),
    "orderByExternalId": RootReads(
        "ids", Capability.LIST_ORDERS, (Read.ORDERS,), providers_argument="provider"
    ),
    "shipment": RootReads("ids", Capability.SHIPMENTS, (Read.SHIPMENTS_BY_ID,)),
    "purchaseOrder": RootReads(
        "ids", Capability.PURCHASE_ORDERS, (Read.PURCHASE_ORDERS,)
    ),
    # First found: every provider holding purchase orders may be asked.
    "purchaseOrderByNumber": RootReads(
        "ids", Capability.PURCHASE_ORDERS, (Read.PURCHASE_ORDERS,)
    ),
    "node": RootReads("ids", None, OBJECT_READS),
    "nodes": RootReads("ids", None, OBJECT_READS, count_argument="ids"),
    "inventory": RootReads(
        "skus",
        Capability.INVENTORY,
        (Read.INVENTORY,),
        count_argument="skus",
        providers_argument="providers",
    ),
}
"""Root query fields that reach providers; list fields read `filter.providers`."""
