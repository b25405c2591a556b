"""Open data of the subsidies: results per programme and fiscal year (budget, decided, settled)."""

from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from platform_portal.opendata import Dataset, register
from subsidies.models import Application, Program
from subsidies.selectors import program_budget_rows, results_by_program

COLUMNS = ["年度", "年度(西暦)", "事業名", "予算額(円)", "交付決定団体数", "交付決定額(円)", "確定額(円)"]


def _rows(base_url: str) -> list[list]:
    groups = {
        (r.fiscal_year, r.program_name): r.groups
        for r in results_by_program(fiscal_years=list(Program.objects.values_list("fiscal_year", flat=True)))
    }
    rows = sorted(program_budget_rows(public_only=True), key=lambda p: (p.fiscal_year, p.order, p.pk))
    return [
        [
            p.fiscal_year_obj.label,
            p.fiscal_year,
            p.name,
            p.budget_yen,
            groups.get((p.fiscal_year, p.name), 0),
            p.decided,
            p.settled,
        ]
        for p in rows
    ]


def _modified():
    latest = Application.objects.aggregate(latest=Max("updated_at"))["latest"]
    return latest.date() if latest else None


register(
    Dataset(
        slug="subsidies",
        title=_("Subsidy results per programme and fiscal year"),
        description=_(
            "For each public subsidy programme and fiscal year: the budget, the number of organisations granted, the total decided and the total settled (yen)."
        ),
        columns=COLUMNS,
        rows=_rows,
        modified=_modified,
        order=40,
    )
)
