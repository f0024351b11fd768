"""L1 request body: the S1 create schema, checked field by field."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .addresses import check_address
from .model import Address, Json, OrderItem, Product
from .state import LapiState
from .validate import Checker, at, index
from .vocabulary import (
    INCOTERMS,
    QUANTITY_UOMS,
    SHIPPING_PARTNERS,
    SHIPPING_SPEEDS,
    SHIPPING_TYPES,
    WAREHOUSE_IDS,
)

_FIELDS = (
    "type", "orderItems", "shipToAddress", "transportationDetails", "currencyCode",
    "externalId", "shipBy", "notes", "locationId", "retailerData",
    "ingestionChannel", "vasData",
)  # fmt: skip
_ITEM_FIELDS = (
    "logisticsSku", "quantity", "quantityUOM", "quantityPerPack", "lineItemId",
    "lotNumber", "unitPrice", "totalPrice", "discount", "productData",
)  # fmt: skip
_PRODUCT_DATA_FIELDS = ("upc", "buyerPartNumber", "sku", "gtin")
_TRANSPORT_FIELDS = (
    "shippingPartner", "shippingType", "carrierAccountDetails", "duties",
    "shippingMethod", "shippingSpeed",
)  # fmt: skip
_ACCOUNT_FIELDS = ("carrierName", "carrierAccountId", "country", "postalCode")
_DUTY_ACCOUNT_FIELDS = ("carrierName", "dutyPaymentAccountId", "country", "postalCode")
_RETAILER_TEXT = (
    "retailer", "purchaseOrderNumber", "tradingPartnerId", "customerPoNumber",
    "invoiceNumber", "markForStore", "department",
)  # fmt: skip
_RETAILER_DATES = ("deliveryDate", "shipByDate", "shipAfterDate")
_RETAILER_FIELDS = (
    *_RETAILER_TEXT, *_RETAILER_DATES, "address", "discounts", "charges",
    "paymentTerms",
)  # fmt: skip
_CURRENCY = re.compile(r"[A-Z]{3}")
MAX_ITEMS = 200


@dataclass
class OutboundInput:
    external_id: str | None
    items: list[OrderItem]
    ship_to: Address
    transportation: Json
    location_id: str | None
    ship_by: str | None
    notes: str | None
    retailer_data: Json | None
    ingestion_channel: str | None
    currency_code: str | None
    vas_data: Json | None


def _strings(c: Checker, value: Any, path: str, names: tuple[str, ...]) -> Json:
    """An object of optional strings, every key present in the result."""
    if not c.fields(value, path, names):
        return {}
    return {name: c.text(value, name, path) for name in names}


def _transportation(c: Checker, value: Any) -> Json:
    path = "transportationDetails"
    if not c.fields(value, path, _TRANSPORT_FIELDS):
        return {}
    result: Json = {
        "shippingPartner": c.choice(
            value, "shippingPartner", SHIPPING_PARTNERS, path, required=True
        ),
        "shippingType": c.choice(
            value, "shippingType", SHIPPING_TYPES, path, required=True
        ),
        "carrierAccountDetails": None,
        "duties": None,
        "shippingMethod": c.text(value, "shippingMethod", path),
        "shippingSpeed": c.choice(value, "shippingSpeed", SHIPPING_SPEEDS, path),
    }
    if value.get("carrierAccountDetails") is not None:
        result["carrierAccountDetails"] = _strings(
            c,
            value["carrierAccountDetails"],
            at(path, "carrierAccountDetails"),
            _ACCOUNT_FIELDS,
        )
    duties = value.get("duties")
    if duties is not None:
        result["duties"] = _duties(c, duties, at(path, "duties"))
    return result


def _duties(c: Checker, value: Any, path: str) -> Json | None:
    if not c.fields(value, path, ("dutyPaymentAccountDetails", "incoterm", "eelPfc")):
        return None
    account = value.get("dutyPaymentAccountDetails")
    account_path = at(path, "dutyPaymentAccountDetails")
    return {
        "dutyPaymentAccountDetails": None
        if account is None
        else _strings(c, account, account_path, _DUTY_ACCOUNT_FIELDS),
        "incoterm": c.choice(value, "incoterm", INCOTERMS, path),
        "eelPfc": c.text(value, "eelPfc", path),
    }


def _amounts(c: Checker, value: Any, path: str) -> list[Json]:
    if not isinstance(value, list):
        c.fail(path, "must be an array")
        return []
    result = []
    for position, entry in enumerate(value):
        entry_path = index(path, position)
        if c.fields(entry, entry_path, ("type", "value")):
            result.append(
                {
                    "type": c.text(entry, "type", entry_path, required=True),
                    "value": c.amount(entry, "value", entry_path),
                }
            )
    return result


def _retailer(c: Checker, value: Any) -> Json | None:
    path = "retailerData"
    if not c.fields(value, path, _RETAILER_FIELDS):
        return None
    result: Json = {name: c.text(value, name, path) for name in _RETAILER_TEXT}
    address = value.get("address")
    result["address"] = (
        None if address is None else check_address(c, address, at(path, "address"))
    )
    for name in ("discounts", "charges"):
        raw = value.get(name)
        result[name] = [] if raw is None else _amounts(c, raw, at(path, name))
    terms = value.get("paymentTerms")
    result["paymentTerms"] = None
    if terms is not None:
        terms_path = at(path, "paymentTerms")
        if c.fields(terms, terms_path, ("term", "dueDate")):
            result["paymentTerms"] = {
                "term": c.text(terms, "term", terms_path),
                "dueDate": c.instant(terms, "dueDate", terms_path),
            }
    for name in _RETAILER_DATES:
        result[name] = c.instant(value, name, path)
    return result


def _resolve(c: Checker, st: LapiState, raw: Json, path: str) -> Product | None:
    """The product a line names: its logisticsSku, else productData sku or upc."""
    sku = c.text(raw, "logisticsSku", path)
    if sku is not None:
        product = st.products.get(sku)
        if product is None:
            c.fail(at(path, "logisticsSku"), f"{sku} is not a known product")
        return product
    data = raw.get("productData")
    if data is None:
        c.fail(at(path, "logisticsSku"), "is required when productData is absent")
        return None
    if not isinstance(data, dict):
        return None
    merchant_sku, upc = data.get("sku"), data.get("upc")
    for product in st.products.values():
        if product.merchant_sku == merchant_sku or (upc and upc in product.barcodes):
            return product
    c.fail(at(path, "productData"), "matches no product by sku or upc")
    return None


def _item(c: Checker, st: LapiState, raw: Any, position: int) -> OrderItem | None:
    path = index("orderItems", position)
    if not c.fields(raw, path, _ITEM_FIELDS):
        return None
    data = raw.get("productData")
    product_data: Json | None = None
    if data is not None and c.fields(
        data, at(path, "productData"), _PRODUCT_DATA_FIELDS
    ):
        product_data = {
            name: c.text(data, name, at(path, "productData"))
            for name in ("upc", "buyerPartNumber", "sku")
        }
        product_data["gtin"] = c.integer(
            data, "gtin", at(path, "productData"), minimum=0
        )
    product = _resolve(c, st, raw, path)
    quantity = c.integer(raw, "quantity", path, required=True)
    uom = c.choice(raw, "quantityUOM", QUANTITY_UOMS, path) or "EACH"
    per_pack = c.integer(raw, "quantityPerPack", path, required=uom == "CASE")
    line_item_id = c.text(raw, "lineItemId", path)
    lot_number = c.text(raw, "lotNumber", path)
    prices = [
        c.amount(raw, name, path) for name in ("unitPrice", "totalPrice", "discount")
    ]
    if product is None or quantity is None:
        return None
    return OrderItem(
        logistics_sku=product.logistics_sku,
        quantity=quantity,
        uom=uom,
        per_pack=per_pack or 1,
        line_item_id=line_item_id or str(position + 1),
        lot_number=lot_number,
        unit_price=prices[0],
        total_price=prices[1],
        discount=prices[2],
        product_data=product_data,
    )


def parse_outbound_create(body: dict[str, Any], st: LapiState) -> OutboundInput:
    """Every problem is reported at once (422), each with its field path."""
    c = Checker()
    c.fields(body, "", _FIELDS)
    c.choice(body, "type", ("B2B",), required=True)
    items: list[OrderItem] = []
    raw_items = c.array(body, "orderItems", required=True, max_items=MAX_ITEMS) or []
    for position, raw in enumerate(raw_items):
        item = _item(c, st, raw, position)
        if item is not None:
            items.append(item)
    seen: dict[str, int] = {}
    for position, raw in enumerate(raw_items):
        line_id = raw.get("lineItemId") if isinstance(raw, dict) else None
        if isinstance(line_id, str) and line_id in seen:
            c.fail(
                at(index("orderItems", position), "lineItemId"),
                f"duplicates orderItems[{seen[line_id]}].lineItemId",
            )
        elif isinstance(line_id, str):
            seen[line_id] = position
    ship_to = c.present(body, "shipToAddress", "shipToAddress", True)
    address = check_address(c, ship_to, "shipToAddress") if ship_to is not None else {}
    transport = c.present(body, "transportationDetails", "transportationDetails", True)
    transportation = _transportation(c, transport) if transport is not None else {}
    currency = c.text(body, "currencyCode")
    if currency is not None and not _CURRENCY.fullmatch(currency):
        c.fail("currencyCode", "must be an ISO 4217 code such as USD")
    retailer = body.get("retailerData")
    vas = body.get("vasData")
    vas_data = _strings(c, vas, "vasData", ("code",)) if vas is not None else None
    result = OutboundInput(
        external_id=c.text(body, "externalId"),
        items=items,
        ship_to=address,
        transportation=transportation,
        location_id=c.choice(body, "locationId", WAREHOUSE_IDS),
        ship_by=c.instant(body, "shipBy"),
        notes=c.text(body, "notes", max_length=2000),
        retailer_data=None if retailer is None else _retailer(c, retailer),
        ingestion_channel=c.text(body, "ingestionChannel"),
        currency_code=currency,
        vas_data=vas_data,
    )
    c.done()
    return result
