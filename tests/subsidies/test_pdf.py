"""Official notices: rendered once from the snapshot, with the organisation, amounts, 和暦 date and the font embedded."""

import datetime
import shutil
import subprocess

import pytest

from subsidies import services

pytestmark = pytest.mark.django_db
D = datetime.date
POPPLER = shutil.which("pdftotext") and shutil.which("pdffonts")


def _text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed")
def test_decision_and_settlement_notices(make_application, tier, secretariat):
    from tests.members.factories import OrganizationFactory

    application = make_application(tier=tier, cost=273_000, organization=OrganizationFactory(name="𠮷田ピアの会"))
    services.application_submit(actor=secretariat, application=application, submitted_on=D(2025, 6, 2))
    services.application_decide(actor=secretariat, application=application, decided_on=D(2025, 6, 20))
    decision = application.decisions.get()
    text = _text(decision.notice.path)
    for expected in [
        "交付決定通知書",
        "𠮷田ピアの会",
        "182,000円",
        "令和7年6月20日",
        decision.number,
        "200,000円",
        "2/3",
        tier.program.name,
    ]:
        assert expected in text, expected
    fonts = subprocess.run(["pdffonts", decision.notice.path], capture_output=True, text=True, check=True).stdout
    assert "NotoSansCJK" in fonts.replace("-", "").replace(" ", "") or "Noto-Sans-CJK" in fonts
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:] if line.strip())  # every font embedded
    info = subprocess.run(["pdfinfo", decision.notice.path], capture_output=True, text=True, check=True).stdout
    assert "Pages:           1" in info
    assert "交付決定通知書" in info  # the PDF title

    services.application_report(
        actor=secretariat,
        application=application,
        reported_on=D(2026, 3, 10),
        expenses=[{"category": "rental", "description": "会場", "amount_yen": 330_000}],
    )
    services.application_settle(actor=secretariat, application=application, settled_on=D(2026, 3, 19))
    settlement = application.settlements.get()
    text = _text(settlement.notice.path)
    for expected in ["額の確定通知書", "𠮷田ピアの会", "182,000円", "200,000円", "令和8年3月19日", settlement.number]:
        assert expected in text, expected


def test_notice_is_not_rerendered_after_programme_edits(decided, tier):
    application = decided()
    decision = application.decisions.get()
    before = decision.notice.open("rb").read()
    tier.program.name = "改称後の補助金"
    tier.program.save()
    decision.refresh_from_db()
    assert decision.notice.open("rb").read() == before
    assert decision.program_name != "改称後の補助金"


@pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed")
def test_changed_decision_notice_names_the_decision_it_changes(decided, secretariat):
    application = decided()
    old = application.decisions.get()
    services.application_correct_decision(
        actor=secretariat, application=application, amount_yen=150_000, reason="減額", decided_on=D(2025, 9, 1)
    )
    new = application.decisions.get(replaces=old)
    text = _text(new.notice.path)
    for expected in ["交付決定変更通知書", old.number, "182,000円", "150,000円", "令和7年9月1日", "令和7年6月20日"]:
        assert expected in text, expected
