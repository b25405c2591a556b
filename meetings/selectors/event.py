"""Reads of events shared by views (docs/house-style.md R6/R12)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from meetings.models import Event, EventSignup
from platform_portal.lib.fiscal import FiscalYear, fiscal_year_of


def _public_events() -> QuerySet:  # annotated with sort_date and last_date
    return Event.objects.filter(is_public=True).annotate(
        sort_date=Coalesce("start_date", "planned_from"),
        last_date=Coalesce("end_date", "start_date", "planned_until", "planned_from"),
    )


def event_list_upcoming(*, today: datetime.date) -> QuerySet[Event]:
    """Public events not yet over (planned periods included), soonest first."""
    return _public_events().filter(last_date__gte=today).exclude(status=Event.Status.HELD).order_by("sort_date", "pk")


def event_list_past(*, today: datetime.date, fiscal_year: FiscalYear | None = None) -> QuerySet:
    """Public events that are over (or marked held), latest first; optionally of one fiscal year."""
    events = _public_events().filter(Q(last_date__lt=today) | Q(status=Event.Status.HELD))
    if fiscal_year is not None:
        events = events.filter(sort_date__gte=fiscal_year.first_day, sort_date__lte=fiscal_year.last_day)
    return events.order_by("-sort_date", "-pk")


def event_fiscal_years(*, today: datetime.date) -> list[FiscalYear]:
    """The fiscal years that have past public events, latest first (for the year navigation)."""
    firsts = event_list_past(today=today).order_by().values_list("sort_date", flat=True).distinct()
    return sorted({fiscal_year_of(day) for day in firsts}, reverse=True)


def group_by_fiscal_year(events) -> list[tuple[FiscalYear, list[Event]]]:
    groups: dict[FiscalYear, list[Event]] = defaultdict(list)
    for event in events:
        groups[fiscal_year_of(event.sort_date)].append(event)
    return sorted(groups.items(), key=lambda item: item[0], reverse=True)


def get_event_for_public(pk: int) -> Event:
    """A public event or 404 (non-public events do not exist for the public)."""
    return get_object_or_404(_public_events().prefetch_related("programme", "participating_organizations"), pk=pk)


def get_event_for_staff(user, pk: int) -> Event:
    """An event for check-in by staff: 404 when missing; PermissionDenied without the permission."""
    from django.core.exceptions import PermissionDenied

    if not user.is_authenticated or not user.is_staff:
        raise Http404
    if not user.has_perm("meetings.checkin_eventsignup"):
        raise PermissionDenied
    return get_object_or_404(Event, pk=pk)


def event_signup_counts(event: Event) -> dict[str, int]:
    """Confirmed, waitlisted and checked-in applications of an event, in one query."""
    return EventSignup.objects.filter(event=event).aggregate(
        confirmed=Count("pk", filter=Q(status=EventSignup.Status.CONFIRMED)),
        waitlisted=Count("pk", filter=Q(status=EventSignup.Status.WAITLISTED)),
        checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)),
    )


def event_signup_list(event: Event) -> QuerySet[EventSignup]:
    return event.signups.exclude(status=EventSignup.Status.CANCELLED).order_by("status", "created_at", "pk")


def get_signup_by_token(token) -> EventSignup:
    """An application by its secret token (the applicant's own page); 404 when unknown."""
    return get_object_or_404(EventSignup.objects.select_related("event"), token=token)


def get_signup_for_event(event: Event, pk: int) -> EventSignup:
    """An application of this event (404 for another event's or a missing one)."""
    return get_object_or_404(EventSignup, event=event, pk=pk)


def event_organization_links(event: Event) -> list[tuple[str, str | None]]:
    """Names of the participating member organisations, with a link where their page is public."""
    from django.urls import NoReverseMatch, reverse

    links = []
    for organization in event.participating_organizations.all():
        url = None
        if organization.is_public:
            try:
                url = reverse("members:organization_detail", args=[organization.pk])
            except NoReverseMatch:
                url = None
        links.append((organization.name, url))
    return links


@dataclass(frozen=True)
class EventYearResult:
    """Events held in a fiscal year and their participants (at the venue, online)."""

    fiscal_year: FiscalYear
    events: int
    participants_venue: int
    participants_online: int
    participants_total: int


def event_results_by_fiscal_year(*, public_only: bool) -> list[EventYearResult]:
    """Held events per fiscal year with their participants, oldest first (one query).

    Participants are the recorded results: venue and online where split; the total is the
    recorded total, or venue + online where no total was recorded.
    """
    events = Event.objects.filter(status=Event.Status.HELD)
    if public_only:
        events = events.filter(is_public=True)
    rows = events.annotate(sort_date=Coalesce("start_date", "planned_from")).values_list(
        "sort_date", "participants_venue", "participants_online", "participants_total"
    )
    totals: dict[FiscalYear, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for day, venue, online, total in rows:
        cell = totals[fiscal_year_of(day)]
        cell[0] += 1
        cell[1] += venue or 0
        cell[2] += online or 0
        cell[3] += total if total is not None else (venue or 0) + (online or 0)
    return [EventYearResult(year, *totals[year]) for year in sorted(totals)]


def event_list_open_for_signup(*, today: datetime.date, limit: int = 5) -> list[Event]:
    """Upcoming public events taking sign-ups now, soonest first, with `seats_left` (one query)."""
    events = (
        _public_events()
        .filter(signup_enabled=True, status=Event.Status.PLANNED, start_date__gte=today)
        .filter(Q(application_deadline__isnull=True) | Q(application_deadline__gte=today))
        .annotate(confirmed=Count("signups", filter=Q(signups__status=EventSignup.Status.CONFIRMED)))
        .order_by("start_date", "pk")[:limit]
    )
    result = list(events)
    for event in result:
        event.seats_left = max(0, (event.capacity or 0) - event.confirmed)
    return result
