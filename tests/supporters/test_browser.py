"""Browser: axe on the public supporter page and the secretariat's roster, totals and sharing pages."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_supporter_pages_are_accessible(page, live_server, demo_data, secretariat):
    page.goto(reverse("supporters:supporter_overview"))
    assert "121" in page.locator("#supporter-totals").inner_text()
    assert "5未満" in page.locator("#municipality-counts").inner_text()
    assert_accessible(page, context="supporters overview")
    page.goto(reverse("events:event_list"))
    assert_accessible(page, context="events list (demo)")
    page.get_by_role("link", name="福祉をひらくワークショップ 2025 第1回").click()
    assert "29人" in page.locator("#participants-total").inner_text()
    assert_accessible(page, context="event detail (demo)")

    client = Client()
    client.force_login(secretariat)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(reverse("supporters:supporter_roster") + "?status=in_training")
    assert_accessible(page, context="roster")
    page.get_by_role("button", name="任命する").click()
    assert_accessible(page, context="roster after refused appointment")
    page.goto(reverse("supporters:supporter_totals"))
    assert "121" in page.locator("#year-totals").inner_text()
    assert_accessible(page, context="totals")
    page.goto(reverse("supporters:supporter_share"))
    page.get_by_role("button", name="CSV を書き出す").click()
    assert page.locator("#error-summary").count() == 1
    assert_accessible(page, context="share form with errors")
