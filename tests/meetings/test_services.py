"""Services of meetings: numbering, schedule rules, preparing the next meeting, uploads, minutes."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings.models import AgendaItem, Meeting, Minutes
from meetings.services import meeting as services
from platform_portal.models import AuditLogEntry
from tests.meetings.factories import AgendaItemFactory, MeetingBodyFactory, MeetingFactory
from tests.meetings.pdfs import make_pdf, upload

pytestmark = pytest.mark.django_db


def _actions(obj) -> list[str]:
    return list(AuditLogEntry.objects.filter(object_id=str(obj.pk)).order_by("pk").values_list("action", flat=True))


def test_meeting_create_numbers_per_body_and_derives_fiscal_year(secretariat):
    body = MeetingBodyFactory()
    first = services.meeting_create(actor=secretariat, body=body, date=datetime.date(2026, 1, 27), status="held")
    second = services.meeting_create(actor=secretariat, body=body, date=datetime.date(2026, 4, 1))
    other = services.meeting_create(
        actor=secretariat, body=MeetingBodyFactory(), planned_period="4月～5月", fiscal_year=2026
    )
    assert (first.number, first.fiscal_year) == (1, 2025)
    assert (second.number, second.fiscal_year) == (2, 2026)
    assert (other.number, other.fiscal_year, other.date) == (1, 2026, None)
    assert first.title == "第1回「テスト官民連携プラットフォーム」会議"
    assert first.agenda_title == "第1回「テスト官民連携プラットフォーム」会議次第"
    assert _actions(first) == ["meetings.meeting.created"]


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"status": "held"}, "held_without_date"),
        ({"planned_period": "4月～5月"}, "fiscal_year_missing"),
        ({"date": datetime.date(2026, 1, 27), "fiscal_year": 2026}, "fiscal_year_mismatch"),
    ],
)
def test_meeting_create_refuses_impossible_schedules(secretariat, fields, code):
    with pytest.raises(ValidationError) as exc:
        services.meeting_create(actor=secretariat, body=MeetingBodyFactory(), **fields)
    assert exc.value.code == code
    assert not Meeting.objects.exists()


def test_meeting_number_is_editable_but_unique_per_body(secretariat):
    meeting = MeetingFactory(number=3)
    other = MeetingFactory(body=meeting.body, number=4)
    with pytest.raises(ValidationError) as exc:
        services.meeting_update(actor=secretariat, meeting=other, number=3)
    assert exc.value.code == "number_taken"
    services.meeting_update(actor=secretariat, meeting=other, number=5)
    other.refresh_from_db()
    assert other.number == 5
    assert _actions(other) == ["meetings.meeting.changed"]


def test_meeting_update_without_change_writes_nothing(secretariat):
    meeting = MeetingFactory()
    services.meeting_update(actor=secretariat, meeting=meeting, summary=meeting.summary, date=meeting.date)
    assert _actions(meeting) == []


def test_held_session_gets_a_date_and_its_fiscal_year(secretariat):
    session = services.meeting_create(
        actor=secretariat, body=MeetingBodyFactory(kind="working_group"), planned_period="4月～5月", fiscal_year=2026
    )
    services.meeting_update(actor=secretariat, meeting=session, date=datetime.date(2026, 5, 12), status="held")
    session.refresh_from_db()
    assert (session.status, session.date, session.fiscal_year, session.planned_period) == (
        "held",
        datetime.date(2026, 5, 12),
        2026,
        "4月～5月",
    )


def test_prepare_next_copies_agenda_structure_with_next_number(secretariat):
    previous = MeetingFactory(number=7, format=Meeting.Format.ONLINE, is_public=True)
    AgendaItemFactory(meeting=previous, order=1, section="opening", title="開会挨拶", presenter="政策統轄監")
    AgendaItemFactory(meeting=previous, order=2, section="reports", title="報告1", duration_minutes=10)
    nxt = services.meeting_prepare_next(actor=secretariat, previous=previous)
    assert (nxt.body_id, nxt.number, nxt.status, nxt.date, nxt.format) == (
        previous.body_id,
        8,
        "scheduled",
        None,
        "online",
    )
    copied = list(nxt.agenda_items.order_by("order").values_list("section", "title", "presenter", "duration_minutes"))
    assert copied == [("opening", "開会挨拶", "政策統轄監", None), ("reports", "報告1", "", 10)]
    assert previous.agenda_items.count() == 2
    assert not nxt.is_public  # published by the secretariat once its date and agenda are set
    assert _actions(nxt) == ["meetings.meeting.prepared"]


def test_agenda_set_replaces_items_in_order(secretariat):
    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting)
    services.agenda_set(
        actor=secretariat,
        meeting=meeting,
        items=[
            {"section": "opening", "title": "開会挨拶", "presenter": "", "duration_minutes": None},
            {"section": "closing", "title": "閉会", "presenter": "", "duration_minutes": None},
        ],
    )
    assert list(AgendaItem.objects.filter(meeting=meeting).order_by("order").values_list("title", flat=True)) == [
        "開会挨拶",
        "閉会",
    ]


# ---------------------------------------------------------------- materials


def test_material_add_numbers_and_counts_pages(secretariat, media_root):
    meeting = MeetingFactory()
    first = services.material_add(actor=secretariat, meeting=meeting, title="事業結果", upload=upload(make_pdf("A", 2)))
    second = services.material_add(
        actor=secretariat, meeting=meeting, title="活動紹介", upload=upload(make_pdf("B")), is_public=True
    )
    assert (first.number, first.label, first.page_count, first.is_public) == (1, "資料1", 2, False)
    assert (second.number, second.page_count) == (2, 1)
    assert first.file.name.startswith("meetings/materials/") and "material" not in first.file.name.rsplit("/", 1)[1]
    assert first.original_name == "material.pdf"
    assert _actions(first) == ["meetings.material.added"]


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("evil.exe", b"%PDF-1.7 fake", "upload_type"),
        ("looks.pdf", b"MZ\x90\x00 not a pdf", "upload_content"),
        ("broken.pdf", b"%PDF-1.7\n garbage", "upload_damaged"),
    ],
)
def test_material_add_refuses_bad_files(secretariat, media_root, name, content, code):
    with pytest.raises(ValidationError) as exc:
        services.material_add(actor=secretariat, meeting=MeetingFactory(), title="x", upload=upload(content, name))
    assert exc.value.code == code


def test_material_add_refuses_files_over_the_limit(secretariat, media_root, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as exc:
        services.material_add(actor=secretariat, meeting=MeetingFactory(), title="x", upload=upload(make_pdf("big")))
    assert exc.value.code == "upload_too_large"


def test_material_update_replaces_file_and_delete_removes_it(
    secretariat, media_root, django_capture_on_commit_callbacks
):
    material = services.material_add(
        actor=secretariat, meeting=MeetingFactory(), title="x", upload=upload(make_pdf("A"))
    )
    old_path = media_root / material.file.name
    with django_capture_on_commit_callbacks(execute=True):
        material = services.material_update(
            actor=secretariat,
            material=material,
            title="y",
            is_public=True,
            number=3,
            agenda_item=None,
            upload=upload(make_pdf("B", 3)),
        )
    assert not old_path.exists()
    material.refresh_from_db()
    assert (material.title, material.number, material.page_count, material.is_public) == ("y", 3, 3, True)
    new_path = media_root / material.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.material_delete(actor=secretariat, material=material)
    assert not new_path.exists()


# ---------------------------------------------------------------- minutes


def test_minutes_lifecycle_freezes_confirmed_text_and_keeps_history(secretariat):
    meeting = MeetingFactory()
    draft = services.minutes_create(actor=secretariat, meeting=meeting, text="案の本文")
    services.minutes_update(actor=secretariat, minutes=draft, text="修正した本文")
    with pytest.raises(ValidationError) as exc:
        services.minutes_publish(actor=secretariat, minutes=draft)
    assert exc.value.code == "minutes_not_confirmed"
    confirmed = services.minutes_confirm(actor=secretariat, minutes=draft)
    assert confirmed.confirmed_by == secretariat and confirmed.confirmed_at
    with pytest.raises(ValidationError) as exc:
        services.minutes_update(actor=secretariat, minutes=confirmed, text="改ざん")
    assert exc.value.code == "minutes_frozen"
    with pytest.raises(ValidationError) as exc:
        services.minutes_confirm(actor=secretariat, minutes=confirmed)
    assert exc.value.code == "minutes_not_draft"
    published = services.minutes_publish(actor=secretariat, minutes=confirmed)
    correction = services.minutes_correct(actor=secretariat, minutes=published)
    assert (correction.version, correction.status, correction.text, correction.supersedes) == (
        2,
        "draft",
        "修正した本文",
        published,
    )
    with pytest.raises(ValidationError) as exc:
        services.minutes_correct(actor=secretariat, minutes=published)
    assert exc.value.code == "minutes_not_latest"
    published.refresh_from_db()
    assert (published.text, published.status) == ("修正した本文", "published")
    assert Minutes.objects.filter(meeting=meeting).count() == 2
    assert _actions(draft) == [
        "meetings.minutes.created",
        "meetings.minutes.changed",
        "meetings.minutes.confirmed",
        "meetings.minutes.published",
    ]
    with pytest.raises(ValidationError) as exc:
        services.minutes_create(actor=secretariat, meeting=meeting, text="二つ目")
    assert exc.value.code == "minutes_exist"


# ---------------------------------------------------------------- page caps (issue 12, F1)


def _blank_pdf(pages: int) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _index in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_material_over_the_page_cap_is_refused(secretariat, media_root, settings):
    settings.MATERIAL_MAX_PAGES = 200
    meeting = MeetingFactory()
    with pytest.raises(ValidationError) as exc:
        services.material_add(actor=secretariat, meeting=meeting, title="x", upload=upload(_blank_pdf(3000)))
    assert exc.value.code == "material_too_many_pages"
    assert not meeting.materials.exists()
    services.material_add(actor=secretariat, meeting=meeting, title="ok", upload=upload(_blank_pdf(200)))


def test_packet_total_page_cap(secretariat, media_root, settings):
    settings.MATERIAL_MAX_PAGES, settings.PACKET_MAX_PAGES = 200, 300
    meeting = MeetingFactory()
    first = services.material_add(actor=secretariat, meeting=meeting, title="a", upload=upload(_blank_pdf(200)))
    with pytest.raises(ValidationError) as exc:
        services.material_add(actor=secretariat, meeting=meeting, title="b", upload=upload(_blank_pdf(101)))
    assert exc.value.code == "packet_too_many_pages"
    services.material_add(actor=secretariat, meeting=meeting, title="b", upload=upload(_blank_pdf(100)))
    with pytest.raises(ValidationError) as exc:
        services.material_update(
            actor=secretariat,
            material=first,
            title="a",
            is_public=False,
            number=first.number,
            agenda_item=None,
            upload=upload(_blank_pdf(201)),
        )
    assert exc.value.code == "material_too_many_pages"
    settings.MATERIAL_MAX_PAGES = 250
    with pytest.raises(ValidationError) as exc:
        services.material_update(
            actor=secretariat,
            material=first,
            title="a",
            is_public=False,
            number=first.number,
            agenda_item=None,
            upload=upload(_blank_pdf(201)),
        )
    assert exc.value.code == "packet_too_many_pages"


def test_packet_over_the_cap_is_never_laid_out(secretariat, media_root, settings, client):
    """Rows stored before the cap (or a lower cap later): the packet view refuses without rendering."""
    from meetings.pdf import PacketTooLarge, render_packet_pdf

    meeting = MeetingFactory(is_public=True)
    services.material_add(actor=secretariat, meeting=meeting, title="a", upload=upload(_blank_pdf(30)), is_public=True)
    settings.PACKET_MAX_PAGES = 20
    with pytest.raises(PacketTooLarge):
        render_packet_pdf(meeting, include_private=False)
    response = client.get(reverse("meetings:meeting_packet_pdf", args=[meeting.pk]))
    assert response.status_code == 422
    assert "20" in response.content.decode()


def test_only_one_packet_is_laid_out_at_a_time(secretariat, media_root, settings, client):
    """A flood of packet requests keeps the other workers free: beyond PDF_RENDER_SLOTS, 503 at once."""
    from platform_portal.pdf import pdf_render_slot

    settings.PDF_RENDER_SLOTS = 1
    meeting = MeetingFactory(is_public=True)
    services.material_add(actor=secretariat, meeting=meeting, title="a", upload=upload(_blank_pdf(2)), is_public=True)
    url = reverse("meetings:meeting_packet_pdf", args=[meeting.pk])
    with pdf_render_slot():  # another worker is laying out a packet
        busy = client.get(url)
    assert busy.status_code == 503
    assert busy["Retry-After"] == str(settings.PDF_RENDER_RETRY_SECONDS)
    assert client.get(url).status_code == 200
