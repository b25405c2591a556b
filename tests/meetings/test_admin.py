"""Staff back office: changelists (query counts), meeting with inlines through services, actions with confirm step."""

import datetime

import pytest
from django.urls import reverse

from meetings.models import AgendaItem, Event, Material, Meeting, Minutes
from meetings.services import meeting as services
from platform_portal.models import AuditLogEntry
from tests.meetings.event_factories import EventFactory
from tests.meetings.factories import AgendaItemFactory, MeetingBodyFactory, MeetingFactory
from tests.meetings.pdfs import make_pdf, upload

pytestmark = pytest.mark.django_db


def _inline_management(prefix: str, total: int = 0, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _meeting_post(body, **extra) -> dict:
    data = {
        "body": str(body.pk),
        "number": "",
        "status": "scheduled",
        "is_public": "on",
        "date": "2026-01-27",
        "start_time": "10:00",
        "end_time": "",
        "planned_period": "",
        "fiscal_year": "",
        "format": "online",
        "venue": "",
        "summary": "令和7年度事業の結果",
        **_inline_management("agenda_items"),
        **_inline_management("materials"),
        **_inline_management("attendances"),
    }
    data.update(extra)
    return data


def test_add_meeting_with_agenda_and_material_goes_through_services(secretariat_client, media_root):
    body = MeetingBodyFactory()
    MeetingFactory(body=body, number=6)
    data = _meeting_post(
        body,
        **_inline_management("agenda_items", total=1),
        **{
            "agenda_items-0-order": "1",
            "agenda_items-0-section": "opening",
            "agenda_items-0-title": "開会挨拶",
            "agenda_items-0-presenter": "政策統轄監",
            "agenda_items-0-duration_minutes": "",
        },
        **_inline_management("materials", total=1),
        **{
            "materials-0-number": "",
            "materials-0-title": "事業結果",
            "materials-0-agenda_item": "",
            "materials-0-file": upload(make_pdf("M", 2), "結果.pdf"),
            "materials-0-is_public": "on",
        },
    )
    response = secretariat_client.post(reverse("admin:meetings_meeting_add"), data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    meeting = Meeting.objects.get(body=body, number=7)
    assert (meeting.fiscal_year, meeting.date) == (2025, datetime.date(2026, 1, 27))
    assert list(meeting.agenda_items.values_list("title", flat=True)) == ["開会挨拶"]
    material = meeting.materials.get()
    assert (material.number, material.page_count, material.original_name) == (1, 2, "結果.pdf")
    actions = set(AuditLogEntry.objects.values_list("action", flat=True))
    assert {"meetings.meeting.created", "meetings.meeting.agenda_changed", "meetings.material.added"} <= actions


def test_admin_refuses_a_non_pdf_material(secretariat_client, media_root):
    meeting = MeetingFactory()
    data = _meeting_post(
        meeting.body,
        number=str(meeting.number),
        date="2025-09-01",
        status="held",
        **_inline_management("materials", total=1),
        **{
            "materials-0-number": "",
            "materials-0-title": "偽物",
            "materials-0-agenda_item": "",
            "materials-0-file": upload(b"<html>not a pdf</html>", "fake.pdf"),
            "materials-0-is_public": "on",
        },
    )
    response = secretariat_client.post(reverse("admin:meetings_meeting_change", args=[meeting.pk]), data)
    assert response.status_code == 200
    assert not Material.objects.exists()
    errors = response.context["inline_admin_formsets"][1].formset.errors[0]["file"].as_data()
    assert errors[0].code == "upload_content"


def test_prepare_next_meeting_action(secretariat_client):
    meeting = MeetingFactory(number=7)
    AgendaItemFactory(meeting=meeting, section="reports", title="報告")
    response = secretariat_client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "prepare_next_meeting", "_selected_action": [meeting.pk]},
    )
    nxt = Meeting.objects.get(body=meeting.body, number=8)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:meetings_meeting_change", args=[nxt.pk])
    assert list(nxt.agenda_items.values_list("title", flat=True)) == ["報告"]


def test_official_cannot_prepare_or_change(official_client):
    meeting = MeetingFactory(number=7)
    response = official_client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "prepare_next_meeting", "_selected_action": [meeting.pk]},
    )
    assert not Meeting.objects.filter(number=8).exists()
    assert response.status_code == 200  # the action is not offered to a read-only official
    assert official_client.get(reverse("admin:meetings_meeting_add")).status_code == 403


def test_minutes_confirm_action_has_a_confirm_step(secretariat_client, secretariat):
    minutes = services.minutes_create(actor=secretariat, meeting=MeetingFactory(), text="本文")
    url = reverse("admin:meetings_minutes_changelist")
    response = secretariat_client.post(url, {"action": "confirm", "_selected_action": [minutes.pk]})
    assert response.status_code == 200
    assert "admin/meetings/minutes_confirm_action.html" in [t.name for t in response.templates]
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.DRAFT
    response = secretariat_client.post(url, {"action": "confirm", "_selected_action": [minutes.pk], "confirm": "yes"})
    assert response.status_code == 302
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.CONFIRMED


def test_confirmed_minutes_are_read_only_in_the_admin(secretariat_client, secretariat):
    minutes = services.minutes_confirm(
        actor=secretariat, minutes=services.minutes_create(actor=secretariat, meeting=MeetingFactory(), text="確定本文")
    )
    response = secretariat_client.get(reverse("admin:meetings_minutes_change", args=[minutes.pk]))
    assert response.status_code == 200
    assert 'name="text"' not in response.content.decode()
    secretariat_client.post(reverse("admin:meetings_minutes_change", args=[minutes.pk]), {"text": "改ざん"})
    minutes.refresh_from_db()
    assert minutes.text == "確定本文"
    assert secretariat_client.get(reverse("admin:meetings_minutes_delete", args=[minutes.pk])).status_code == 403


def _bulk(count: int) -> None:
    body = MeetingBodyFactory()
    meetings = Meeting.objects.bulk_create(
        Meeting(body=body, number=n + 1, date=datetime.date(2025, 5, 1), fiscal_year=2025, status="held")
        for n in range(count)
    )
    Minutes.objects.bulk_create(Minutes(meeting=m, text="x") for m in meetings)
    AgendaItem.objects.bulk_create(AgendaItem(meeting=m, section="reports", title="x") for m in meetings)


@pytest.mark.parametrize("count", [10, 500])
@pytest.mark.parametrize("name", ["meetings_meeting", "meetings_minutes", "meetings_meetingbody"])
def test_changelist_query_counts_are_flat(secretariat_client, django_assert_max_num_queries, count, name):
    _bulk(count)
    with django_assert_max_num_queries(15):
        response = secretariat_client.get(reverse(f"admin:{name}_changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize("client_fixture", ["secretariat_client", "official_client"])
def test_meeting_change_page_renders_for_staff(request, client_fixture, media_root, secretariat):
    client = request.getfixturevalue(client_fixture)
    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting)
    services.material_add(actor=secretariat, meeting=meeting, title="資料", upload=upload(make_pdf("A")))
    response = client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    material = meeting.materials.get()
    assert reverse("meetings:material_download", args=[material.pk]) in text
    assert "/media/" not in text and material.file.name not in text
    assert client.get(reverse("admin:meetings_meetingbody_change", args=[meeting.body.pk])).status_code == 200


def test_meeting_admin_refuses_anonymous(client):
    meeting = MeetingFactory()
    response = client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_admin_index_lists_minutes_needing_attention(secretariat_client, secretariat):
    meeting = MeetingFactory()
    services.minutes_create(actor=secretariat, meeting=meeting, text="案")
    response = secretariat_client.get(reverse("admin:index"))
    labels = {(item.label, item.count) for item in response.context["attention_items"]}
    assert ("公開待ちの確定議事録", 1) not in labels
    assert ("確定待ちの議事録案", 1) in labels


def test_admin_index_lists_past_events_still_marked_planned(secretariat_client):
    today = datetime.date.today()
    EventFactory(status=Event.Status.PLANNED, start_date=today - datetime.timedelta(days=3))
    EventFactory(
        status=Event.Status.PLANNED,
        start_date=None,
        planned_from=today - datetime.timedelta(days=90),
        planned_until=today - datetime.timedelta(days=30),
    )
    EventFactory(status=Event.Status.PLANNED, start_date=today + datetime.timedelta(days=3))
    EventFactory(status=Event.Status.HELD, start_date=today - datetime.timedelta(days=3))
    response = secretariat_client.get(reverse("admin:index"))
    labels = {(item.label, item.count) for item in response.context["attention_items"]}
    assert ("開催日を過ぎた「開催予定」のイベント", 2) in labels


def test_admin_adds_a_generated_material_numbered_among_the_uploads(secretariat_client, media_root, secretariat):
    meeting = MeetingFactory()
    services.material_add(actor=secretariat, meeting=meeting, title="資料", upload=upload(make_pdf("U", 1)))
    material_fields = {
        "materials-1-number": "",
        "materials-1-title": "令和7年度の事業結果",
        "materials-1-agenda_item": "",
        "materials-1-kind": "results",
        "materials-1-fiscal_year": "",
        "materials-1-organization": "",
        "materials-1-as_of": "",
        "materials-1-council_session": "",
        "materials-1-is_public": "on",
    }
    existing = Material.objects.get(meeting=meeting)
    data = _meeting_post(
        meeting.body,
        number=str(meeting.number),
        date=meeting.date.isoformat(),
        status=meeting.status,
        **_inline_management("materials", total=2, initial=1),
        **{
            "materials-0-id": str(existing.pk),
            "materials-0-meeting": str(meeting.pk),
            "materials-0-number": "1",
            "materials-0-title": "資料",
            "materials-0-agenda_item": "",
            "materials-0-kind": "",
        },
        **material_fields,
    )
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    response = secretariat_client.post(url, data)
    assert response.status_code == 200  # the results kind needs its fiscal year
    assert Material.objects.filter(meeting=meeting).count() == 1
    data["materials-1-fiscal_year"] = "2025"
    response = secretariat_client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    generated = Material.objects.get(meeting=meeting, kind="results")
    assert (generated.number, generated.fiscal_year, generated.label, bool(generated.file)) == (2, 2025, "資料2", False)
    assert AuditLogEntry.objects.filter(action="meetings.material.generated").exists()
