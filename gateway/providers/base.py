"""The provider interface every adapter implements, and the paging types it uses.

Adapters subclass `ProviderBase` and override what their API offers, declaring
it in `capabilities` (`capabilities.py`) and what each read costs upstream
in `fan_out` (`fanout.py`). Reads an API does not have answer "none here" (an empty
mapping or page), because a graph-wide read simply has nothing from that
provider; writes it does not have raise NotSupported without an upstream call.

Batch methods take many ids and return a mapping; ids the provider does not
know are simply absent. Adapters chunk to their provider's batch limit, fan out
under a bound where the API has no batch endpoint, and raise only
`gateway.errors.ProviderError` subclasses.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar, Generic, TypeVar

from gateway.errors import NotSupported
from gateway.models import (
    AllocationError,
    Attachment,
    AttachmentCreate,
    EventBase,
    InboundShipment,
    InboundShipmentCreate,
    InventoryLevel,
    LineAcknowledgement,
    Order,
    OrderCreate,
    OrderKind,
    OrderLine,
    OrderLineCreate,
    OrderStatus,
    OrderUpdate,
    PurchaseOrder,
    PurchaseOrderCreate,
    PurchaseOrderLine,
    PurchaseOrderStatus,
    PurchaseOrderUpdate,
    Shipment,
    ShipmentCreate,
)
from gateway.providers.capabilities import Capability as Capability
from gateway.providers.fanout import FanOut

if TYPE_CHECKING:
    import aiohttp

    from gateway.ids import Ref
    from gateway.settings import ProviderSettings, RetrySettings

T = TypeVar("T")


@dataclass(frozen=True)
class OrderFilter:
    """Which orders to list; empty tuples and None mean "any"."""

    statuses: tuple[OrderStatus, ...] = ()
    external_ids: tuple[str, ...] = ()
    kinds: tuple[OrderKind, ...] = ()
    skus: tuple[str, ...] = ()
    has_errors: bool | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None


@dataclass(frozen=True)
class ShipmentFilter:
    """Which shipments to list."""

    order_ids: tuple[str, ...] = ()
    created_after: datetime | None = None
    updated_after: datetime | None = None


@dataclass(frozen=True)
class PurchaseOrderFilter:
    """Which purchase orders to list."""

    statuses: tuple[PurchaseOrderStatus, ...] = ()
    numbers: tuple[str, ...] = ()
    updated_after: datetime | None = None


@dataclass(frozen=True)
class PageRequest:
    """A page of at most `size` items after the provider's own `cursor`."""

    size: int
    cursor: str | None = None


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of results and the provider cursor for the next, if any."""

    items: list[T]
    next_cursor: str | None = None
    total: int | None = None
    extra: dict[str, str] = field(default_factory=dict)


EMPTY_PAGE: Page[object] = Page(items=[], next_cursor=None, total=0)


class ProviderBase:
    """One logistics provider's REST API, expressed in domain models."""

    slug: ClassVar[str]
    capabilities: ClassVar[frozenset[Capability]] = frozenset()
    fan_out: ClassVar[FanOut] = FanOut()
    """Upstream calls per read and list page; the default assumes no batch
    endpoint anywhere, so an adapter that declares nothing is overestimated."""

    async def start(self) -> None:
        """Called once when the app starts (background sync, warm-up). No upstream
        failure may escape: log it and retry later."""

    async def close(self) -> None:
        """Called once when the app stops: end background tasks."""

    def unsupported(self, what: str) -> NotSupported:
        """The error for a write this provider's API cannot perform."""
        return NotSupported(self.slug, f"{self.slug.upper()} cannot {what}")

    # Orders -------------------------------------------------------------------

    async def get_orders(self, ids: Sequence[str]) -> Mapping[str, Order]:
        """Orders by provider id."""
        return {}

    async def get_orders_by_external_id(
        self, external_ids: Sequence[str]
    ) -> Mapping[str, Order]:
        """Orders by the merchant's external id."""
        return {}

    async def list_orders(self, filter: OrderFilter, page: PageRequest) -> Page[Order]:
        """One page of orders, newest first."""
        return Page(items=[])

    async def get_lines(
        self, order_ids: Sequence[str]
    ) -> Mapping[str, list[OrderLine]]:
        """Every line of each order, by order id (an order with no lines maps to [])."""
        return {}

    async def get_allocation_errors(
        self, order_ids: Sequence[str]
    ) -> Mapping[str, list[AllocationError]]:
        """Allocation errors of each order, by order id."""
        return {}

    async def create_order(self, data: OrderCreate, *, idempotency_key: str) -> Order:
        """Create an order; a repeat with the same key must not create a second.

        Every write raises Rejected with `input_paths` set (see
        `gateway.providers.fieldmap`) when the provider refuses the input.
        """
        raise self.unsupported("create orders")

    async def update_order(self, id: str, data: OrderUpdate) -> Order:
        """Change the fields `data` sets; Conflict when the order's state forbids it."""
        raise self.unsupported("update orders")

    async def cancel_order(self, id: str, *, reason: str | None = None) -> Order:
        """Cancel an order; Conflict when its state forbids it."""
        raise self.unsupported("cancel orders")

    async def create_order_line(
        self, order_id: str, data: OrderLineCreate, *, idempotency_key: str
    ) -> OrderLine:
        """Add a line to an open order; a repeat with the same key adds none."""
        raise self.unsupported("add lines to orders")

    async def cancel_order_line(self, order_id: str, line_id: str) -> OrderLine:
        """Cancel one line; a repeat is harmless, a shipped line a Conflict."""
        raise self.unsupported("cancel single order lines")

    async def acknowledge_order(
        self, id: str, lines: Sequence[LineAcknowledgement] = ()
    ) -> Order:
        """Accept an order as its fulfiller: all of it, or the quantities given
        per line (the rest of those lines cancelled)."""
        raise self.unsupported("acknowledge orders")

    # Shipments ----------------------------------------------------------------

    async def get_shipments(
        self, order_ids: Sequence[str]
    ) -> Mapping[str, list[Shipment]]:
        """Shipments of each order, by order id."""
        return {}

    async def get_shipments_by_id(self, ids: Sequence[str]) -> Mapping[str, Shipment]:
        """Shipments by provider id."""
        return {}

    async def list_shipments(
        self, filter: ShipmentFilter, page: PageRequest
    ) -> Page[Shipment]:
        """One page of shipments."""
        return Page(items=[])

    async def create_shipment(
        self, data: ShipmentCreate, *, idempotency_key: str
    ) -> Shipment:
        """Report a shipment (tracking) for an order."""
        raise self.unsupported("record shipments")

    # Inventory ----------------------------------------------------------------

    async def get_inventory(
        self, skus: Sequence[str]
    ) -> Mapping[str, list[InventoryLevel]]:
        """Inventory levels of each SKU, by SKU (one entry per location)."""
        return {}

    # Purchase orders and inbound shipments ------------------------------------

    async def get_purchase_orders(
        self, ids: Sequence[str]
    ) -> Mapping[str, PurchaseOrder]:
        """Purchase orders by provider id."""
        return {}

    async def get_purchase_orders_by_number(
        self, numbers: Sequence[str]
    ) -> Mapping[str, PurchaseOrder]:
        """Purchase orders by PO number."""
        return {}

    async def list_purchase_orders(
        self, filter: PurchaseOrderFilter, page: PageRequest
    ) -> Page[PurchaseOrder]:
        """One page of purchase orders, newest first."""
        return Page(items=[])

    async def get_purchase_order_lines(
        self, purchase_order_ids: Sequence[str]
    ) -> Mapping[str, list[PurchaseOrderLine]]:
        """Lines of each purchase order, by purchase order id."""
        return {}

    async def create_purchase_order(
        self, data: PurchaseOrderCreate, *, idempotency_key: str
    ) -> PurchaseOrder:
        """Create a purchase order."""
        raise self.unsupported("create purchase orders")

    async def update_purchase_order(
        self, id: str, data: PurchaseOrderUpdate
    ) -> PurchaseOrder:
        """Change the fields `data` sets and keep every other one; Conflict if
        the PO changed meanwhile (or since `data.expected_updated_at`)."""
        raise self.unsupported("update purchase orders")

    async def cancel_purchase_order(self, id: str) -> PurchaseOrder:
        """Cancel a purchase order; Conflict when its state forbids it."""
        raise self.unsupported("cancel purchase orders")

    async def close_purchase_order(self, id: str) -> PurchaseOrder:
        """Close a purchase order; Conflict when its state forbids it."""
        raise self.unsupported("close purchase orders")

    async def get_inbound_shipments(
        self, ids: Sequence[str]
    ) -> Mapping[str, InboundShipment]:
        """Inbound shipments by provider id."""
        return {}

    async def get_inbound_shipments_by_po_number(
        self, numbers: Sequence[str]
    ) -> Mapping[str, list[InboundShipment]]:
        """Inbound shipments delivering against each PO number."""
        return {}

    async def create_inbound_shipment(
        self, data: InboundShipmentCreate, *, idempotency_key: str
    ) -> InboundShipment:
        """Tell the warehouse goods are coming; a repeated key creates none."""
        raise self.unsupported("create inbound shipments")

    # Attachments and health ---------------------------------------------------

    async def create_attachment(
        self, order_id: str, data: AttachmentCreate, *, idempotency_key: str
    ) -> Attachment:
        """Attach a document to an order (or, with `data.shipment_id`, to one of
        its shipments); a repeated key attaches nothing more."""
        raise self.unsupported("attach documents")

    async def get_attachments(
        self, owners: Sequence[Ref]
    ) -> Mapping[Ref, list[Attachment]]:
        """Attachments of each owner (an Order, Shipment or PurchaseOrder ref)."""
        return {}

    # Change feeds: webhooks and polling ---------------------------------------

    def verify_webhook(self, headers: Mapping[str, str], body: bytes) -> None:
        """Raise WebhookRejected unless this delivery is authentic and fresh
        (constant-time comparisons; a timestamp tolerance where the provider
        signs one). Runs before anything else looks at the body."""
        raise self.unsupported("send webhooks")

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> list[EventBase]:
        """The events of a verified delivery, each with a `dedupe_key` from the
        provider's event or delivery id; [] for event types the gateway does
        not follow (logged, and acknowledged). ProviderResponseInvalid for a
        body that is not the provider's envelope."""
        raise self.unsupported("send webhooks")

    async def orders_changed_since(self, updated_after: datetime) -> list[Order]:
        """Every order updated at or after `updated_after`, oldest first: what a
        poller reads where the provider pushes nothing."""
        raise self.unsupported("list what changed")

    async def shipments_changed_since(self, updated_after: datetime) -> list[Shipment]:
        """Every shipment updated at or after `updated_after`, oldest first."""
        raise self.unsupported("list what changed")

    async def purchase_orders_changed_since(
        self, updated_after: datetime
    ) -> list[PurchaseOrder]:
        """Every purchase order updated at or after `updated_after` (cancelled
        ones too), oldest first."""
        raise self.unsupported("list what changed")

    async def ping(self) -> None:
        """One cheap authenticated call; raises ProviderError when unreachable."""
        raise self.unsupported("answer a health check")


Provider = ProviderBase
"""The type resolvers and loaders program against."""


ProviderFactory = Callable[
    ["ProviderSettings", "aiohttp.ClientSession", "RetrySettings"], ProviderBase
]
"""How the registry builds an adapter: its class, called with its settings."""
