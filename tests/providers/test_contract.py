"""The provider contract, written once and run against every registered adapter.

Each behaviour runs over real HTTP against that provider's sandbox; faults are
scheduled through the sandbox's control surface on the path the read uses.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from pydantic import SecretStr

from gateway import errors
from gateway.http import create_session
from gateway.providers import REGISTRY
from gateway.providers.base import PageRequest, ProviderBase
from gateway.settings import RetrySettings
from tests.conftest import FAST_RETRY, SandboxControl, provider_settings
from tests.providers.contract_cases import CASES, ContractCase

SLUGS = sorted(REGISTRY)


def test_every_registered_provider_has_a_contract_case() -> None:
    assert set(REGISTRY) <= set(CASES)


@pytest.fixture(params=SLUGS)
def case(request: pytest.FixtureRequest) -> ContractCase:
    return CASES[request.param]


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with create_session() as session:
        yield session


async def build(
    case: ContractCase,
    sandbox: TestServer,
    session: aiohttp.ClientSession,
    retry: RetrySettings = FAST_RETRY,
    **overrides: Any,
) -> ProviderBase:
    if case.slug == "flexport_logistics":
        # These cases fault an order's GET after listing it: a warm order
        # would be served without that GET (the warm store has its own tests).
        overrides.setdefault("warm_orders", False)
    settings = provider_settings(sandbox, case.slug, **overrides)
    provider = REGISTRY[case.slug](settings, session, retry)
    await provider.start()
    return provider


@pytest.fixture
async def provider(
    case: ContractCase, sandbox: TestServer, session: aiohttp.ClientSession
) -> AsyncIterator[ProviderBase]:
    built = await build(case, sandbox, session)
    yield built
    await built.close()


async def some_ids(case: ContractCase, provider: ProviderBase, n: int = 5) -> list[str]:
    page = await case.list(provider, PageRequest(n))
    ids = [item.id for item in page.items]
    assert len(ids) == n
    return ids


async def test_contract_get_one(case: ContractCase, provider: ProviderBase) -> None:
    [one] = await some_ids(case, provider, 1)
    found = await case.get(provider, [one])
    assert list(found) == [one]
    assert found[one].provider == case.slug
    assert found[one].raw, "the untouched payload is kept"


async def test_contract_get_batch_skips_missing(
    case: ContractCase, provider: ProviderBase
) -> None:
    ids = await some_ids(case, provider)
    found = await case.get(provider, [*ids, case.missing_id, ids[0]])
    assert set(found) == set(ids)


async def test_contract_list_to_the_end(
    case: ContractCase,
    sandbox: TestServer,
    session: aiohttp.ClientSession,
    control: SandboxControl,
) -> None:
    # Rate limits are each provider's own tests' business; here they would
    # only stretch a walk that costs one GET per order on LAPI.
    await control.settings(rateLimits=False)
    provider = await build(case, sandbox, session, rate_limit_per_s=0)
    try:
        await walk_to_the_end(case, provider)
    finally:
        await provider.close()


async def walk_to_the_end(case: ContractCase, provider: ProviderBase) -> None:
    seen: list[str] = []
    cursor = None
    for _ in range(200):
        page = await case.list(provider, PageRequest(case.list_page_size, cursor))
        seen += [item.id for item in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert len(seen) == len(set(seen)), "no item twice"
    assert len(seen) >= case.min_total
    if page.total is not None:
        assert page.total == len(seen)


async def test_contract_create(case: ContractCase, provider: ProviderBase) -> None:
    created = await case.create(provider)
    assert created.provider == case.slug
    assert created.id


async def test_contract_illegal_transition_is_conflict(
    case: ContractCase, provider: ProviderBase
) -> None:
    with pytest.raises(errors.Conflict) as info:
        await case.illegal_transition(provider)
    assert info.value.extensions["code"] == "CONFLICT"


async def test_contract_acting_on_a_missing_object_is_not_found(
    case: ContractCase, provider: ProviderBase
) -> None:
    # Batch reads leave unknown ids out; a write on one cannot, so it is a 404.
    with pytest.raises(errors.NotFound) as info:
        await case.cancel(provider, case.missing_id)
    assert info.value.extensions["code"] == "NOT_FOUND"


async def test_contract_401_is_auth_error(
    case: ContractCase, sandbox: TestServer, session: aiohttp.ClientSession
) -> None:
    bad = await build(case, sandbox, session, token=SecretStr("wrong-token"))
    try:
        with pytest.raises(errors.ProviderAuthError):
            await case.get(bad, [case.missing_id])
    finally:
        await bad.close()


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        ("garbage", errors.ProviderResponseInvalid),
        ("shape", errors.ProviderResponseInvalid),
    ],
)
async def test_contract_faults_map_to_errors(
    case: ContractCase,
    provider: ProviderBase,
    control: SandboxControl,
    fault: str,
    expected: type[errors.ProviderError],
) -> None:
    [one] = await some_ids(case, provider, 1)
    await control.fault(case.get_path, fault, provider=case.slug, times=None)
    with pytest.raises(expected) as info:
        await case.get(provider, [one])
    assert info.value.provider == case.slug


async def test_contract_429_is_honoured_then_reported(
    case: ContractCase,
    sandbox: TestServer,
    session: aiohttp.ClientSession,
    control: SandboxControl,
) -> None:
    retry = RetrySettings(max_retries=2, backoff_base_s=0, max_retry_after_s=0.5)
    provider = await build(case, sandbox, session, retry)
    try:
        [one] = await some_ids(case, provider, 1)
        await control.fault(case.get_path, "429", provider=case.slug, retry_after=0)
        assert one in await case.get(provider, [one])
        await control.fault(case.get_path, "429", provider=case.slug, retry_after=30)
        with pytest.raises(errors.RateLimited) as info:
            await case.get(provider, [one])
        assert info.value.retry_after == 30
        assert info.value.extensions["retryAfter"] == 30
    finally:
        await provider.close()


async def test_contract_5xx_is_retried_then_unavailable(
    case: ContractCase, provider: ProviderBase, control: SandboxControl
) -> None:
    [one] = await some_ids(case, provider, 1)
    await control.clear()
    await control.fault(case.get_path, "503", provider=case.slug, times=1)
    assert one in await case.get(provider, [one])
    assert len(await control.requests(case.slug)) == 2
    await control.clear()
    await control.fault(case.get_path, "503", provider=case.slug, times=None)
    with pytest.raises(errors.ProviderUnavailable):
        await case.get(provider, [one])
    assert len(await control.requests(case.slug)) == 1 + FAST_RETRY.max_retries
    # A 500 is not one of the statuses that promise a retry can succeed.
    await control.clear_faults()
    await control.clear()
    await control.fault(case.get_path, "500", provider=case.slug, times=None)
    with pytest.raises(errors.ProviderUnavailable):
        await case.get(provider, [one])
    assert len(await control.requests(case.slug)) == 1


async def test_contract_timeout_is_unavailable(
    case: ContractCase,
    sandbox: TestServer,
    session: aiohttp.ClientSession,
    control: SandboxControl,
) -> None:
    provider = await build(
        case, sandbox, session, RetrySettings(max_retries=0), timeout_s=0.2
    )
    try:
        [one] = await some_ids(case, provider, 1)
        await control.fault(case.get_path, "timeout", provider=case.slug)
        with pytest.raises(errors.ProviderUnavailable, match="did not answer"):
            await case.get(provider, [one])
    finally:
        await provider.close()
