"""Browser checks of the charts: axe-core on the dashboard, statistics, open data and home pages, and
the SVG charts drawn by Chromium (docs/quality.md A1, D3)."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, user, base_url: str) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}])


def _charts_are_drawn(page, expected: int) -> None:
    svgs = page.locator("svg.chart-svg")
    assert svgs.count() == expected
    for index in range(expected):
        svg = svgs.nth(index)
        box = svg.bounding_box()
        assert box and box["width"] > 200 and box["height"] > 100
        assert svg.get_attribute("role") == "img"
        labelled = svg.get_attribute("aria-labelledby").split()
        assert all(page.locator(f"#{label}").count() == 1 for label in labelled)
    # Bars are painted with their colours (presentation attributes survive the CSP).
    bar = page.locator("svg.chart-svg rect[data-value]").first
    assert bar.evaluate("el => getComputedStyle(el).fill") not in ("", "none", "rgb(0, 0, 0)")
    assert page.locator("svg.chart-svg rect[data-value]").count() > 0


def test_dashboard_is_accessible_and_its_charts_render(page, live_server, secretariat, demo_data):
    _log_in(page, secretariat, live_server.url)
    response = page.goto(reverse("staff_dashboard"))
    assert response.status == 200
    _charts_are_drawn(page, 7)
    assert page.locator("table.chart-data").count() == 7
    assert_accessible(page, context="dashboard")


@pytest.mark.parametrize(("name", "charts"), [("statistics", 6), ("opendata_catalogue", 0), ("page_home", 0)])
def test_public_pages_are_accessible(page, demo_data, name, charts):
    response = page.goto(reverse(name))
    assert response.status == 200
    assert page.locator("h1").count() == 1
    if charts:
        _charts_are_drawn(page, charts)
    assert_accessible(page, context=name)
