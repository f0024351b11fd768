"""InboundShipment and its lines: goods on their way into a warehouse against a PO."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, cast

import strawberry
from strawberry.scalars import JSON

from gateway import ids, models
from gateway.loaders import NumberKey
from gateway.providers.base import Capability
from schema.across import first_found, inventory_everywhere, providers_with
from schema.common import Company
from schema.enums import Provider, PurchaseOrderStatus
from schema.inventory import InventoryLevel
from schema.node import Info, Node

if TYPE_CHECKING:
    from schema.purchase_orders import PurchaseOrder


def inbound_line_ref(model: models.PurchaseOrderLine) -> ids.Ref:
    """The ref of an inbound line: addressed within its inbound shipment."""
    return ids.Ref(
        model.provider, "InboundShipmentLine", f"{model.purchase_order_id}/{model.id}"
    )


@strawberry.type(
    description="An inbound shipment (ASN): goods a supplier sends into a "
    "warehouse against a purchase-order number."
)
class InboundShipment(Node):
    provider: Provider = strawberry.field(
        description="The warehouse provider receiving it."
    )
    provider_id: str = strawberry.field(description="The provider's own id.")
    purchase_order_number: str | None = strawberry.field(
        description="The PO number it delivers against."
    )
    status: PurchaseOrderStatus = strawberry.field(
        description="Unified status: OPEN until received, CLOSED once received."
    )
    raw_status: str = strawberry.field(
        description="The status exactly as the provider reports it."
    )
    supplier: Company | None = strawberry.field(description="Who sends the goods.")
    location_id: str | None = strawberry.field(
        description="The warehouse or reservation receiving it."
    )
    expected_arrival: datetime | None = strawberry.field(
        description="When it is due at the warehouse."
    )
    arrived_at: datetime | None = strawberry.field(
        description="When it arrived or was received."
    )
    created_at: datetime | None = strawberry.field(description="When it was created.")
    updated_at: datetime | None = strawberry.field(description="When it last changed.")
    provider_data: JSON = strawberry.field(
        description="The untouched provider payload, for fields the unified model "
        "does not map."
    )
    model: strawberry.Private[models.InboundShipment]

    @classmethod
    def from_model(cls, model: models.InboundShipment) -> InboundShipment:
        ref = ids.Ref(model.provider, "InboundShipment", model.id)
        return cls(
            id=strawberry.ID(ids.encode(ref)),
            provider=Provider(model.provider),
            provider_id=model.id,
            purchase_order_number=model.purchase_order_number,
            status=PurchaseOrderStatus[model.status.value],
            raw_status=model.raw_status,
            supplier=Company.from_model(model.supplier) if model.supplier else None,
            location_id=model.location_id,
            expected_arrival=model.expected_arrival,
            arrived_at=model.arrived_at,
            created_at=model.created_at,
            updated_at=model.updated_at,
            provider_data=cast(JSON, model.raw),
            model=model,
        )

    @strawberry.field(description="What it carries.")
    def lines(self) -> list[InboundShipmentLine]:
        return [InboundShipmentLine.from_model(line) for line in self.model.lines or ()]

    @strawberry.field(
        description="The purchase order with this PO number, at whichever provider "
        "holds purchase orders. Null if none has it or the provider failed."
    )
    async def purchase_order(
        self, info: Info
    ) -> Annotated[PurchaseOrder, strawberry.lazy("schema.purchase_orders")] | None:
        from schema.purchase_orders import PurchaseOrder

        number = self.model.purchase_order_number
        if not number:
            return None
        loader = info.context.loaders.purchase_order_by_number
        keys = [
            NumberKey(slug, number)
            for slug in providers_with(info, Capability.PURCHASE_ORDERS)
        ]
        found: models.PurchaseOrder | None = await first_found(loader, keys, info)
        return PurchaseOrder.from_model(found) if found else None


@strawberry.type(description="One item of an inbound shipment.")
class InboundShipmentLine(Node):
    provider_id: str = strawberry.field(description="The provider's own line id.")
    line_number: int | None = strawberry.field(
        description="Position of the line in the shipment."
    )
    item_key: str | None = strawberry.field(
        description="The line of the purchase order it delivers, where the "
        "provider records it."
    )
    sku: str | None = strawberry.field(description="The merchant's SKU.")
    quantity: int | None = strawberry.field(description="Units expected.")
    unit_of_measure: str | None = strawberry.field(
        description="Unit of the quantity (each, case, …)."
    )
    received_quantity: int | None = strawberry.field(
        description="Units received so far, where the provider reports it."
    )
    provider_data: JSON = strawberry.field(
        description="The untouched provider payload."
    )
    model: strawberry.Private[models.PurchaseOrderLine]

    @classmethod
    def from_model(cls, model: models.PurchaseOrderLine) -> InboundShipmentLine:
        return cls(
            id=strawberry.ID(ids.encode(inbound_line_ref(model))),
            provider_id=model.id,
            line_number=model.line_number,
            item_key=model.item_key,
            sku=model.sku,
            quantity=model.quantity,
            unit_of_measure=model.unit_of_measure,
            received_quantity=model.received_quantity,
            provider_data=cast(JSON, model.raw),
            model=model,
        )

    @strawberry.field(
        description="Stock of this line's SKU at every provider that keeps stock, "
        "per location; one batched call per provider. A provider that fails is "
        "reported as an error naming it; the others' levels remain. Null if "
        "every provider failed."
    )
    async def inventory(self, info: Info) -> list[InventoryLevel] | None:
        found = await inventory_everywhere(info, self.model.sku)
        return [InventoryLevel.from_model(level) for level in found]
