"""F12-F14 over HTTP: files by key, file and url attachments, both list forms."""

from __future__ import annotations

from .conftest import Api, only_error, order_body

PDF = b"%PDF-1.4\n% label\n%%EOF\n"


async def test_put_file_is_idempotent_by_key(flexe: Api) -> None:
    headers = {"Content-Type": "application/pdf"}
    first = await flexe.json(
        "PUT",
        "/v2/files/label-1",
        201,
        params={"name": "label.pdf"},
        data=PDF,
        headers=headers,
    )
    assert first == {
        "key": "label-1",
        "name": "label.pdf",
        "size": len(PDF),
        "contentType": "application/pdf",
        "createdAt": first["createdAt"],
        "updatedAt": first["createdAt"],
        "deletedAt": None,
        "labels": {},
    }
    again = await flexe.json(
        "PUT",
        "/v2/files/label-1",
        200,
        params={"name": "label.pdf"},
        data=PDF,
        headers=headers,
    )
    assert again == first
    replaced = await flexe.json(
        "PUT", "/v2/files/label-1", 200, data=b"v2", headers=headers
    )
    assert (replaced["size"], replaced["name"], replaced["createdAt"]) == (
        2,
        "label.pdf",
        first["createdAt"],
    )
    assert replaced["updatedAt"] > first["updatedAt"]
    assert await flexe.get("/v2/files/label-1") == replaced


async def test_file_content_serves_the_bytes(flexe: Api) -> None:
    await flexe.json(
        "PUT",
        "/v2/files/slip",
        201,
        data=PDF,
        headers={"Content-Type": "application/pdf"},
    )
    response = await flexe.call("GET", "/v2/files/slip/content")
    assert response.status == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert await response.read() == PDF
    missing = await flexe.get("/v2/files/none/content", expect=404)
    assert only_error(missing)["code"] == "FILE_NOT_FOUND"


async def test_create_file_and_url_attachments_and_list_both_forms(flexe: Api) -> None:
    order = await flexe.post("/v2/orders", order_body(), expect=201)
    await flexe.json(
        "PUT", "/v2/files/so-test-label", 201, params={"name": "label.pdf"}, data=PDF
    )
    path = f"/v2/orders/{order['id']}/attachments"
    file_attachment = await flexe.post(
        path,
        {
            "type": "file",
            "documentType": "shipping_label",
            "fileKey": "so-test-label",
            "trackingNumber": "1Z999",
        },
        expect=201,
    )
    assert file_attachment["displayName"] == "label.pdf"
    assert file_attachment["externalUrl"] is None
    assert file_attachment["cancelledAt"] is None
    url_attachment = await flexe.post(
        path,
        {
            "type": "url",
            "documentType": "bill_of_lading",
            "externalUrl": "https://docs.example.com/bol.pdf",
            "labels": {"k": "v"},
        },
        expect=201,
    )
    listed = await flexe.get(path)
    assert listed["total"] == 2
    assert listed["attachments"] == [file_attachment, url_attachment]
    seeded = await flexe.get("/v2/attachments", {"pageSize": "1"})
    other = seeded["attachments"][0]["orderId"]
    across, _ = await flexe.collect(
        "/v2/attachments", "attachments", {"orderIds": f"{order['id']},{other},missing"}
    )
    assert {a["orderId"] for a in across} == {order["id"], other}
    assert file_attachment in across


async def test_attachment_validation(flexe: Api) -> None:
    order = await flexe.post("/v2/orders", order_body(), expect=201)
    path = f"/v2/orders/{order['id']}/attachments"
    body = await flexe.post(
        path,
        {"type": "file", "documentType": "packing_slip", "fileKey": "never-put"},
        expect=422,
    )
    assert only_error(body)["field"] == "fileKey"
    body = await flexe.post(
        path,
        {"type": "url", "documentType": "receipt", "externalUrl": "ftp://x"},
        expect=422,
    )
    assert {e["field"] for e in body["errors"]} == {"documentType", "externalUrl"}
    assert (
        only_error(await flexe.post("/v2/orders/nope/attachments", {}, expect=404))[
            "code"
        ]
        == "ORDER_NOT_FOUND"
    )


async def test_seeded_file_attachments_resolve_to_stored_files(flexe: Api) -> None:
    attachments, total = await flexe.collect(
        "/v2/attachments", "attachments", {"pageSize": "200"}
    )
    assert total > 20
    kinds = {a["type"] for a in attachments}
    assert kinds == {"file", "url"}
    file_attachment = next(a for a in attachments if a["type"] == "file")
    response = await flexe.call(
        "GET", f"/v2/files/{file_attachment['fileKey']}/content"
    )
    assert response.status == 200
    assert (await response.read()).startswith(b"%PDF")
