"""Reads shared by views, admin and services (docs/house-style.md R6/R12)."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from members.models import Organization
from subsidies.models import Application, Attachment, Decision, Program, ProgramTier, Settlement

GRANTED = [str(s) for s in Application.GRANTED]


def organization_eligibility_problem(*, program: Program, organization: Organization) -> str | None:
    """None if the kind of organisation may apply, else "municipality" or "kind" (data-driven rules)."""
    if program.municipalities_only and organization.municipality_id is None:
        return "municipality"
    general_types = {t.pk for t in program.eligible_general_types.all()}
    categories = {c.pk for c in program.eligible_steering_categories.all()}
    if not general_types and not categories:
        return None
    if organization.tier == Organization.Tier.GENERAL and organization.general_type_id in general_types:
        return None
    if organization.tier == Organization.Tier.STEERING and organization.steering_category_id in categories:
        return None
    return "kind"


def _committed_yen(prefix: str = "") -> Sum:
    """What counts against the budget, defined once: the settled amount where settled, else the decided amount."""
    return Sum(
        Coalesce(f"{prefix}final_yen", f"{prefix}decided_yen"),
        filter=Q(**{f"{prefix}status__in": GRANTED}),
    )


def program_committed_yen(*, program: Program) -> int:
    """Decided amounts that count against the budget: settled amounts where settled, else decided."""
    total = Application.objects.filter(program=program).aggregate(total=_committed_yen())["total"]
    return int(total or 0)


def program_list_public(*, fiscal_year: int | None = None):
    """Public programmes with their tiers (one query each), newest year first."""
    queryset = Program.objects.filter(is_public=True).prefetch_related(
        Prefetch("tiers", queryset=ProgramTier.objects.order_by("order", "pk"))
    )
    if fiscal_year is not None:
        queryset = queryset.filter(fiscal_year=fiscal_year)
    return queryset.order_by("-fiscal_year", "order", "pk")


@dataclass(frozen=True)
class YearResult:
    fiscal_year: int
    fiscal_year_label: str
    program_name: str
    groups: int
    decided_yen: int
    settled_yen: int


def results_by_program(*, fiscal_years: list[int]) -> list[YearResult]:
    """The year's results per programme: groups supported, total decided and total settled."""
    rows = (
        Program.objects.filter(is_public=True, fiscal_year__in=fiscal_years)
        .annotate(
            groups=Count("applications__organization", filter=Q(applications__status__in=GRANTED), distinct=True),
            decided=Sum("applications__decided_yen", filter=Q(applications__status__in=GRANTED)),
            settled=Sum("applications__final_yen", filter=Q(applications__status__in=GRANTED)),
        )
        .order_by("-fiscal_year", "order", "pk")
    )
    return [
        YearResult(
            fiscal_year=p.fiscal_year,
            fiscal_year_label=p.fiscal_year_obj.label,
            program_name=p.name,
            groups=p.groups,
            decided_yen=int(p.decided or 0),
            settled_yen=int(p.settled or 0),
        )
        for p in rows
    ]


def program_budget_rows(*, fiscal_year: int | None = None, public_only: bool = False):
    """Budget view per programme and year: budget, decided, settled, remaining.

    The staff budget report, the dashboard, the public statistics (public_only) and the
    open data all read these rows, so each amount is computed here only.
    """
    queryset = Program.objects.annotate(
        decided=Coalesce(Sum("applications__decided_yen", filter=Q(applications__status__in=GRANTED)), 0),
        settled=Coalesce(Sum("applications__final_yen", filter=Q(applications__status__in=GRANTED)), 0),
        committed=Coalesce(_committed_yen("applications__"), 0),
        applications_count=Count("applications", filter=Q(applications__status__in=GRANTED)),
        waiting=Count("applications", filter=Q(applications__status__in=[str(s) for s in Application.WAITING])),
    ).order_by("-fiscal_year", "order", "pk")
    if fiscal_year is not None:
        queryset = queryset.filter(fiscal_year=fiscal_year)
    if public_only:
        queryset = queryset.filter(is_public=True)
    rows = []
    for program in queryset:
        program.decided = int(program.decided)
        program.settled = int(program.settled)
        program.committed = int(program.committed)
        program.remaining = program.budget_yen - program.committed  # type: ignore[attr-defined]
        rows.append(program)
    return rows


def program_list_open(*, today):
    """Public programmes taking applications today, closing soonest first (one query)."""
    return list(
        Program.objects.filter(is_public=True, opens_on__lte=today, closes_on__gte=today).order_by(
            "closes_on", "order", "pk"
        )
    )


def application_list_for_export(*, fiscal_year: int | None = None):
    """Decided and settled applications for accounting, with their decision and settlement."""
    queryset = (
        Application.objects.filter(status__in=GRANTED)
        .select_related("program", "tier", "organization")
        .prefetch_related(
            Prefetch(
                "decisions", queryset=Decision.objects.filter(replaced_by__isnull=True), to_attr="current_decisions"
            ),
            Prefetch(
                "settlements",
                queryset=Settlement.objects.filter(replaced_by__isnull=True),
                to_attr="current_settlements",
            ),
        )
        .order_by("program__fiscal_year", "program__order", "number")
    )
    if fiscal_year is not None:
        queryset = queryset.filter(program__fiscal_year=fiscal_year)
    return queryset


def waiting_count() -> int:
    return Application.objects.filter(status__in=[str(s) for s in Application.WAITING]).count()


def _get_for_user(queryset, user, pk: int, *, view: str, change: str = ""):
    """The one access check of the subsidies staff pages (docs/house-style.md R12).

    404 for anonymous and non-staff users, for a missing record and for a role that may not view
    it; 403 for a role that may view but is asked to change.
    """
    if not (user.is_authenticated and user.is_staff and user.has_perm(view)):
        raise Http404
    if change and not user.has_perm(change):
        raise PermissionDenied
    try:
        return queryset.get(pk=pk)
    except queryset.model.DoesNotExist:
        raise Http404 from None


def get_application_for_user(user, pk: int, *, write: bool = False) -> Application:
    """The application for a staff user: 404 for non-staff or missing, 403 for read-only roles."""
    queryset = Application.objects.select_related("program", "tier", "organization")
    change = "subsidies.change_application" if write else ""
    return _get_for_user(queryset, user, pk, view="subsidies.view_application", change=change)


def get_decision_for_user(user, pk: int) -> Decision:
    return _get_for_user(Decision.objects.all(), user, pk, view="subsidies.view_decision")


def get_settlement_for_user(user, pk: int) -> Settlement:
    return _get_for_user(Settlement.objects.all(), user, pk, view="subsidies.view_settlement")


def get_attachment_for_user(user, pk: int) -> Attachment:
    """An application's attachment: whoever may view the application may download it."""
    return _get_for_user(Attachment.objects.all(), user, pk, view="subsidies.view_application")
