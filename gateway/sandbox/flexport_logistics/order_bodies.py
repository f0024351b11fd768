"""L6 request body: a DTC order with lineItems, address and promises."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .addresses import check_address
from .model import Address, DtcLine, Json
from .state import LapiState
from .validate import Checker, at, index

_FIELDS = (
    "externalOrderId", "lineItems", "address", "promisedShipByTime",
    "promisedDeliveryByTime", "deliveryDays", "packingSlipUrl", "duties",
)  # fmt: skip
_DUTY_TERMS = ("DDP", "DAP")
MAX_LINES = 100


@dataclass
class OrderInput:
    external_order_id: str
    lines: list[DtcLine]
    address: Address
    promised_ship_by: str | None
    promised_delivery_by: str | None
    delivery_days: int | None
    packing_slip_url: str | None
    duties: Json | None


def _lines(c: Checker, st: LapiState, raw: list[Any]) -> list[DtcLine]:
    lines: list[DtcLine] = []
    seen: dict[str, int] = {}
    for position, entry in enumerate(raw):
        path = index("lineItems", position)
        if not c.fields(entry, path, ("logisticsSku", "quantity")):
            continue
        sku = c.text(entry, "logisticsSku", path, required=True)
        quantity = c.integer(entry, "quantity", path, required=True)
        if sku is None:
            continue
        if sku not in st.products:
            c.fail(at(path, "logisticsSku"), f"{sku} is not a known product")
        elif sku in seen:
            c.fail(
                at(path, "logisticsSku"),
                f"duplicates lineItems[{seen[sku]}].logisticsSku",
            )
        elif quantity is not None:
            lines.append(DtcLine(sku, quantity))
        seen.setdefault(sku, position)
    return lines


def parse_order_create(body: dict[str, Any], st: LapiState) -> OrderInput:
    """Every problem is reported at once (422), each with its field path."""
    c = Checker()
    c.fields(body, "", _FIELDS)
    external_id = c.text(body, "externalOrderId", required=True)
    raw_lines = c.array(body, "lineItems", required=True, max_items=MAX_LINES) or []
    lines = _lines(c, st, raw_lines)
    raw_address = c.present(body, "address", "address", True)
    address = (
        check_address(c, raw_address, "address") if raw_address is not None else {}
    )
    url = c.text(body, "packingSlipUrl", max_length=2048)
    if url is not None and not url.startswith("https://"):
        c.fail("packingSlipUrl", "must be an https URL")
    duties: Json | None = None
    raw_duties = body.get("duties")
    if raw_duties is not None and c.fields(raw_duties, "duties", ("incoterm",)):
        duties = {"incoterm": c.choice(raw_duties, "incoterm", _DUTY_TERMS, "duties")}
    result = OrderInput(
        external_order_id=external_id or "",
        lines=lines,
        address=address,
        promised_ship_by=c.instant(body, "promisedShipByTime"),
        promised_delivery_by=c.instant(body, "promisedDeliveryByTime"),
        delivery_days=c.integer(body, "deliveryDays"),
        packing_slip_url=url,
        duties=duties,
    )
    c.done()
    return result
