"""Redis stopped (issue 12, F4): pages keep working, rate limits refuse, /healthz/ names the cache.

The cache URL points at a closed port, as when Redis is stopped.
"""

import pytest
from django.urls import reverse

CLOSED_PORT = "redis://127.0.0.1:1/0"


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {"default": {"BACKEND": "platform_portal.cache.SafeRedisCache", "LOCATION": CLOSED_PORT}}


def _settings_in_subprocess(code: str, **env):
    import os
    import subprocess
    import sys

    env = {**os.environ, **env, "DJANGO_SETTINGS_MODULE": "platform_portal.settings"}
    script = "import django; django.setup(); from django.conf import settings; " + code
    return subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False)


def test_settings_put_redis_behind_the_safe_backend():
    result = _settings_in_subprocess("print(settings.CACHES['default']['BACKEND'])", CACHE_URL="redis://127.0.0.1:1/0")
    assert result.stdout.strip() == "platform_portal.cache.SafeRedisCache", result.stderr


def test_safe_cache_misses_and_drops_writes(redis_down):
    from django.core.cache import cache

    from platform_portal.cache import raising_cache

    assert cache.get("x") is None
    assert cache.get("x", "default") == "default"
    cache.set("x", 1)
    assert cache.get_many(["x", "y"]) == {}
    assert cache.add("x", 1) is False
    cache.delete("x")
    with pytest.raises(Exception):  # noqa: B017 - the rate limits' view of the same cache raises
        raising_cache().get("x")


@pytest.mark.django_db
def test_pages_answer_while_redis_is_down(client, demo_data, redis_down):
    for name in ["page_home", "members:organization_list", "meetings:meeting_list", "events:event_list"]:
        assert client.get(reverse(name)).status_code == 200, name
    assert client.get("/no-such-page/").status_code == 404
    assert client.get(reverse("admin:login")).status_code == 200
    response = client.post(reverse("admin:login"), {"username": "nobody", "password": "wrong-password"})
    assert response.status_code == 200  # a failed login is recorded in the database, not in Redis


@pytest.mark.django_db
def test_healthz_names_the_cache_when_it_is_down(client, redis_down):
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "down", "database": "ok", "cache": "down"}


@pytest.mark.django_db
def test_rate_limited_views_fail_closed(client, redis_down):
    response = client.post(reverse("members:organization_join"), {})
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "1分" in response.content.decode()


def test_empty_cache_url_is_a_clear_configuration_error():
    """F12: CACHE_URL= (empty) names the variable instead of raising KeyError."""
    result = _settings_in_subprocess("", CACHE_URL="")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "CACHE_URL is empty" in result.stderr
    assert "KeyError" not in result.stderr
