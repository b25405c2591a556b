"""The charts of the staff dashboard and of the public statistics page, built from the apps' selectors.

Every number comes from a selector that a report or a public page also uses (members,
events, subsidy budget rows, supporter totals), so a figure is computed in one place. The
functions return `platform_portal.charts.Chart` objects: templates draw them with
`{% include "includes/_chart.html" %}` and PDFs with the same include.
"""

import datetime

from django.utils.translation import gettext as _

from meetings.selectors.event import event_results_by_fiscal_year
from members.models import Organization
from members.selectors import organization_counts_by_fiscal_year, organization_group_labels
from platform_portal.charts import Chart, Kind, Series, Unit
from subsidies.selectors import program_budget_rows
from supporters.selectors import (
    supporter_active_by_municipality,
    supporter_counts_by_municipality,
    supporter_year_totals,
    supporter_year_totals_public,
)


def members_by_tier_chart(*, today: datetime.date, public_only: bool) -> Chart:
    years = organization_counts_by_fiscal_year(today=today, public_only=public_only)
    tiers = [Organization.Tier.STEERING, Organization.Tier.GENERAL]
    return Chart(
        chart_id="chart-members-tier",
        invented_in_demo=True,
        title=_("Member organisations at the end of each fiscal year, by tier"),
        category_heading=_("Fiscal year"),
        categories=[year.fiscal_year.label for year in years],
        series=[Series(str(tier.label), [year.by_tier[tier.value] for year in years]) for tier in tiers],
        kind=Kind.STACKED,
        note=_("The current fiscal year is counted up to today."),
    )


def members_by_group_chart(*, today: datetime.date, public_only: bool) -> Chart:
    years = organization_counts_by_fiscal_year(today=today, public_only=public_only)
    groups = [label for label in organization_group_labels() if any(year.by_group.get(label) for year in years)]
    return Chart(
        chart_id="chart-members-group",
        invented_in_demo=True,
        title=_("Member organisations at the end of each fiscal year, by type and category"),
        category_heading=_("Fiscal year"),
        series_heading=_("Type or category"),
        categories=[year.fiscal_year.label for year in years],
        series=[Series(label, [year.by_group.get(label, 0) for year in years]) for label in groups],
        kind=Kind.STACKED,
    )


def events_held_chart(*, public_only: bool) -> Chart:
    years = event_results_by_fiscal_year(public_only=public_only)
    return Chart(
        chart_id="chart-events-held",
        title=_("Events held per fiscal year"),
        category_heading=_("Fiscal year"),
        categories=[year.fiscal_year.label for year in years],
        series=[Series(_("Events held"), [year.events for year in years])],
    )


def event_participants_chart(*, public_only: bool) -> Chart:
    years = event_results_by_fiscal_year(public_only=public_only)
    return Chart(
        chart_id="chart-events-participants",
        title=_("Event participants per fiscal year (at the venue and online)"),
        category_heading=_("Fiscal year"),
        categories=[year.fiscal_year.label for year in years],
        series=[
            Series(_("At the venue"), [year.participants_venue for year in years]),
            Series(_("Online"), [year.participants_online for year in years]),
        ],
        kind=Kind.STACKED,
        note=_("Events whose participants were recorded only as a total are counted in the table's total."),
    )


def subsidies_chart(*, public_only: bool) -> Chart:
    rows = sorted(program_budget_rows(public_only=public_only), key=lambda p: (p.fiscal_year, p.order, p.pk))
    return Chart(
        chart_id="chart-subsidies",
        invented_in_demo=True,
        title=_("Subsidies per programme and fiscal year: budget, decided and settled"),
        category_heading=_("Programme"),
        categories=[f"{row.fiscal_year_obj.short_label} {row.display_short_name}" for row in rows],
        series=[
            Series(_("Budget"), [row.budget_yen for row in rows]),
            Series(_("Decided"), [row.decided for row in rows]),
            Series(_("Settled"), [row.settled for row in rows]),
        ],
        unit=Unit.YEN,
    )


def supporters_by_year_chart(*, public_only: bool) -> Chart:
    if public_only:
        rows = [(row.label, row.appointed, row.total_after) for row in supporter_year_totals_public()]
        note = _("Years with fewer than 5 appointments are shown together with the following year.")
    else:
        rows = [(row.fiscal_year.label, row.appointed, row.total_after) for row in supporter_year_totals()]
        note = ""
    return Chart(
        chart_id="chart-supporters-year",
        invented_in_demo=True,
        title=_("Supporters appointed per fiscal year and in total"),
        category_heading=_("Fiscal year"),
        categories=[label for label, _appointed, _total in rows],
        series=[
            Series(_("Newly appointed"), [appointed for _label, appointed, _total in rows]),
            Series(_("Total after the year"), [total for _label, _appointed, total in rows]),
        ],
        note=note,
    )


def supporters_by_municipality_chart(*, public_only: bool) -> Chart:
    if public_only:
        cells = [(cell.label, cell.count) for cell in supporter_counts_by_municipality()]
        note = _("Numbers from 1 to 4 are not shown, nor a number from which one of them could be worked out.")
    else:
        cells = list(supporter_active_by_municipality())
        note = ""
    return Chart(
        chart_id="chart-supporters-municipality",
        invented_in_demo=True,
        title=_("Active supporters by municipality"),
        category_heading=_("Municipality"),
        categories=[label for label, _count in cells],
        series=[Series(_("Supporters"), [count for _label, count in cells])],
        kind=Kind.HBAR,
        note=note,
    )


def dashboard_charts(*, today: datetime.date) -> list[Chart]:
    """The staff dashboard: every count, nothing suppressed."""
    return [
        members_by_tier_chart(today=today, public_only=False),
        members_by_group_chart(today=today, public_only=False),
        events_held_chart(public_only=False),
        event_participants_chart(public_only=False),
        subsidies_chart(public_only=False),
        supporters_by_year_chart(public_only=False),
        supporters_by_municipality_chart(public_only=False),
    ]


def public_charts(*, today: datetime.date) -> list[Chart]:
    """The public statistics page: public records only, supporter counts under 5 suppressed."""
    return [
        members_by_tier_chart(today=today, public_only=True),
        events_held_chart(public_only=True),
        event_participants_chart(public_only=True),
        subsidies_chart(public_only=True),
        supporters_by_year_chart(public_only=True),
        supporters_by_municipality_chart(public_only=True),
    ]
