"""Staff second factor (TOTP, issue 14): required when STAFF_REQUIRE_2FA is on (the production
default), not asked when it is off (development: `make run`'s demo login stays one step).
Member log-in through allauth is throttled by axes like the staff log-in."""

import datetime

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.test import override_settings
from django.urls import reverse

PASSWORD = "correct horse battery staple"
START = datetime.datetime(2026, 1, 27, 9, 0, tzinfo=datetime.UTC)
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _login(client, code=None):
    data = {"username": "secretariat", "password": PASSWORD, "next": "/admin/"}
    if code is not None:
        data["code"] = code
    return client.post(reverse("admin:login"), data)


def _logged_in(client) -> bool:
    return client.get(reverse("admin:index")).status_code == 200


def _current_code() -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(SECRET, counter))


def test_production_default_requires_the_second_factor():
    import importlib
    import os

    from platform_portal import settings as module

    saved = dict(os.environ)
    try:
        os.environ.update(
            DJANGO_ENV="production",
            DJANGO_SECRET_KEY="x" * 60,
            CACHE_URL="redis://127.0.0.1:6379/4",
            DJANGO_DEBUG="off",
        )
        os.environ.pop("STAFF_REQUIRE_2FA", None)
        assert importlib.reload(module).STAFF_REQUIRE_2FA is True
        os.environ["DJANGO_ENV"] = "development"
        assert importlib.reload(module).STAFF_REQUIRE_2FA is False
    finally:
        os.environ.clear()
        os.environ.update(saved)
        importlib.reload(module)


@pytest.mark.django_db
@override_settings(STAFF_REQUIRE_2FA=False)
def test_development_staff_log_in_is_one_step(client, secretariat):
    assert 'name="code"' not in client.get(reverse("admin:login")).content.decode()
    response = _login(client)
    assert response.status_code == 302
    assert _logged_in(client)


@pytest.mark.django_db
@override_settings(STAFF_REQUIRE_2FA=True)
def test_production_mode_refuses_staff_log_in_without_the_second_factor(client, secretariat):
    assert 'name="code"' in client.get(reverse("admin:login")).content.decode()
    # No authenticator at all: the password alone is refused.
    response = _login(client)
    assert response.status_code == 200
    assert not _logged_in(client)
    TOTP.activate(secretariat, SECRET)
    with time_machine.travel(START, tick=False):
        # Password right, code missing or wrong: refused.
        assert _login(client).status_code == 200
        assert _login(client, code="000000").status_code == 200
        assert not _logged_in(client)
        # Password and the current code: in.
        assert _login(client, code=_current_code()).status_code == 302
        assert _logged_in(client)


@pytest.mark.django_db
@override_settings(STAFF_REQUIRE_2FA=True)
def test_production_mode_staff_session_without_second_factor_reaches_no_staff_page(client, secretariat):
    # A staff session opened elsewhere (e.g. allauth's password log-in) is sent to set up TOTP.
    client.force_login(secretariat)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # With an authenticator but no code checked in this session: logged out, back to the log-in.
    Authenticator.objects.filter(user=secretariat).delete()
    TOTP.activate(secretariat, SECRET)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.django_db
@override_settings(ACCOUNT_RATE_LIMITS=False)
def test_member_log_in_failures_are_throttled_by_axes(client, db):
    """Even without allauth's own limits, axes counts member log-in failures under the address."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username="m@example.jp", email="m@example.jp", password=PASSWORD)
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email="m@example.jp", primary=True, verified=True)
    with time_machine.travel(START, tick=False):
        for _ in range(5):
            client.post(reverse("account_login"), {"login": "m@example.jp", "password": "wrong-password-xyz"})
        response = client.post(reverse("account_login"), {"login": "m@example.jp", "password": PASSWORD})
        assert response.status_code in (403, 429)
    assert client.get(reverse("member:home")).status_code == 302
