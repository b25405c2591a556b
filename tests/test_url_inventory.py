"""Every URL is public by decision or refuses anonymous users (docs/quality.md AC1), CSRF on every
state change and GET never writes (AC5).

The URL list is built from the code (the resolver, walked recursively: every app's urls.py and
the admin with every registered ModelAdmin's changelist/add/change/delete/history and
import/export views), never from a hand-written list. A new page is staff-only until its
name is added to PUBLIC_URL_NAMES (tests/platform_portal/urlwalk.py), on purpose.
"""

import pytest
from django.apps import apps
from django.contrib import admin
from django.db.models import Q
from django.test import Client
from django.urls import reverse

from platform_portal.models import AuditLogEntry
from platform_portal.roles import PORTAL_APPS
from tests.platform_portal.urlwalk import FORM_STEP_URL_NAMES, PUBLIC_URL_NAMES, check_samples, walk_urls

ADMIN_ACTIONS = ["changelist", "add", "change", "delete", "history"]


@pytest.fixture(scope="module")
def entries():
    return walk_urls()


def test_sample_paths_resolve_to_their_own_views(entries):
    assert check_samples(entries) == []


def test_public_allow_list_names_existing_urls(entries):
    names = {entry.name for entry in entries}
    assert PUBLIC_URL_NAMES - names == set()


def test_walk_covers_the_admin_registry(entries):
    """The inventory contains every registered model's admin views, so new apps are covered by themselves."""
    names = {entry.name for entry in entries}
    expected = set()
    for model in admin.site._registry:
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        expected |= {f"{info}_{action}" for action in ADMIN_ACTIONS}
    assert expected - names == set()


def _refused(response, login_url: str) -> bool:
    if response.status_code in (403, 404, 405):
        return True
    if response.status_code == 302:
        location = response["Location"]
        # Member pages and the signed-in account pages send visitors to the member log-in.
        member_login = reverse("account_login")
        return location.startswith((login_url, member_login)) or location == reverse("admin:index")
    return False


@pytest.mark.django_db
def test_every_staff_url_refuses_anonymous_users(client, entries, capsys):
    login_url = reverse("admin:login")
    staff = [entry for entry in entries if entry.name not in PUBLIC_URL_NAMES]
    failures = []
    for entry in staff:
        for method in ("get", "post"):
            response = getattr(client, method)(entry.path)
            if not _refused(response, login_url):
                failures.append(f"{method.upper()} {entry.path} ({entry.label}) -> {response.status_code}")
    with capsys.disabled():
        print(
            f"\nAC1: {len(staff)} staff URL patterns refused anonymous GET and POST; {len(entries) - len(staff)} public"
        )
    assert failures == [], "\n".join(failures)
    assert len(staff) >= 5 * len(admin.site._registry)


@pytest.mark.django_db
def test_public_urls_answer_anonymous_users(client, demo_data, entries):
    public = [entry for entry in entries if entry.name in PUBLIC_URL_NAMES and entry.name != "set_language"]
    for entry in public:
        status = client.get(entry.path).status_code
        if entry.name in FORM_STEP_URL_NAMES:
            assert status in (302, 404, 405), entry.label  # reached only from the step before
        elif "<" in entry.route or "(?P" in entry.route:
            assert status in (200, 404), entry.label  # a sample id may name no record
        else:
            assert status == 200, entry.label


@pytest.mark.django_db
def test_every_post_without_csrf_token_is_refused(secretariat, entries):
    """AC5: no view is csrf_exempt: a POST without a token is refused everywhere, logged in or not."""
    anonymous = Client(enforce_csrf_checks=True)
    staff = Client(enforce_csrf_checks=True)
    staff.force_login(secretariat)
    failures = []
    for entry in entries:
        for who, client in (("anonymous", anonymous), ("secretariat", staff)):
            response = client.post(entry.path, {"x": "1"})
            if response.status_code not in (403, 405):
                failures.append(f"{who} POST {entry.path} ({entry.label}) -> {response.status_code}")
    assert failures == [], "\n".join(failures)


# Reading may be logged (docs/quality.md IE5: who exported or printed personal data); changing may not.
READ_ACTIONS = (".exported", ".printed", ".viewed")


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for app_label in PORTAL_APPS
        for model in apps.get_app_config(app_label).get_models()
        if model is not AuditLogEntry
    }


def _admin_urls_with_real_objects() -> list[str]:
    urls = []
    for model in admin.site._registry:
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls += [reverse(f"{info}_changelist"), reverse(f"{info}_add")]
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            urls += [reverse(f"{info}_{action}", args=[obj.pk]) for action in ("change", "history", "delete")]
    return urls


@pytest.mark.django_db
def test_get_never_writes(secretariat_client, demo_data, entries):
    """AC5: opening every page as staff, admin screens of real records included, changes no data."""
    AuditLogEntry.objects.all().delete()
    before = _row_counts()
    paths = [entry.path for entry in entries] + _admin_urls_with_real_objects()
    for path in paths:
        secretariat_client.get(path)
    assert _row_counts() == before
    reads = Q()
    for suffix in READ_ACTIONS:
        reads |= Q(action__endswith=suffix)
    written = AuditLogEntry.objects.exclude(reads)
    assert list(written.values_list("action", flat=True)) == []
