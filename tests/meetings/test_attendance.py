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
