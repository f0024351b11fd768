"""Loaders: batching per provider, realignment, and failure of one provider only."""

from __future__ import annotations

import asyncio

import pytest

from gateway.errors import NotSupported, ProviderUnavailable
from gateway.ids import Ref
from gateway.loaders import Loaders
from tests.fakes import FakeProvider, make_order


def two_providers() -> dict[str, FakeProvider]:
    return {
        "a": FakeProvider("a", [make_order("a", n) for n in range(3)]),
        "b": FakeProvider("b", [make_order("b", n) for n in range(3)]),
    }


async def test_loader_batches_one_call_per_provider_and_realigns() -> None:
    providers = two_providers()
    loaders = Loaders.create(providers)  # type: ignore[arg-type]
    keys = [Ref("b", "Order", "b-1"), Ref("a", "Order", "a-2"), Ref("a", "Order", "a-0"),
            Ref("a", "Order", "missing"), Ref("b", "Order", "b-1")]  # fmt: skip
    found = await asyncio.gather(*(loaders.order_by_ref.load(k) for k in keys))
    assert [o.id if o else None for o in found] == ["b-1", "a-2", "a-0", None, "b-1"]
    assert providers["a"].calls == [("get_orders", ("a-2", "a-0", "missing"))]
    assert providers["b"].calls == [("get_orders", ("b-1",))]


async def test_loader_failure_of_one_provider_fails_only_its_keys() -> None:
    providers = two_providers()
    providers["a"].fail_with = ProviderUnavailable("a", "down")
    loaders = Loaders.create(providers)  # type: ignore[arg-type]
    results = await asyncio.gather(
        loaders.order_by_ref.load(Ref("a", "Order", "a-1")),
        loaders.order_by_ref.load(Ref("b", "Order", "b-1")),
        return_exceptions=True,
    )
    assert isinstance(results[0], ProviderUnavailable)
    assert results[1] is not None
    assert results[1].id == "b-1"


async def test_loader_unknown_provider_is_not_supported() -> None:
    loaders = Loaders.create(two_providers())  # type: ignore[arg-type]
    with pytest.raises(NotSupported, match="ZZ is not enabled"):
        await loaders.order_by_ref.load(Ref("zz", "Order", "1"))


async def test_list_loader_missing_key_is_empty_list() -> None:
    providers = two_providers()
    loaders = Loaders.create(providers)  # type: ignore[arg-type]
    lines, none = await asyncio.gather(
        loaders.lines_by_order.load(Ref("a", "Order", "a-1")),
        loaders.lines_by_order.load(Ref("a", "Order", "nope")),
    )
    assert [line.sku for line in lines] == ["SKU-1"]
    assert none == []
    assert providers["a"].calls == [("get_lines", ("a-1", "nope"))]


async def test_loader_prime_and_clear_after_change() -> None:
    providers = two_providers()
    loaders = Loaders.create(providers)  # type: ignore[arg-type]
    ref = Ref("a", "Order", "a-1")
    primed = make_order("a", 99)
    loaders.order_by_ref.prime(ref, primed)
    assert await loaders.order_by_ref.load(ref) is primed
    assert providers["a"].calls == []
    loaders.order_by_ref.clear(ref)
    fresh = await loaders.order_by_ref.load(ref)
    assert fresh is not None
    assert fresh.id == "a-1"
    assert providers["a"].calls == [("get_orders", ("a-1",))]
