"""Charts, the staff dashboard, the public statistics page and the home page (issue 15)."""

import datetime
import re
import shutil
import subprocess

import pytest
from django.db.models import Max
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meetings.models import Event
from meetings.selectors.event import event_results_by_fiscal_year
from members.models import GeneralType, Municipality, Organization, SteeringCategory
from members.selectors import organization_counts_by_fiscal_year
from platform_portal.charts import Chart, Kind, Series, Unit, chart_values, render_chart_svg
from subsidies.selectors import program_budget_rows
from supporters.models import Appointment, Supporter
from supporters.rules import PublicYearTotal, merge_small_years
from supporters.selectors import supporter_active_by_municipality, supporter_year_totals

pytestmark = pytest.mark.django_db


def _svgs(html: str) -> dict[str, str]:
    """The inline SVG charts of a page by chart id."""
    return {
        match.group(1): match.group(0) for match in re.finditer(r'<svg[^>]*id="(chart-[^"]+)".*?</svg>', html, re.S)
    }


def _table_cells(html: str, chart_id: str) -> list[str]:
    table = re.search(rf'<table[^>]*id="{chart_id}-data".*?</table>', html, re.S).group(0)
    return re.findall(r'<td class="text-end num">([^<]*)</td>', table)


def _bulk(rows: int) -> None:
    """`rows` organisations, held events and appointed supporters, spread over three fiscal years."""
    general_type = GeneralType.objects.create(name="一括種別", order=99)
    category = SteeringCategory.objects.create(name="一括分類", order=99)
    Organization.objects.bulk_create(
        Organization(
            tier="steering" if i % 4 == 0 else "general",
            steering_category=category if i % 4 == 0 else None,
            general_type=None if i % 4 == 0 else general_type,
            name=f"一括団体{i}",
            name_key=f"一括団体{i}",
            name_kana=f"いっかつ{i:05d}",
            status="approved",
            approved_on=datetime.date(2022 + i % 3, 6, 1),
        )
        for i in range(rows)
    )
    Event.objects.bulk_create(
        Event(
            title=f"一括イベント{i}",
            start_date=datetime.date(2022 + i % 3, 10, 1),
            status=Event.Status.HELD,
            participants_venue=10 + i % 7,
            participants_online=i % 5,
            participants_total=(10 + i % 7 + i % 5) if i % 2 else None,
        )
        for i in range(rows)
    )
    municipalities = Municipality.objects.bulk_create(Municipality(name=f"一括町{i}", order=i) for i in range(5))
    start = Appointment.objects.aggregate(n=Max("number"))["n"] or 0
    appointments = Appointment.objects.bulk_create(
        Appointment(number=start + i + 1, appointed_on=datetime.date(2023 + i % 3, 9, 1), fiscal_year=2023 + i % 3)
        for i in range(rows)
    )
    Supporter.objects.bulk_create(
        Supporter(
            roster_code=f"BULK{i:05d}",
            name=f"一括{i}",
            municipality=municipalities[i % 5],
            status="active",
            appointment=appointment,
        )
        for i, appointment in enumerate(appointments)
    )


def _small_supporter_numbers() -> None:
    """Supporters whose public counts would be 1 to 4: 3 in one town, a year with 2 appointments."""
    town = Municipality.objects.create(name="少数町", order=200)
    start = Appointment.objects.aggregate(n=Max("number"))["n"] or 0
    for i in range(3):
        appointment = Appointment.objects.create(
            number=start + i + 1, appointed_on=datetime.date(2019, 9, 1), fiscal_year=2019 if i < 2 else 2020
        )
        Supporter.objects.create(
            roster_code=f"Q{i:05d}", name=f"少数{i}", municipality=town, status="active", appointment=appointment
        )


# ---------------------------------------------------------------- the chart function


def test_chart_svg_is_self_contained_and_accessible():
    chart = Chart(
        chart_id="chart-test",
        title="会員数 <script>",
        categories=["令和6年度", "令和7年度"],
        series=[Series("幹事団体", [3, 4]), Series("一般団体", [5, None])],
        kind=Kind.STACKED,
    )
    svg = str(render_chart_svg(chart))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'role="img"' in svg and 'aria-labelledby="chart-test-title chart-test-desc"' in svg
    assert '<title id="chart-test-title">会員数 &lt;script&gt;</title>' in svg
    assert "<desc id=" in svg
    assert (
        "<script" not in svg
        and "<style" not in svg
        and "style=" not in svg
        and "http" not in svg.replace("http://www.w3.org/2000/svg", "")
    )
    assert "Noto Sans CJK JP" in svg
    assert chart_values(svg) == {
        ("幹事団体", "令和6年度"): 3,
        ("幹事団体", "令和7年度"): 4,
        ("一般団体", "令和6年度"): 5,
    }
    assert chart.table_rows == [("令和6年度", ["3", "5"]), ("令和7年度", ["4", "5未満"])]


def test_yen_charts_format_the_table_with_yen():
    chart = Chart("chart-yen", "予算", ["R7"], [Series("予算", [1_000_000])], unit=Unit.YEN)
    assert chart.table_rows == [("R7", ["1,000,000円"])]
    assert "100万円" in str(render_chart_svg(chart))


@pytest.mark.parametrize(
    ("years", "expected"),
    [
        ([], []),
        ([("R5", 52), ("R6", 49)], [PublicYearTotal("R5", 52, 52), PublicYearTotal("R6", 49, 101)]),
        ([("R5", 2), ("R6", 3), ("R7", 9)], [PublicYearTotal("R5～R6", 5, 5), PublicYearTotal("R7", 9, 14)]),
        ([("R5", 9), ("R6", 3)], [PublicYearTotal("R5～R6", 12, 12)]),
        ([("R5", 4)], []),
        ([("R4", 0), ("R5", 6), ("R6", 0), ("R7", 7)], [PublicYearTotal("R5", 6, 6), PublicYearTotal("R7", 7, 13)]),
    ],
)
def test_merge_small_years_publishes_no_number_under_five(years, expected):
    rows = merge_small_years(years)
    assert rows == expected
    previous = 0
    for row in rows:
        assert row.appointed >= 5 and row.total_after - previous >= 5
        previous = row.total_after


# ---------------------------------------------------------------- dashboard numbers = selectors' numbers


def test_every_dashboard_chart_shows_the_selectors_numbers(secretariat_client, demo_data):
    _bulk(30)
    _small_supporter_numbers()
    today = timezone.localdate()
    response = secretariat_client.get(reverse("staff_dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    svgs = _svgs(html)
    assert set(svgs) == {
        "chart-members-tier",
        "chart-members-group",
        "chart-events-held",
        "chart-events-participants",
        "chart-subsidies",
        "chart-supporters-year",
        "chart-supporters-municipality",
    }

    members = organization_counts_by_fiscal_year(today=today, public_only=False)
    expected = {}
    for year in members:
        expected[("幹事団体", year.fiscal_year.label)] = year.by_tier["steering"]
        expected[("一般団体", year.fiscal_year.label)] = year.by_tier["general"]
    assert chart_values(svgs["chart-members-tier"]) == expected
    groups = chart_values(svgs["chart-members-group"])
    assert groups == {
        (group, year.fiscal_year.label): year.by_group.get(group, 0)
        for year in members
        for group in {g for g, _year in groups}
    }
    assert {g for g, _year in groups} == {g for year in members for g, n in year.by_group.items() if n}

    events = event_results_by_fiscal_year(public_only=False)
    assert chart_values(svgs["chart-events-held"]) == {("開催件数", e.fiscal_year.label): e.events for e in events}
    participants = chart_values(svgs["chart-events-participants"])
    assert participants == {
        **{("会場参加", e.fiscal_year.label): e.participants_venue for e in events},
        **{("オンライン", e.fiscal_year.label): e.participants_online for e in events},
    }

    programs = program_budget_rows()
    subsidies = chart_values(svgs["chart-subsidies"])
    for program in programs:
        category = f"{program.fiscal_year_obj.short_label} {program.display_short_name}"
        assert subsidies[("予算額", category)] == program.budget_yen
        assert subsidies[("交付決定額", category)] == program.decided
        assert subsidies[("確定額", category)] == program.settled
    assert len(subsidies) == 3 * len(programs)
    assert any(program.decided for program in programs)  # the demo's R7 applications

    totals = supporter_year_totals()
    assert chart_values(svgs["chart-supporters-year"]) == {
        **{("新規任命者数", t.fiscal_year.label): t.appointed for t in totals},
        **{("累計", t.fiscal_year.label): t.total_after for t in totals},
    }
    assert chart_values(svgs["chart-supporters-municipality"]) == {
        ("サポーター", name): count for name, count in supporter_active_by_municipality()
    }
    # The table beside each chart has the same numbers.
    assert _table_cells(html, "chart-events-held") == [f"{e.events:,}" for e in events]


def test_dashboard_is_for_staff_only(client, django_user_model):
    response = client.get(reverse("staff_dashboard"))
    assert response.status_code == 302
    member = django_user_model.objects.create_user(username="m", password="x" * 12)
    client.force_login(member)
    assert client.get(reverse("staff_dashboard")).status_code == 404
    assert client.get(reverse("staff_dashboard_pdf")).status_code == 404


def test_admin_index_links_the_dashboard(secretariat_client):
    assert reverse("staff_dashboard") in secretariat_client.get(reverse("admin:index")).content.decode()


# ---------------------------------------------------------------- public statistics


def test_statistics_page_never_shows_a_supporter_count_under_five(client, demo_data):
    _small_supporter_numbers()
    raw = dict(supporter_active_by_municipality())
    assert raw["少数町"] == 3 and any(0 < n < 5 for n in raw.values())
    assert any(0 < t.appointed < 5 for t in supporter_year_totals())
    response = client.get(reverse("statistics"))
    assert response.status_code == 200
    html = response.content.decode()
    svgs = _svgs(html)
    for chart_id in ("chart-supporters-year", "chart-supporters-municipality"):
        values = chart_values(svgs[chart_id])
        assert values, chart_id
        assert not [v for v in values.values() if 0 < v < 5], chart_id
        numbers = [
            int(cell.replace(",", "")) for cell in _table_cells(html, chart_id) if cell.replace(",", "").isdigit()
        ]
        assert numbers and not [n for n in numbers if 0 < n < 5], chart_id
    assert "少数町" in html and "5未満" in html
    # Staff-only charts are not on the public page.
    assert "chart-members-group" not in svgs


def test_statistics_page_counts_only_public_records(client):
    Event.objects.create(title="非公開", start_date=datetime.date(2025, 5, 1), status="held", is_public=False)
    Event.objects.create(title="公開", start_date=datetime.date(2025, 5, 1), status="held", participants_venue=7)
    svgs = _svgs(client.get(reverse("statistics")).content.decode())
    assert chart_values(svgs["chart-events-held"]) == {("開催件数", "令和7年度"): 1}


@pytest.mark.parametrize("rows", [10, 500])
def test_query_counts_are_flat(client, secretariat_client, django_assert_max_num_queries, rows):
    from meetings.models import AgendaItem
    from platform_portal.models import NewsItem, Page
    from tests.meetings.factories import MeetingFactory

    _bulk(rows)
    Page.objects.create(slug="home", title="ホーム")
    meeting = MeetingFactory(date=timezone.localdate() + datetime.timedelta(days=7), status="scheduled")
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, order=i, section="reports", title=f"議題{i}") for i in range(rows)
    )
    NewsItem.objects.bulk_create(
        NewsItem(title=f"お知らせ{i}", published_at=timezone.now() - datetime.timedelta(days=i)) for i in range(rows)
    )
    with django_assert_max_num_queries(7):
        assert Client().get(reverse("statistics")).status_code == 200
    with django_assert_max_num_queries(11):
        assert secretariat_client.get(reverse("staff_dashboard")).status_code == 200
    with django_assert_max_num_queries(13):
        assert Client().get(reverse("page_home")).status_code == 200
    with django_assert_max_num_queries(6):
        assert Client().get(reverse("opendata_catalogue")).status_code == 200
    with django_assert_max_num_queries(2):
        assert Client().get(reverse("news_list")).status_code == 200


# ---------------------------------------------------------------- the PDF


@pytest.mark.skipif(not shutil.which("pdffonts") or not shutil.which("pdftoppm"), reason="poppler-utils missing")
def test_dashboard_pdf_draws_the_same_svg_with_the_japanese_font(secretariat_client, demo_data, tmp_path):
    response = secretariat_client.get(reverse("staff_dashboard_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "statistics.pdf"
    path.write_bytes(response.content)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Noto-Sans-CJK-JP" in fonts or "NotoSansCJK" in fonts
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "年度末の会員団体数（区分別）" in text and "幹事団体" in text and "令和7年度" in text
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")], check=True
    )
    png = next(tmp_path.glob("page*.png"))
    assert png.stat().st_size > 5000  # a drawn page, not a blank one


# ---------------------------------------------------------------- the home page


def test_home_page_shows_what_is_happening(client, demo_data):
    from meetings.demo_events import SIGNUP_DEMO_TITLE
    from subsidies.models import Program

    today = timezone.localdate()
    response = client.get(reverse("page_home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert SIGNUP_DEMO_TITLE in html
    assert "残り30席" in html
    open_programs = Program.objects.filter(is_public=True, opens_on__lte=today, closes_on__gte=today)
    assert open_programs.exists()
    for program in open_programs:
        assert program.name in html
    assert "34団体" in html and "31団体" in html  # steering and general members of the reference
    assert "（見本）" in html  # the demo's invented news items say so
    assert reverse("news_feed") in html and reverse("statistics") in html and reverse("opendata_catalogue") in html


def test_invented_demo_figures_are_marked_sample_and_facts_are_not(client, demo_data):
    """Joining dates, subsidy amounts and supporter counts are the demo's inventions: 見本 on their
    charts; the events' figures come from the reference packet and carry no mark."""
    import re

    html = client.get(reverse("statistics")).content.decode()
    captions = dict(re.findall(r'<figcaption id="(chart-[a-z-]+)-caption"[^>]*>(.*?)</figcaption>', html, re.S))
    for chart_id in ("chart-members-tier", "chart-subsidies", "chart-supporters-year"):
        assert "見本" in captions[chart_id], chart_id
    for chart_id in ("chart-events-held", "chart-events-participants"):
        assert "見本" not in captions[chart_id], chart_id
