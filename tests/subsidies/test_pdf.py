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


LONG_NAME = "孤独・孤立対策に取り組む民間団体の活動基盤強化及び地域における居場所づくり推進事業補助金"


@pytest.fixture
def official_notice_setup(make_application, tier, secretariat):
    from tests.members.factories import OrganizationFactory

    program = tier.program
    program.name = LONG_NAME
    program.issuer_title = "鳥取県知事"
    program.issuer_name = "見本 太郎"
    program.grant_conditions = (
        "補助事業の内容を変更するときは、あらかじめ知事の承認を受けること。\n補助事業に係る帳簿を5年間保存すること。"
    )
    program.appeal_notice = "この決定に不服がある場合は、この決定があったことを知った日の翌日から起算して3か月以内に、知事に対して審査請求をすることができます。"
    program.save()
    organization = OrganizationFactory(
        name="NPO法人見本の会", representative_title="理事長", representative_name="見本 花子"
    )
    application = make_application(tier=tier, cost=273_000, organization=organization)
    services.application_submit(actor=secretariat, application=application, submitted_on=D(2025, 6, 2))
    services.application_decide(actor=secretariat, application=application, decided_on=D(2025, 6, 20))
    return application


@pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed")
def test_decision_notice_as_a_prefectural_office_sends_it(official_notice_setup, tmp_path):
    application = official_notice_setup
    decision = application.decisions.get()
    text = _text(decision.notice.path)
    flat = "".join(text.split())
    for expected in [
        "鳥取県知事",
        "見本太郎",
        "印",  # the seal space
        "NPO法人見本の会",
        "理事長見本花子様",
        "令和7年6月2日付けで申請のあった",
        f"申請番号{application.number}",
        "交付の条件",
        "1.補助事業の内容を変更するときは",
        "帳簿を5年間保存すること",
        "教示",
        "審査請求をすることができます",
    ]:
        assert expected in flat, expected
    assert "算定規則" not in flat and decision.rule_version not in text  # internal data stays in the record
    # The title breaks between its parts only: the kind of notice and the year are whole on their lines.
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert any(line.endswith("交付決定通知書") or line == "交付決定通知書" for line in lines)
    assert any(line.startswith("令和7年度") for line in lines)
    assert sum("居場所づくり推進事業補助金" in line for line in lines) >= 2  # title and item 2: not split mid-word
    # Looked at as an image (pdftoppm): one A4 page rendered.
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", decision.notice.path, str(tmp_path / "notice")],
            check=True,
        )
        assert list(tmp_path.glob("notice*.png"))


@pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed")
def test_settlement_notice_cites_decision_and_application(official_notice_setup, secretariat):
    application = official_notice_setup
    services.application_report(
        actor=secretariat,
        application=application,
        reported_on=D(2026, 3, 10),
        expenses=[{"category": "rental", "description": "会場", "amount_yen": 330_000}],
    )
    services.application_settle(actor=secretariat, application=application, settled_on=D(2026, 3, 19))
    settlement = application.settlements.get()
    flat = "".join(_text(settlement.notice.path).split())
    for expected in [
        "鳥取県知事",
        "理事長見本花子様",
        f"申請番号{application.number}",
        "令和8年3月10日付けで提出",
        "教示",
    ]:
        assert expected in flat, expected
    assert "算定規則" not in flat


@pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed")
def test_notice_of_a_demo_sample_application_says_it_is_sample_data(decided, tmp_path):
    """The demo invents every application (見本): its notices say so on their face; real ones do not."""
    from subsidies.models import Application
    from subsidies.pdf import render_decision_notice_pdf

    application = decided()
    decision = application.decisions.get()
    real = tmp_path / "real.pdf"
    real.write_bytes(render_decision_notice_pdf(decision))
    assert "見本" not in _text(real)
    Application.objects.filter(pk=application.pk).update(is_sample=True)
    decision.refresh_from_db()
    sample = tmp_path / "sample.pdf"
    sample.write_bytes(render_decision_notice_pdf(decision))
    assert "見本" in _text(sample)
