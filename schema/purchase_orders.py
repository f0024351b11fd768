"""PurchaseOrder and PurchaseOrderLine; nested fields are one loader call each."""

from __future__ import annotations

from datetime import date, datetime
from typing import cast

import strawberry
from strawberry.scalars import JSON

from gateway import ids, models
from gateway.loaders import NumberKey
from gateway.providers.base import Capability
from schema.across import inventory_everywhere, load_each, providers_with
from schema.attachments import Attachment
from schema.common import Company, Money
from schema.enums import Provider, PurchaseOrderStatus
from schema.inbound_shipments import InboundShipment
from schema.inventory import InventoryLevel
from schema.node import Info, Node


def purchase_order_ref(model: models.PurchaseOrder) -> ids.Ref:
    """The ref of a purchase order: what loaders and global IDs key it by."""
    return ids.Ref(model.provider, "PurchaseOrder", model.id)


def purchase_order_line_ref(model: models.PurchaseOrderLine) -> ids.Ref:
    """The ref of a line: lines are addressed within their purchase order."""
    return ids.Ref(
        model.provider, "PurchaseOrderLine", f"{model.purchase_order_id}/{model.id}"
    )


async def purchase_order_lines(
    info: Info, model: models.PurchaseOrder
) -> list[models.PurchaseOrderLine]:
    """A purchase order's lines: embedded in it, or one batched load."""
    # Flexport v3 embeds the lines unless the PO has more than one page of them.
    if model.lines is not None:
        return list(model.lines)
    ref = purchase_order_ref(model)
    return list(await info.context.loaders.lines_by_purchase_order.load(ref))


@strawberry.type(description="A purchase order placed with a supplier.")
class PurchaseOrder(Node):
    provider: Provider = strawberry.field(description="The provider holding it.")
    provider_id: str = strawberry.field(description="The provider's own id.")
    number: str = strawberry.field(
        description="The PO number; inbound shipments at warehouse providers refer "
        "to the purchase order by it."
    )
    status: PurchaseOrderStatus = strawberry.field(description="Unified status.")
    raw_status: str = strawberry.field(
        description="The status exactly as the provider reports it."
    )
    supplier: Company | None = strawberry.field(
        description="The seller the goods are bought from."
    )
    buyer: Company | None = strawberry.field(description="The buying company.")
    incoterm: str | None = strawberry.field(
        description="Incoterm of the purchase (FOB, EXW, DAP, …)."
    )
    transportation_mode: str | None = strawberry.field(
        description="How the goods travel (ocean, air, truck, …)."
    )
    cargo_ready_date: date | None = strawberry.field(
        description="When the supplier has the goods ready."
    )
    expected_arrival: date | None = strawberry.field(
        description="When the goods must arrive."
    )
    created_at: datetime | None = strawberry.field(description="When it was created.")
    updated_at: datetime | None = strawberry.field(description="When it last changed.")
    provider_data: JSON = strawberry.field(
        description="The untouched provider payload, for fields the unified model "
        "does not map."
    )
    model: strawberry.Private[models.PurchaseOrder]

    @classmethod
    def from_model(cls, model: models.PurchaseOrder) -> PurchaseOrder:
        return cls(
            id=strawberry.ID(ids.encode(purchase_order_ref(model))),
            provider=Provider(model.provider),
            provider_id=model.id,
            number=model.number,
            status=PurchaseOrderStatus[model.status.value],
            raw_status=model.raw_status,
            supplier=Company.from_model(model.supplier) if model.supplier else None,
            buyer=Company.from_model(model.buyer) if model.buyer else None,
            incoterm=model.incoterm,
            transportation_mode=model.transportation_mode,
            cargo_ready_date=model.cargo_ready_date,
            expected_arrival=model.expected_arrival,
            created_at=model.created_at,
            updated_at=model.updated_at,
            provider_data=cast(JSON, model.raw),
            model=model,
        )

    @strawberry.field(description="What was ordered. Null if the provider failed.")
    async def lines(self, info: Info) -> list[PurchaseOrderLine] | None:
        found = await purchase_order_lines(info, self.model)
        return [PurchaseOrderLine.from_model(line) for line in found]

    @strawberry.field(
        description="Inbound shipments (ASNs) against this PO number at every "
        "warehouse provider, one batched call per provider. A provider that "
        "fails is reported as an error naming it; the others' shipments remain. "
        "Null if every provider failed."
    )
    async def inbound_shipments(self, info: Info) -> list[InboundShipment] | None:
        keys = [
            NumberKey(slug, self.model.number)
            for slug in providers_with(info, Capability.INBOUND_SHIPMENTS)
        ]
        found: list[list[models.InboundShipment]] = await load_each(
            info, info.context.loaders.inbound_shipments_by_number, keys
        )
        loader = info.context.loaders.inbound_shipment_by_ref
        shipments = [shipment for per_provider in found for shipment in per_provider]
        for shipment in shipments:
            ref = ids.Ref(shipment.provider, "InboundShipment", shipment.id)
            loader.prime(ref, shipment)
        return [InboundShipment.from_model(shipment) for shipment in shipments]

    @strawberry.field(
        description="Documents of the freight booked against the purchase order. "
        "Null if the provider failed."
    )
    async def attachments(self, info: Info) -> list[Attachment] | None:
        ref = purchase_order_ref(self.model)
        found = await info.context.loaders.attachments_by_owner.load(ref)
        return [Attachment.from_model(attachment) for attachment in found]


@strawberry.type(description="One item of a purchase order.")
class PurchaseOrderLine(Node):
    provider_id: str = strawberry.field(description="The provider's own line id.")
    line_number: int | None = strawberry.field(
        description="Position of the line in the purchase order."
    )
    item_key: str | None = strawberry.field(
        description="The merchant's key for the line, unique within the PO."
    )
    sku: str | None = strawberry.field(description="The merchant's SKU.")
    product_name: str | None = strawberry.field(description="Product name.")
    quantity: int | None = strawberry.field(description="Units ordered.")
    unit_of_measure: str | None = strawberry.field(
        description="Unit of the quantity (each, case, …)."
    )
    received_quantity: int | None = strawberry.field(
        description="Units received, where the provider reports it (Flexport v3 "
        "does not)."
    )
    unit_cost: Money | None = strawberry.field(description="Price of one unit.")
    provider_data: JSON = strawberry.field(
        description="The untouched provider payload."
    )
    model: strawberry.Private[models.PurchaseOrderLine]

    @classmethod
    def from_model(cls, model: models.PurchaseOrderLine) -> PurchaseOrderLine:
        return cls(
            id=strawberry.ID(ids.encode(purchase_order_line_ref(model))),
            provider_id=model.id,
            line_number=model.line_number,
            item_key=model.item_key,
            sku=model.sku,
            product_name=model.product_name,
            quantity=model.quantity,
            unit_of_measure=model.unit_of_measure,
            received_quantity=model.received_quantity,
            unit_cost=Money.from_model(model.unit_cost) if model.unit_cost else None,
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
