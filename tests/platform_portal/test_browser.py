"""Browser checks of the platform's own pages: axe-core (docs/quality.md A1, A2), no console errors and
no CSP violations (D3), keyboard use and 200% zoom (A5)."""

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import expect

from tests.browser import assert_accessible
from tests.platform_portal.urlwalk import FORM_STEP_URL_NAMES, PUBLIC_URL_NAMES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, user) -> None:
    """Give the browser a staff session (Client.login does not work with django-axes)."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.url_base}])


@pytest.fixture
def staff_page(page, live_server, secretariat):
    page.url_base = live_server.url
    _log_in(page, secretariat)
    return page


def _public_pages() -> list[str]:
    names = []
    # The admin's own pages (log-in, password reset) have the admin's layout: checked below.
    admin_pages = {"admin:login", "admin_password_reset", "password_reset_done", "staff_password_done"}
    for name in sorted(PUBLIC_URL_NAMES - {"set_language", "healthz"} - admin_pages):
        try:
            reverse(name)
        except NoReverseMatch:
            continue  # pages of one record are opened by their app's browser tests
        if name in FORM_STEP_URL_NAMES or reverse(name).endswith((".pdf", ".ics", ".csv", ".xlsx", ".atom")):
            continue  # form steps and downloads are checked by their app's tests
        names.append(name)
    return names


@pytest.mark.parametrize("url_name", _public_pages())
def test_public_pages_are_accessible(page, demo_data, url_name):
    path = reverse(url_name)
    response = page.goto(path)
    assert response.status == 200
    assert page.locator("h1").count() == 1
    assert page.locator("header").count() == 1
    assert page.locator("main#main").count() == 1
    assert page.locator("footer").count() == 1
    assert page.locator("nav").count() >= 1
    assert_accessible(page, context=path)


@pytest.mark.parametrize(
    ("path", "status"),
    [("/no-such-page/", 404), ("/admin/login/", 200), ("/admin/password_reset/", 200), ("/staff/password/done/", 200)],
)
def test_error_and_login_pages_are_accessible(page, demo_data, path, status):
    response = page.goto(path)
    assert response.status == status
    assert page.locator("html").get_attribute("lang") == "ja"
    assert_accessible(page, context=path)


def test_403_page_is_accessible(page, live_server, demo_data, official):
    page.url_base = live_server.url
    _log_in(page, official)
    response = page.goto(reverse("admin:platform_portal_page_add"))
    assert response.status == 403
    assert page.locator("h1").inner_text() == "アクセスできません"
    assert_accessible(page, context="403")


def test_429_page_is_accessible(page, demo_data):
    for _ in range(6):
        page.goto("/admin/login/")
        page.fill("#id_username", "someone")
        page.fill("#id_password", "wrong-password")
        with page.expect_navigation():
            page.click("input[type=submit]")
    assert page.locator("h1").inner_text() == "リクエストが多すぎます"
    assert_accessible(page, context="429")
    # The lock-out answers 429: the browser logs that as a failed resource load, not a page defect.
    page.problems[:] = [problem for problem in page.problems if "429" not in problem]


def test_admin_index_is_accessible(staff_page, demo_data):
    response = staff_page.goto(reverse("admin:index"))
    assert response.status == 200
    assert_accessible(staff_page, context="admin:index")


def test_admin_screens_of_every_registered_model_are_accessible(staff_page, demo_data, capsys):
    """A2/D3: the changelist and a change form of every model in the admin registry, so that
    the screens other apps register are measured without editing this test."""
    from django.contrib import admin

    checked = []
    for model in sorted(admin.site._registry, key=lambda m: m._meta.label):
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls = [reverse(f"{info}_changelist")]
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            urls.append(reverse(f"{info}_change", args=[obj.pk]))
        for url in urls:
            response = staff_page.goto(url)
            if response.status == 403:
                continue  # not for the secretariat (accounts are managed by superusers)
            assert response.status == 200, url
            assert_accessible(staff_page, context=url)
            checked.append(url)
    with capsys.disabled():
        print(f"\nA2: {len(checked)} admin screens checked with axe-core")
    assert checked


def test_skip_link_is_first_and_moves_focus_to_main(page, demo_data):
    page.goto("/")
    page.keyboard.press("Tab")
    skip_link = page.locator(".skip-link")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_have_attribute("href", "#main")
    box = skip_link.bounding_box()
    assert box is not None and box["width"] > 0 and box["height"] > 0  # visible when focused
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()


def test_keyboard_reaches_navigation_and_language_switcher(page, demo_data):
    page.goto("/")
    reached = set()
    for _ in range(25):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("() => document.activeElement.id || document.activeElement.textContent.trim()"))
    assert "language-select" in reached
    assert any("団体" in text for text in reached)


@pytest.mark.parametrize("path", ["/", "/privacy/", "/admin/login/", "/no-such-page/"])
def test_zoom_200_percent_has_no_horizontal_scrolling(browser, live_server, demo_data, path):
    """A5: 1280 px at 200% zoom is a 640 px wide CSS viewport with doubled pixels."""
    context = browser.new_context(
        viewport={"width": 640, "height": 400}, device_scale_factor=2, base_url=live_server.url
    )
    page = context.new_page()
    try:
        page.goto(path)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 200% zoom"
    finally:
        context.close()


def test_csp_violations_fail_the_page_fixture(page, settings):
    """The harness sees CSP violations: an inline script is blocked and reported as a console error."""
    settings.ROOT_URLCONF = "tests.platform_portal.urls_synthetic"
    from django.urls import clear_url_caches

    clear_url_caches()
    try:
        page.goto("/__test__/inline-script/")
        assert page.title() == "t"  # the inline script did not run
        assert any("Content Security Policy" in problem for problem in page.problems), page.problems
        page.problems.clear()
    finally:
        clear_url_caches()


# The main changelists and the column that carries the record's name (docs: issue 10, 1280 px).
CHANGELIST_NAME_COLUMNS = [
    ("admin:members_organization_changelist", "name"),
    ("admin:meetings_meeting_changelist", "body"),
    ("admin:meetings_event_changelist", "title"),
    ("admin:subsidies_application_changelist", "organization"),
    ("admin:supporters_supporter_changelist", "name"),
    ("admin:platform_portal_outgoingmail_changelist", "subject"),
    ("admin:platform_portal_auditlogentry_changelist", "object_repr"),
]


def test_admin_changelists_are_usable_at_1280_px(browser, live_server, demo_data, secretariat):
    """At 1280 px the page never scrolls sideways (only the results table may, inside its container)
    and the name column is not squeezed to a character or two per line."""
    from platform_portal.models import OutgoingMail

    OutgoingMail.objects.create(  # the demo data sends no mail: one long subject to measure
        template="member_decision",
        to=["info@example.jp"],
        subject="【とっとり孤独・孤立対策官民連携プラットフォーム】入会申請の審査結果のお知らせ（見本）",
        body="見本",
    )
    context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 800}, base_url=live_server.url)
    page = context.new_page()
    page.url_base = live_server.url
    _log_in(page, secretariat)
    problems = []
    try:
        for url_name, column in CHANGELIST_NAME_COLUMNS:
            url = reverse(url_name)
            assert page.goto(url).status == 200, url
            measured = page.evaluate(
                """(column) => {
                    const root = document.documentElement;
                    const em = parseFloat(getComputedStyle(document.body).fontSize);
                    const cells = [...document.querySelectorAll(`#result_list .field-${column}`)];
                    return {
                        pageOverflow: root.scrollWidth - root.clientWidth,
                        rows: cells.length,
                        narrowest: Math.min(...cells.map((c) => c.getBoundingClientRect().width)) / em,
                    };
                }""",
                column,
            )
            if measured["pageOverflow"] > 0:
                problems.append(f"{url} scrolls sideways by {measured['pageOverflow']}px")
            if measured["rows"] == 0:
                problems.append(f"{url}: no rows in the demo data")
            elif measured["narrowest"] <= 8:
                problems.append(f"{url}: {column} is {measured['narrowest']:.1f}em wide")
    finally:
        context.close()
    assert not problems, "\n".join(problems)
