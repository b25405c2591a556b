"""The back office: Japanese admin with the platform's name, staff-editable identity and pages
(audited), the "needs attention" panel, and the read-only audit trail."""

import pytest
from django import forms
from django.contrib import admin
from django.urls import reverse

from platform_portal.admin import AuditedModelAdmin
from platform_portal.admin_site import ATTENTION_PROVIDERS, AttentionItem
from platform_portal.models import AuditLogEntry, Page, SiteProfile
from platform_portal.selectors import site_profile_get


@pytest.mark.django_db
def test_admin_is_japanese_with_the_platform_name(secretariat_client, demo_data):
    body = secretariat_client.get(reverse("admin:index")).content.decode()
    assert '<html lang="ja"' in body
    assert site_profile_get().short_name in body
    assert "ログアウト" in body


@pytest.mark.django_db
def test_admin_login_page_is_japanese(client, demo_data):
    body = client.get(reverse("admin:login")).content.decode()
    assert "ログイン" in body
    assert site_profile_get().short_name in body


def _profile_form(profile: SiteProfile, **changes) -> dict:
    data = {
        name: getattr(profile, name)
        for name in [
            "name",
            "short_name",
            "jurisdiction",
            "secretariat_name",
            "postal_code",
            "address",
            "phone",
            "fax",
            "email",
            "supporter_programme_name",
        ]
    }
    return {**data, **changes}


@pytest.mark.django_db
def test_staff_edit_the_platform_profile_and_it_is_audited(secretariat_client, secretariat, demo_data):
    AuditLogEntry.objects.all().delete()  # the demo loader's entries
    profile = SiteProfile.objects.get()
    url = reverse("admin:platform_portal_siteprofile_change", args=[profile.pk])
    response = secretariat_client.post(url, _profile_form(profile, phone="0857-26-7111", short_name="新しい名前"))
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.phone == "0857-26-7111"
    entry = AuditLogEntry.objects.get(action="platform.profile.changed")
    assert entry.actor == secretariat
    assert entry.target == profile
    assert sorted(entry.data["fields"]) == ["phone", "short_name"]
    # The cached profile is cleared: every page shows the new name at once.
    assert "新しい名前" in secretariat_client.get("/").content.decode()


@pytest.mark.django_db
def test_profile_refuses_control_characters(secretariat_client, demo_data):
    AuditLogEntry.objects.all().delete()  # the demo loader's entries
    profile = SiteProfile.objects.get()
    url = reverse("admin:platform_portal_siteprofile_change", args=[profile.pk])
    response = secretariat_client.post(url, _profile_form(profile, name="鳥取\u202ePF"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors.as_data()["name"][0].code == "forbidden_characters"
    assert not AuditLogEntry.objects.filter(action="platform.profile.changed").exists()


@pytest.mark.django_db
def test_profile_cannot_be_added_twice_or_deleted(secretariat_client, demo_data):
    profile = SiteProfile.objects.get()
    assert secretariat_client.get(reverse("admin:platform_portal_siteprofile_add")).status_code == 403
    assert (
        secretariat_client.get(reverse("admin:platform_portal_siteprofile_delete", args=[profile.pk])).status_code
        == 403
    )


@pytest.mark.django_db
def test_staff_edit_a_page_and_it_is_audited(secretariat_client, secretariat, demo_data):
    AuditLogEntry.objects.all().delete()  # the demo loader's entries
    page = Page.objects.get(slug="accessibility")
    url = reverse("admin:platform_portal_page_change", args=[page.pk])
    response = secretariat_client.post(
        url, {"title": "ウェブアクセシビリティ方針", "lead": "改訂しました。", "body": page.body}
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.lead == "改訂しました。"
    entry = AuditLogEntry.objects.get(action="platform.page.changed")
    assert entry.actor == secretariat
    assert entry.target == page
    assert "lead" in entry.data["fields"]
    assert "改訂しました。" in secretariat_client.get(reverse("page_accessibility")).content.decode()
    history = secretariat_client.get(reverse("admin:platform_portal_page_history", args=[page.pk]))
    assert history.status_code == 200


@pytest.mark.django_db
def test_unchanged_save_writes_no_audit_entry(secretariat_client, demo_data):
    AuditLogEntry.objects.all().delete()  # the demo loader's entries
    page = Page.objects.get(slug="home")
    url = reverse("admin:platform_portal_page_change", args=[page.pk])
    secretariat_client.post(url, {"title": page.title, "lead": page.lead, "body": page.body})
    assert not AuditLogEntry.objects.filter(action="platform.page.changed").exists()


@pytest.mark.django_db
def test_attention_panel_lists_registered_providers(secretariat_client, demo_data):
    def pending(request):
        return [AttentionItem(label="承認待ちの一般団体", count=3, url="/admin/"), None]

    ATTENTION_PROVIDERS.append(pending)
    try:
        body = secretariat_client.get(reverse("admin:index")).content.decode()
    finally:
        ATTENTION_PROVIDERS.remove(pending)
    assert "承認待ちの一般団体" in body
    assert "<strong>3</strong>" in body
    body = secretariat_client.get(reverse("admin:index")).content.decode()
    assert "承認待ちの一般団体" not in body
    assert "対応が必要" in body or "attention" in body.lower()


@pytest.mark.django_db
def test_audit_log_is_visible_to_staff_and_read_only(secretariat_client, official_client, secretariat, demo_data):
    entry = AuditLogEntry.objects.first()
    changelist = reverse("admin:platform_portal_auditlogentry_changelist")
    change = reverse("admin:platform_portal_auditlogentry_change", args=[entry.pk])
    for client in (secretariat_client, official_client):
        assert client.get(changelist).status_code == 200
        response = client.get(change)
        assert response.status_code == 200
        assert 'name="action"' not in response.content.decode()  # shown, not editable
        assert client.post(change, {"action": "forged"}).status_code == 403
        assert client.get(reverse("admin:platform_portal_auditlogentry_add")).status_code == 403
        assert (
            client.post(
                reverse("admin:platform_portal_auditlogentry_delete", args=[entry.pk]), {"post": "yes"}
            ).status_code
            == 403
        )
    entry.refresh_from_db()
    assert entry.action != "forged"


@pytest.mark.django_db
def test_audit_log_filters_show_action_labels_and_only_recorded_kinds(secretariat_client, secretariat, demo_data):
    changelist = reverse("admin:platform_portal_auditlogentry_changelist")
    html = secretariat_client.get(changelist).content.decode()
    filters = html[html.index('id="changelist-filter"') :]
    assert "会員団体の登録" in filters and "members.organization.created</a>" not in filters  # labels, not codes
    assert "access attempt" not in filters  # content types without entries are not offered
    filtered = secretariat_client.get(changelist, {"action": "platform.demo_loaded"})
    assert filtered.status_code == 200
    assert set(filtered.context["cl"].queryset.values_list("action", flat=True)) == {"platform.demo_loaded"}


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [10, 500])
def test_audit_log_changelist_query_count_does_not_grow(
    secretariat_client, secretariat, rows, django_assert_max_num_queries
):
    AuditLogEntry.objects.bulk_create(
        AuditLogEntry(actor=secretariat, actor_label="secretariat", action="platform.page.changed", object_repr=f"p{i}")
        for i in range(rows)
    )
    with django_assert_max_num_queries(13):
        response = secretariat_client.get(reverse("admin:platform_portal_auditlogentry_changelist"))
    assert response.status_code == 200


class _PageForm(forms.ModelForm):
    class Meta:
        model = Page
        fields = ["slug", "title", "lead", "body"]


@pytest.mark.django_db
def test_audited_model_admin_audits_create_change_delete(rf, secretariat):
    model_admin = AuditedModelAdmin(Page, admin.site)
    request = rf.post("/")
    request.user = secretariat
    form = _PageForm(data={"slug": "privacy", "title": "個人情報", "lead": "", "body": ""})
    assert form.is_valid()
    page = form.save(commit=False)
    model_admin.save_model(request, page, form, change=False)
    form = _PageForm(data={"slug": "privacy", "title": "個人情報の取扱い", "lead": "", "body": ""}, instance=page)
    assert form.is_valid()
    model_admin.save_model(request, form.save(commit=False), form, change=True)
    model_admin.delete_queryset(request, Page.objects.filter(pk=page.pk))
    actions = list(AuditLogEntry.objects.order_by("id").values_list("action", "data"))
    assert [action for action, _data in actions] == ["admin.created", "admin.changed", "admin.deleted"]
    assert actions[1][1] == {"fields": ["title"]}
    assert actions[2][1] == {"repr": "個人情報の取扱い"}
    assert not Page.objects.exists()


@pytest.mark.django_db
def test_first_profile_is_added_in_the_admin(secretariat_client, secretariat):
    data = {
        "name": "いなば孤独・孤立対策PF",
        "short_name": "いなばPF",
        "jurisdiction": "いなば市",
        "secretariat_name": "福祉課",
        "postal_code": "",
        "address": "",
        "phone": "",
        "fax": "",
        "email": "pf@example.jp",
    }
    response = secretariat_client.post(reverse("admin:platform_portal_siteprofile_add"), data)
    assert response.status_code == 302
    profile = SiteProfile.objects.get()
    assert profile.short_name == "いなばPF"
    assert AuditLogEntry.objects.get(action="platform.profile.changed").actor == secretariat
    assert "いなばPF" in secretariat_client.get(reverse("admin:index")).content.decode()
