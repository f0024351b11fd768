"""LAPI products and inventory (L9-L13): limit/offset to the end, batches, limits."""

from __future__ import annotations

from typing import Any

from gateway.sandbox.catalog import build_catalog

from .conftest import LapiApi


async def pages(lapi: LapiApi, path: str, limit: int) -> tuple[list[Any], int]:
    """Walk limit/offset until a short page: (all items, requests made)."""
    items: list[Any] = []
    requests = 0
    while True:
        page = await lapi.get(path, {"limit": str(limit), "offset": str(len(items))})
        requests += 1
        assert isinstance(page, list)
        items.extend(page)
        if len(page) < limit:
            return items, requests


async def test_products_page_to_the_end_one_per_catalogue_sku(lapi: LapiApi) -> None:
    products, requests = await pages(lapi, "/products", 70)
    assert requests == 5
    catalog = build_catalog(7)
    assert sorted(p["merchantSku"] for p in products) == sorted(
        p.sku for p in catalog.products
    )
    skus = [p["logisticsSku"] for p in products]
    assert skus == sorted(skus), "ordered by logisticsSku"
    assert all(s.startswith("LS") and s[2:].isdigit() and len(s) == 10 for s in skus)
    assert len(set(skus)) == 300
    first = products[0]
    assert set(first) == {
        "logisticsSku",
        "merchantSku",
        "name",
        "barcodes",
        "dimensions",
        "dimsLocked",
        "createdAt",
        "updatedAt",
    }
    assert first["barcodes"] == [catalog.product(first["merchantSku"]).upc]  # type: ignore[union-attr]
    assert set(first["dimensions"]) == {
        "length",
        "width",
        "height",
        "lengthUnit",
        "weight",
        "weightUnit",
    }
    default = await lapi.get("/products")
    assert default == products[:100], "default limit 100"
    assert await lapi.get("/products", {"limit": "500"}) == products
    assert await lapi.get("/products", {"offset": "300"}) == []


async def test_products_by_merchant_sku(lapi: LapiApi) -> None:
    found = await lapi.get(
        "/products", [("merchantSku", "SKU-10002,SKU-10001"), ("merchantSku", "NOPE")]
    )
    assert sorted(p["merchantSku"] for p in found) == ["SKU-10001", "SKU-10002"]
    one = await lapi.get(f"/products/{found[0]['logisticsSku']}")
    assert one == found[0]
    assert (await lapi.problem("GET", "/products/LS0", 404))[
        "detail"
    ] == "Cannot find product LS0"


LIMIT_CASES: list[tuple[str, Any, str]] = [
    ("/products", {"limit": "0"}, "limit must be an integer between 1 and 500"),
    ("/products", {"limit": "501"}, "limit must be an integer between 1 and 500"),
    ("/products", {"offset": "-1"}, "offset must be an integer >= 0"),
    ("/products", {"page": "2"}, "Unknown query parameter page"),
    ("/products", [("limit", "1"), ("limit", "2")], "limit may be given only once"),
    (
        "/products/inventory/all",
        {"limit": "x"},
        "limit must be an integer between 1 and 500",
    ),
    ("/products/inventory", {}, "logisticsSkus is required"),
    (
        "/products/inventory",
        {"logisticsSkus": ","},
        "logisticsSkus must not be empty",
    ),
    (
        "/products/inventory",
        {"logisticsSkus": ",".join(f"LS{n}" for n in range(101))},
        "logisticsSkus accepts at most 100 values",
    ),
    (
        "/products",
        {"merchantSku": ",".join(f"S{n}" for n in range(101))},
        "merchantSku accepts at most 100 values",
    ),
]


async def test_list_parameter_limits(lapi: LapiApi) -> None:
    for path, params, detail in LIMIT_CASES:
        problem = await lapi.problem("GET", path, 400, params=params)
        assert problem["detail"] == detail, (path, params)


async def test_all_inventory_pages_to_the_end(lapi: LapiApi) -> None:
    rows, requests = await pages(lapi, "/products/inventory/all", 100)
    assert (len(rows), requests) == (300, 4), "a last, empty page ends the walk"
    products = await lapi.get("/products", {"limit": "500"})
    assert [r["logisticsSku"] for r in rows] == [p["logisticsSku"] for p in products]
    for row in rows:
        assert set(row) == {
            "logisticsSku",
            "available",
            "onHand",
            "unavailable",
            "unitsPerPack",
        }
        assert row["onHand"] == row["available"] + row["unavailable"]
    assert any(r["available"] == 0 for r in rows), "some SKUs are out of stock"
    assert any(r["unavailable"] > 0 for r in rows)
    assert {r["unitsPerPack"] for r in rows} > {1}


async def test_inventory_batch_keeps_request_order_and_drops_unknown(
    lapi: LapiApi,
) -> None:
    rows = await lapi.get("/products/inventory/all", {"limit": "3"})
    wanted = [rows[2]["logisticsSku"], "LS0", rows[0]["logisticsSku"]]
    batch = await lapi.get(
        "/products/inventory",
        [("logisticsSkus", ",".join(wanted[:2])), ("logisticsSkus", wanted[2])],
    )
    assert batch == [rows[2], rows[0]]


async def test_warehouse_rows_add_up_to_network_totals(lapi: LapiApi) -> None:
    rows = await lapi.get("/products/inventory/all", {"limit": "99"})
    skus = [r["logisticsSku"] for r in rows]
    detail = await lapi.post("/products/warehouses", {"logisticsSKUs": [*skus, "LS0"]})
    assert [d["logisticsSku"] for d in detail] == skus
    for row, entry in zip(rows, detail, strict=True):
        assert entry["warehouses"], "every product has a home"
        assert {w["warehouseId"] for w in entry["warehouses"]} <= {
            "RNO1",
            "ATL2",
            "CMH1",
        }
        assert sum(w["available"] for w in entry["warehouses"]) == row["available"]
        assert sum(w["onHand"] for w in entry["warehouses"]) == row["onHand"]


WAREHOUSE_CASES: list[tuple[Any, str]] = [
    ({"logisticsSkus": ["LS1"]}, "logisticsSkus is not a known field"),
    ({"logisticsSKUs": []}, "logisticsSKUs must be a non-empty array of strings"),
    ({"logisticsSKUs": [1]}, "logisticsSKUs must be a non-empty array of strings"),
    (
        {"logisticsSKUs": [f"LS{n}" for n in range(101)]},
        "logisticsSKUs accepts at most 100 values",
    ),
]


async def test_warehouse_body_validation(lapi: LapiApi) -> None:
    for body, detail in WAREHOUSE_CASES:
        problem = await lapi.problem("POST", "/products/warehouses", 422, json=body)
        assert problem["detail"] == detail, body
    bad = await lapi.problem("POST", "/products/warehouses", 400, data=b"[")
    assert bad["detail"] == "Request body is not valid JSON"
