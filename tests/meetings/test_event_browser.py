"""Browser: sign up until the event is full, the waiting list, staff check-in, counts on the event page; axe."""

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from meetings.models import EventSignup
from tests.browser import assert_accessible
from tests.meetings.event_factories import EventFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, user, live_server):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def _sign_up(page, event, name, email):
    page.goto(reverse("events:event_detail", args=[event.pk]))
    page.locator(f'a[href="{reverse("events:event_signup", args=[event.pk])}"]').click()
    page.locator("#id_name").fill(name)
    page.locator("#id_email").fill(email)
    page.locator("#id_affiliation").fill("NPO法人テスト")
    page.get_by_role("button", name="確認画面へ進む").click()
    expect(page.locator("h1")).to_have_text("申込み内容の確認")
    page.get_by_role("button", name="申し込む").click()
    return page.locator("#signup-status").inner_text()


def test_sign_up_until_full_waiting_list_and_check_in(page, live_server, secretariat):
    event = EventFactory(open_for_signup=True, capacity=2, title="ブラウザ試験ワークショップ")
    page.goto(reverse("events:event_list"))
    assert_accessible(page, context="event list")
    page.goto(reverse("events:event_detail", args=[event.pk]))
    assert_accessible(page, context="event detail")

    # The form in its error state: the summary gets focus and errors are tied to the fields.
    page.goto(reverse("events:event_signup", args=[event.pk]))
    assert_accessible(page, context="sign-up form")
    page.get_by_role("button", name="確認画面へ進む").click()
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#id_name")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, context="sign-up form with errors")

    # Confirm page, then back to correct, keeps the input.
    page.locator("#id_name").fill("戻る 太郎")
    page.locator("#id_email").fill("back@example.jp")
    page.get_by_role("button", name="確認画面へ進む").click()
    assert_accessible(page, context="sign-up confirm page")
    page.get_by_role("button", name="戻って修正する").click()
    assert page.locator("#id_name").input_value() == "戻る 太郎"

    assert _sign_up(page, event, "一番 花子", "first@example.jp") == "参加確定"
    assert_accessible(page, context="sign-up done page")
    assert _sign_up(page, event, "二番 次郎", "second@example.jp") == "参加確定"
    page.goto(reverse("events:event_detail", args=[event.pk]))
    assert page.get_by_role("link", name="キャンセル待ちに申し込む").count() == 1
    assert _sign_up(page, event, "三番 三郎", "third@example.jp") == "キャンセル待ち"
    assert list(EventSignup.objects.order_by("pk").values_list("status", flat=True)) == [
        "confirmed",
        "confirmed",
        "waitlisted",
    ]

    # Staff check the two confirmed people in.
    _log_in(page, secretariat, live_server)
    page.goto(reverse("events:event_checkin", args=[event.pk]))
    assert_accessible(page, context="check-in page")
    page.get_by_role("button", name="一番 花子さんを受付").click()
    page.get_by_role("button", name="二番 次郎さんを受付").click()
    assert "2人が受付済み" in page.locator("#checkin-counts").inner_text()
    assert page.get_by_role("button", name="三番 三郎さんを受付").count() == 0

    page.goto(reverse("events:event_detail", args=[event.pk]))
    assert page.locator("#participants-total").inner_text().startswith("2人")
    assert "会場: 2" in page.locator("#participants-total").inner_text()
