"""Browser: the secretariat prepares the 8th meeting in the admin as a new user would.

和暦 typed into the date, organisations picked by typing part of their name, all 34 steering
members invited in one step and attendance recorded for the whole list on one screen; the
lists show 和暦; axe-core on every admin screen touched.
"""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from meetings.models import Meeting
from tests.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, user, live_server) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def _choose(page, select_id: str, typed: str, option_text: str) -> None:
    """Pick in a search-as-you-type chooser (Django admin autocomplete) by typing part of a name."""
    page.locator(f"#{select_id} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(typed)
    option = page.locator(".select2-results__option", has_text=option_text)
    option.first.wait_for()
    option.first.click()


def test_secretariat_prepares_the_eighth_meeting(page, live_server, demo_data, secretariat):
    _log_in(page, secretariat, live_server)
    seventh = Meeting.objects.get(body__slug="platform", number=7)

    # The 7th meeting → "prepare the next meeting" (admin action) → the 8th meeting's page.
    page.goto(reverse("admin:meetings_meeting_changelist"))
    assert_accessible(page, context="meeting list")
    page.locator(f"input[name=_selected_action][value='{seventh.pk}']").check()
    page.locator("select[name=action]").select_option("prepare_next_meeting")
    with page.expect_navigation():
        page.locator("button[name=index]").click()
    eighth = Meeting.objects.get(body__slug="platform", number=8)
    assert page.url.endswith(reverse("admin:meetings_meeting_change", args=[eighth.pk]))
    assert page.locator(".meeting-checklist").is_visible()
    assert_accessible(page, context="prepared meeting")

    # 和暦 typed as the date; one more organisation picked by typing part of its name.
    page.locator("#id_date").fill("令和8年7月15日")
    page.locator("#id_start_time").fill("13:30")
    page.locator("#attendances-group .add-row a").click()
    _choose(page, "id_attendances-0-organization", "はるひ", "NPO法人はるひな")
    assert_accessible(page, context="meeting form with chooser")
    with page.expect_navigation():
        page.locator("input[name=_continue]").click()
    assert page.locator(".errornote").count() == 0, page.locator(".errorlist").all_inner_texts()
    eighth.refresh_from_db()
    assert eighth.date == datetime.date(2026, 7, 15)
    assert eighth.fiscal_year == 2026
    assert list(eighth.attendances.values_list("organization__name", flat=True)) == ["NPO法人はるひな"]
    assert page.locator("#id_date").input_value() == "2026-07-15"

    # Invitations and attendance, from the meeting's page.
    page.get_by_role("link", name="招待と出欠").click()
    assert_accessible(page, context="attendance screen")
    with page.expect_navigation():
        page.get_by_role("button", name="幹事団体34団体をすべて招待").click()
    assert eighth.attendances.count() == 35
    rows = page.locator("#attendance-list tbody tr")
    assert rows.count() == 35
    for index in range(30):
        rows.nth(index).get_by_label("出席", exact=False).first.check()
    rows.nth(0).locator("input[name^=online-]").check()
    with page.expect_navigation():
        page.get_by_role("button", name="出欠を保存").click()
    assert eighth.attendances.filter(attended=True).count() == 30
    assert eighth.attendances.filter(attended=True, online=True).count() == 1
    assert "招待: 35、出席: 30（オンライン: 1）" in page.locator("#content-main").inner_text()
    assert_accessible(page, context="attendance screen after saving")

    # The lists show 和暦.
    page.goto(reverse("admin:meetings_meeting_changelist"))
    listing = page.locator("#result_list").inner_text()
    assert "令和8年7月15日" in listing
    assert "令和8年1月27日" in listing
    assert "2026年" not in listing
    assert_accessible(page, context="meeting list after")


def test_other_admin_screens_touched_are_accessible(page, live_server, demo_data, secretariat):
    """axe on the staff account form, the import form (text confirmation), the supporters list with its
    staff links and the deletion-on-request confirmation, and an application with the grouped tier chooser."""
    from supporters.models import Supporter
    from tests.supporters.factories import make_supporter

    person = make_supporter(actor=secretariat, name="見本 確認", roster_code="S99")
    _log_in(page, secretariat, live_server)
    for url, context in [
        (reverse("admin:index"), "admin home"),
        (reverse("admin:platform_portal_staffaccount_add"), "staff account form"),
        (reverse("admin:members_organization_import"), "import form"),
        (reverse("admin:subsidies_application_add"), "application form"),
        (reverse("admin:supporters_supporter_changelist"), "supporters list"),
    ]:
        response = page.goto(url)
        assert response.status == 200, url
        assert_accessible(page, context=context)
    page.locator(f"input[name=_selected_action][value='{person.pk}']").check()
    page.locator("select[name=action]").select_option("delete_on_request")
    with page.expect_navigation():
        page.locator("button[name=index]").click()
    assert "残るもの" in page.locator("#content").inner_text()
    assert_accessible(page, context="deletion on request confirmation")
    assert Supporter.objects.filter(pk=person.pk).exists()
