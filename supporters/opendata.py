"""Open data of the supporter programme: totals per fiscal year and per municipality, small counts suppressed."""

from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from platform_portal.opendata import Dataset, register
from supporters.models import Appointment, Supporter
from supporters.rules import SMALL_NUMBER_THRESHOLD
from supporters.selectors import supporter_counts_by_municipality, supporter_year_totals_public

COLUMNS = ["区分", "年度・市町村", "新規任命者数", "累計任命者数", "活動中のサポーター数", "備考"]


def _rows(base_url: str) -> list[list]:
    rows: list[list] = [
        ["年度別", total.label, total.appointed, total.total_after, None, ""]
        for total in supporter_year_totals_public()
    ]
    for cell in supporter_counts_by_municipality():
        note = ""
        if cell.suppressed == "small":
            note = f"{SMALL_NUMBER_THRESHOLD}未満"
        elif cell.suppressed:
            note = "秘匿（他の数値からの逆算防止）"
        rows.append(["市町村別", cell.label, None, None, cell.count, note])
    return rows


def _modified():
    dates = [
        Appointment.objects.aggregate(latest=Max("created_at"))["latest"],
        Supporter.objects.aggregate(latest=Max("updated_at"))["latest"],
    ]
    known = [d for d in dates if d]
    return max(known).date() if known else None


register(
    Dataset(
        slug="supporters",
        title=_("Supporters: totals per fiscal year and municipality"),
        description=_(
            "Supporters appointed per fiscal year with the running total, and active supporters per municipality. Numbers from 1 to 4 are not published; years with fewer than 5 appointments are merged with the following year."
        ),
        columns=COLUMNS,
        rows=_rows,
        modified=_modified,
        order=50,
    )
)
