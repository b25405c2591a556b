"""Member accounts and the member area (issue 14): invitation, log-in, change requests, privacy."""

import datetime
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from members import services
from members.models import ChangeRequest, ContactPerson, Membership, Organization
from platform_portal.models import AuditLogEntry
from tests.members.factories import MunicipalityFactory, OrganizationFactory
from tests.tasks import run_tasks

PASSWORD = "a long enough member password 42"


def _pending_group(name="ひだまりの会", email="contact@example.jp"):
    organization = OrganizationFactory(
        name=name, status=Organization.Status.PENDING, approved_on=None, applied_on=datetime.date(2026, 1, 5)
    )
    ContactPerson.objects.create(organization=organization, name="鳥取 花子", email=email, is_primary=True)
    return organization


def _invitation_link(address: str) -> str:
    run_tasks()
    message = next(m for m in mail.outbox if address in m.to and "/accounts/password/reset/key/" in m.body)
    return re.search(r"http://[^\s]+/accounts/password/reset/key/[^\s]+", message.body).group(0)


@pytest.fixture
def member(db, secretariat, django_capture_on_commit_callbacks):
    """The main contact of an approved group, with the account the invitation created."""
    organization = _pending_group()
    with django_capture_on_commit_callbacks(execute=True):
        services.organization_approve(actor=secretariat, organization=organization)
    return Membership.objects.select_related("user", "organization").get(organization=organization)


@pytest.fixture
def other_member(db, secretariat, django_capture_on_commit_callbacks):
    organization = _pending_group(name="ほかの会", email="other@example.jp")
    with django_capture_on_commit_callbacks(execute=True):
        services.organization_approve(actor=secretariat, organization=organization)
    return Membership.objects.select_related("user", "organization").get(organization=organization)


def test_approval_invites_the_contact_who_sets_a_password_and_logs_in(client, member, settings):
    assert member.role == Membership.Role.MAIN
    assert not member.user.has_usable_password()
    link = _invitation_link("contact@example.jp")
    path = link.split("8000", 1)[1] if "8000" in link else link
    response = client.get(path, follow=True)
    assert response.status_code == 200
    form_path = response.redirect_chain[-1][0]
    response = client.post(form_path, {"password1": PASSWORD, "password2": PASSWORD}, follow=True)
    assert response.status_code == 200
    member.user.refresh_from_db()
    assert member.user.check_password(PASSWORD)
    # Following the link sent to the address proves it.
    assert EmailAddress.objects.get(user=member.user).verified
    client.logout()
    response = client.post(reverse("account_login"), {"login": "contact@example.jp", "password": PASSWORD})
    assert response.status_code == 302
    response = client.get(reverse("member:home"), follow=True)
    assert member.organization.name in response.content.decode()


def test_member_pages_ask_anonymous_visitors_to_log_in(client, member):
    response = client.get(reverse("member:organization", args=[member.organization_id]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_self_sign_up_is_closed(client, db):
    response = client.post(
        reverse("account_signup"), {"email": "x@example.jp", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 200
    assert not EmailAddress.objects.filter(email="x@example.jp").exists()


def test_log_in_by_code_sends_a_code_by_mail(client, member, django_capture_on_commit_callbacks):
    run_tasks()
    mail.outbox.clear()
    EmailAddress.objects.filter(user=member.user).update(verified=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_request_login_code"), {"email": "contact@example.jp"})
    assert response.status_code == 302
    run_tasks()
    assert len(mail.outbox) == 1
    code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", mail.outbox[0].body, re.M).group(1)
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("member:organization", args=[member.organization_id])).status_code == 200


def test_address_change_is_invisible_on_the_registry_until_approved(client, member, secretariat):
    """The public registry shows where a group is by its municipality (所在地); the street address
    is kept for the secretariat. A move to another town changes both, and neither shows early."""
    tottori = MunicipalityFactory(name="鳥取市")
    yonago = MunicipalityFactory(name="米子市")
    organization = member.organization
    organization.address = "鳥取市東町1-220"
    organization.municipality = tottori
    organization.save()
    client.force_login(member.user)
    response = client.post(
        reverse("member:change_request", args=[organization.pk]),
        {
            "name": organization.name,
            "name_kana": organization.name_kana,
            "municipality": yonago.pk,
            "address": "米子市加茂町2-1",
            "website": "",
            "description": "",
            "publish_consent": "on",
        },
    )
    assert response.status_code == 302
    change = ChangeRequest.objects.get(organization=organization)
    assert change.changes == {
        "address": ["鳥取市東町1-220", "米子市加茂町2-1"],
        "municipality": [tottori.pk, yonago.pk],
    }
    client.logout()
    pages = [reverse("members:organization_detail", args=[organization.pk])]
    page = client.get(pages[0]).content.decode()
    assert "鳥取市" in page and "米子市" not in page
    organization.refresh_from_db()
    assert organization.address == "鳥取市東町1-220"
    # Staff see the diff and approve; only then the registry changes.
    client.force_login(secretariat)
    decide = reverse("members:change_request_decide", args=[change.pk])
    diff = client.get(decide).content.decode()
    assert "<del>鳥取市東町1-220</del>" in diff and "<ins>米子市加茂町2-1</ins>" in diff
    assert "<del>鳥取市</del>" in diff and "<ins>米子市</ins>" in diff
    assert client.post(decide, {"decision": "approve", "reason": ""}).status_code == 302
    client.logout()
    page = client.get(pages[0]).content.decode()
    assert "米子市" in page
    organization.refresh_from_db()
    assert organization.address == "米子市加茂町2-1"
    assert AuditLogEntry.objects.filter(action="members.change_request.submitted", actor=member.user).count() == 1
    assert AuditLogEntry.objects.filter(action="members.change_request.approved", actor=secretariat).count() == 1


def test_refusing_a_change_needs_a_reason_and_leaves_the_registry(client, member, secretariat):
    organization = member.organization
    change = services.change_request_submit(actor=member.user, organization=organization, values={"address": "X町"})
    client.force_login(secretariat)
    decide = reverse("members:change_request_decide", args=[change.pk])
    assert client.post(decide, {"decision": "refuse", "reason": ""}).status_code == 200
    assert client.post(decide, {"decision": "refuse", "reason": "住所の確認ができません"}).status_code == 302
    change.refresh_from_db()
    organization.refresh_from_db()
    assert change.status == ChangeRequest.Status.REFUSED
    assert organization.address != "X町"


def test_main_contact_invites_a_second_contact_who_may_belong_to_two_groups(
    client, member, other_member, django_capture_on_commit_callbacks
):
    client.force_login(member.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("member:contact_invite", args=[member.organization_id]),
            {"email": "other@example.jp", "role": "contact"},
        )
    assert response.status_code == 302
    # The person of the other group now acts for both and chooses between them.
    client.force_login(other_member.user)
    page = client.get(reverse("member:home")).content.decode()
    assert member.organization.name in page and other_member.organization.name in page
    assert client.get(reverse("member:organization", args=[member.organization_id])).status_code == 200


def test_a_contact_who_is_not_main_cannot_invite(client, member, other_member):
    services.membership_invite(
        actor=member.user, organization=member.organization, email="other@example.jp", role=Membership.Role.CONTACT
    )
    client.force_login(other_member.user)
    url = reverse("member:contact_invite", args=[member.organization_id])
    assert client.get(url).status_code == 403


def test_privacy_notice_says_what_member_accounts_keep(media_root, client, demo_data):
    page = client.get(reverse("page_privacy")).content.decode()
    assert "会員団体ページのアカウント" in page
    assert "操作した人と、その人が代表した団体" in page


def test_staff_invite_a_contact_in_the_admin_and_errors_show_on_the_form(
    secretariat_client, member, django_capture_on_commit_callbacks
):
    url = reverse("admin:members_membership_add")
    data = {"organization": member.organization_id, "role": "contact", "email": "contact@example.jp"}
    response = secretariat_client.post(url, data)
    assert response.status_code == 200  # already a contact: the form says so, nothing is sent
    assert "既にこの団体の担当者です" in response.content.decode()
    run_tasks()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(url, {**data, "email": "second@example.jp"})
    assert response.status_code == 302
    assert Membership.objects.filter(organization=member.organization, user__email="second@example.jp").exists()
    run_tasks()
    assert [m.to for m in mail.outbox] == [["second@example.jp"]]


def test_members_only_material_is_shown_to_members_and_not_to_the_public(client, member, media_root):
    from django.core.files.base import ContentFile

    from meetings.models import Material
    from tests.meetings.factories import MeetingFactory

    meeting = MeetingFactory()
    material = Material(meeting=meeting, number=1, title="会員向けの検討資料", members_only=True)
    material.file.save("m.pdf", ContentFile(b"%PDF-1.4 members"), save=False)
    material.save()
    staff_only = Material(meeting=meeting, number=2, title="事務局限りの資料")
    staff_only.file.save("s.pdf", ContentFile(b"%PDF-1.4 staff"), save=False)
    staff_only.save()
    assert client.get(reverse("meetings:material_download", args=[material.pk])).status_code == 404
    client.force_login(member.user)
    page = client.get(reverse("member:organization", args=[member.organization_id])).content.decode()
    assert "会員向けの検討資料" in page and "事務局限りの資料" not in page
    download = reverse("member:material_download", args=[member.organization_id, material.pk])
    response = client.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert (
        client.get(reverse("member:material_download", args=[member.organization_id, staff_only.pk])).status_code == 404
    )
