"""Per-provider facts the contract suite needs: how to read one object, what to fault.

A case says, for one provider, which read is its primary "get by id" (orders
for order providers, purchase orders for Flexport v3), where its ids come from,
which upstream path that read hits, how to create something, and which object
cannot make which transition.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from gateway.models import (
    AddressInput,
    OrderCreate,
    OrderKind,
    OrderLineCreate,
    OrderStatus,
    PurchaseOrderCreate,
    PurchaseOrderLineCreate,
    PurchaseOrderStatus,
)
from gateway.providers.base import (
    OrderFilter,
    Page,
    PageRequest,
    ProviderBase,
    PurchaseOrderFilter,
)

Get = Callable[[ProviderBase, Sequence[str]], Awaitable[Mapping[str, Any]]]
List = Callable[[ProviderBase, PageRequest], Awaitable[Page[Any]]]
Act = Callable[[ProviderBase], Awaitable[Any]]


@dataclass(frozen=True)
class ContractCase:
    """How the shared contract behaviours apply to one provider."""

    slug: str
    get: Get
    list: List
    create: Act
    illegal_transition: Act
    cancel: Callable[[ProviderBase, str], Awaitable[Any]]
    """Cancel by id: the contract's single-object write."""
    get_path: str
    """An fnmatch glob of the upstream path `get` hits (for fault rules)."""
    missing_id: str
    """A well-formed id the provider does not have."""
    min_total: int
    """At least this many objects exist in the sandbox's seed."""
    list_page_size: int = 100


def recipient() -> AddressInput:
    return AddressInput(
        name="Grace Hopper",
        line1="1 Navy Way",
        city="Arlington",
        region="VA",
        postal_code="22202",
        country="US",
        phone="+1 703 555 0100",
        email="grace@example.com",
    )


def order_input(kind: OrderKind, external_id: str) -> OrderCreate:
    return OrderCreate(
        kind=kind,
        external_id=external_id,
        recipient=recipient(),
        lines=(OrderLineCreate(sku="SKU-10001", quantity=2, unit_of_measure="EACH"),),
    )


async def get_orders(p: ProviderBase, ids: Sequence[str]) -> Mapping[str, Any]:
    return await p.get_orders(ids)


async def list_orders(p: ProviderBase, page: PageRequest) -> Page[Any]:
    return await p.list_orders(OrderFilter(), page)


async def cancel_order(p: ProviderBase, id: str) -> Any:
    return await p.cancel_order(id)


async def cancel_purchase_order(p: ProviderBase, id: str) -> Any:
    return await p.cancel_purchase_order(id)


def cancel_first(status: OrderStatus) -> Act:
    """Cancel the first listed order in `status` (which forbids cancelling)."""

    async def act(p: ProviderBase) -> Any:
        page = await p.list_orders(OrderFilter(statuses=(status,)), PageRequest(3))
        return await p.cancel_order(page.items[0].id)

    return act


def create_order(kind: OrderKind) -> Act:
    async def act(p: ProviderBase) -> Any:
        return await p.create_order(
            order_input(kind, "CONTRACT-1"), idempotency_key="contract-1"
        )

    return act


async def get_purchase_orders(p: ProviderBase, ids: Sequence[str]) -> Mapping[str, Any]:
    return await p.get_purchase_orders(ids)


async def list_purchase_orders(p: ProviderBase, page: PageRequest) -> Page[Any]:
    return await p.list_purchase_orders(PurchaseOrderFilter(), page)


async def create_purchase_order(p: ProviderBase) -> Any:
    return await p.create_purchase_order(
        PurchaseOrderCreate(
            number="PO-CONTRACT-1",
            supplier_ref=SUPPLIER_REF,
            buyer_ref=BUYER_REF,
            incoterm="FOB",
            transportation_mode="ocean",
            lines=(
                PurchaseOrderLineCreate(
                    item_key="1",
                    sku="SKU-10001",
                    product_name="Contract item",
                    quantity=10,
                    unit_cost=Decimal("2.50"),
                    currency_code="USD",
                ),
            ),
        ),
        idempotency_key="contract-1",
    )


async def cancel_closed_purchase_order(p: ProviderBase) -> Any:
    page = await p.list_purchase_orders(
        PurchaseOrderFilter(statuses=(PurchaseOrderStatus.CLOSED,)), PageRequest(3)
    )
    return await p.cancel_purchase_order(page.items[0].id)


async def cancel_shipped_request(p: ProviderBase) -> Any:
    page = await p.list_orders(
        OrderFilter(statuses=(OrderStatus.SHIPPED,)), PageRequest(3)
    )
    return await p.cancel_order(page.items[0].id)


async def create_flxpoint_shipment(p: ProviderBase) -> Any:
    from gateway.models import ShipmentCreate

    page = await p.list_orders(
        OrderFilter(statuses=(OrderStatus.ACCEPTED,)), PageRequest(3)
    )
    order = page.items[0]
    return await p.create_shipment(
        ShipmentCreate(
            order_id=order.id, tracking_number="1ZCONTRACT0001", carrier="UPS"
        ),
        idempotency_key="contract-1",
    )


# From the Flexport v3 sandbox's company network (docs/sandbox.md).
SUPPLIER_REF = "hanoi-knitworks-vn"
BUYER_REF = "northwind-us"

CASES: dict[str, ContractCase] = {
    "flexe": ContractCase(
        slug="flexe",
        get=get_orders,
        list=list_orders,
        create=create_order(OrderKind.DTC),
        illegal_transition=cancel_first(OrderStatus.SHIPPED),
        cancel=cancel_order,
        get_path="/v2/orders",
        missing_id="00000000-0000-4000-8000-000000000000",
        min_total=500,
        list_page_size=500,
    ),
    "flexport_logistics": ContractCase(
        slug="flexport_logistics",
        get=get_orders,
        list=list_orders,
        create=create_order(OrderKind.B2B),
        illegal_transition=cancel_first(OrderStatus.SHIPPED),
        cancel=cancel_order,
        get_path="/logistics/api/2024-04/*",
        missing_id="B2B-99999999",
        min_total=300,
    ),
    "flexport_v3": ContractCase(
        slug="flexport_v3",
        get=get_purchase_orders,
        list=list_purchase_orders,
        create=create_purchase_order,
        illegal_transition=cancel_closed_purchase_order,
        cancel=cancel_purchase_order,
        get_path="/purchase_orders/*",
        missing_id="999999",
        # 60 seeded, of which the cancelled ones are archived and not listed.
        min_total=50,
    ),
    "flxpoint": ContractCase(
        slug="flxpoint",
        get=get_orders,
        list=list_orders,
        create=create_flxpoint_shipment,
        illegal_transition=cancel_shipped_request,
        cancel=cancel_order,
        get_path="/fulfillment-requests/*",
        missing_id="999999",
        min_total=200,
    ),
}
