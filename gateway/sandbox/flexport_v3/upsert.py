"""V3 create-or-amend: match on name + buyer + seller, then the 3.4 rules.

A match is amended by full replace (200); no match creates a PO (201). Every
422 here quotes S3's wording where S3 has one.
"""

from __future__ import annotations

from datetime import date, datetime

from . import machine
from .errors import unprocessable
from .model import LineSpec, PoSpec, PurchaseOrder
from .state import FlexportV3State
from .vocabulary import FINAL_STATUSES


def _check_seller_role(st: FlexportV3State, spec: PoSpec) -> None:
    """The entity that sold a PO may not reappear on it in another role (S3)."""
    roles = {p.entity_ref: p.role for p in spec.parties}
    new_seller = spec.party_ref("seller")
    for po in st.pos.values():
        old_seller = po.spec.party_ref("seller")
        if (
            po.spec.name == spec.name
            and old_seller is not None
            and old_seller != new_seller
            and roles.get(old_seller, "seller") != "seller"
        ):
            raise unprocessable(
                f"Purchase order {po.id}: can not change the seller role "
                f"of {old_seller}"
            )


def _check_arrival(spec: PoSpec, lines: list[LineSpec], created: date) -> None:
    """S3: a must-arrive date before the PO's creation date is refused."""
    dates = [spec.must_arrive_date, *(line.must_arrive_date for line in lines)]
    if any(d is not None and date.fromisoformat(d) < created for d in dates):
        raise unprocessable(
            "Must arrive date cannot be before the purchase order creation date "
            f"{created.isoformat()}"
        )


def _check_final(po: PurchaseOrder, spec: PoSpec, lines: list[LineSpec]) -> bool:
    """A closed or cancelled PO takes only an identical resend (True: nothing to do)."""
    old, new = po.status, spec.status
    if new == old and machine.same_content(po, spec, lines):
        return True
    if new == "open":
        raise unprocessable(f"Purchase order {po.id} is {old} and cannot be reopened")
    if new != old:
        raise unprocessable(f"Purchase order {po.id} is {old} and cannot be {new}")
    raise unprocessable(f"Purchase order {po.id} is {old} and cannot be amended")


def _check_bookings(po: PurchaseOrder, spec: PoSpec, lines: list[LineSpec]) -> None:
    if spec.status == "cancelled" and po.has_active_booking:
        raise unprocessable(
            f"Purchase order {po.id} may not be cancelled since it has an active "
            "booking"
        )
    units = {line.item_key: line.units for line in lines}
    for line in po.lines:
        booked = line.booked_units
        if booked <= 0:
            continue
        if line.spec.item_key not in units:
            raise unprocessable("Cannot remove line items that have been booked")
        if units[line.spec.item_key] < booked:
            raise unprocessable(
                "Cannot update a line item to request fewer units than have "
                "already been booked"
            )


def upsert(
    st: FlexportV3State, spec: PoSpec, lines: list[LineSpec], at: datetime
) -> tuple[PurchaseOrder, int]:
    """(the PO, 201 created | 200 amended or unchanged)."""
    po = st.find((spec.name, spec.party_ref("buyer"), spec.party_ref("seller")))
    if po is None:
        _check_seller_role(st, spec)
        if spec.status != "open":
            raise unprocessable(
                f"Purchase order {spec.name} must be created with status open"
            )
        _check_arrival(spec, lines, at.date())
        return machine.create(st, spec, lines, at), 201
    if po.status in FINAL_STATUSES and _check_final(po, spec, lines):
        return po, 200
    _check_bookings(po, spec, lines)
    _check_arrival(spec, lines, po.created_at.date())
    machine.amend(st, po, spec, lines, at)
    return po, 200
