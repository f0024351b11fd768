"""What a request leaves behind: shared decodes hold nothing, loaders are released."""

from __future__ import annotations

import gc

from gateway.cache import dumps, model_codec
from gateway.cache.codec import SharedDecoder
from gateway.context import Context
from gateway.ids import Ref
from gateway.loaders import Loaders
from gateway.models import Order
from gateway.settings import Settings
from gateway.view import release_context
from tests.fakes import FakeProvider, make_order


def test_concurrent_reads_of_one_value_share_one_model() -> None:
    codec = model_codec(Order)
    assert codec is model_codec(Order)  # one per class, not one per loader
    data = dumps(make_order("a", 1))
    first = codec.decode(data)
    # Equal bytes from another read (or from Redis) decode to the same model.
    assert codec.decode(bytes(bytearray(data))) is first
    assert first == make_order("a", 1)


def test_repeated_identical_reads_leave_nothing_behind() -> None:
    decoder = SharedDecoder(Order)
    values = [dumps(make_order("a", n)) for n in range(20)]
    for _ in range(50):
        held = [decoder(value) for value in values]
        assert len(decoder) == 20
        del held
    gc.collect()
    assert len(decoder) == 0


async def test_a_finished_request_releases_what_its_loaders_hold() -> None:
    providers = {"a": FakeProvider("a", [make_order("a", n) for n in range(3)])}
    loaders = Loaders.create(providers)  # type: ignore[arg-type]
    context = Context(
        settings=Settings(),
        providers=providers,  # type: ignore[arg-type]
        loaders=loaders,
        request_id="r",
    )
    order = await loaders.order_by_ref.load(Ref("a", "Order", "a-1"))
    assert order is not None
    assert loaders.order_by_ref._cache
    release_context(context)
    assert not loaders.order_by_ref._cache
    release_context(None)  # a request that never got a context
