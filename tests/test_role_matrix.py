"""Roles x model x action matrix over the admin of every registered model (docs/quality.md AC2, AC4).

Generated from the admin registry, so models that apps register later are covered without
editing this file. The expected answer of each cell comes from the role definitions
(platform_portal.roles) and the ModelAdmin's own rules (read-only admins stay read-only):

- secretariat: everything on the portal's apps that the admin offers (import/export included);
- official: view only (changelist, change form read-only, history); no add/change/delete,
  no import/export;
- anonymous: redirected to the login page everywhere.
Accounts and groups (django.contrib.auth) are managed by superusers only.
"""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from platform_portal.roles import NEVER_GRANTED, PORTAL_APPS

ROLES = ["secretariat", "official", "anonymous"]


def _admin_allows(model_admin, action: str, obj) -> bool:
    """What the ModelAdmin offers at all (to a superuser): read-only admins refuse add/change/delete."""
    request = RequestFactory().get("/")
    request.user = get_user_model()(is_superuser=True, is_staff=True, is_active=True)
    if action in ("import", "export"):
        return True
    method = getattr(model_admin, f"has_{action}_permission")
    return method(request) if action == "add" else method(request, obj)


def _role_allows(role: str, model, action: str) -> bool:
    if role == "anonymous" or model._meta.app_label not in PORTAL_APPS:
        return False
    if role == "official":
        return action == "view"
    return f"{action}_{model._meta.model_name}" not in NEVER_GRANTED


def _url(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _cells(model, model_admin, obj):
    """(label, method, url, expected_allowed) for every cell of one model."""
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"

    def allowed(role, action):
        return _role_allows(role, model, action) and _admin_allows(model_admin, action, obj)

    def view_allowed(role):
        return allowed(role, "view") or allowed(role, "change")

    cells = [
        ("changelist", "get", reverse(f"{info}_changelist"), view_allowed),
        ("add form", "get", reverse(f"{info}_add"), lambda role: allowed(role, "add")),
        ("add POST", "post", reverse(f"{info}_add"), lambda role: allowed(role, "add")),
    ]
    if obj is not None:
        pk = obj.pk
        cells += [
            ("change form", "get", reverse(f"{info}_change", args=[pk]), view_allowed),
            ("change POST", "post", reverse(f"{info}_change", args=[pk]), lambda role: allowed(role, "change")),
            ("history", "get", reverse(f"{info}_history", args=[pk]), view_allowed),
            ("delete form", "get", reverse(f"{info}_delete", args=[pk]), lambda role: allowed(role, "delete")),
        ]
    for action in ("import", "export"):
        url = _url(f"{info}_{action}")
        if url:
            cells.append((action, "get", url, lambda role, action=action: allowed(role, action)))
    return cells


def _ok(response, method: str, allowed: bool, login_url: str) -> bool:
    if not allowed:
        if response.status_code == 302:
            return response["Location"].startswith(login_url)
        return response.status_code == 403
    if method == "post":
        # An empty form re-renders with errors (200) or, for models without required fields, saves (302).
        return response.status_code in (200, 302)
    return response.status_code == 200


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.django_db
def test_role_matrix(role, request, client, demo_data, capsys):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    login_url = reverse("admin:login")
    failures = []
    checked = 0
    for model, model_admin in sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label):
        obj = model._default_manager.order_by("pk").first()
        for label, method, url, allowed_for in _cells(model, model_admin, obj):
            allowed = allowed_for(role)
            response = getattr(client, method)(url, {})
            checked += 1
            if not _ok(response, method, allowed, login_url):
                expected = "allowed" if allowed else "refused"
                failures.append(f"{model._meta.label} {label} {url}: expected {expected}, got {response.status_code}")
    with capsys.disabled():
        print(f"\nAC2: {role}: {checked} cells over {len(admin.site._registry)} admin models")
    assert failures == [], "\n".join(failures)


@pytest.mark.django_db
def test_official_post_changes_nothing(official_client, demo_data):
    from platform_portal.models import Page

    page = Page.objects.get(slug="privacy")
    url = reverse("admin:platform_portal_page_change", args=[page.pk])
    response = official_client.post(url, {"title": "changed", "lead": "", "body": ""})
    assert response.status_code == 403
    page.refresh_from_db()
    assert page.title != "changed"


@pytest.mark.django_db
def test_roles_are_groups_with_the_intended_permissions(secretariat, official):
    assert secretariat.has_perm("platform_portal.change_page")
    assert secretariat.has_perm("platform_portal.view_auditlogentry")
    assert not secretariat.has_perm("platform_portal.change_auditlogentry")
    assert not secretariat.has_perm("platform_portal.delete_auditlogentry")
    assert official.has_perm("platform_portal.view_page")
    assert not official.has_perm("platform_portal.change_page")
    assert not official.has_perm("platform_portal.view_personal_data_exports")
    assert not official.has_perm("auth.view_user")
