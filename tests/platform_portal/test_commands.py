"""`manage.py load_demo` (idempotent) and `manage.py demo_staff` (a fresh printed password)."""

import re
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

from platform_portal.roles import PORTAL_APPS, SECRETARIAT


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for label in PORTAL_APPS
        for model in apps.get_app_config(label).get_models()
        if model._meta.label != "platform_portal.AuditLogEntry"
    }


@pytest.mark.django_db
def test_load_demo_is_idempotent():
    call_command("load_demo", stdout=StringIO())
    first = _counts()
    assert first["platform_portal.SiteProfile"] == 1
    assert first["platform_portal.Page"] == 3
    call_command("load_demo", stdout=StringIO())
    assert _counts() == first


def _demo_staff(rf) -> str:
    out = StringIO()
    call_command("demo_staff", "--url", "http://127.0.0.1:8011/admin/", stdout=out)
    match = re.search(r"Staff login: http://127.0.0.1:8011/admin/  user: staff  password: (\S+)", out.getvalue())
    assert match, out.getvalue()
    return match.group(1)


@pytest.mark.django_db
def test_demo_staff_prints_a_working_password_and_resets_it(rf):
    password = _demo_staff(rf)
    assert len(password) >= 12
    user = authenticate(rf.post("/admin/login/"), username="staff", password=password)
    assert user is not None and user.is_staff
    assert user.groups.filter(name=SECRETARIAT).exists()
    second = _demo_staff(rf)
    assert second != password
    assert authenticate(rf.post("/admin/login/"), username="staff", password=password) is None
    assert get_user_model().objects.filter(username="staff").count() == 1
