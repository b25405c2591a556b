"""Reads of the supporter roster shared by views (docs/house-style.md R6/R12)."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from members.models import Municipality
from platform_portal.lib.fiscal import FiscalYear
from supporters.models import Appointment, Supporter, TrainingCourse
from supporters.rules import PublicCount, PublicYearTotal, merge_small_years, suppress_small_counts


@dataclass(frozen=True)
class YearTotal:
    fiscal_year: FiscalYear
    appointed: int
    total_after: int


def supporter_year_totals() -> list[YearTotal]:
    """Appointed per fiscal year and the running total after it (任命者数 / 累計), oldest first.

    Counted from the anonymous appointment records, so deleting a person on request does
    not change the figures.
    """
    rows = Appointment.objects.values("fiscal_year").annotate(appointed=Count("pk")).order_by("fiscal_year")
    totals, running = [], 0
    for row in rows:
        running += row["appointed"]
        totals.append(YearTotal(FiscalYear(row["fiscal_year"]), row["appointed"], running))
    return totals


def supporter_active_by_municipality() -> list[tuple[str, int]]:
    """Active supporters per municipality, every count (staff only: the dashboard)."""
    municipalities = Municipality.objects.annotate(
        active=Count("supporters", filter=Q(supporters__status=Supporter.Status.ACTIVE))
    ).order_by("order", "name")
    return [(municipality.name, municipality.active) for municipality in municipalities]


def supporter_counts_by_municipality() -> list[PublicCount]:
    """Active supporters per municipality for the public page, small numbers suppressed."""
    return suppress_small_counts(supporter_active_by_municipality())


def supporter_year_totals_public() -> list[PublicYearTotal]:
    """The yearly totals for public statistics and open data: no count under the threshold.

    Years with fewer appointments are merged with the following ones (see
    rules.merge_small_years), so neither a count nor a difference of totals is small.
    """
    totals = supporter_year_totals()
    return merge_small_years([(total.fiscal_year.label, total.appointed) for total in totals])


def required_courses() -> QuerySet[TrainingCourse]:
    return TrainingCourse.objects.filter(required_for_appointment=True)


def supporter_list(
    *, municipality: Municipality | None = None, status: str = "", fiscal_year: int | None = None
) -> QuerySet[Supporter]:
    """The roster for staff with its filters; related rows fetched up front (no N+1)."""
    supporters = Supporter.objects.select_related("municipality", "appointment").prefetch_related("trainings__course")
    if municipality is not None:
        supporters = supporters.filter(municipality=municipality)
    if status:
        supporters = supporters.filter(status=status)
    if fiscal_year is not None:
        supporters = supporters.filter(appointment__fiscal_year=fiscal_year)
    return supporters.order_by("kana", "name", "pk")


def check_staff_permission(user, permission: str) -> None:
    """Staff pages: 404 for anyone not staff (the page does not exist for them), 403 without the permission."""
    if not user.is_authenticated or not user.is_staff:
        raise Http404
    if not user.has_perm(permission):
        raise PermissionDenied
