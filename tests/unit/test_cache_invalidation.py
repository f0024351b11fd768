"""The invalidation API on the in-process cache (tests/invalidation_cases.py)."""

from __future__ import annotations

import pytest

from gateway.cache import MemoryCache
from tests.invalidation_cases import CASES, Case


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.__name__)
async def test_invalidation(case: Case) -> None:
    cache = MemoryCache()
    await case(cache, cache)
