"""error_from_response: one table from (status, body, headers) to exception."""

from __future__ import annotations

import orjson
import pytest

from gateway import errors
from gateway.providers.flexe.mapping import parse_error


def flexe_body(code: str, message: str, field: str | None = None) -> bytes:
    return orjson.dumps(
        {
            "errors": [{"code": code, "message": message, "field": field}],
            "correlationId": "c",
        }
    )


@pytest.mark.parametrize(
    ("status", "body", "headers", "cls", "code", "retry_after"),
    [
        (400, flexe_body("INVALID_PARAMETER", "bad", "pageSize"), {}, errors.Rejected, "INVALID", None),
        (401, flexe_body("UNAUTHORIZED", "no"), {}, errors.ProviderAuthError, "UPSTREAM_AUTH", None),
        (403, b"", {}, errors.ProviderAuthError, "UPSTREAM_AUTH", None),
        (404, flexe_body("ORDER_NOT_FOUND", "gone"), {}, errors.NotFound, "NOT_FOUND", None),
        (409, flexe_body("LINE_NOT_CANCELLABLE", "shipped"), {}, errors.Conflict, "CONFLICT", None),
        (422, flexe_body("VALIDATION_FAILED", "req", "a.b"), {}, errors.Rejected, "INVALID", None),
        (429, flexe_body("RATE_LIMITED", "slow"), {"Retry-After": "23"}, errors.RateLimited, "RATE_LIMITED", 23.0),
        (500, b"<html>oops</html>", {}, errors.ProviderUnavailable, "UPSTREAM_UNAVAILABLE", None),
        (503, flexe_body("SERVICE_UNAVAILABLE", "down"), {"Retry-After": "2"}, errors.ProviderUnavailable, "UPSTREAM_UNAVAILABLE", 2.0),
        (418, b"{}", {}, errors.ProviderError, "UPSTREAM_ERROR", None),
    ],
)  # fmt: skip
def test_error_from_response_maps_status(
    status: int,
    body: bytes,
    headers: dict[str, str],
    cls: type[errors.ProviderError],
    code: str,
    retry_after: float | None,
) -> None:
    exc = errors.error_from_response("flexe", status, body, headers, parse_error)
    assert type(exc) is cls
    assert exc.extensions["code"] == code
    assert exc.extensions["provider"] == "FLEXE"
    assert exc.retry_after == retry_after
    assert exc.status == status
    assert exc.body == body


def test_error_from_response_keeps_field_errors_and_message() -> None:
    body = flexe_body(
        "VALIDATION_FAILED", "postcode is required", "recipient.address.postcode"
    )
    exc = errors.error_from_response("flexe", 422, body, {}, parse_error)
    assert exc.fields == {"recipient.address.postcode": "postcode is required"}
    assert exc.provider_code == "VALIDATION_FAILED"
    assert str(exc) == "flexe: postcode is required"


def test_error_from_response_conflict_codes_turn_400_into_conflict() -> None:
    body = flexe_body("407001", "Order is IN_PROGRESS and cannot be cancelled")
    exc = errors.error_from_response(
        "flexe", 400, body, {}, parse_error, conflict_codes=frozenset({"407001"})
    )
    assert isinstance(exc, errors.Conflict)


def test_error_extensions_say_retryable_only_for_transient_errors() -> None:
    assert errors.ProviderUnavailable("flexe", "x").extensions["retryable"] is True
    assert errors.RateLimited("flexe", "x", retry_after=3).extensions["retryAfter"] == 3
    assert errors.NotFound("flexe", "x").extensions["retryable"] is False


@pytest.mark.parametrize("value", ["7", "0", " 7", "soon", "-3"])
def test_parse_retry_after_reads_delta_seconds(value: str) -> None:
    expected = {"7": 7.0, "0": 0.0, " 7": 7.0, "soon": None, "-3": 0.0}[value]
    assert errors.parse_retry_after({"Retry-After": value}) == expected
