"""Reads of meetings shared by views, PDFs and the admin; access checks written once (docs/house-style.md R12)."""

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from meetings.agenda import OutlineSection, agenda_outline
from meetings.models import AgendaItem, Attendance, Material, Meeting, MeetingBody, Minutes
from members.selectors import organization_list_current


def user_is_meeting_staff(user) -> bool:
    """Staff who may see non-public meetings, materials and draft minutes (secretariat, officials)."""
    return bool(user and user.is_active and user.is_staff and user.has_perm("meetings.view_meeting"))


def _visible_meetings(user) -> QuerySet[Meeting]:
    queryset = Meeting.objects.select_related("body")
    if user_is_meeting_staff(user):
        return queryset
    return queryset.filter(is_public=True, body__is_public=True)


def body_list(*, user) -> QuerySet[MeetingBody]:
    queryset = MeetingBody.objects.all()
    if not user_is_meeting_staff(user):
        queryset = queryset.filter(is_public=True)
    return queryset


def meeting_list(*, user, body: MeetingBody | None = None, fiscal_year: int | None = None) -> QuerySet[Meeting]:
    """The history, newest first; meetings still undecided come first within their fiscal year."""
    queryset = _visible_meetings(user)
    if body is not None:
        queryset = queryset.filter(body=body)
    if fiscal_year is not None:
        queryset = queryset.filter(fiscal_year=fiscal_year)
    return queryset.order_by("-fiscal_year", F("date").desc(nulls_first=True), "body__order", "-number")


def meeting_fiscal_years(*, user) -> list[int]:
    return list(_visible_meetings(user).order_by("-fiscal_year").values_list("fiscal_year", flat=True).distinct())


def meeting_get_for_user(user, pk: int) -> Meeting:
    """A meeting the user may see; Http404 for missing and non-public alike."""
    try:
        return _visible_meetings(user).get(pk=pk)
    except Meeting.DoesNotExist:
        raise Http404(_("No such meeting."))


def material_list(*, meeting: Meeting, public_only: bool) -> QuerySet[Material]:
    queryset = meeting.materials.select_related("agenda_item").order_by("number")
    if public_only:
        queryset = queryset.filter(is_public=True)
    return queryset


def material_get_for_user(user, pk: int) -> Material:
    """A material the user may download: public material of a public meeting, or any for staff."""
    queryset = Material.objects.select_related("meeting", "meeting__body")
    if not user_is_meeting_staff(user):
        queryset = queryset.filter(is_public=True, meeting__is_public=True, meeting__body__is_public=True)
    try:
        return queryset.get(pk=pk)
    except Material.DoesNotExist:
        raise Http404(_("No such material."))


def meeting_agenda_outline(*, meeting: Meeting) -> list[OutlineSection]:
    items = list(AgendaItem.objects.filter(meeting=meeting).order_by("order", "pk"))
    return agenda_outline(items, section_labels={value: str(label) for value, label in AgendaItem.Section.choices})


def attendance_list(*, meeting: Meeting) -> list[Attendance]:
    return list(meeting.attendances.select_related("organization").order_by("order", "pk"))


def attendance_totals(attendances: list[Attendance]) -> dict[str, int]:
    return {
        "invited": sum(1 for a in attendances if a.invited),
        "attended": sum(1 for a in attendances if a.attended),
        "online": sum(1 for a in attendances if a.attended and a.online),
    }


def attendance_counts(*, meeting: Meeting) -> dict[str, int]:
    """Counts only (no names) for the public meeting page: one query."""
    counts = meeting.attendances.aggregate(
        invited_count=Count("pk", filter=Q(invited=True)),
        attended_count=Count("pk", filter=Q(attended=True)),
        online_count=Count("pk", filter=Q(attended=True, online=True)),
    )
    return {key.removesuffix("_count"): value for key, value in counts.items()}


def minutes_published(*, meeting: Meeting) -> Minutes | None:
    """The latest published version of the minutes, or None."""
    return meeting.minutes.filter(status=Minutes.Status.PUBLISHED).order_by("-version").first()


def minutes_for_user(user, *, meeting: Meeting) -> list[Minutes]:
    """Staff see every version (the history); the public sees only the latest published one."""
    if user_is_meeting_staff(user):
        return list(meeting.minutes.order_by("-version"))
    published = minutes_published(meeting=meeting)
    return [published] if published else []


def working_group_list(*, user) -> QuerySet[MeetingBody]:
    return body_list(user=user).filter(kind=MeetingBody.Kind.WORKING_GROUP)


def working_group_get_for_user(user, slug: str) -> MeetingBody:
    sessions = Meeting.objects.order_by("number")
    if not user_is_meeting_staff(user):
        sessions = sessions.filter(is_public=True)
    queryset = working_group_list(user=user).prefetch_related(
        Prefetch("meetings", queryset=sessions, to_attr="sessions"),
        Prefetch("members", queryset=_member_queryset(public=not user_is_meeting_staff(user))),
    )
    try:
        return queryset.get(slug=slug)
    except MeetingBody.DoesNotExist:
        raise Http404(_("No such working group."))


def _public_meetings() -> QuerySet[Meeting]:
    return Meeting.objects.filter(is_public=True, body__is_public=True).select_related("body")


def meeting_next_public(*, today) -> Meeting | None:
    """The next public meeting (the home page): the soonest dated one from today, else the first undecided.

    Its agenda items and its public materials come prefetched (two more queries).
    """
    upcoming = (
        _public_meetings()
        .filter(status=Meeting.Status.SCHEDULED)
        .prefetch_related(
            Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("order", "pk")),
            Prefetch("materials", queryset=Material.objects.filter(is_public=True).order_by("number")),
        )
    )
    dated = upcoming.filter(date__gte=today).order_by("date", "start_time", "pk").first()
    if dated is not None:
        return dated
    return upcoming.filter(date__isnull=True).order_by("fiscal_year", "body__order", "number").first()


def minutes_latest_published(*, limit: int = 3) -> list[Minutes]:
    """The latest published minutes of public meetings, newest first (one query)."""
    return list(
        Minutes.objects.filter(status=Minutes.Status.PUBLISHED, meeting__is_public=True, meeting__body__is_public=True)
        .select_related("meeting", "meeting__body")
        .order_by("-published_at", "-pk")[:limit]
    )


def material_latest_public(*, limit: int = 5) -> list[Material]:
    """The latest public materials of public meetings, newest first (one query)."""
    return list(
        Material.objects.filter(is_public=True, meeting__is_public=True, meeting__body__is_public=True)
        .select_related("meeting", "meeting__body")
        .order_by("-uploaded_at", "-pk")[:limit]
    )
def _member_queryset(*, public: bool):
    return organization_list_current(public=public).order_by("name_kana", "name")
