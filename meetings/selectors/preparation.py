"""What staff still have to check on a meeting being prepared (shown on its admin page)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from meetings.models import AgendaItem, Meeting


@dataclass(frozen=True)
class ChecklistItem:
    label: str
    done: bool | None  # None: staff check it by eye


def meeting_checklist(*, meeting: Meeting) -> list[ChecklistItem]:
    """The steps of preparing a meeting, each with whether the record shows it done (5 queries at most)."""
    reports = list(meeting.agenda_items.filter(section=AgendaItem.Section.REPORTS).values_list("presenter", flat=True))
    return [
        ChecklistItem(_("Set the date and time"), meeting.date is not None and meeting.start_time is not None),
        ChecklistItem(_("Set the venue or online format"), bool(meeting.place)),
        ChecklistItem(_("Check the agenda titles (the fiscal years in them were moved on)"), None),
        ChecklistItem(_("Name the presenters of the reports (names were not copied)"), all(reports)),
        ChecklistItem(_("Invite the organisations (invitations and attendance)"), meeting.attendances.exists()),
        ChecklistItem(_("Attach the materials"), meeting.materials.exists()),
        ChecklistItem(_("Publish the meeting"), meeting.is_public),
    ]
