"""Writes of a meeting's invitation list and attendance in bulk (docs/house-style.md R5/R6).

The secretariat invites the steering members (幹事団体) or the members of a body in one step,
copies the list of the previous meeting, and records who attended for the whole list on one
screen. Each call writes one audit entry for the meeting, without personal names.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from meetings.models import Attendance, Meeting, MeetingBody
from meetings.selectors.attendance import previous_meeting, steering_members
from members.models import Organization
from platform_portal.audit import Actor, audit_log


@dataclass(frozen=True)
class AttendanceMark:
    """What staff ticked for one row of the list."""

    invited: bool
    attended: bool
    online: bool


def _append(*, meeting: Meeting, rows: list[Attendance]) -> int:
    """Add the rows whose organisation (or label) is not on the list yet; returns how many were added."""
    existing = set(meeting.attendances.values_list("organization_id", "organization_label"))
    invited_ids = {org_id for org_id, _label in existing if org_id}
    labels = {label for org_id, label in existing if not org_id}
    order = (meeting.attendances.aggregate(top=Max("order"))["top"] or 0) + 10
    new = []
    for row in rows:
        if row.organization_id and row.organization_id in invited_ids:
            continue
        if not row.organization_id and row.organization_label in labels:
            continue
        row.meeting = meeting
        row.order = order
        order += 10
        if row.organization_id is not None:
            invited_ids.add(row.organization_id)
        labels.add(row.organization_label)
        new.append(row)
    Attendance.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def attendance_invite_organizations(
    *, actor: Actor, meeting: Meeting, organizations: list[Organization], source: str
) -> int:
    """Invite the organisations not yet on the meeting's list; `source` says from where (for the audit)."""
    Meeting.objects.select_for_update().get(pk=meeting.pk)
    added = _append(meeting=meeting, rows=[Attendance(organization=org, invited=True) for org in organizations])
    audit_log(
        actor=actor,
        action="meetings.meeting.invited",
        target=meeting,
        data={"source": source, "added": added, "candidates": len(organizations)},
    )
    return added


def attendance_invite_steering(*, actor: Actor, meeting: Meeting) -> int:
    """Invite every approved steering member (幹事団体) in one step."""
    return attendance_invite_organizations(
        actor=actor, meeting=meeting, organizations=steering_members(), source="steering"
    )


def attendance_invite_body(*, actor: Actor, meeting: Meeting, body: MeetingBody) -> int:
    """Invite every member organisation of a body (e.g. a working group)."""
    organizations = list(body.members.order_by("name_kana", "name", "pk"))
    return attendance_invite_organizations(
        actor=actor, meeting=meeting, organizations=organizations, source=f"body:{body.pk}"
    )


@transaction.atomic
def attendance_copy_previous(*, actor: Actor, meeting: Meeting) -> int:
    """Copy the invitation list (organisation, position, name) of the body's previous meeting, nobody marked present."""
    Meeting.objects.select_for_update().get(pk=meeting.pk)
    previous = previous_meeting(meeting)
    if previous is None:
        raise ValidationError(_("No earlier meeting of this body has an invitation list."), code="no_previous_list")
    rows = [
        Attendance(
            organization_id=row.organization_id,
            organization_label=row.organization_label,
            position=row.position,
            person_name=row.person_name,
            invited=row.invited,
        )
        for row in previous.attendances.order_by("order", "pk")
    ]
    added = _append(meeting=meeting, rows=rows)
    audit_log(
        actor=actor,
        action="meetings.meeting.invited",
        target=meeting,
        data={"source": f"meeting:{previous.pk}", "added": added, "candidates": len(rows)},
    )
    return added


@transaction.atomic
def attendance_record(*, actor: Actor, meeting: Meeting, marks: dict[int, AttendanceMark]) -> int:
    """Record invited/attended/online for the rows of the list at once; returns how many rows changed.

    Online only counts for someone who attended; rows of other meetings are refused.
    """
    Meeting.objects.select_for_update().get(pk=meeting.pk)
    rows = {row.pk: row for row in meeting.attendances.all()}
    unknown = set(marks) - set(rows)
    if unknown:
        raise ValidationError(_("Some rows are not on this meeting's list."), code="foreign_rows")
    changed = []
    for pk, mark in marks.items():
        row = rows[pk]
        values = (mark.invited, mark.attended, mark.attended and mark.online)
        if (row.invited, row.attended, row.online) != values:
            row.invited, row.attended, row.online = values
            changed.append(row)
    Attendance.objects.bulk_update(changed, ["invited", "attended", "online"])
    audit_log(
        actor=actor,
        action="meetings.meeting.attendance_changed",
        target=meeting,
        data={"rows": len(changed), "attended": sum(1 for row in rows.values() if row.attended)},
    )
    return len(changed)
