"""Browser checks of the meetings pages: axe-core (wcag2a/aa), no console errors, no CSP violations."""

import pytest
from django.urls import reverse

from meetings.models import Meeting
from tests.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_meeting_list_is_accessible_and_filters_without_javascript(page, demo_data):
    response = page.goto(reverse("meetings:meeting_list"))
    assert response.status == 200
    assert page.locator("h1").count() == 1
    assert_accessible(page, context="meeting list")
    page.get_by_label("会議体").select_option(label="プラットフォーム会議")
    page.get_by_label("年度").select_option(label="令和7年度")
    page.get_by_role("button", name="表示").click()
    assert page.locator(".meeting-history-item").count() == 2
    assert_accessible(page, context="meeting list filtered")


def test_meeting_page_is_accessible(page, demo_data):
    meeting = Meeting.objects.get(body__slug="platform", number=7)
    response = page.goto(meeting.get_absolute_url())
    assert response.status == 200
    assert page.locator("h1").inner_text() == meeting.title
    assert_accessible(page, context="meeting page")


def test_working_group_page_is_accessible(page, demo_data):
    response = page.goto(reverse("meetings:working_group_detail", args=["support-without-relatives"]))
    assert response.status == 200
    assert page.locator("tbody tr").count() == 4
    assert_accessible(page, context="working group page")
