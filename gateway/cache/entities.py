"""The names entities are cached under, one per loader or list, and their TTL types.

A name is `<type>` or `<type>:<variant>`. The type picks the TTL
(`GATEWAY_CACHE__TTL_S__<TYPE>`); the variant keeps apart values of one type
that differ in shape or key kind (shipments by id and the list of an order's
shipments), since one CacheKey under two names is two values.
"""

from __future__ import annotations

ORDERS = "orders"
"""Order by id."""
ORDER_LINES = "lines"
"""The lines of an order, by order id."""
ALLOCATION_ERRORS = "orders:allocation_errors"
"""The allocation errors of an order, by order id."""
ORDER_SHIPMENTS = "shipments:by_order"
"""The shipments of an order, by order id."""
SHIPMENTS = "shipments"
"""Shipment by id."""
INVENTORY = "inventory"
"""The inventory levels of a SKU, by SKU."""
PURCHASE_ORDERS = "purchase_orders"
"""Purchase order by id."""
PURCHASE_ORDERS_BY_NUMBER = "purchase_orders:by_number"
"""Purchase order by PO number."""
PURCHASE_ORDER_LINES = "lines:purchase_order"
"""The lines of a purchase order, by purchase-order id."""
INBOUND_SHIPMENTS = "shipments:inbound"
"""Inbound shipment by id."""
INBOUND_SHIPMENTS_BY_PO_NUMBER = "shipments:inbound_by_po_number"
"""The inbound shipments of a PO number, by PO number."""
ATTACHMENTS = "attachments"
"""The attachments of an owner, by `<owner kind>:<owner id>`."""

ENTITIES: tuple[str, ...] = (
    ORDERS,
    ORDER_LINES,
    ALLOCATION_ERRORS,
    ORDER_SHIPMENTS,
    SHIPMENTS,
    INVENTORY,
    PURCHASE_ORDERS,
    PURCHASE_ORDERS_BY_NUMBER,
    PURCHASE_ORDER_LINES,
    INBOUND_SHIPMENTS,
    INBOUND_SHIPMENTS_BY_PO_NUMBER,
    ATTACHMENTS,
)
"""Every name above; each has a TTL type with a default TTL (tests check it)."""

ORDER_LIST = "orders:list"
"""A page of an order list: ids, next cursor and total (`gateway.cache.pages`)."""
SHIPMENT_LIST = "shipments:list"
"""A page of a shipment list."""
PURCHASE_ORDER_LIST = "purchase_orders:list"
"""A page of a purchase-order list."""

LIST_ENTITIES: tuple[str, ...] = (ORDER_LIST, SHIPMENT_LIST, PURCHASE_ORDER_LIST)
"""Every list-page name; a page's items are cached under their own entity."""

ORDER_ENTITIES: tuple[str, ...] = (
    ORDERS,
    ORDER_LINES,
    ALLOCATION_ERRORS,
    ORDER_SHIPMENTS,
)
"""What to invalidate, keyed by order id, when an order changes."""


def owner_key(kind: str, owner_id: str) -> str:
    """The key of an owner's attachments: `Order:<id>`, `PurchaseOrder:<id>`."""
    return f"{kind}:{owner_id}"


def ttl_type(entity: str) -> str:
    """The TTL type of an entity name: the part before its first `:`."""
    return entity.partition(":")[0]
