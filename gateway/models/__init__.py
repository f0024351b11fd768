"""Domain models: the unified shape every provider's data is mapped into."""

from gateway.models.attachments import Attachment
from gateway.models.common import Address, Company, Domain, Money, Value, Weight
from gateway.models.inputs import (
    AddressInput,
    FlexeOrderOptions,
    FlexeRetailOptions,
    FlexportLogisticsOrderOptions,
    Input,
    Label,
    LineAcknowledgement,
    OrderCreate,
    OrderLineCreate,
    OrderUpdate,
    ShipmentCreate,
    Shipping,
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
from gateway.models.purchase_inputs import (
    AttachmentCreate,
    InboundItem,
    InboundShipmentCreate,
    PurchaseOrderCreate,
    PurchaseOrderLineCreate,
    PurchaseOrderUpdate,
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
    "AddressInput",
    "AllocationError",
    "Attachment",
    "AttachmentCreate",
    "Company",
    "Domain",
    "FlexeOrderOptions",
    "FlexeRetailOptions",
    "FlexportLogisticsOrderOptions",
    "InboundItem",
    "InboundShipment",
    "InboundShipmentCreate",
    "Input",
    "InventoryLevel",
    "Label",
    "LineAcknowledgement",
    "Money",
    "Order",
    "OrderCreate",
    "OrderKind",
    "OrderLine",
    "OrderLineCreate",
    "OrderStatus",
    "OrderUpdate",
    "PurchaseOrder",
    "PurchaseOrderCreate",
    "PurchaseOrderLine",
    "PurchaseOrderLineCreate",
    "PurchaseOrderStatus",
    "PurchaseOrderUpdate",
    "Shipment",
    "ShipmentCreate",
    "ShipmentItem",
    "ShipmentStatus",
    "Shipping",
    "Value",
    "Weight",
    "line_status",
    "refine_status",
]
