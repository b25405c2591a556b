"""Reads for the member pages: members-only materials and a group's event sign-ups."""

from django.db.models import Q, QuerySet
from django.http import Http404

from meetings.models import EventSignup, Material


def _member_materials() -> QuerySet[Material]:
    return Material.objects.filter(
        members_only=True, is_public=False, meeting__is_public=True, meeting__body__is_public=True
    )


def member_materials(*, limit: int = 20) -> list[Material]:
    """Meeting materials marked for members only (not public, not staff-only), newest meetings first."""
    return list(_member_materials().select_related("meeting").order_by("-meeting__date", "number")[:limit])


def member_material_get(*, pk: int) -> Material:
    try:
        return _member_materials().get(pk=pk)
    except Material.DoesNotExist as exc:
        raise Http404 from exc


def signups_for_emails(*, emails: list[str]) -> list[EventSignup]:
    """The event sign-ups made with the group's contact persons' addresses."""
    if not emails:
        return []
    query = Q()
    for email in emails:
        query |= Q(email__iexact=email)
    return list(EventSignup.objects.filter(query).select_related("event").order_by("-event__start_date", "pk")[:50])
