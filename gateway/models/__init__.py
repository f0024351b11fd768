"""Domain models: the unified shape every provider's data is mapped into."""

from gateway.models.attachments import Attachment
from gateway.models.common import Address, Company, Domain, Money, Value, Weight
from gateway.models.inputs import (
    OrderCreate,
    OrderLineCreate,
    PurchaseOrderCreate,
    PurchaseOrderLineCreate,
    ShipmentCreate,
)
from gateway.models.inventory import InventoryLevel
from gateway.models.orders import (
    AllocationError,
    Order,
    OrderKind,
    OrderLine,
    OrderStatus,
    line_status,
    refine_status,
)
from gateway.models.purchase_orders import (
    InboundShipment,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseOrderStatus,
)
from gateway.models.shipments import Shipment, ShipmentItem, ShipmentStatus

__all__ = [
    "Address",
    "AllocationError",
    "Attachment",
    "Company",
    "Domain",
    "InboundShipment",
    "InventoryLevel",
    "Money",
    "Order",
    "OrderCreate",
    "OrderKind",
    "OrderLine",
    "OrderLineCreate",
    "OrderStatus",
    "PurchaseOrder",
    "PurchaseOrderCreate",
    "PurchaseOrderLine",
    "PurchaseOrderLineCreate",
    "PurchaseOrderStatus",
    "Shipment",
    "ShipmentCreate",
    "ShipmentItem",
    "ShipmentStatus",
    "Value",
    "Weight",
    "line_status",
    "refine_status",
]
