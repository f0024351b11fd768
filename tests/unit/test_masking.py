"""Unexpected exceptions are masked; errors raised on purpose keep their message."""

from __future__ import annotations

import logging

import pytest

from gateway import ids
from gateway.context import Context
from gateway.errors import NotFound
from gateway.loaders import Loaders
from gateway.settings import Settings
from schema.root import schema
from tests.fakes import FakeProvider, make_order

QUERY = "query($id: ID!) { order(id: $id) { id } }"


def context_with(provider: FakeProvider) -> Context:
    providers = {"flexe": provider}
    return Context(
        settings=Settings(),
        providers=providers,  # type: ignore[dict-item]
        loaders=Loaders.create(providers),  # type: ignore[arg-type]
        request_id="test",
    )


async def test_unexpected_exception_is_masked_and_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    provider = FakeProvider("flexe", [make_order("flexe", 1)])
    provider.fail_with = RuntimeError("db password is hunter2")
    order_id = ids.encode(ids.Ref("flexe", "Order", "flexe-1"))
    with caplog.at_level(logging.ERROR):
        result = await schema.execute(
            QUERY,
            variable_values={"id": order_id},
            context_value=context_with(provider),
        )
    assert result.errors is not None
    assert [e.message for e in result.errors] == ["Unexpected error."]
    assert "hunter2" not in str(result.errors[0].formatted)
    assert "hunter2" in caplog.text


async def test_provider_error_keeps_message_and_extensions() -> None:
    provider = FakeProvider("flexe")
    provider.fail_with = NotFound("flexe", "Order 1 not found")
    order_id = ids.encode(ids.Ref("flexe", "Order", "1"))
    result = await schema.execute(
        QUERY, variable_values={"id": order_id}, context_value=context_with(provider)
    )
    assert result.errors is not None
    formatted = result.errors[0].formatted
    assert formatted["message"] == "flexe: Order 1 not found"
    assert formatted["extensions"] == {
        "code": "NOT_FOUND",
        "provider": "FLEXE",
        "retryable": False,
    }
