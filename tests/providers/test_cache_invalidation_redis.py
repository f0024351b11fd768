"""The invalidation API on Redis, seen from a second instance (invalidation_cases).

Needs the Redis on 127.0.0.1:6379: skipped loudly without it, failed with CI set
(the `redis_prefix` fixture of tests/conftest.py).
"""

from __future__ import annotations

import pytest

from gateway.cache import RedisCache
from tests.conftest import REDIS_URL
from tests.invalidation_cases import CASES, Case


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.__name__)
async def test_invalidation(case: Case, redis_prefix: str) -> None:
    writer = RedisCache.from_url(REDIS_URL, redis_prefix)
    reader = RedisCache.from_url(REDIS_URL, redis_prefix)
    try:
        await case(writer, reader)
    finally:
        await writer.close()
        await reader.close()
