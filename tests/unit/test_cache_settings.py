"""Cache settings from the environment, TTL per entity, and the cache a URL picks."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from gateway.cache import MemoryCache, RedisCache, cache_from_url
from gateway.cache.entities import ENTITIES, LIST_ENTITIES, ORDER_ENTITIES, ttl_type
from gateway.cache.redis_cache import DEFAULT_PREFIX
from gateway.settings import CACHE_TTL_DEFAULTS, CacheSettings, Settings


def test_defaults() -> None:
    settings = Settings()
    assert settings.cache_url is None
    assert settings.cache.enabled is True
    assert settings.cache.max_items == 50_000
    assert settings.cache.ttl_s == {
        "orders": 30.0,
        "lines": 30.0,
        "shipments": 60.0,
        "inventory": 15.0,
        "purchase_orders": 60.0,
        "attachments": 300.0,
    }


def test_cache_url_and_nested_values_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GATEWAY_CACHE_URL", "redis://127.0.0.1:6379/2")
    monkeypatch.setenv("GATEWAY_CACHE__MAX_ITEMS", "1000")
    monkeypatch.setenv("GATEWAY_CACHE__ENABLED", "false")
    settings = Settings()
    assert settings.cache_url == "redis://127.0.0.1:6379/2"
    assert settings.cache.max_items == 1000
    assert settings.cache.enabled is False


def test_one_ttl_from_the_environment_keeps_the_other_defaults(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GATEWAY_CACHE__TTL_S__INVENTORY", "5")
    monkeypatch.setenv("GATEWAY_CACHE__TTL_S__ATTACHMENTS", "0")
    ttl = Settings().cache.ttl_s
    assert ttl == {**CACHE_TTL_DEFAULTS, "inventory": 5.0, "attachments": 0.0}


def test_ttls_as_json_keep_the_other_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEWAY_CACHE__TTL_S", '{"Orders": 3, "shipments:by_order": 1}')
    ttl = Settings().cache.ttl_s
    assert ttl == {**CACHE_TTL_DEFAULTS, "orders": 3.0, "shipments:by_order": 1.0}


def test_invalid_cache_values_are_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEWAY_CACHE__TTL_S__ORDERS", "-1")
    with pytest.raises(ValidationError, match="ttl_s"):
        Settings()
    with pytest.raises(ValidationError, match="max_items"):
        CacheSettings(max_items=0)


def test_refresh_ahead_settings_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert (CacheSettings().refresh_ahead, CacheSettings().stale_grace_s) == (0.2, 3)
    monkeypatch.setenv("GATEWAY_CACHE__REFRESH_AHEAD", "0.5")
    monkeypatch.setenv("GATEWAY_CACHE__STALE_GRACE_S", "0")
    cache = Settings().cache
    assert (cache.refresh_ahead, cache.stale_grace_s) == (0.5, 0)
    for invalid in ({"refresh_ahead": 1}, {"refresh_ahead": -0.1}):
        with pytest.raises(ValidationError, match="refresh_ahead"):
            CacheSettings.model_validate(invalid)
    with pytest.raises(ValidationError, match="stale_grace_s"):
        CacheSettings(stale_grace_s=-1)


def test_ttl_for_an_entity_falls_back_to_its_type_then_to_not_cached() -> None:
    cache = CacheSettings(ttl_s={"shipments": 60, "shipments:by_order": 5})
    assert cache.ttl_for("shipments") == 60
    assert cache.ttl_for("shipments:inbound") == 60
    assert cache.ttl_for("shipments:by_order") == 5
    assert cache.ttl_for("orders") == 30  # defaults stay under what is given
    assert cache.ttl_for("carriers") == 0
    assert CacheSettings(enabled=False).ttl_for("orders") == 0


def test_every_named_entity_is_cached_by_default() -> None:
    cache = CacheSettings()
    assert {ttl_type(e) for e in ENTITIES} == set(CACHE_TTL_DEFAULTS)
    assert all(cache.ttl_for(entity) > 0 for entity in ENTITIES)
    assert len(set(ENTITIES)) == len(ENTITIES)
    assert set(ORDER_ENTITIES) <= set(ENTITIES)


def test_list_pages_are_cached_by_default_under_their_items_ttl_type() -> None:
    cache = CacheSettings()
    assert [ttl_type(e) for e in LIST_ENTITIES] == [
        "orders",
        "shipments",
        "purchase_orders",
    ]
    assert all(cache.ttl_for(entity) > 0 for entity in LIST_ENTITIES)
    assert not set(LIST_ENTITIES) & set(ENTITIES)


def test_key_prefix_defaults_to_the_redis_cache_default() -> None:
    assert CacheSettings().key_prefix == DEFAULT_PREFIX
    with pytest.raises(ValidationError, match="key_prefix"):
        CacheSettings(key_prefix="")


def test_cache_from_url_is_memory_unless_redis() -> None:
    for url in (None, "", "memory://"):
        cache = cache_from_url(url, max_items=7)
        assert isinstance(cache, MemoryCache)
        assert cache.max_items == 7


@pytest.mark.parametrize(
    "url", ["redis://127.0.0.1:6379/0", "rediss://cache.internal:6380/1", "REDIS://h"]
)
async def test_cache_from_url_is_redis_for_redis_urls(url: str) -> None:
    cache = cache_from_url(url, prefix="p:")
    assert isinstance(cache, RedisCache)
    assert cache.prefix == "p:"
    await cache.close()


@pytest.mark.parametrize(
    "url", ["memcached://h:11211", "127.0.0.1:6379", "http://h:1", "h:6379"]
)
def test_cache_from_url_rejects_other_schemes_without_echoing_the_url(
    url: str,
) -> None:
    with pytest.raises(ValueError, match="a cache URL is") as raised:
        cache_from_url(url)
    assert "h:" not in str(raised.value)
