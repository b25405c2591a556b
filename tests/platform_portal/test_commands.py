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


def _demo_member() -> tuple[str, str]:
    out = StringIO()
    call_command("demo_member", "--url", "http://127.0.0.1:8011/accounts/login/", stdout=out)
    match = re.search(
        r"Member login: http://127.0.0.1:8011/accounts/login/  e-mail: (\S+)  password: (\S+)", out.getvalue()
    )
    assert match, out.getvalue()
    return match.group(1), match.group(2)


@pytest.mark.django_db
def test_demo_member_without_the_demo_says_so():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("demo_member", stdout=StringIO())


@pytest.mark.django_db
def test_demo_member_logs_in_to_its_group_and_is_marked_sample(client, django_capture_on_commit_callbacks):
    from django.urls import reverse

    from members.models import ContactPerson, Membership

    call_command("load_demo", stdout=StringIO())
    with django_capture_on_commit_callbacks(execute=True):
        email, password = _demo_member()
    membership = Membership.objects.select_related("organization").get(user__email=email)
    contact = ContactPerson.objects.get(organization=membership.organization, email=email)
    assert "見本" in contact.name and "見本" in contact.role
    response = client.post(reverse("account_login"), {"login": email, "password": password}, follow=True)
    assert response.redirect_chain, response.content.decode()[:500]
    page = client.get(reverse("member:organization", args=[membership.organization_id])).content.decode()
    assert membership.organization.name in page and "見本" in page
    client.logout()
    # Run again (every `make run`): a new password, the old one stops working, nothing duplicated.
    again_email, again = _demo_member()
    assert again_email == email and again != password
    assert client.post(reverse("account_login"), {"login": email, "password": password}).status_code == 200
    assert client.post(reverse("account_login"), {"login": email, "password": again}).status_code == 302
    assert Membership.objects.filter(user__email=email).count() == 1
    assert ContactPerson.objects.filter(email=email).count() == 1
    assert not get_user_model().objects.get(email=email).is_staff


@pytest.mark.django_db
def test_demo_privacy_page_says_what_member_accounts_keep(client):
    from pathlib import Path

    from django.conf import settings

    call_command("load_demo", stdout=StringIO())
    page = client.get("/privacy/").content.decode()
    for kept in (
        "会員団体ページのアカウント",
        "電子メールアドレス",
        "パスワード（復元できない形に変換して保管）",
        "担当する団体と役割",
        "ログインの日時",
        "IPアドレス",
        "操作した人と、その人が代表した団体",
        f"送信後{settings.TASK_RESULT_RETENTION_DAYS}日間",
    ):
        assert kept in page, kept
    docs = (Path(settings.BASE_DIR) / "docs" / "members.md").read_text()
    assert "**What is kept**" in docs and "TASK_RESULT_RETENTION_DAYS" in docs
