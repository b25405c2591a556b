"""A group registers through the form, the secretariat approves it, the registry counts it (docs/quality.md A1, A3, A4)."""

import re

import pytest
from playwright.sync_api import expect

from members.models import Organization
from tests.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "NPO法人ブラウザの居場所"


def _other_count(page) -> int:
    row = page.locator("table.registry-table tbody tr", has=page.locator("th", has_text="その他"))
    return int(row.locator("td").first.inner_text())


def test_register_correct_on_confirm_approve_and_find_in_registry(page, demo_data, secretariat, live_server):
    page.goto("/members/")
    before = _other_count(page)
    assert_accessible(page, context="registry")

    page.goto("/members/join/")
    assert_accessible(page, context="join form")
    page.locator("#id_general_type").select_option(label="その他")
    page.locator("#id_name").fill("NPO法人ブラウザの居場所（仮）")
    page.locator("#id_name_kana").fill("ぶらうざのいばしょ")
    page.locator("#id_municipality").select_option(label="倉吉市")
    page.locator("#id_description").fill("地域の居場所づくりをしています。")
    page.locator("#id_contact_name").fill("倉吉 花子")
    page.locator("#id_contact_email").fill("hanako@example.jp")
    page.locator("#id_contact_phone").fill("12")  # a mistake the form catches
    page.locator("#id_publish_consent").check()
    # Keyboard only: focus the submit button and press Enter.
    page.locator("form.join-form button[type=submit]").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator("#error-summary")).to_be_focused()
    phone = page.locator("#id_contact_phone")
    assert phone.get_attribute("aria-invalid") == "true"
    assert phone.get_attribute("aria-describedby")
    assert_accessible(page, context="join form with errors")
    phone.fill("0858-22-0000")
    page.locator("form.join-form button[type=submit]").click()

    # Confirm step: the name has a stray "（仮）"; go back and correct it (WCAG 3.3.4).
    expect(page.locator("h1")).to_have_count(1)
    assert "（仮）" in page.locator("#confirm-name").inner_text()
    assert_accessible(page, context="join confirm")
    page.locator("button[name=back]").click()
    name = page.locator("#id_name")
    assert name.input_value() == "NPO法人ブラウザの居場所（仮）"
    name.fill(NAME)
    page.locator("form.join-form button[type=submit]").click()
    assert page.locator("#confirm-name").inner_text() == NAME
    page.locator("button[name=send]").click()
    receipt = page.locator("#receipt-number").inner_text()
    assert re.fullmatch(r"M-\d{4}-\d{4}", receipt)
    assert_accessible(page, context="join done")
    assert Organization.objects.filter(name=NAME, status="pending").count() == 1

    # Not public while pending.
    page.goto("/members/?q=ブラウザ")
    assert NAME not in page.locator("main").inner_text()
    org = Organization.objects.get(name=NAME)
    # (Fetched outside the page: a 404 document would log a console error, which fails the test.)
    assert page.request.get(f"{live_server.url}/members/{org.pk}/").status == 404

    # The secretariat approves it in the admin.
    page.goto("/admin/login/?next=/admin/")
    page.locator("#id_username").fill("secretariat")
    page.locator("#id_password").fill("correct horse battery staple")
    page.locator("input[type=submit]").click()
    assert page.locator(".attention-list").inner_text().count("1") >= 1
    assert_accessible(page, context="admin index")
    page.goto("/admin/members/organization/?status__exact=pending")
    assert_accessible(page, context="admin changelist")
    page.locator(f"input[name=_selected_action][value='{org.pk}']").check()
    page.locator("select[name=action]").select_option("approve_selected")
    page.locator("button[name=index], .actions button[type=submit]").first.click()
    assert_accessible(page, context="admin decision page")
    page.locator("#id_reason").fill("書類を確認しました")
    page.locator("input[type=submit].default").click()
    org.refresh_from_db()
    assert org.status == "approved"
    # The change form and the import page load without console errors or CSP violations
    # (axe on them is run by hand: its probes set inline styles there, which the CSP reports).
    page.goto(f"/admin/members/organization/{org.pk}/change/")
    expect(page.locator("#contacts-group")).to_be_visible()
    page.goto("/admin/members/organization/export/")
    page.goto("/admin/members/organization/import/")

    # The registry lists it under its type, whose count is one higher.
    page.goto("/members/")
    assert _other_count(page) == before + 1
    row = page.locator("table.registry-table tbody tr", has=page.locator("th", has_text="その他"))
    assert NAME in row.inner_text()
    page.get_by_role("link", name=NAME).click()
    expect(page.locator("h1")).to_have_text(NAME)
    assert "倉吉 花子" not in page.content() and "hanako@example.jp" not in page.content()
    assert_accessible(page, context="organisation page")


def test_join_form_works_without_javascript(browser, live_server, demo_data):
    context = browser.new_context(locale="ja-JP", base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/members/join/")
    page.locator("#id_general_type").select_option(label="支援機関")
    page.locator("#id_name").fill("JSなしの会")
    page.locator("#id_name_kana").fill("じぇいえすなしのかい")
    page.locator("#id_municipality").select_option(label="鳥取市")
    page.locator("#id_description").fill("活動")
    page.locator("#id_contact_name").fill("鳥取 一郎")
    page.locator("#id_contact_email").fill("ichiro@example.jp")
    page.locator("#id_contact_phone").fill("0857-00-1111")
    page.locator("#id_publish_consent").check()
    page.locator("form.join-form button[type=submit]").click()
    page.locator("button[name=send]").click()
    assert re.fullmatch(r"M-\d{4}-\d{4}", page.locator("#receipt-number").inner_text())
    context.close()
