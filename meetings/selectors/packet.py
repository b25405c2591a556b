"""Reads behind the materials generated from records (docs/house-style.md R6): one function per kind.

Each returns plain data for one template under templates/meetings/pdf/; meetings/generated.py
ties kinds, parameters, these reads and the templates together.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import F, Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from meetings.models import (
    ConsultationWindow,
    CouncilSession,
    Event,
    Initiative,
    Meeting,
    MeetingBody,
    MunicipalProgramme,
    ProgrammeItem,
)
from platform_portal.lib.fiscal import FiscalYear
from platform_portal.lib.money import format_man_yen

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"
SUPPORTED_STATUSES = ("decided", "reported", "settled", "paid")


def rate_text(tiers) -> str:
    """補助率2/3・上限額20万円, or 補助率:新規9/10、継続1/2・上限額50万円 (as the packet prints rates)."""
    tiers = list(tiers)
    if not tiers:
        return ""
    caps = {tier.cap_yen for tier in tiers}
    if len(tiers) == 1:
        return f"補助率{tiers[0].rate}・上限額{format_man_yen(tiers[0].cap_yen)}"
    if len(caps) == 1:
        rates = "、".join(f"{tier.label}{tier.rate}" for tier in tiers)
        return f"補助率:{rates}・上限額{format_man_yen(tiers[0].cap_yen)}"
    return "、".join(f"{tier.label}補助率{tier.rate}・上限額{format_man_yen(tier.cap_yen)}" for tier in tiers)


def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@dataclass
class SubsidyOutcome:
    name: str
    rate: str
    supported: list[str] = field(default_factory=list)


@dataclass
class InitiativeReport:
    initiative: Initiative
    number: int
    purpose: list[str]
    held: list[Event]
    planned: list[Event]
    subsidies: list[SubsidyOutcome]
    supporters: object | None
    outcome: list[str]
    # A figure (e.g. an SVG chart) a later step may put here; the templates print it when set.
    chart: str | None = None

    @property
    def title(self) -> str:
        return self.initiative.title


def _events() -> QuerySet[Event]:
    return Event.objects.exclude(status=Event.Status.CANCELLED).prefetch_related(
        Prefetch("programme", queryset=ProgrammeItem.objects.order_by("order", "pk"))
    )


def _supported_lines(program) -> list[str]:
    """How many groups of which kind the programme supported (decided or later), by tier."""
    from members.models import Organization

    tier_labels = dict(Organization.Tier.choices)
    tiers = {tier.pk: tier for tier in program.tiers.all()}
    counts: Counter = Counter()
    for application in program.applications.all():
        if application.status in SUPPORTED_STATUSES:
            counts[(application.tier_id, application.organization.tier)] += 1
    result = []
    for tier_id in tiers:
        by_member_tier = {member_tier: n for (tid, member_tier), n in counts.items() if tid == tier_id}
        if not by_member_tier:
            continue
        total = sum(by_member_tier.values())
        label = tiers[tier_id].label
        kinds = "・".join(str(tier_labels[t]) for t in sorted(by_member_tier))
        prefix = f"{label}の" if label else f"{kinds}の"
        result.append(_("%(who)s%(count)s groups supported") % {"who": prefix, "count": total})
    return result


def initiative_reports(*, fiscal_year: int, with_results: bool) -> list[InitiativeReport]:
    """The programmes of a fiscal year with their events, subsidies and supporters (few queries)."""
    from subsidies.models import Application, Program, ProgramTier
    from supporters.selectors import supporter_year_totals

    applications = Application.objects.filter(status__in=SUPPORTED_STATUSES).select_related("organization")
    programs = Program.objects.prefetch_related(
        Prefetch("tiers", queryset=ProgramTier.objects.order_by("order", "pk")),
        Prefetch("applications", queryset=applications),
    ).order_by("order", "pk")
    initiatives = Initiative.objects.filter(fiscal_year=fiscal_year).prefetch_related(
        Prefetch("events", queryset=_events()),
        Prefetch("subsidy_programs", queryset=programs),
    )
    year_totals = {row.fiscal_year.start_year: row for row in supporter_year_totals()} if with_results else {}
    reports = []
    for number, initiative in enumerate(initiatives.order_by("order", "pk"), start=1):
        events = sorted(initiative.events.all(), key=lambda e: (e.first_day or datetime.date.max, e.pk))
        for event in events:
            event.marked_programme = [  # type: ignore[attr-defined]  # display-only annotation for the template
                (CIRCLED[i % len(CIRCLED)], item) for i, item in enumerate(event.programme.all())
            ]
        subsidies = [
            SubsidyOutcome(
                name=program.name,
                rate=rate_text(program.tiers.all()),
                supported=_supported_lines(program) if with_results else [],
            )
            for program in initiative.subsidy_programs.all()
        ]
        reports.append(
            InitiativeReport(
                initiative=initiative,
                number=number,
                purpose=lines(initiative.purpose),
                held=[e for e in events if e.status == Event.Status.HELD],
                planned=[e for e in events if e.status == Event.Status.PLANNED],
                subsidies=subsidies,
                supporters=year_totals.get(fiscal_year) if initiative.reports_supporters else None,
                outcome=lines(initiative.outcome_note),
            )
        )
    return reports


@dataclass
class InitiativeGroup:
    heading: str
    reports: list[InitiativeReport]


def initiative_groups(reports: list[InitiativeReport]) -> list[InitiativeGroup]:
    """Consecutive programmes under the same budget heading; (1), (2) … restart under each heading."""
    groups: list[InitiativeGroup] = []
    for report in reports:
        if not groups or groups[-1].heading != report.initiative.group:
            groups.append(InitiativeGroup(heading=report.initiative.group, reports=[]))
        groups[-1].reports.append(report)
        report.number = len(groups[-1].reports)
    return groups


def working_groups_planned(*, fiscal_year: int) -> list[MeetingBody]:
    """Working groups with sessions planned in the fiscal year, each with `.sessions`."""
    sessions = Meeting.objects.filter(fiscal_year=fiscal_year).order_by("number")
    return list(
        MeetingBody.objects.filter(kind=MeetingBody.Kind.WORKING_GROUP, meetings__fiscal_year=fiscal_year)
        .distinct()
        .prefetch_related(Prefetch("meetings", queryset=sessions, to_attr="sessions"))
        .order_by("order", "name")
    )


def council_session_detail(*, pk: int, public_only: bool) -> CouncilSession:
    queryset = CouncilSession.objects.prefetch_related("opinions", "requests")
    if public_only:
        queryset = queryset.filter(is_public=True)
    try:
        return queryset.get(pk=pk)
    except CouncilSession.DoesNotExist as exc:
        raise Http404(_("No such council session.")) from exc


def council_session_list() -> QuerySet[CouncilSession]:
    return CouncilSession.objects.filter(is_public=True).order_by("-date", "pk")


@dataclass
class MunicipalityProgrammes:
    municipality: object
    area_note: str
    programmes: list[MunicipalProgramme]


def municipal_programmes(*, fiscal_year: int | None, public_only: bool = True) -> list[MunicipalityProgrammes]:
    """Programmes grouped by municipality in the official order (one query)."""
    queryset = MunicipalProgramme.objects.select_related("municipality").order_by(
        "-fiscal_year", "municipality__order", "municipality__name", "order", "pk"
    )
    if fiscal_year is not None:
        queryset = queryset.filter(fiscal_year=fiscal_year)
    if public_only:
        queryset = queryset.filter(is_public=True)
    groups: list[MunicipalityProgrammes] = []
    for programme in queryset:
        if not groups or groups[-1].municipality.pk != programme.municipality_id:  # type: ignore[attr-defined]
            groups.append(MunicipalityProgrammes(programme.municipality, programme.area_note, []))
        groups[-1].area_note = groups[-1].area_note or programme.area_note
        groups[-1].programmes.append(programme)
    return groups


def municipal_programme_years() -> list[FiscalYear]:
    years = MunicipalProgramme.objects.filter(is_public=True).values_list("fiscal_year", flat=True).distinct()
    return [FiscalYear(year) for year in sorted(set(years), reverse=True)]


def consultation_windows() -> QuerySet[ConsultationWindow]:
    return (
        ConsultationWindow.objects.filter(is_public=True)
        .select_related("municipality")
        .order_by(F("municipality__order").asc(nulls_first=True), "order", "pk")
    )


def platform_history(*, meeting: Meeting) -> QuerySet[Meeting]:
    """開催概要: the body's earlier meetings, oldest first."""
    return Meeting.objects.filter(body_id=meeting.body_id, number__lt=meeting.number, is_public=True).order_by("number")
