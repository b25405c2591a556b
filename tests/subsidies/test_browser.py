"""The catalogue and the simulator in Chromium: axe-core (wcag2a/aa), a cost entered and the amount read."""

import datetime

import pytest
import time_machine
from playwright.sync_api import expect

from tests.browser import assert_accessible
from tests.subsidies.factories import ProgramTierFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def programmes():
    publicity = ProgramTierFactory(program__fiscal_year=2026, program__name="広報・交流経費補助", program__order=1)
    peer = ProgramTierFactory(
        program__fiscal_year=2026,
        program__name="ピアサポート活動支援事業補助",
        program__order=2,
        code="new",
        label="新規",
        rate_numerator=9,
        rate_denominator=10,
        cap_yen=500_000,
    )
    ProgramTierFactory(
        program=peer.program, code="continuing", label="継続", rate_numerator=1, rate_denominator=2, cap_yen=500_000
    )
    return publicity, peer


@time_machine.travel(datetime.datetime(2026, 11, 29, 12, tzinfo=datetime.UTC), tick=True)
def test_catalogue_is_accessible(page, programmes):
    page.goto("/subsidies/")
    assert page.locator("h1").count() == 1
    assert page.get_by_text("補助率 2/3、上限額 20万円").is_visible()
    assert_accessible(page, context="subsidies catalogue")


@time_machine.travel(datetime.datetime(2026, 11, 29, 12, tzinfo=datetime.UTC), tick=True)
def test_simulator_computes_and_is_accessible(page, programmes):
    publicity, peer = programmes
    page.goto("/subsidies/simulator/")
    assert_accessible(page, context="simulator (empty)")
    page.get_by_label("補助事業・区分").select_option(str(peer.pk))
    page.get_by_label("補助対象経費（円）").fill("555,555")
    page.get_by_role("button", name="補助金額を計算する").click()
    expect(page.locator("#simulated-amount")).to_have_text("499,000円")
    assert_accessible(page, context="simulator (result)")
    # The error state: the summary gets focus and the field is marked invalid. portal.js moves
    # the focus when it runs at the end of the body, after the summary has been parsed: wait for
    # the focus itself, not for the element (reading it while the page still loads is a race).
    page.get_by_label("補助対象経費（円）").fill("20万円")
    page.get_by_role("button", name="補助金額を計算する").click()
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.get_by_label("補助対象経費（円）")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, context="simulator (error)")


def test_staff_confirm_page_decides_and_is_accessible(page, live_server, secretariat, media_root, settings):
    from django.conf import settings as django_settings
    from django.test import Client

    from subsidies import services
    from subsidies.models import Application
    from tests.members.factories import OrganizationFactory

    tier = ProgramTierFactory()
    application = services.application_create(
        actor=secretariat,
        program=tier.program,
        tier=tier,
        organization=OrganizationFactory(name="NPO法人はるひな"),
        title="交流会",
        purpose="交流",
        period_start=datetime.date(2025, 7, 1),
        period_end=datetime.date(2026, 2, 28),
        expenses=[{"category": "rental", "description": "会場", "amount_yen": 273_000}],
    )
    services.application_submit(actor=secretariat, application=application, submitted_on=datetime.date(2025, 6, 2))
    client = Client()
    client.force_login(secretariat)
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    # Django's admin pages name no icon, so Chromium asks for /favicon.ico (a 404 console error).
    page.context.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    page.goto(f"/admin/subsidies/application/{application.pk}/change/")
    page.get_by_role("link", name="交付決定する").click()
    page.wait_for_url("**/decide/")
    page.wait_for_selector("#content-main form")
    assert "182,000円" in page.content()
    assert_accessible(page, context="decide confirm page")
    page.get_by_label("日付").fill("令和7年6月20日")
    page.get_by_role("button", name="確定：交付決定する").click()
    page.wait_for_url(f"**/admin/subsidies/application/{application.pk}/change/")
    application.refresh_from_db()
    assert application.status == Application.Status.DECIDED
    assert page.get_by_role("link", name="交付決定通知書").count() == 1
