"""LAPI L4 upload URLs and the pre-signed PUT target (/_sandbox/uploads/{token})."""

from __future__ import annotations

from typing import Any

from yarl import URL

from .conftest import Api, FakeClock, LapiApi, lapi_problem
from .test_flexport_logistics_outbounds import outbound_body

PDF = b"%PDF-1.4\n% LAPI sandbox label\n%%EOF\n"
LABELS = {"attachmentType": "SHIPPING_LABELS", "contentType": "application/pdf"}


async def booked(lapi: LapiApi, control: Api) -> tuple[int, int]:
    """(orderId, shipmentId) of a fresh outbound advanced to BOOKED."""
    order = await lapi.post("/outbounds", outbound_body())
    await control.post(
        "/_sandbox/advance",
        {
            "provider": "flexport_logistics",
            "type": "outbound",
            "id": str(order["orderId"]),
        },
    )
    shipment = (await lapi.get(f"/outbounds/{order['orderId']}"))["shipments"][0]
    return order["orderId"], shipment["shipmentId"]


def upload_path(order_id: int, shipment_id: int) -> str:
    return f"/outbounds/{order_id}/shipments/{shipment_id}/attachments/upload-url"


async def test_upload_then_see_it_on_the_shipment(lapi: LapiApi, control: Api) -> None:
    order_id, shipment_id = await booked(lapi, control)
    answer = await lapi.post(upload_path(order_id, shipment_id), LABELS)
    assert set(answer) == {"uploadUrl", "attachmentType", "expirationTime"}
    assert answer["attachmentType"] == "SHIPPING_LABELS"
    assert answer["expirationTime"].startswith("2026-11-01T01:00:00")
    url = URL(answer["uploadUrl"])
    assert url.path.startswith("/flexport-logistics/_sandbox/uploads/")
    assert (await lapi.get(f"/outbounds/{order_id}"))["shipments"][0][
        "attachments"
    ] == [], "listed once uploaded"
    put = await lapi.client.session.put(
        url, data=PDF, headers={"Content-Type": "application/pdf"}
    )
    assert put.status == 200, await put.text()
    assert put.headers["ETag"].startswith('"')
    (attachment,) = (await lapi.get(f"/outbounds/{order_id}"))["shipments"][0][
        "attachments"
    ]
    assert attachment == {
        "attachmentType": "SHIPPING_LABELS",
        "contentType": "application/pdf",
        "size": len(PDF),
        "uploadedAt": attachment["uploadedAt"],
        "url": answer["uploadUrl"],
    }
    fetched = await lapi.client.session.get(url)
    assert (fetched.status, await fetched.read()) == (200, PDF)
    log = await control.get("/_sandbox/requests", {"provider": "flexport_logistics"})
    assert any(
        e["method"] == "PUT" and e["path"].startswith("/_sandbox/uploads/")
        for e in log["requests"]
    )


async def test_upload_target_rules(
    lapi: LapiApi, control: Api, clock: FakeClock
) -> None:
    order_id, shipment_id = await booked(lapi, control)
    url = URL(
        (await lapi.post(upload_path(order_id, shipment_id), LABELS))["uploadUrl"]
    )

    async def put(
        data: bytes, content_type: str, target: Any = url
    ) -> tuple[int, dict[str, Any]]:
        response = await lapi.client.session.put(
            target, data=data, headers={"Content-Type": content_type}
        )
        return response.status, lapi_problem(
            response, await response.json(content_type=None)
        )

    status, problem = await put(PDF, "image/png")
    assert (status, problem["detail"]) == (415, "Content-Type must be application/pdf")
    status, problem = await put(b"", "application/pdf")
    assert (status, problem["detail"]) == (400, "The uploaded document is empty")
    status, problem = await put(
        PDF, "application/pdf", url.with_path(url.path[:-4] + "0000")
    )
    assert (status, problem["detail"]) == (404, "Unknown upload URL")
    missing = await lapi.client.session.get(url)
    assert missing.status == 404, "nothing uploaded yet"
    clock.now += 3601
    status, problem = await put(PDF, "application/pdf")
    assert (status, problem["detail"]) == (403, "The upload URL has expired")


async def test_upload_url_request_validation(lapi: LapiApi, control: Api) -> None:
    order_id, shipment_id = await booked(lapi, control)
    path = upload_path(order_id, shipment_id)
    for body, detail in [
        (
            {"attachmentType": "SHIPPING_LABELS", "contentType": "image/png"},
            "contentType must be application/pdf",
        ),
        (
            {"attachmentType": "PHOTO", "contentType": "application/pdf"},
            "attachmentType must be one of SHIPPING_LABELS, COMMERCIAL_INVOICE, CASE_LABELS, PALLET_LABELS, BILL_OF_LADING, PACKING_LIST",
        ),
        (
            {"contentType": "application/pdf", "name": "x"},
            "name is not a known field; attachmentType is required",
        ),
    ]:
        assert (await lapi.problem("POST", path, 422, json=body))["detail"] == detail
    assert (await lapi.problem("POST", upload_path(order_id, 1), 404, json=LABELS))[
        "detail"
    ] == f"Cannot find shipment 1 on order {order_id}"
    assert (await lapi.problem("POST", upload_path(1, shipment_id), 404, json=LABELS))[
        "detail"
    ] == "Cannot find order 1"
    await lapi.post(f"/outbounds/{order_id}/cancel")
    problem = await lapi.problem("POST", path, 400, json=LABELS)
    assert (problem["code"], problem["detail"]) == (
        407001,
        f"Shipment {shipment_id} is CANCELLED",
    )
