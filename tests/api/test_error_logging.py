"""A provider failure is logged once where the call failed, never as a traceback per field."""

from __future__ import annotations

import logging

import pytest

from tests.conftest import GQL, SandboxControl

INVENTORY_OF_LINES = """
{ orders(first: 20, filter: {providers: [FLEXE]}) { edges { node {
    id lines { sku inventory { available } } } } } }
"""


async def test_a_failed_provider_call_logs_no_traceback_per_field(
    gql: GQL, control: SandboxControl, caplog: pytest.LogCaptureFixture
) -> None:
    await control.fault("/v2/inventory", "500", provider="flexe", times=None)
    with caplog.at_level(logging.DEBUG):
        body = await gql(INVENTORY_OF_LINES)
    failed = [e for e in body["errors"] if e["extensions"]["code"] != "INTERNAL"]
    # Every line's inventory failed: many located errors in the answer...
    assert len(failed) == len(body["errors"]) > 20
    # ...but the log holds no traceback and nothing at ERROR: strawberry's
    # default logs each of them with its stack.
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert "Traceback" not in caplog.text
    # The upstream failure itself is logged (a 500 is not retried, once per call).
    assert any(r.levelno == logging.WARNING for r in caplog.records)
