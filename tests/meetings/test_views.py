"""Public pages of meetings: the history, a meeting, working groups, materials; access (AC3) and query counts."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from meetings.models import Meeting, MeetingBody
from meetings.services import meeting as services
from tests.meetings.factories import AgendaItemFactory, MeetingBodyFactory, MeetingFactory
from tests.meetings.pdfs import make_pdf, upload
from tests.members.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
SENTINEL = "SENTINEL-非公開-7f3a"


def test_history_lists_the_reference_meetings_newest_first(client, demo_data):
    response = client.get(reverse("meetings:meeting_list") + "?body=platform")
    assert response.status_code == 200
    text = response.content.decode()
    assert "第1回</a>\n      (R4.9.14): プラットフォームの創設、国及び県の動きの共有等" in text
    assert "(R8.1.27): 令和7年度事業の結果、一般団体会員の活動紹介" in text
    assert text.index("R8.1.27") < text.index("R7.9.1") < text.index("R4.9.14")
    assert "身寄りのない方への支援WG</a>" in text  # the working-group link section


def test_history_filters_by_body_and_fiscal_year(client, demo_data):
    response = client.get(reverse("meetings:meeting_list"), {"body": "platform", "fiscal_year": "2025"})
    meetings = list(response.context["meetings"])
    assert [m.number for m in meetings] == [7, 6]
    response = client.get(reverse("meetings:meeting_list"), {"body": "support-without-relatives"})
    assert [m.planned_period for m in response.context["meetings"]] == ["8月～9月", "6月～7月", "5月～6月", "4月～5月"]
    response = client.get(reverse("meetings:meeting_list"), {"body": "no-such-body", "fiscal_year": "x"})
    assert response.status_code == 200 and len(response.context["meetings"]) == 11


def test_meeting_page_shows_agenda_and_pdf_links(client, demo_data):
    meeting = Meeting.objects.get(body__slug="platform", number=7)
    response = client.get(meeting.get_absolute_url())
    text = response.content.decode()
    assert "令和8年1月27日（火）10:00～" in text
    assert "(1) 令和7年度孤独・孤立対策事業の結果等について" in text
    assert reverse("meetings:meeting_agenda_pdf", args=[meeting.pk]) in text


def test_working_group_page_shows_purpose_members_and_schedule(client, demo_data):
    response = client.get(reverse("meetings:working_group_detail", args=["support-without-relatives"]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "司法関係団体、権利擁護団体" in text
    assert "令和8年度 4月～5月" in text and "身寄りのない方への支援策のとりまとめ" in text
    assert client.get(reverse("meetings:working_group_list")).status_code == 200
    assert client.get(reverse("meetings:working_group_detail", args=["platform"])).status_code == 404


def test_working_group_page_names_only_members_consenting_to_publication(official_client, demo_data):
    group = MeetingBody.objects.get(slug="support-without-relatives")
    shown, hidden = OrganizationFactory(), OrganizationFactory(publish_consent=False)
    group.members.add(shown, hidden)
    url = reverse("meetings:working_group_detail", args=["support-without-relatives"])
    public = list(Client().get(url).context["group"].members.all())
    assert shown in public and hidden not in public
    assert hidden in official_client.get(url).context["group"].members.all()


def test_non_public_meeting_is_hidden_from_anonymous_but_shown_to_staff(official_client):
    client = Client()  # anonymous; official_client is logged in
    hidden = MeetingFactory(is_public=False, summary=SENTINEL)
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(reverse("meetings:meeting_agenda_pdf", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("meetings:meeting_packet_pdf", args=[hidden.pk])).status_code == 404
    assert SENTINEL not in client.get(reverse("meetings:meeting_list")).content.decode()
    assert official_client.get(hidden.get_absolute_url()).status_code == 200


def test_material_download_checks_public_and_staff(official_client, secretariat, media_root):
    client = Client()  # anonymous; official_client is logged in
    meeting = MeetingFactory()
    public = services.material_add(
        actor=secretariat, meeting=meeting, title="公開資料", upload=upload(make_pdf("P")), is_public=True
    )
    private = services.material_add(actor=secretariat, meeting=meeting, title=SENTINEL, upload=upload(make_pdf("Q")))
    response = client.get(public.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert client.get(private.get_absolute_url()).status_code == 404
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "公開資料" in page and SENTINEL not in page
    staff_response = official_client.get(private.get_absolute_url())
    assert staff_response.status_code == 200 and "no-store" in staff_response["Cache-Control"]
    assert "/media/" not in page


def test_public_material_of_a_non_public_meeting_is_refused(client, secretariat, media_root):
    meeting = MeetingFactory(is_public=False)
    material = services.material_add(
        actor=secretariat, meeting=meeting, title="x", upload=upload(make_pdf("P")), is_public=True
    )
    assert client.get(material.get_absolute_url()).status_code == 404


def test_draft_and_confirmed_minutes_are_not_public(official_client, secretariat):
    client = Client()  # anonymous; official_client is logged in
    meeting = MeetingFactory()
    minutes = services.minutes_create(actor=secretariat, meeting=meeting, text=f"議事録 {SENTINEL}")
    assert SENTINEL not in client.get(meeting.get_absolute_url()).content.decode()
    assert SENTINEL in official_client.get(meeting.get_absolute_url()).content.decode()
    services.minutes_confirm(actor=secretariat, minutes=minutes)
    assert SENTINEL not in client.get(meeting.get_absolute_url()).content.decode()
    services.minutes_publish(actor=secretariat, minutes=minutes)
    assert SENTINEL in client.get(meeting.get_absolute_url()).content.decode()
    correction = services.minutes_correct(actor=secretariat, minutes=minutes, text="訂正版の案 DRAFT-2")
    text = client.get(meeting.get_absolute_url()).content.decode()
    assert SENTINEL in text and "DRAFT-2" not in text
    services.minutes_confirm(actor=secretariat, minutes=correction)
    services.minutes_publish(actor=secretariat, minutes=correction)
    text = client.get(meeting.get_absolute_url()).content.decode()
    assert "DRAFT-2" in text and SENTINEL not in text


def test_pages_refuse_writes(client):
    meeting = MeetingFactory()
    for url in [
        reverse("meetings:meeting_list"),
        meeting.get_absolute_url(),
        reverse("meetings:meeting_agenda_pdf", args=[meeting.pk]),
    ]:
        assert client.post(url).status_code == 405


def test_pdf_endpoints_are_rate_limited_per_client(client, settings):
    settings.MEETINGS_PDF_RATE = "2/m"
    meeting = MeetingFactory()
    url = reverse("meetings:meeting_agenda_pdf", args=[meeting.pk])
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]
    assert client.get(reverse("meetings:meeting_packet_pdf", args=[meeting.pk])).status_code == 429


def _bulk_meetings(count: int) -> None:
    bodies = [MeetingBodyFactory(), MeetingBodyFactory(kind="working_group")]
    Meeting.objects.bulk_create(
        Meeting(
            body=bodies[n % 2],
            number=n + 1,
            date=datetime.date(2020, 4, 1) + datetime.timedelta(days=n * 3),
            fiscal_year=(datetime.date(2020, 4, 1) + datetime.timedelta(days=n * 3) - datetime.timedelta(days=90)).year,
            status="held",
            summary=f"議題{n}",
        )
        for n in range(count)
    )


@pytest.mark.parametrize("count", [10, 500])
def test_meeting_list_query_count_is_flat(client, django_assert_max_num_queries, count):
    _bulk_meetings(count)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("meetings:meeting_list"))
    assert len(response.context["meetings"]) == count


@pytest.mark.parametrize("count", [10, 500])
def test_meeting_detail_and_working_group_query_counts_are_flat(client, django_assert_max_num_queries, count):
    body = MeetingBodyFactory(kind="working_group")
    meeting = MeetingFactory(body=body)
    AgendaItemFactory.create_batch(count if count < 50 else 50, meeting=meeting)
    Meeting.objects.bulk_create(
        Meeting(body=body, number=n + 100, planned_period="4月～5月", fiscal_year=2026) for n in range(count)
    )
    with django_assert_max_num_queries(8):
        assert client.get(meeting.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(8):
        response = client.get(reverse("meetings:working_group_detail", args=[body.slug]))
    assert len(response.context["sessions"]) == count + 1


def test_meeting_page_shows_attendance_counts_but_no_names(client):
    from meetings.models import Attendance
    from tests.members.factories import OrganizationFactory

    meeting = MeetingFactory()
    for n, (attended, online) in enumerate([(True, False), (True, True), (False, False)]):
        Attendance.objects.create(
            meeting=meeting,
            organization=OrganizationFactory(),
            person_name=f"{SENTINEL}{n}",
            attended=attended,
            online=online,
        )
    text = client.get(meeting.get_absolute_url()).content.decode()
    assert "出席 2団体／案内 3団体（うちオンライン 1）" in text
    assert SENTINEL not in text
