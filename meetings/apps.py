from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings and events")

    def ready(self) -> None:
        from platform_portal.audit import register_actions

        register_actions(
            {
                "meetings.meeting.created": _("Meeting created"),
                "meetings.meeting.changed": _("Meeting changed"),
                "meetings.meeting.prepared": _("Next meeting prepared"),
                "meetings.meeting.agenda_changed": _("Agenda changed"),
                "meetings.meeting.attendance_changed": _("Attendance changed"),
                "meetings.material.added": _("Material added"),
                "meetings.material.changed": _("Material changed"),
                "meetings.material.deleted": _("Material deleted"),
                "meetings.minutes.created": _("Minutes drafted"),
                "meetings.minutes.changed": _("Minutes draft changed"),
                "meetings.minutes.confirmed": _("Minutes confirmed"),
                "meetings.minutes.published": _("Minutes published"),
                "meetings.minutes.corrected": _("Minutes correction started"),
                "meetings.event.created": _("Event created"),
                "meetings.event.changed": _("Event changed"),
                "meetings.event.marked_held": _("Event marked as held after its date"),
                "meetings.event_signup.created": _("Event application received"),
                "meetings.event_signup.cancelled": _("Event application cancelled"),
                "meetings.event_signup.checked_in": _("Applicant checked in"),
                "meetings.event_signup.check_in_undone": _("Check-in undone"),
                "meetings.event_signup.deleted": _("Event application deleted on request"),
            }
        )
