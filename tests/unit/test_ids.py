"""Global IDs: round trip, opacity and rejection of foreign or malformed IDs."""

from __future__ import annotations

import base64

import pytest

from gateway import ids
from gateway.errors import InvalidId


def test_ids_round_trip_keeps_provider_kind_and_id() -> None:
    ref = ids.Ref("flexe", "Order", "8c1f-42:x/y")
    encoded = ids.encode(ref)
    assert "=" not in encoded
    assert ids.decode(encoded) == ref


def test_ids_encode_is_base64url_of_documented_form() -> None:
    encoded = ids.encode(ids.Ref("flexe", "Order", "abc"))
    padded = encoded + "=" * (-len(encoded) % 4)
    assert base64.urlsafe_b64decode(padded) == b"FLEXE:Order:abc"


@pytest.mark.parametrize(
    "value",
    ["", "not base64!", "Zm9v", ids.encode(ids.Ref("acme", "Order", "1")), "w6k"],
)
def test_ids_decode_rejects_malformed_or_foreign(value: str) -> None:
    with pytest.raises(InvalidId) as info:
        ids.decode(value)
    assert info.value.extensions["code"] == "INVALID_ID"


def test_ids_decode_rejects_wrong_kind() -> None:
    encoded = ids.encode(ids.Ref("flexe", "OrderLine", "o/1"))
    with pytest.raises(InvalidId, match="is a OrderLine, not a Order"):
        ids.decode(encoded, kind="Order")
    assert ids.decode(encoded, kind=("Order", "OrderLine")).kind == "OrderLine"
