"""Printed agenda and packet: text, fonts, page count, stamps, running page numbers, public/staff content."""

import io
import re
import subprocess
import tempfile

import pytest
from django.urls import reverse
from pypdf import PdfReader

from meetings.models import Attendance, Meeting
from meetings.pdf import render_agenda_pdf, render_packet_pdf
from meetings.services import meeting as services
from tests.meetings.factories import MeetingFactory
from tests.meetings.pdfs import make_pdf, upload
from tests.members.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def _page_texts(content: bytes) -> list[str]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        text = subprocess.run(
            ["pdftotext", "-layout", handle.name, "-"], capture_output=True, check=True, text=True
        ).stdout
    return text.split("\f")[: len(PdfReader(io.BytesIO(content)).pages)]


def _fonts(content: bytes) -> list[list[str]]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        out = subprocess.run(["pdffonts", handle.name], capture_output=True, check=True, text=True).stdout
    return [line.split() for line in out.splitlines()[2:]]


def test_seventh_meeting_agenda_pdf_reads_like_the_reference(client, demo_data):
    meeting = Meeting.objects.get(body__slug="platform", number=7)
    response = client.get(reverse("meetings:meeting_agenda_pdf", args=[meeting.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = response.content
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1
    assert reader.metadata.title == "第7回「とっとり孤独・孤立対策官民連携プラットフォーム」会議次第"
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged PDF
    text = _page_texts(content)[0]
    for expected in [
        "第7回",
        "会議次第",
        "令和8年1月27日（火）10:00～",
        "場所：オンライン",
        "1   開会挨拶（政策統轄監）",
        "2   報告事項",
        "意見交換",
        "4   閉会",
    ]:
        assert expected in text, expected
    assert "(1)   令和7年度孤独・孤立対策事業の結果等について" in text
    assert "(2)   一般団体会員の活動紹介について" in text
    fonts = _fonts(content)
    # Every font is Noto CJK JP and embedded: no fallback font, so no tofu.
    assert fonts and all("Noto-Sans-CJK-JP" in row[0] and row[-5] == "yes" for row in fonts), fonts


def _packet_meeting(secretariat):
    meeting = MeetingFactory(number=7)
    services.agenda_set(
        actor=secretariat,
        meeting=meeting,
        items=[
            {"section": "opening", "title": "開会挨拶", "presenter": "政策統轄監", "duration_minutes": None},
            {"section": "reports", "title": "事業報告", "presenter": "", "duration_minutes": 20},
            {"section": "closing", "title": "閉会", "presenter": "", "duration_minutes": None},
        ],
    )
    for n, attended in enumerate([True, True, False]):
        Attendance.objects.create(
            meeting=meeting,
            organization=OrganizationFactory(),
            person_name=f"出席者氏名{n}",
            order=n,
            attended=attended,
        )
    services.material_add(
        actor=secretariat, meeting=meeting, title="事業結果", upload=upload(make_pdf("MAT-ONE", 1)), is_public=True
    )
    services.material_add(
        actor=secretariat,
        meeting=meeting,
        title="非公開の資料",
        upload=upload(make_pdf("MAT-TWO", 2, size="A4 landscape")),
    )
    services.material_add(
        actor=secretariat, meeting=meeting, title="活動紹介", upload=upload(make_pdf("MAT-THREE", 3)), is_public=True
    )
    return meeting


def test_staff_packet_merges_every_material_with_stamps_and_running_page_numbers(secretariat, media_root):
    meeting = _packet_meeting(secretariat)
    content = render_packet_pdf(meeting, include_private=True)
    pages = _page_texts(content)
    assert len(pages) == 3 + 1 + 2 + 3
    for number, text in enumerate(pages, start=1):
        assert re.search(rf"(?<!\d){number}\s*/\s*9(?!\d)", text), (number, text)
    assert "会議次第" in pages[0] and "出席者名簿" in pages[1] and "資料一覧" in pages[2]
    assert "出席者氏名0" in pages[1] and "合計：案内 3" in pages[1] and "出席 2／案内 3" in pages[1]
    assert "非公開の資料" in pages[2]
    expected = ["資料1", "資料2", "資料2", "資料3", "資料3", "資料3"]
    markers = ["MAT-ONE p1", "MAT-TWO p1", "MAT-TWO p2", "MAT-THREE p1", "MAT-THREE p2", "MAT-THREE p3"]
    for text, stamp, marker in zip(pages[3:], expected, markers, strict=True):
        assert stamp in text and marker in text
    assert not any("資料" in page.split("資料一覧")[0] for page in pages[:2])  # own pages carry no stamp
    reader = PdfReader(io.BytesIO(content))
    assert float(reader.pages[4].mediabox.width) > float(reader.pages[4].mediabox.height)  # landscape kept
    assert reader.metadata.title.startswith("第7回")
    assert any("Noto-Sans-CJK-JP" in row[0] for row in _fonts(content))


def test_public_packet_leaves_out_non_public_materials_and_names(client, secretariat, media_root):
    meeting = _packet_meeting(secretariat)
    response = client.get(reverse("meetings:meeting_packet_pdf", args=[meeting.pk]))
    assert response.status_code == 200
    pages = _page_texts(response.content)
    assert len(pages) == 3 + 1 + 3
    joined = "\n".join(pages)
    assert "MAT-TWO" not in joined and "非公開の資料" not in joined and "出席者氏名" not in joined
    assert re.search(r"7\s*/\s*7", pages[-1])


def test_agenda_pdf_of_an_undecided_meeting_prints_the_planned_period(secretariat):
    meeting = services.meeting_create(
        actor=secretariat, body=MeetingFactory().body, planned_period="4月～5月", fiscal_year=2026
    )
    text = _page_texts(render_agenda_pdf(meeting))[0]
    assert "令和8年度 4月～5月（予定）" in text


def test_agenda_labels_stay_whole_and_a_long_venue_wraps_between_words(secretariat):
    meeting = MeetingFactory(
        date=__import__("datetime").date(2026, 7, 15),
        venue="米子コンベンションセンター 第1会議室（鳥取県米子市末広町294 ビッグシップ内）",
        status=Meeting.Status.SCHEDULED,
        fiscal_year=2026,
    )
    text = _page_texts(render_agenda_pdf(meeting))[0]
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert any(line.startswith("日時：") for line in lines), lines
    place = [line for line in lines if "米子" in line or "会議室" in line or "ビッグシップ" in line]
    assert place[0].startswith("場所：")
    # Each line of the venue ends at a word boundary: never inside 「コンベンションセンター」 or the address.
    joined = "".join(place).replace("場所：", "").replace(" ", "")
    assert "コンベンションセンター" in joined and all("ンベ" not in line[-2:] for line in place)
    assert all(not line.endswith(("コン", "セン", "会議")) for line in place)
