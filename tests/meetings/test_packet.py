"""The 7th meeting's packet from records: generated materials in the reference's order, issue, public packet."""

import io
import re
import subprocess
import tempfile

import pytest
from django.urls import reverse
from pypdf import PdfReader

from meetings.models import Event, GeneratedKind, Material, Meeting, PacketIssue
from meetings.pdf import render_packet_pdf
from meetings.services import meeting as services
from meetings.services.event import event_save

pytestmark = pytest.mark.django_db

MUNICIPAL_ROWS = [
    "官民連携プラットフォームの体制強化",
    "麒麟のまち圏域における普及啓発",
    "つながりサポーターの養成と展開",
    "地域協議会設置の検討",
    "食支援体制の充実",
    "重層的支援体制整備事業",
    "地域活動支援センター運営補助金",
    "つながり学習会",
    "智頭町要配慮者特別処遇事業",
    "福祉講演会",
    "地域コミュニティケア事業",
    "ひきこもり支援ステーションの設置",
    "ひきこもり支援調整会議の実施",
    "ひきこもりに関する研修会の実施",
]
# The sections of the reference packet with their figures, in the reference's order.
IN_ORDER = [
    "第7回「とっとり孤独・孤立対策官民連携プラットフォーム」会議次第",
    "（1）令和7年度孤独・孤立対策事業の結果等について",
    "（2）一般団体会員の活動紹介について",
    "とっとり孤独・孤立対策官民連携プラットフォームの概要①",
    "○プラットフォームの概要",
    "【民間支援機関等:12団体】",
    "【社会福祉法人:1団体】",
    "【行政:21団体】",
    "第1回(R4.9.14):プラットフォームの創設",
    "第6回(R7.9.1):令和7年度事業",
    "とっとり孤独・孤立対策官民連携プラットフォームの概要②",
    "【幹事団体の機能】",
    "【一般団体の機能",
    "会員団体一覧",
    "<令和8年1月27日現在>",
    "福祉サービス事業所7",
    "NPO法人はるひな",
    "その他10",
    "いき〇研究会",
    "合計31",
    "【報告事項1】令和7年度孤独・孤立対策事業の結果等について",
    "(1)「孤独・孤立対策官民連携プラットフォーム」によるワークショップの開催",
    "第1回:R7.10.9(木)エキパル倉吉",
    "参加者29名(24団体)",
    "第2回:R8.1.28(水)倉吉未来中心開催予定",
    "(2)「孤独・孤立対策官民連携プラットフォーム」広報・交流経費補助",
    "補助率2/3・上限額20万円",
    "一般団体の2団体を支援",
    "(3)「とっとり孤独・孤立サポーター」",
    "新たに20名をサポーターに任命。(合計121名)",
    "2～3月開催予定",
    "(4)孤独・孤立対策に向けたコミュニティの力を引き出す事業",
    "地域支え合いフォーラムR8.3.24(火)倉吉未来中心開催予定",
    "(5)当事者・家族等のピアサポート活動支援事業補助",
    "補助率:新規9/10、継続1/2・上限額50万円",
    "継続の7団体を支援",
    "(6)「ヤングケアラー支援フォーラム兼関係機関職員研修会」の開催",
    "沖縄県ヤングケアラー・コーディネーター石川七恵氏",
    "R7.7.30(水)鳥取県立美術館ホール参加者71名※会場:38名、オンライン:33名",
    "(7)「ひきこもりを考えるフォーラム」の開催",
    "ぼそっと池井多氏",
    "R7.11.29(土)倉吉交流プラザ参加者64名※録画配信希望約120名",
    "■令和7年度「孤独・孤立を防ぐ温もりのある支え愛社会づくり審議会」(R7.10.30)",
    "<主な委員の意見概要>",
    "県立ハローワークに生活困りごと相談窓口が設置されているが",
    "<各プラットフォーム団体へのお願い>",
    "▶孤独・孤立の啓発・各種相談窓口の周知",
    "▶ピアサポート団体等との連携",
    "【報告事項2】一般団体会員の活動紹介について",
    "NPO法人人と動物の共生センター",
    "発表者",
    "松本温子理事・鳥取支部長",
    "<具体的な活動内容>",
    "多頭飼育崩壊",
    "▶プラットフォーム団体の交流を図るワークショップでゲストとして活動紹介(R7.10.9)",
    "【意見交換】令和8年度県の孤独・孤立対策事業について",
    "■孤独・孤立対策支援事業等",
    "補助率1/2・上限額200万円",
    "■ヤングケアラー支援推進事業",
    "補助率10/10・上限額8万円",
    "身寄りのない方への支援事業",
    "【メンバー案】",
    "司法関係団体、権利擁護団体",
    "【議題案】",
    "【スケジュール案】",
    "4月～5月身寄りのない方への支援の現状・課題を踏まえての意見交換",
    "第4回8月～9月身寄りのない方への支援策のとりまとめ",
    "【意見交換】令和8年度市町村の孤独・孤立対策事業",
]
# 資料N on each page: 3 own pages, then the generated materials in their order.
STAMPS = [""] * 3 + ["資料1"] * 2 + ["資料2"] * 2 + ["資料3"] * 2 + ["資料4", "資料5"] + ["資料6"] * 2 + ["資料7"] * 2


def _texts(content: bytes) -> list[str]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        text = subprocess.run(["pdftotext", handle.name, "-"], capture_output=True, check=True, text=True).stdout
    pages = text.split("\f")[: len(PdfReader(io.BytesIO(content)).pages)]
    return [re.sub(r"\s+", "", page) for page in pages]


def _seventh() -> Meeting:
    return Meeting.objects.get(body__slug="platform", number=7)


def test_demo_seventh_packet_reads_like_the_reference(demo_data, media_root):
    content = render_packet_pdf(_seventh(), include_private=True)
    pages = _texts(content)
    assert len(pages) == len(STAMPS), [p[:40] for p in pages]
    joined = "".join(pages)
    position = 0
    for snippet in IN_ORDER:
        found = joined.find(snippet, position)
        assert found >= 0, (snippet, joined[position : position + 300])
        position = found + len(snippet)
    municipal = "".join(pages[-2:])
    # Table cells wrap, and pdftotext reads wrapped cells line by line: each row by the start of its name.
    for name in MUNICIPAL_ROWS:
        assert name[:8] in municipal, name
    names = ["鳥取市", "倉吉市", "岩美町", "智頭町", "湯梨浜町", "大山町", "南部町"]
    at = 0
    for name in names:  # in the official order (the table's first column)
        at = municipal.find(name, at)
        assert at >= 0, name
    assert "※市町村事業は令和7年度事業" in municipal
    for number, (text, stamp) in enumerate(zip(pages, STAMPS, strict=True), start=1):
        assert f"{number}/{len(pages)}" in text, number
        if stamp:
            assert stamp in text, (number, stamp)
        else:
            assert not re.search(r"資料\d(?!番号)", text.split("資料一覧")[0]), number


def test_an_approximate_recording_count_is_printed_with_about(demo_data, secretariat):
    from meetings.generated import material_html

    results = Material.objects.get(meeting=_seventh(), kind=GeneratedKind.RESULTS)
    forum = Event.objects.get(title="ひきこもりを考えるフォーラム")
    assert forum.recording_requests == 120 and forum.recording_requests_approximate
    assert "録画配信希望約120名" in material_html(results)
    forum.recording_requests_approximate = False
    event_save(actor=secretariat, event=forum)
    html = material_html(results)
    assert "録画配信希望120名" in html and "約120" not in html


def test_generated_kinds_are_one_registry_with_one_template_each():
    from meetings.generated import KINDS

    assert set(KINDS) == set(GeneratedKind.values)
    assert len({spec.template for spec in KINDS.values()}) == len(KINDS)
    assert all(spec.template.startswith("meetings/pdf/gen_") for spec in KINDS.values())


def test_a_generated_kind_needs_its_parameters(secretariat):
    from django.core.exceptions import ValidationError

    from tests.meetings.factories import MeetingFactory

    with pytest.raises(ValidationError):
        services.material_generate(
            actor=secretariat, meeting=MeetingFactory(), kind=GeneratedKind.RESULTS, title="結果"
        )


def test_issuing_freezes_the_packet_and_a_new_packet_follows_the_records(demo_data, media_root, secretariat):
    meeting = _seventh()
    issue = services.packet_issue(actor=secretariat, meeting=meeting)
    with issue.staff_file.open("rb") as handle:
        issued = handle.read()
    event = Event.objects.get(title="ヤングケアラー支援フォーラム兼関係機関職員研修会")
    event.participants_total, event.participants_venue = 75, 42
    event_save(actor=secretariat, event=event)

    from django.test import Client

    staff = Client()
    staff.force_login(secretariat)
    served = staff.get(reverse("meetings:meeting_packet_pdf", args=[meeting.pk]))
    assert served.status_code == 200
    assert b"".join(served.streaming_content if served.streaming else [served.content]) == issued
    assert "参加者71名" in "".join(_texts(issued))
    fresh = "".join(_texts(render_packet_pdf(meeting, include_private=True)))
    assert "参加者75名" in fresh and "会場:42名" in fresh
    second = services.packet_issue(actor=secretariat, meeting=meeting)
    assert second.version == 2 and PacketIssue.objects.filter(meeting=meeting).count() == 2
    with issue.staff_file.open("rb") as handle:
        assert handle.read() == issued  # the first version stays as issued


def test_public_packet_holds_only_public_materials(client, demo_data, media_root):
    meeting = _seventh()
    Material.objects.filter(meeting=meeting, kind=GeneratedKind.COUNCIL).update(is_public=False)
    response = client.get(reverse("meetings:meeting_packet_pdf", args=[meeting.pk]))
    assert response.status_code == 200
    text = "".join(_texts(response.content))
    assert "主な委員の意見概要" not in text and "資料4" not in text
    assert "【報告事項2】" in text


def test_generated_material_downloads_alone(client, demo_data, media_root):
    material = Material.objects.get(meeting=_seventh(), kind=GeneratedKind.MEMBER_ACTIVITY)
    response = client.get(material.get_absolute_url())
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "人と動物の共生センター" in "".join(_texts(response.content))
