"""Reads for the invitation list: who the secretariat invites, and the list to copy."""

from meetings.models import Meeting
from members.models import Organization


def steering_members() -> list[Organization]:
    """Approved steering members, in the registry's order (category, then reading)."""
    return list(
        Organization.objects.filter(tier=Organization.Tier.STEERING, status=Organization.Status.APPROVED).order_by(
            "steering_category__order", "name_kana", "name", "pk"
        )
    )


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The meeting of the same body with the next lower number that has an invitation list."""
    return (
        Meeting.objects.filter(body_id=meeting.body_id, number__lt=meeting.number, attendances__isnull=False)
        .order_by("-number")
        .distinct()
        .first()
    )
