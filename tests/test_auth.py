"""Staff authentication: login throttling (docs/quality.md S1), session lifetime (S2), password rules (S3)
and login events in the audit trail (L1).

django-axes makes Client.login() fail (it needs a request): tests post the real login form
here and use force_login everywhere else.
"""

import datetime
import json

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from platform_portal.models import AuditLogEntry

PASSWORD = "correct horse battery staple"
WRONG = "wrong-password-xyz"
START = datetime.datetime(2026, 1, 27, 9, 0, tzinfo=datetime.UTC)


def _login(client, username, password, **extra):
    return client.post(reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"}, **extra)


def _logged_in(client) -> bool:
    response = client.get(reverse("admin:index"))
    return response.status_code == 200


# ---------------------------------------------------------------- S1 login throttling


@pytest.mark.django_db
def test_five_failures_lock_the_login_for_fifteen_minutes(client, secretariat):
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(4):
            assert _login(client, "secretariat", WRONG).status_code == 200
        locked = _login(client, "secretariat", WRONG)
        assert locked.status_code == 429
        # Even the right password is refused during the cool-off, with the Japanese 429 page.
        response = _login(client, "secretariat", PASSWORD)
        assert response.status_code == 429
        assert "リクエストが多すぎます" in response.content.decode()
        assert not _logged_in(client)

        # The cool-off counts from the last attempt: trying again during it starts it over.
        traveller.shift(datetime.timedelta(minutes=14))
        assert _login(client, "secretariat", PASSWORD).status_code == 429

        traveller.shift(datetime.timedelta(minutes=15, seconds=1))
        response = _login(client, "secretariat", PASSWORD)
        assert response.status_code == 302
        assert _logged_in(client)


@pytest.mark.django_db
def test_spoofed_forwarded_for_does_not_reset_the_counter(client, secretariat):
    for i in range(5):
        _login(client, "secretariat", WRONG, HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")
    response = _login(client, "secretariat", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 429


@pytest.mark.django_db
def test_a_successful_login_resets_the_failures(client, secretariat):
    for _ in range(4):
        _login(client, "secretariat", WRONG)
    assert _login(client, "secretariat", PASSWORD).status_code == 302
    client.post(reverse("admin:logout"))
    for _ in range(4):
        assert _login(client, "secretariat", WRONG).status_code == 200


# ---------------------------------------------------------------- S2 session lifetime


@pytest.mark.django_db
def test_session_key_is_rotated_at_login(client, secretariat):
    session = client.session
    session["visited"] = True
    session.save()
    before = session.session_key
    client.cookies["sessionid"] = before
    assert _login(client, "secretariat", PASSWORD).status_code == 302
    assert client.cookies["sessionid"].value != before


@pytest.mark.django_db
def test_idle_session_ends_after_thirty_minutes(client, secretariat):
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(secretariat)
        assert _logged_in(client)
        traveller.shift(datetime.timedelta(minutes=29))
        assert _logged_in(client)
        traveller.shift(datetime.timedelta(minutes=30, seconds=1))
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
        assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_active_session_ends_after_twelve_hours(client, secretariat):
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(secretariat)
        for _ in range(35):  # a request every 20 minutes keeps it from going idle
            traveller.shift(datetime.timedelta(minutes=20))
            assert client.get(reverse("healthz")).status_code == 200
        assert _logged_in(client)  # 11 h 40 min after login
        traveller.shift(datetime.timedelta(minutes=21))
        assert not _logged_in(client)


@pytest.mark.django_db
def test_logout_ends_the_session(client, secretariat):
    client.force_login(secretariat)
    key = client.session.session_key
    response = client.post(reverse("admin:logout"))
    assert response.status_code == 200
    assert not _logged_in(client)
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=key).exists()


@pytest.mark.django_db
def test_deactivation_ends_the_session(client, secretariat):
    client.force_login(secretariat)
    assert _logged_in(client)
    secretariat.is_active = False
    secretariat.save(update_fields=["is_active"])
    assert not _logged_in(client)


@pytest.mark.django_db
def test_password_change_ends_other_sessions(secretariat):
    mine, other = Client(), Client()
    mine.force_login(secretariat)
    other.force_login(secretariat)
    new_password = "another long passphrase 2026"
    response = mine.post(
        reverse("admin:password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    assert _logged_in(mine)
    assert not _logged_in(other)


@pytest.mark.django_db
def test_password_set_elsewhere_ends_the_session(client, secretariat):
    client.force_login(secretariat)
    secretariat.set_password("a completely different passphrase")
    secretariat.save()
    assert not _logged_in(client)


# ---------------------------------------------------------------- S3 password rules


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("short-pw-1", "password_too_short"),
        ("abcdefghijk", "password_too_short"),
        ("password1234", "password_too_common"),
        ("qwertyuiop123", "password_too_common"),
    ],
)
def test_weak_passwords_are_refused(password, code):
    with pytest.raises(ValidationError) as excinfo:
        validate_password(password)
    assert code in [error.code for error in excinfo.value.error_list]


@pytest.mark.parametrize("password", ["correct horse battery staple", "とっとりの冬は雪が多いです", "aaaaqqqqzzzzpppp"])
def test_long_passwords_need_no_composition_rules(password):
    validate_password(password)


# ---------------------------------------------------------------- L1 login events in the audit trail


@pytest.mark.django_db
def test_login_success_and_failure_are_audited_without_secrets(client, secretariat):
    _login(client, "secretariat", WRONG)
    _login(client, "secretariat", PASSWORD)
    failed = AuditLogEntry.objects.get(action="auth.login_failed")
    assert failed.data == {"username": "secretariat"}
    assert failed.actor is None
    success = AuditLogEntry.objects.get(action="auth.login")
    assert success.actor == secretariat
    assert success.created_at <= timezone.now()
    stored = json.dumps(
        [list(AuditLogEntry.objects.values_list("data", "object_repr", "actor_label"))], ensure_ascii=False
    )
    assert WRONG not in stored
    assert PASSWORD not in stored
    client.post(reverse("admin:logout"))
    assert AuditLogEntry.objects.filter(action="auth.logout", actor=secretariat).count() == 1


@pytest.mark.django_db
def test_staff_see_login_events_in_the_audit_log(client, secretariat_client, secretariat):
    from django.utils import translation

    from platform_portal.audit import action_label

    _login(client, "nobody", WRONG)
    response = secretariat_client.get(reverse("admin:platform_portal_auditlogentry_changelist"))
    assert response.status_code == 200
    with translation.override("ja"):
        label = action_label("auth.login_failed")
    assert label != "Failed login"
    assert label in response.content.decode()


@pytest.mark.django_db
def test_behind_a_proxy_the_throttle_counts_the_address_the_proxy_saw(client, secretariat, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for i in range(5):
        # The client sends its own X-Forwarded-For; the proxy appends the address it saw.
        _login(client, "secretariat", WRONG, HTTP_X_FORWARDED_FOR=f"10.9.9.{i}, 203.0.113.5", REMOTE_ADDR="127.0.0.1")
    response = _login(client, "secretariat", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.5", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 429
    # Another client behind the same proxy is not locked out.
    response = _login(Client(), "secretariat", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.20", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "203.0.113.5", "127.0.0.1"),
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "10.0.0.1, 203.0.113.5", "203.0.113.5"),
        (2, "10.0.0.1, 203.0.113.5, 192.0.2.1", "203.0.113.5"),
        (2, "203.0.113.5", "127.0.0.1"),
        (1, "", "127.0.0.1"),
    ],
)
def test_client_ip(rf, settings, count, forwarded, expected):
    from platform_portal.middleware import client_ip

    settings.TRUSTED_PROXY_COUNT = count
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="127.0.0.1")
    assert client_ip(request) == expected


def _redis_available() -> bool:
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_available(), reason="no Redis at 127.0.0.1:6379")
@pytest.mark.django_db
def test_throttle_counters_are_shared_through_redis(settings, secretariat):
    """Several app servers share the counters: with the production cache backend (Redis), a
    lock-out recorded by one server is seen by another (here: a second cache connection)."""
    import uuid

    from django.core.cache import caches

    local = settings.CACHES
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": f"portal-test-{uuid.uuid4().hex}",
        }
    }
    try:
        first, second = Client(), Client()
        for _ in range(5):
            _login(first, "secretariat", WRONG)
        caches["default"].close()  # the next request opens a new connection, as another server would
        assert _login(second, "secretariat", PASSWORD).status_code == 429
    finally:
        # Back to the local cache before the fixtures' cache.clear(), which on Redis would flush the
        # whole database; the few keys written here expire with the cool-off.
        settings.CACHES = local
