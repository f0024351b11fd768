"""LAPI writes against the sandbox: shipment documents (L4 + upload) and field errors.

Seed 7: B2B-71077 is BOOKED with one shipment (810098), B2B-71071 IN_PROGRESS
with two, B2B-71100 PLANNED with none, B2B-71021 CANCELLED with a cancelled one.
"""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

import tests.providers.test_flexport_logistics as lapi_tests
from gateway import errors
from gateway.ids import Ref
from gateway.models import (
    AddressInput,
    AttachmentCreate,
    OrderKind,
    OrderLineCreate,
    OrderUpdate,
)
from gateway.providers.base import Capability
from gateway.providers.flexport_logistics import FlexportLogisticsProvider
from gateway.providers.flexport_logistics.attachments import attachment_type
from tests.conftest import FAST_RETRY, SandboxControl, provider_settings

SLUG = lapi_tests.SLUG
BASE = lapi_tests.BASE
PDF = lapi_tests.PDF
ONE_SHIPMENT, SHIPMENT = "B2B-71077", "B2B-810098"
TWO_SHIPMENTS = "B2B-71071"
UPLOAD_URL = f"{BASE}/outbounds/71077/shipments/810098/attachments/upload-url"

# The LAPI test module's fixtures, shared rather than copied.
sandbox_config = lapi_tests.sandbox_config
session = lapi_tests.session
make = lapi_tests.make
lapi = lapi_tests.lapi
log = lapi_tests.log
new_order = lapi_tests.new_order


def document(**changes: Any) -> AttachmentCreate:
    values: dict[str, Any] = {
        "document_type": "shipping_label",
        "content": PDF,
        "content_type": "application/pdf",
        **changes,
    }
    return AttachmentCreate(**values)


def paths(exc: errors.Rejected) -> list[tuple[str, ...] | None]:
    return [path for path, _ in exc.input_paths]


# Uploads ------------------------------------------------------------------------


async def test_upload_reaches_the_sandbox_and_shows_on_the_order(
    lapi: FlexportLogisticsProvider,
    control: SandboxControl,
    session: aiohttp.ClientSession,
) -> None:
    attachment = await lapi.create_attachment(
        ONE_SHIPMENT, document(), idempotency_key="doc-1"
    )
    assert (attachment.owner_id, attachment.owner_kind) == (ONE_SHIPMENT, "Order")
    assert attachment.id == f"{SHIPMENT}/1"
    assert (attachment.type, attachment.content_type) == (
        "SHIPPING_LABELS",
        "application/pdf",
    )
    assert attachment.size == len(PDF)
    assert attachment.url is not None
    token = attachment.url.rpartition("/")[2]
    assert [(r["method"], r["path"], r["status"]) for r in await log(control)] == [
        ("GET", f"{BASE}/outbounds/71077", 200),
        # The catalogue names the lines' SKUs; it is cached from then on.
        ("GET", f"{BASE}/products", 200),
        ("POST", UPLOAD_URL, 200),
        ("PUT", f"/_sandbox/uploads/{token}", 200),
        ("GET", f"{BASE}/outbounds/71077", 200),
    ]
    async with session.get(attachment.url) as stored:
        assert stored.status == 200
        assert await stored.read() == PDF, "the bytes arrived"
    owner = Ref(SLUG, "Order", ONE_SHIPMENT)
    assert (await lapi.get_attachments([owner]))[owner] == [attachment]


async def test_repeated_key_attaches_nothing_more(
    lapi: FlexportLogisticsProvider, control: SandboxControl
) -> None:
    first = await lapi.create_attachment(
        ONE_SHIPMENT, document(), idempotency_key="doc-2"
    )
    again = await lapi.create_attachment(
        ONE_SHIPMENT, document(), idempotency_key="doc-2"
    )
    # The same slot, its bytes written again (so only the upload time moves).
    assert (again.id, again.url, again.size) == (first.id, first.url, first.size)
    owner = Ref(SLUG, "Order", ONE_SHIPMENT)
    assert len((await lapi.get_attachments([owner]))[owner]) == 1
    invoice = await lapi.create_attachment(
        ONE_SHIPMENT,
        document(document_type="Commercial invoice"),
        idempotency_key="doc-3",
    )
    assert (invoice.id, invoice.type) == (f"{SHIPMENT}/2", "COMMERCIAL_INVOICE")
    listed = (await lapi.get_attachments([owner]))[owner]
    assert [a.type for a in listed] == ["SHIPPING_LABELS", "COMMERCIAL_INVOICE"]


async def test_the_upload_put_carries_no_bearer_token(
    sandbox: Any, control: SandboxControl
) -> None:
    sent: list[tuple[str, str, dict[str, str]]] = []

    async def record(_: Any, __: Any, params: Any) -> None:
        sent.append((params.method, str(params.url), dict(params.headers)))

    tracing = aiohttp.TraceConfig()
    tracing.on_request_start.append(record)
    async with aiohttp.ClientSession(trace_configs=[tracing]) as traced:
        provider = FlexportLogisticsProvider(
            provider_settings(sandbox, SLUG, rate_limit_per_s=0), traced, FAST_RETRY
        )
        try:
            await provider.create_attachment(
                ONE_SHIPMENT, document(), idempotency_key="doc-4"
            )
        finally:
            await provider.close()
    (put,) = [(url, headers) for method, url, headers in sent if method == "PUT"]
    assert "/_sandbox/uploads/" in put[0]
    assert "Authorization" not in put[1], "the pre-signed URL is its own credential"
    assert put[1]["Content-Type"] == "application/pdf"
    posts = [headers for method, _, headers in sent if method == "POST"]
    assert posts[0]["idempotency-key"] == "doc-4"
    assert posts[0]["Authorization"].startswith("Bearer ")


async def test_faults_on_either_step_are_retried_into_one_attachment(
    lapi: FlexportLogisticsProvider, control: SandboxControl
) -> None:
    await control.fault(UPLOAD_URL, "503", provider=SLUG, method="POST")
    await control.fault("/_sandbox/uploads/*", "503", provider=SLUG, method="PUT")
    attachment = await lapi.create_attachment(
        ONE_SHIPMENT, document(), idempotency_key="doc-5"
    )
    requests = [(r["method"], r["status"]) for r in await log(control)]
    assert requests == [
        ("GET", 200),
        ("GET", 200),
        ("POST", 503),
        ("POST", 200),
        ("PUT", 503),
        ("PUT", 200),
        ("GET", 200),
    ]
    owner = Ref(SLUG, "Order", ONE_SHIPMENT)
    assert (await lapi.get_attachments([owner]))[owner] == [attachment]


async def test_the_shipment_is_named_unless_there_is_only_one(
    lapi: FlexportLogisticsProvider, control: SandboxControl
) -> None:
    for order_id, count in ((TWO_SHIPMENTS, "2 shipments"), ("B2B-71100", "no")):
        with pytest.raises(errors.Rejected, match=count) as info:
            await lapi.create_attachment(order_id, document(), idempotency_key="k")
        assert paths(info.value) == [("shipmentId",)]
    with pytest.raises(errors.Rejected) as info:
        await lapi.create_attachment(
            TWO_SHIPMENTS, document(shipment_id="B2B-810098"), idempotency_key="k"
        )
    assert paths(info.value) == [("shipmentId",)], "a shipment of another order"
    assert [r["method"] for r in await log(control)] == ["GET"] * 3, "no write"
    named = await lapi.create_attachment(
        TWO_SHIPMENTS, document(shipment_id="B2B-810089"), idempotency_key="k2"
    )
    assert named.id == "B2B-810089/1"
    by_lapi_id = await lapi.create_attachment(
        TWO_SHIPMENTS,
        document(shipment_id="810088", document_type="PACKING_SLIP"),
        idempotency_key="k3",
    )
    assert (by_lapi_id.id, by_lapi_id.type) == ("B2B-810088/1", "PACKING_LIST")


# Refusals -----------------------------------------------------------------------


async def test_wrong_content_type_is_lapis_422_at_the_input_path(
    lapi: FlexportLogisticsProvider, control: SandboxControl
) -> None:
    with pytest.raises(errors.Rejected) as info:
        await lapi.create_attachment(
            ONE_SHIPMENT,
            document(content=b"\x89PNG\r\n\x1a\n", content_type="image/png"),
            idempotency_key="png",
        )
    assert info.value.status == 422
    assert info.value.fields == {"contentType": "contentType must be application/pdf"}
    assert info.value.input_paths == [
        (("contentType",), "contentType must be application/pdf")
    ]
    assert [r["method"] for r in await log(control)] == ["GET", "GET", "POST"], "no PUT"
    owner = Ref(SLUG, "Order", ONE_SHIPMENT)
    assert (await lapi.get_attachments([owner]))[owner] == []


async def test_a_cancelled_shipment_takes_no_documents(
    lapi: FlexportLogisticsProvider,
) -> None:
    with pytest.raises(errors.Conflict, match="CANCELLED") as info:
        await lapi.create_attachment("B2B-71021", document(), idempotency_key="k")
    assert (info.value.status, info.value.provider_code) == (400, "407001")


async def test_refusals_without_a_call(
    lapi: FlexportLogisticsProvider, control: SandboxControl
) -> None:
    with pytest.raises(errors.NotSupported, match="DTC"):
        await lapi.create_attachment("DTC-49201824001", document(), idempotency_key="k")
    with pytest.raises(errors.Rejected) as info:
        await lapi.create_attachment(
            ONE_SHIPMENT,
            AttachmentCreate(document_type="label", url="https://example.com/l.pdf"),
            idempotency_key="k",
        )
    assert paths(info.value) == [("url",)]
    with pytest.raises(errors.Rejected, match="SHIPPING_LABELS") as info:
        await lapi.create_attachment(
            ONE_SHIPMENT, document(document_type="selfie"), idempotency_key="k"
        )
    assert paths(info.value) == [("documentType",)]
    with pytest.raises(errors.NotFound):
        await lapi.create_attachment("71077", document(), idempotency_key="k")
    with pytest.raises(errors.NotSupported):
        await lapi.update_order(ONE_SHIPMENT, OrderUpdate(notes="x"))
    assert await log(control) == []
    assert Capability.CREATE_ATTACHMENT in lapi.capabilities
    assert Capability.UPDATE_ORDER not in lapi.capabilities


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("shipping_label", "SHIPPING_LABELS"),
        ("SHIPPING_LABELS", "SHIPPING_LABELS"),
        ("Shipping labels", "SHIPPING_LABELS"),
        ("label", "SHIPPING_LABELS"),
        ("commercial_invoice", "COMMERCIAL_INVOICE"),
        ("invoice", "COMMERCIAL_INVOICE"),
        ("case-label", "CASE_LABELS"),
        ("pallet labels", "PALLET_LABELS"),
        ("BOL", "BILL_OF_LADING"),
        ("bill of lading", "BILL_OF_LADING"),
        ("packing list", "PACKING_LIST"),
        ("packing_slip", "PACKING_LIST"),
        ("selfie", None),
        ("labelss", None),
    ],
)
def test_document_types_map_to_lapis_enum(given: str, expected: str | None) -> None:
    assert attachment_type(given) == expected


# Field errors of the order writes --------------------------------------------------


async def test_b2b_create_422_names_the_callers_input(
    lapi: FlexportLogisticsProvider,
) -> None:
    bad = new_order(OrderKind.B2B, "WHS-BAD-1").model_copy(
        update={
            "recipient": AddressInput(
                name="Target DC 9", line1="3805 High St", city="Reno", country="US"
            ),
            "lines": (
                OrderLineCreate(sku="SKU-10001", quantity=3, unit_of_measure="PALLET"),
                OrderLineCreate(sku="SKU-NOPE", quantity=1),
            ),
        }
    )
    with pytest.raises(errors.Rejected) as info:
        await lapi.create_order(bad, idempotency_key="bad-b2b")
    assert info.value.status == 422
    assert set(paths(info.value)) == {
        ("lines", "0", "unitOfMeasure"),
        ("lines", "1", "sku"),
        ("recipient", "postalCode"),
        ("recipient", "region"),
    }
    messages = dict(info.value.input_paths)
    assert messages[("recipient", "postalCode")] == "shipToAddress.zip is required"


async def test_dtc_create_422_names_the_callers_input(
    lapi: FlexportLogisticsProvider,
) -> None:
    bad = new_order(OrderKind.DTC, "#BAD-2").model_copy(
        update={
            "lines": (
                OrderLineCreate(sku="SKU-10001", quantity=1),
                OrderLineCreate(sku="SKU-NOPE", quantity=1),
            ),
        }
    )
    with pytest.raises(errors.Rejected) as info:
        await lapi.create_order(bad, idempotency_key="bad-dtc")
    assert paths(info.value) == [("lines", "1", "sku")]
    assert "lineItems[1].logisticsSku" in info.value.fields


async def test_cancel_keeps_its_conflicts(lapi: FlexportLogisticsProvider) -> None:
    with pytest.raises(errors.Conflict, match="cannot be cancelled"):
        await lapi.cancel_order("B2B-71058")
