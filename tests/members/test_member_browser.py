"""Issue 14, done when: a new group registers, is approved, its contact receives the invitation,
sets a password, applies for the 広報・交流経費補助 with three expense lines and one attachment,
is sent back, fixes a line and resubmits; staff decide; the member downloads the decision
notice, reports results and downloads the settlement notice, whose amount equals the rules'
result. axe-core on every member page at 390 px and 1280 px wide."""

import datetime
import re
import shutil
import subprocess
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail
from playwright.sync_api import expect

from members import services as member_services
from members.models import Organization
from subsidies import rules, services
from subsidies.models import Application, Program
from tests.browser import assert_accessible
from tests.pdf_samples import plain_pdf
from tests.tasks import run_tasks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "ブラウザ交流の会"
EMAIL = "kouryu@example.jp"
PASSWORD = "a long member password for the browser"
WIDTHS = (390, 1280)


def _pdf_text(path) -> str:
    if not shutil.which("pdftotext"):
        return ""
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _download(page, link_name: str):
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    download = info.value
    path = download.path()
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    return path


def _fill_lines(page, prefix: str, rows):
    for index, (category, description, amount) in enumerate(rows):
        page.locator(f"select[name={prefix}-{index}-category]").select_option(category)
        page.locator(f"input[name={prefix}-{index}-description]").fill(description)
        page.locator(f"input[name={prefix}-{index}-amount_yen]").fill(amount)


@time_machine.travel(datetime.datetime(2026, 11, 29, 3, tzinfo=datetime.UTC), tick=True)
def test_group_registers_applies_online_and_downloads_its_notices(
    media_root, page, demo_data, secretariat, live_server, tmp_path
):
    visited: list[str] = []

    def check(context: str):
        visited.append(urlsplit(page.url).path)
        assert_accessible(page, context=context)

    # 1. The group registers through the public form.
    page.goto("/members/join/")
    page.locator("#id_general_type").select_option(label="その他")
    page.locator("#id_name").fill(NAME)
    page.locator("#id_name_kana").fill("ぶらうざこうりゅうのかい")
    page.locator("#id_municipality").select_option(label="倉吉市")
    page.locator("#id_description").fill("地域の居場所の交流を進めています。")
    page.locator("#id_contact_name").fill("倉吉 花子")
    page.locator("#id_contact_email").fill(EMAIL)
    page.locator("#id_contact_phone").fill("0858-22-0000")
    page.locator("#id_publish_consent").check()
    page.locator("form.join-form button[type=submit]").click()
    page.locator("button[name=send]").click()
    expect(page.locator("#receipt-number")).to_be_visible()
    organization = Organization.objects.get(name=NAME)

    # 2. The secretariat approves it; the contact receives the invitation.
    mail.outbox.clear()
    member_services.organization_approve(actor=secretariat, organization=organization, reason="確認しました")
    run_tasks()
    invitation = next(m for m in mail.outbox if EMAIL in m.to and "/accounts/password/reset/key/" in m.body)
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+", invitation.body).group(0)

    # 3. The contact sets a password with the link and is logged in.
    page.goto(urlsplit(link).path)
    check("set password")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.get_by_role("button", name="パスワード変更").click()
    expect(page.locator("h1")).to_have_text(NAME)
    check("group page")

    # 4. Apply for the 広報・交流経費補助: three expense lines, one attachment.
    program = Program.objects.get(fiscal_year=2026, code="publicity")
    page.get_by_role("link", name=f"{program.name}に申請する").click()
    check("application start")
    page.locator("#id_title").fill("居場所の交流会とチラシ")
    page.locator("#id_purpose").fill("地域の居場所同士の交流会を開き、相談先を知らせるチラシを作る。")
    page.locator("#id_period_start").fill("2026-12-01")
    page.locator("#id_period_end").fill("令和9年2月28日")
    page.get_by_role("button", name="下書きを保存する").click()
    check("application edit")
    _fill_lines(
        page,
        "expense",
        [("rental", "会場使用料", "30,000"), ("supplies", "チラシ印刷", "120000"), ("honoraria", "講師謝金", "60000")],
    )
    page.get_by_role("button", name="保存", exact=True).click()
    application = Application.objects.get(organization=organization)
    assert application.expenses.count() == 3
    plan = tmp_path / "事業計画書.pdf"
    plan.write_bytes(plain_pdf())
    page.locator("#id_title").fill("事業計画書")
    page.locator("#id_file").set_input_files(str(plan))
    page.get_by_role("button", name="添付する").click()
    expect(page.get_by_role("link", name="事業計画書")).to_be_visible()
    check("application detail (draft)")
    page.get_by_role("link", name="申請する", exact=True).click()
    check("submit confirm")
    expect(page.locator("main")).to_contain_text("140,000円")  # 210,000円 × 2/3
    page.get_by_role("button", name="申請する", exact=True).click()
    expect(page.locator("#application-status")).to_have_text(str(Application.Status.SUBMITTED.label))

    # 5. Sent back (差戻し) with a comment; the member fixes a line and resubmits.
    services.application_return(
        actor=secretariat, application=application, reason="講師謝金は1時間あたりの上限を超えています。"
    )
    page.reload()
    expect(page.locator("main")).to_contain_text("講師謝金は1時間あたりの上限を超えています。")
    check("application detail (returned)")
    page.get_by_role("link", name="申請を編集").click()
    page.locator("input[name=expense-2-amount_yen]").fill("45,000")
    page.get_by_role("button", name="保存", exact=True).click()
    page.get_by_role("link", name="申請を再提出する").click()
    expect(page.locator("main")).to_contain_text("130,000円")  # 195,000円 × 2/3
    page.get_by_role("button", name="申請を再提出する").click()
    expect(page.locator("#application-status")).to_have_text(str(Application.Status.RESUBMITTED.label))

    # 6. Staff decide; the member downloads the decision notice.
    services.application_decide(actor=secretariat, application=application)
    page.reload()
    expect(page.locator("#decided-amount")).to_have_text("130,000円")
    check("application detail (decided)")
    decision_pdf = _download(page, "交付決定通知書をダウンロード（PDF）")
    if shutil.which("pdftotext"):
        assert "130,000" in _pdf_text(decision_pdf)

    # 7. Results report with its lines and a receipt.
    receipt = tmp_path / "領収書.pdf"
    receipt.write_bytes(plain_pdf())
    page.locator("#id_title").fill("領収書")
    page.locator("#id_file").set_input_files(str(receipt))
    page.get_by_role("button", name="添付する").click()
    page.get_by_role("link", name="実績報告").click()
    check("results report")
    _fill_lines(page, "expense", [("rental", "会場使用料", "28000"), ("supplies", "チラシ印刷", "110000")])
    page.get_by_role("button", name="実績報告を提出する").click()
    expect(page.locator("#application-status")).to_have_text(str(Application.Status.REPORTED.label))

    # 8. Staff settle; the member downloads the settlement notice, whose amount is the rules' result.
    services.application_settle(actor=secretariat, application=application)
    program.refresh_from_db()
    tier = application.tier
    expected = rules.compute_for_cost(
        cost_yen=138_000,
        rate=tier.rate,
        cap_yen=tier.cap_yen,
        rounding=program.rounding,
        rule_version=program.rule_version,
    ).amount_yen
    page.reload()
    expect(page.locator("#settled-amount")).to_have_text(f"{expected:,}円")
    check("application detail (settled)")
    settlement_pdf = _download(page, "額の確定通知書をダウンロード（PDF）")
    if shutil.which("pdftotext"):
        assert f"{expected:,}" in _pdf_text(settlement_pdf)
    application.refresh_from_db()
    assert application.final_yen == expected == 92_000

    # 9. The other member pages, then every member page at a phone's and a desktop's width.
    group = urlsplit(page.url).path.split("/")[2]
    for path in (f"/my/{group}/change/", f"/my/{group}/contacts/invite/", "/accounts/email/", "/accounts/2fa/"):
        page.goto(path)
        check(path)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for path in dict.fromkeys(visited):
            if "/password/reset/key/" in path:
                continue  # the one-time link is used up
            page.goto(path)
            assert_accessible(page, context=f"{path} at {width}px")
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{path} scrolls sideways at {width}px"


def test_member_log_in_pages_are_accessible(page, db):
    for path in ("/accounts/login/", "/accounts/login/code/", "/accounts/password/reset/", "/accounts/signup/"):
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(path)
            assert page.locator("h1").count() == 1
            assert_accessible(page, context=f"{path} at {width}px")
