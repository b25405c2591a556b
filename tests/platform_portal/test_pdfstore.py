"""Public PDFs are rendered once, served from storage, and rendered anew when a record they show changes."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

import meetings.views.meeting as meeting_views
import members.views as member_views


def _text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).replace("\n", "")


@pytest.fixture
def renders(monkeypatch):
    """Counts real renders of each document."""
    counts = {"agenda": 0, "packet": 0, "registry": 0}

    def counting(module, name, key):
        original = getattr(module, name)

        def wrapper(*args, **kwargs):
            counts[key] += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, wrapper)

    counting(meeting_views, "render_agenda_pdf", "agenda")
    counting(meeting_views, "render_packet_pdf", "packet")
    counting(member_views, "render_registry_pdf", "registry")
    return counts


def _seventh():
    from meetings.models import Meeting

    return Meeting.objects.get(body__slug="platform", number=7)


@pytest.mark.django_db
def test_agenda_is_served_from_storage_until_the_meeting_changes(demo_data, renders):
    from meetings.models import AgendaItem

    url = reverse("meetings:meeting_agenda_pdf", args=[_seventh().pk])
    client = Client()
    first = client.get(url)
    assert first.status_code == 200
    assert renders["agenda"] == 1
    second = client.get(url)
    assert renders["agenda"] == 1, "the second request is served from storage"
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    item = AgendaItem.objects.filter(meeting=_seventh()).order_by("order", "pk").first()
    item.title = "見本の議題を変更"
    item.save()
    third = client.get(url)
    assert renders["agenda"] == 2, "an edit renders anew"
    assert "見本の議題を変更" in _text(third.content)
    assert third["ETag"] != first["ETag"]
    client.get(url)
    assert renders["agenda"] == 2


@pytest.mark.django_db
def test_agenda_follows_an_edit_of_the_meeting_row_and_of_the_profile(demo_data, renders):
    from meetings.models import Meeting
    from platform_portal.models import SiteProfile

    meeting = _seventh()
    url = reverse("meetings:meeting_agenda_pdf", args=[meeting.pk])
    client = Client()
    client.get(url)
    Meeting.objects.filter(pk=meeting.pk).update(venue="見本会議室")  # QuerySet.update: no signal
    assert "見本会議室" in _text(client.get(url).content)
    assert renders["agenda"] == 2
    SiteProfile.objects.update(secretariat_name="見本事務局")
    client.get(url)
    assert renders["agenda"] == 3


@pytest.mark.django_db
def test_public_packet_is_stored_and_follows_attendance(demo_data, renders):
    from members.models import Organization

    meeting = _seventh()
    url = reverse("meetings:meeting_packet_pdf", args=[meeting.pk])
    client = Client()
    first = client.get(url)
    client.get(url)
    assert renders["packet"] == 1
    attendance = meeting.attendances.select_related("organization").exclude(organization=None).first()
    if attendance is not None:
        Organization.objects.filter(pk=attendance.organization_id).update(name="見本団体名")
        client.get(url)
        assert renders["packet"] == 2
    assert first.status_code == 200


@pytest.mark.django_db
def test_registry_pdf_is_stored_per_filter_and_follows_the_organisations(demo_data, renders):
    from members.models import Organization

    client = Client()
    url = reverse("members:organization_pdf")
    client.get(url)
    client.get(url)
    assert renders["registry"] == 1
    client.get(url + "?group=steering")
    assert renders["registry"] == 2
    organization = Organization.objects.filter(status=Organization.Status.APPROVED).order_by("pk").first()
    organization.name = "見本の新しい団体名"
    organization.save()
    assert "見本の新しい団体名" in _text(client.get(url).content)
    assert renders["registry"] == 3


@pytest.mark.django_db
def test_staff_documents_are_never_stored(secretariat, demo_data, renders):
    from django.core.files.storage import default_storage

    staff = Client()
    staff.force_login(secretariat)
    url = reverse("meetings:meeting_packet_pdf", args=[_seventh().pk])
    staff.get(url)
    staff.get(url)
    assert renders["packet"] == 2
    assert not default_storage.exists("generated/public-pdf/meeting-packet")
