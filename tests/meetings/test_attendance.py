"""The invitation list in bulk: invite the steering members or a body, copy the last list, record attendance."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings.models import Attendance
from meetings.services import attendance as services
from platform_portal.models import AuditLogEntry
from tests.meetings.factories import MeetingBodyFactory, MeetingFactory
from tests.members.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def _steering(count: int):
    return [OrganizationFactory(steering=True, name=f"幹事団体{i}") for i in range(count)]


def test_invite_all_steering_members_once(secretariat):
    steering = _steering(5)
    OrganizationFactory()  # a general member is not invited
    OrganizationFactory(steering=True, status="pending", approved_on=None)  # nor a pending one
    meeting = MeetingFactory()
    assert services.attendance_invite_steering(actor=secretariat, meeting=meeting) == 5
    assert services.attendance_invite_steering(actor=secretariat, meeting=meeting) == 0  # never twice
    assert set(meeting.attendances.values_list("organization_id", flat=True)) == {org.pk for org in steering}
    assert AuditLogEntry.objects.filter(action="meetings.meeting.invited").count() == 2


def test_invite_members_of_a_body(secretariat):
    body = MeetingBodyFactory(kind="working_group")
    members = [OrganizationFactory(), OrganizationFactory()]
    body.members.set(members)
    meeting = MeetingFactory(body=body)
    assert services.attendance_invite_body(actor=secretariat, meeting=meeting, body=body) == 2


def test_copy_the_previous_list_without_attendance(secretariat):
    body = MeetingBodyFactory()
    seventh = MeetingFactory(body=body, number=7)
    org = OrganizationFactory()
    Attendance.objects.create(meeting=seventh, organization=org, position="理事長", attended=True, online=True)
    Attendance.objects.create(meeting=seventh, organization_label="鳥取県 福祉保健部", position="部長", attended=True)
    eighth = MeetingFactory(body=body, number=8, date=None, status="scheduled", fiscal_year=2026)
    assert services.attendance_copy_previous(actor=secretariat, meeting=eighth) == 2
    rows = list(
        eighth.attendances.order_by("order").values("organization", "organization_label", "position", "attended")
    )
    assert rows == [
        {"organization": org.pk, "organization_label": "", "position": "理事長", "attended": False},
        {"organization": None, "organization_label": "鳥取県 福祉保健部", "position": "部長", "attended": False},
    ]


def test_copy_without_a_previous_list_is_refused(secretariat):
    with pytest.raises(ValidationError):
        services.attendance_copy_previous(actor=secretariat, meeting=MeetingFactory())


def test_record_refuses_rows_of_another_meeting(secretariat):
    other = Attendance.objects.create(meeting=MeetingFactory(), organization=OrganizationFactory())
    with pytest.raises(ValidationError):
        services.attendance_record(
            actor=secretariat,
            meeting=MeetingFactory(),
            marks={other.pk: services.AttendanceMark(invited=True, attended=True, online=False)},
        )


def test_attendance_screen_invites_and_records_the_whole_list(secretariat_client):
    _steering(34)
    meeting = MeetingFactory()
    url = reverse("admin:meetings_meeting_attendance", args=[meeting.pk])
    change = secretariat_client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk])).content.decode()
    assert url in change  # reachable from the meeting's admin page
    page = secretariat_client.get(url).content.decode()
    assert "34" in page
    response = secretariat_client.post(url, {"operation": "invite_steering"})
    assert response.status_code == 302
    rows = list(meeting.attendances.order_by("order"))
    assert len(rows) == 34
    data = {"operation": "record", "row": [str(row.pk) for row in rows]}
    for row in rows[:30]:
        data[f"invited-{row.pk}"] = "on"
        data[f"attended-{row.pk}"] = "on"
    data[f"online-{rows[0].pk}"] = "on"
    data[f"online-{rows[33].pk}"] = "on"  # online without attending does not count
    for row in rows[30:]:
        data[f"invited-{row.pk}"] = "on"
    secretariat_client.post(url, data)
    assert meeting.attendances.filter(attended=True).count() == 30
    assert meeting.attendances.filter(online=True).count() == 1
    page = secretariat_client.get(url).content.decode()
    assert "招待: 34、出席: 30（オンライン: 1）" in page


def test_official_sees_the_list_but_cannot_change_it(official_client):
    meeting = MeetingFactory()
    url = reverse("admin:meetings_meeting_attendance", args=[meeting.pk])
    response = official_client.get(url)
    assert response.status_code == 200
    assert 'name="operation"' not in response.content.decode()
    assert official_client.post(url, {"operation": "invite_steering"}).status_code == 403


def test_anonymous_is_sent_to_login(client):
    meeting = MeetingFactory()
    response = client.get(reverse("admin:meetings_meeting_attendance", args=[meeting.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


# ------------------------------------------------------------------ prepare the next meeting


def test_prepare_next_moves_fiscal_years_and_clears_presenter_names(secretariat):
    import datetime

    from meetings.services import meeting as meeting_services
    from tests.meetings.factories import AgendaItemFactory

    seventh = MeetingFactory(number=7, date=datetime.date(2026, 1, 27), fiscal_year=2025)
    AgendaItemFactory(meeting=seventh, order=1, section="opening", title="開会挨拶", presenter="政策統轄監")
    AgendaItemFactory(
        meeting=seventh, order=2, title="令和7年度孤独・孤立対策事業の結果等について", presenter="県孤独・孤立対策課"
    )
    AgendaItemFactory(
        meeting=seventh,
        order=3,
        title="一般団体会員の活動紹介について",
        presenter="NPO法人人と動物の共生センター 松本温子 理事・鳥取支部長",
    )
    AgendaItemFactory(
        meeting=seventh, order=4, section="exchange", title="令和8年度県・市町村孤独・孤立対策事業について"
    )
    eighth = meeting_services.meeting_prepare_next(actor=secretariat, previous=seventh)
    years = eighth.fiscal_year - seventh.fiscal_year
    assert years >= 1  # 令和8年度 or later, as the clock says
    rows = list(eighth.agenda_items.order_by("order").values_list("title", "presenter"))
    assert rows[1][0] == f"令和{7 + years}年度孤独・孤立対策事業の結果等について"
    assert rows[2] == ("一般団体会員の活動紹介について", "NPO法人人と動物の共生センター 理事・鳥取支部長")
    assert rows[3][0] == f"令和{8 + years}年度県・市町村孤独・孤立対策事業について"
    assert rows[0][1] == "政策統轄監"


def test_prepared_meeting_page_lists_what_to_check(secretariat_client):
    meeting = MeetingFactory(date=None, status="scheduled", fiscal_year=2026, is_public=False)
    html = secretariat_client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk])).content.decode()
    assert "開催前の確認事項" in html
    assert "日時を設定する" in html


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("政策統轄監", "政策統轄監"),
        ("県孤独・孤立対策課", "県孤独・孤立対策課"),
        ("鳥取県社会福祉協議会 山田花子 事務局長", "鳥取県社会福祉協議会 事務局長"),
        ("NPO法人〇〇　鈴木一郎", "NPO法人〇〇"),
    ],
)
def test_presenter_role_only(text, expected):
    from meetings.rules import presenter_role_only

    assert presenter_role_only(text) == expected


def test_shift_fiscal_years_leaves_other_text():
    from meetings.rules import shift_fiscal_years

    assert shift_fiscal_years("令和元年度と令和７年度、2025年", years=1) == "令和2年度と令和8年度、2025年"
    assert shift_fiscal_years("令和7年度", years=0) == "令和7年度"
