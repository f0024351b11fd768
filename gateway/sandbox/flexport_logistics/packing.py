"""Cartons, pallets, labels and weights for shipments leaving a warehouse."""

from __future__ import annotations

import math

from ..carriers import tracking_number
from .model import OrderItem, Pack, PackItem
from .state import LapiState
from .vocabulary import FREIGHT_CARRIERS, PARCEL_CARRIERS

# Parcel cartons hold up to this many eaches (a CASE travels as its own carton).
_EACHES_PER_CARTON = 24
_UNITS_PER_PALLET = 400


def units(item: OrderItem, quantity: int) -> int:
    return quantity * (item.per_pack if item.uom == "CASE" else 1)


def unit_weight_lb(st: LapiState, logistics_sku: str) -> float:
    product = st.products.get(logistics_sku)
    return float(product.dims["weight"]) if product is not None else 1.0


def sscc(st: LapiState) -> str:
    """An 18-digit Serial Shipping Container Code under a made-up company prefix."""
    return "00860001" + f"{st.rng.randrange(10**10):010d}"


def parcel_carrier(st: LapiState, shipping_method: str | None) -> tuple[str, str]:
    """(name, SCAC), honouring a carrier named in shippingMethod ("UPS Ground")."""
    for name, scac in PARCEL_CARRIERS:
        if shipping_method and shipping_method.lower().startswith(name.lower()):
            return name, scac
    return st.rng.choice(PARCEL_CARRIERS)


def freight_carrier(st: LapiState) -> tuple[str, str]:
    return st.rng.choice(FREIGHT_CARRIERS)


def _chunks(total: int, size: int) -> list[int]:
    count = max(1, math.ceil(total / size))
    base, extra = divmod(total, count)
    return [base + (1 if n < extra else 0) for n in range(count)]


def _dims(length: int, width: int, height: int, weight: float) -> dict[str, object]:
    return {
        "length": length,
        "width": width,
        "height": height,
        "lengthUnit": "in",
        "weight": round(weight, 2),
        "weightUnit": "lb",
    }


def parcel_packs(
    st: LapiState,
    shipment_id: int,
    contents: list[tuple[OrderItem, int]],
    carrier: tuple[str, str],
) -> list[Pack]:
    """One carton per CASE (at most 6 per line) or per 24 eaches; tracked at once."""
    packs: list[Pack] = []
    for item, quantity in contents:
        size = (
            max(1, math.ceil(quantity / 6))
            if item.uom == "CASE"
            else _EACHES_PER_CARTON
        )
        for part in _chunks(quantity, size):
            weight = unit_weight_lb(st, item.logistics_sku) * units(item, part) + 0.8
            packs.append(
                Pack(
                    items=[PackItem(item.logistics_sku, part, item.uom)],
                    carrier_name=carrier[0],
                    carrier_scac=carrier[1],
                    tracking_number=tracking_number(st.rng, carrier[0]),
                    package_status="PRE_TRANSIT",
                    sscc=sscc(st),
                    dims=_dims(18, 14, 12, weight),
                    box_id=f"BOX-{shipment_id}-{len(packs) + 1}",
                )
            )
    return packs


def pallet_packs(
    st: LapiState,
    shipment_id: int,
    contents: list[tuple[OrderItem, int]],
    carrier: tuple[str, str],
) -> list[Pack]:
    """Mixed pallets of up to 400 units; freight is tracked by BOL and PRO, not
    per pallet, so pallets carry no tracking number."""
    packs: list[Pack] = []
    pallet: list[PackItem] = []
    weight, room = 45.0, _UNITS_PER_PALLET

    def close() -> None:
        nonlocal pallet, weight, room
        if pallet:
            packs.append(
                Pack(
                    items=pallet,
                    carrier_name=carrier[0],
                    carrier_scac=carrier[1],
                    tracking_number=None,
                    package_status="PRE_TRANSIT",
                    sscc=sscc(st),
                    dims=_dims(48, 40, 60, weight),
                    box_id=f"PLT-{shipment_id}-{len(packs) + 1}",
                )
            )
        pallet, weight, room = [], 45.0, _UNITS_PER_PALLET

    for item, quantity in contents:
        per = units(item, 1)
        left = quantity
        while left > 0:
            fits = max(1, room // per)
            part = min(left, fits)
            pallet.append(PackItem(item.logistics_sku, part, item.uom))
            weight += unit_weight_lb(st, item.logistics_sku) * units(item, part)
            room -= units(item, part)
            left -= part
            if room <= 0:
                close()
    close()
    return packs
