"""Platform identity comes from data: a second platform changes the profile screen and sees its own name
everywhere; no page, PDF or e-mail names the old platform outside a record's own text."""

import datetime
import subprocess
import tempfile

import pytest
from django.core import mail
from django.urls import NoReverseMatch, reverse

from meetings.models import Meeting
from platform_portal import services
from tests.meetings.factories import MeetingBodyFactory, MeetingFactory
from tests.members.factories import MunicipalityFactory, OrganizationFactory
from tests.platform_portal.urlwalk import FORM_STEP_URL_NAMES, PUBLIC_URL_NAMES

pytestmark = pytest.mark.django_db

OLD = {
    "name": "とっとり孤独・孤立対策官民連携プラットフォーム",
    "short_name": "とっとりPF",
    "jurisdiction": "鳥取県",
    "secretariat_name": "鳥取県 孤独・孤立対策課",
    "postal_code": "680-8570",
    "address": "鳥取県鳥取市東町一丁目220",
    "phone": "",
    "fax": "",
    "email": "",
    "supporter_programme_name": "とっとり孤独・孤立サポーター",
}
NEW = {
    **OLD,
    "name": "しまね見本つながりプラットフォーム",
    "short_name": "しまね見本PF",
    "jurisdiction": "見本県",
    "secretariat_name": "見本県 つながり推進課",
    "postal_code": "690-0000",
    "address": "見本県見本市1番地",
    "supporter_programme_name": "しまね見本つながりサポーター",
}
OLD_WORDS = ("とっとり", "鳥取", "Tottori")


def _pdf_text(content: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        text = subprocess.run(["pdftotext", handle.name, "-"], capture_output=True, check=True, text=True).stdout
        info = subprocess.run(["pdfinfo", handle.name], capture_output=True, check=True, text=True).stdout
    return text + info


def _public_urls(meeting) -> list[str]:
    urls = []
    for name in sorted(PUBLIC_URL_NAMES - FORM_STEP_URL_NAMES - {"set_language", "healthz"}):
        try:
            urls.append(reverse(name))
        except NoReverseMatch:
            continue
    organization = OrganizationFactory(name="見本の会", municipality=MunicipalityFactory(name="見本市"))
    urls += [
        reverse("members:organization_detail", args=[organization.pk]),
        reverse("meetings:meeting_detail", args=[meeting.pk]),
        reverse("meetings:meeting_agenda_pdf", args=[meeting.pk]),
        reverse("meetings:meeting_packet_pdf", args=[meeting.pk]),
    ]
    return urls


def test_changing_the_identity_leaves_no_old_name_on_pages_pdfs_or_mails(client, secretariat, media_root):
    services.site_profile_update(actor=secretariat, **OLD)
    for slug, title in [("home", "見本のページ"), ("privacy", "個人情報"), ("accessibility", "方針")]:
        services.page_update(actor=secretariat, slug=slug, title=title, body="見本の本文")
    body = MeetingBodyFactory(name="見本会議", formal_name="見本会議体")
    meeting = MeetingFactory(body=body, date=datetime.date(2026, 7, 15), status=Meeting.Status.SCHEDULED)
    home = client.get(reverse("page_home")).content.decode()
    assert "とっとり孤独・孤立対策官民連携プラットフォーム" in home  # the old identity shows before the change

    # One screen: the platform profile in the admin.
    client.force_login(secretariat)
    from platform_portal.models import SiteProfile

    profile = SiteProfile.objects.get()
    response = client.post(reverse("admin:platform_portal_siteprofile_change", args=[profile.pk]), NEW)
    assert response.status_code == 302, response.context["adminform"].form.errors
    client.logout()

    checked = 0
    for url in _public_urls(meeting):
        response = client.get(url)
        assert response.status_code == 200, url
        content = response.content
        text = _pdf_text(content) if response["Content-Type"] == "application/pdf" else content.decode()
        for word in OLD_WORDS:
            assert word not in text, (url, word)
        checked += 1
    assert checked >= 10
    assert "しまね見本つながりプラットフォーム" in client.get(reverse("page_home")).content.decode()
    overview = client.get(reverse("supporters:supporter_overview")).content.decode()
    assert "しまね見本つながりサポーター" in overview

    # E-mails: a member application sends mails rendered with the profile.
    from tests.members.factories import application_data

    mail.outbox.clear()
    data = application_data()
    response = client.post(reverse("members:organization_join"), data)
    if response.status_code == 200 and "confirm" in response.templates[0].name:
        client.post(reverse("members:organization_join_confirm"), {**data, "confirm": "1"})
    for message in mail.outbox:
        for word in OLD_WORDS:
            assert word not in message.subject + message.body, word


def test_supporter_programme_name_falls_back_to_a_neutral_label(client):
    html = client.get(reverse("supporters:supporter_overview")).content.decode()
    assert "<h1>孤独・孤立サポーター</h1>" in html or "孤独・孤立サポーター" in html
    for word in OLD_WORDS:
        assert word not in html
