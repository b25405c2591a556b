"""Staff account management without a superuser: create with a role, password by mailed link, deactivate."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from platform_portal.models import AuditLogEntry
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db


def _create(client, **extra):
    data = {"username": "kenmin", "name": "見本 花子", "email": "hanako@example.jp", "role": "official", **extra}
    return client.post(reverse("admin:platform_portal_staffaccount_add"), data)


def test_secretariat_creates_an_official_account_and_its_owner_sets_the_password(
    secretariat_client, django_capture_on_commit_callbacks, client
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _create(secretariat_client)
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = get_user_model().objects.get(username="kenmin")
    assert user.is_staff and user.is_active and not user.is_superuser
    assert not user.has_usable_password()
    assert list(user.groups.values_list("name", flat=True)) == ["official"]
    assert (user.last_name, user.first_name) == ("見本", "花子")
    assert AuditLogEntry.objects.filter(action="platform.staff.created").exists()
    run_tasks()
    (message,) = mail.outbox
    assert message.to == ["hanako@example.jp"] and "kenmin" in message.body
    link = re.search(r"http://testserver(/staff/password/\S+)", message.body).group(1)

    secretariat_client.logout()
    form = client.get(link, follow=True)
    assert form.status_code == 200 and "new_password1" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a long new password 2026", "new_password2": "a long new password 2026"},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a long new password 2026")


def test_secretariat_deactivates_an_account_but_not_its_own(secretariat_client, secretariat, official):
    url = reverse("admin:platform_portal_staffaccount_changelist")
    secretariat_client.post(url, {"action": "deactivate", "_selected_action": [official.pk, secretariat.pk]})
    official.refresh_from_db()
    secretariat.refresh_from_db()
    assert not official.is_active
    assert secretariat.is_active


def test_superusers_are_not_listed_or_managed(secretariat_client, django_user_model):
    django_user_model.objects.create_superuser("root", "root@example.jp", "x")
    html = secretariat_client.get(reverse("admin:platform_portal_staffaccount_changelist")).content.decode()
    assert "root@example.jp" not in html


def test_official_cannot_create_accounts(official_client):
    assert _create(official_client).status_code == 403


def test_forgotten_password_mails_a_link_through_the_queue(client, secretariat, django_capture_on_commit_callbacks):
    secretariat.email = "staff@example.jp"
    secretariat.save()
    login = client.get(reverse("admin:login")).content.decode()
    assert reverse("admin_password_reset") in login
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin_password_reset"), {"email": "staff@example.jp"})
    assert response.status_code == 302
    run_tasks()
    (message,) = mail.outbox
    assert "/staff/password/" in message.body
