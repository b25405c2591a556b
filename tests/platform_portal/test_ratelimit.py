"""The one rate limit (issue 12, F9): a sliding window, every rate from settings, the real wait in every 429."""

import ast
import datetime
import math
from pathlib import Path

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.urls import reverse

from platform_portal import ratelimit
from platform_portal.ratelimit import Rate, parse_rate, rate_hit, rate_limit, wait_seconds

BASE_DIR = Path(__file__).resolve().parents[2]
APP_DIRS = ["platform_portal", "members", "meetings", "subsidies", "supporters"]


@pytest.fixture
def clock(monkeypatch):
    """The rate limit's clock, set by the test (seconds since the epoch)."""

    class Clock:
        now = 1_800_000_000.0  # a multiple of 60 and 3600: the start of a window

    monkeypatch.setattr(ratelimit, "_now", lambda: Clock.now)
    return Clock


def _request(ip="192.0.2.1"):
    request = RequestFactory().post("/", REMOTE_ADDR=ip)
    request.user = AnonymousUser()
    return request


def test_parse_rate():
    assert parse_rate("20/m") == Rate(20, 60)
    assert parse_rate("5/15m") == Rate(5, 900)
    assert parse_rate("30/h") == Rate(30, 3600)
    for bad in ["", "20", "0/m", "20/x", "abc/m"]:
        with pytest.raises(ImproperlyConfigured):
            parse_rate(bad)


def test_a_burst_cannot_double_across_a_window_boundary(clock):
    """Fixed windows let 20 through at the end of one minute and 20 more at the start of the next."""
    rate = Rate(20, 60)
    passed = 0
    clock.now += 56  # 4 s before the boundary, one request every 0.25 s for 8 s
    for _ in range(32):
        if rate_hit(_request(), group="pdf", rate=rate) is None:
            passed += 1
        clock.now += 0.25
    assert passed <= 21  # fixed windows: 16 + 16 = 32


def test_retry_after_is_the_real_wait(clock):
    rate = Rate(3, 3600)
    clock.now += 600
    for _ in range(3):
        assert rate_hit(_request(), group="join", rate=rate) is None
    wait = rate_hit(_request(), group="join", rate=rate)
    assert wait is not None and wait != 900
    clock.now += wait - 1
    assert rate_hit(_request(), group="join", rate=rate) is not None  # one second early: still refused
    clock.now += 1
    assert rate_hit(_request(), group="join", rate=rate) is None  # after the stated wait: allowed
    # Another client and another group have their own counters.
    assert rate_hit(_request("192.0.2.2"), group="join", rate=rate) is None


def test_refused_requests_do_not_extend_the_wait(clock):
    rate = Rate(2, 60)
    rate_hit(_request(), group="g", rate=rate)
    rate_hit(_request(), group="g", rate=rate)
    first = rate_hit(_request(), group="g", rate=rate)
    for _ in range(50):
        assert rate_hit(_request(), group="g", rate=rate) == first


@pytest.mark.parametrize(
    ("previous", "current", "offset", "expected"),
    [
        (0, 3, 0, 60 + 20),  # next window, once 1/3 of it has passed: 3 × 2/3 + 1 = 3
        (3, 0, 0, 20),  # this window, when the previous window's 3 weigh 2: 2 + 0 + 1 = 3
        (3, 2, 30, 30),  # this window's end, when the previous window no longer weighs: 0 + 2 + 1 = 3
    ],
)
def test_wait_seconds(previous, current, offset, expected):
    assert wait_seconds(rate=Rate(3, 60), previous=previous, current=current, now=6000.0 + offset) == expected


def test_the_limit_fails_closed_when_the_cache_is_down(clock, settings):
    settings.CACHES = {
        "default": {"BACKEND": "platform_portal.cache.SafeRedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    assert rate_hit(_request(), group="g", rate=Rate(100, 60)) == ratelimit.UNAVAILABLE_RETRY_SECONDS


def test_decorator_reads_the_rate_from_settings_and_counts_only_its_methods(db, settings, clock):
    from django.http import HttpResponse

    settings.MEETINGS_PDF_RATE = "2/m"

    @rate_limit("MEETINGS_PDF_RATE")
    def view(request):
        return HttpResponse("ok")

    factory = RequestFactory()
    for _ in range(5):
        request = factory.get("/")
        request.user = AnonymousUser()
        assert view(request).status_code == 200  # GET does not count
    statuses = []
    for _ in range(3):
        request = factory.post("/")
        request.user = AnonymousUser()
        statuses.append(view(request))
    assert [r.status_code for r in statuses] == [200, 200, 429]
    refused = statuses[-1]
    assert int(refused["Retry-After"]) == 60 + 30  # next window, half of it gone: 2 × 0.5 + 1 = 2
    assert "2分" in refused.content.decode()  # the page says the same wait (90 s → 2 minutes, rounded up)
    settings.RATELIMIT_ENABLE = False
    request = factory.post("/")
    request.user = AnonymousUser()
    assert view(request).status_code == 200


def test_join_429_states_the_real_wait_in_header_and_text(db, client, settings):
    settings.MEMBERS_JOIN_RATE = "1/5m"
    url = reverse("members:organization_join")
    assert client.post(url, {}).status_code == 200
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(seconds=1)):
        response = client.post(url, {})
    assert response.status_code == 429
    wait = int(response["Retry-After"])
    assert 1 <= wait <= 600
    text = response.content.decode()
    assert "15分" not in text or wait > 840
    minutes = math.ceil(wait / 60)
    assert (f"{minutes}分" if wait >= 60 else f"{wait}秒") in text


@pytest.mark.django_db
def test_the_login_lockout_429_has_retry_after(client, secretariat, settings):
    start = datetime.datetime(2026, 1, 27, 9, 0, tzinfo=datetime.UTC)
    login = reverse("admin:login")
    with time_machine.travel(start, tick=False) as traveller:
        for _ in range(4):
            client.post(login, {"username": "secretariat", "password": "wrong"})
        traveller.shift(datetime.timedelta(minutes=2))
        locked = client.post(login, {"username": "secretariat", "password": "wrong"})
        assert locked.status_code == 429
        # The cool-off (15 minutes) counts from the last failed attempt.
        assert locked["Retry-After"] == str(15 * 60)
        assert "15分" in locked.content.decode()
        traveller.shift(datetime.timedelta(seconds=15 * 60 + 1))
        response = client.post(login, {"username": "secretariat", "password": "correct horse battery staple"})
        assert response.status_code == 302


@pytest.mark.django_db
def test_lockouts_survive_a_cache_restart(client, secretariat):
    from django.core.cache import cache

    login = reverse("admin:login")
    for _ in range(5):
        client.post(login, {"username": "secretariat", "password": "wrong"})
    cache.clear()  # Redis restarted without persistence
    response = client.post(login, {"username": "secretariat", "password": "correct horse battery staple"})
    assert response.status_code == 429


def _calls(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "rate_limit":
            yield node


def test_one_rate_limit_and_every_rate_from_settings():
    """Guard: no other rate limiting in the apps, and every rate_limit names a setting that exists."""
    names = []
    for app in APP_DIRS:
        for path in (BASE_DIR / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            source = path.read_text(encoding="utf-8")
            assert "django_ratelimit" not in source, f"{path}: use platform_portal.ratelimit.rate_limit"
            for call in _calls(ast.parse(source)):
                first = call.args[0]
                assert isinstance(first, ast.Constant) and first.value.isupper(), f"{path}: rate_limit('SETTING')"
                names.append(first.value)
    assert len(names) >= 9
    for name in names:
        parse_rate(getattr(django_settings, name))
    assert "django_ratelimit" not in (BASE_DIR / "pyproject.toml").read_text()
