"""Public pages of council sessions, municipal programmes and consultation windows; the flyer; registry order."""

import csv
import datetime
import io
import re
import subprocess
import tempfile

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from meetings.models import ConsultationWindow, CouncilOpinion, CouncilSession, MunicipalProgramme
from tests.members.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

REFERENCE = settings.BASE_DIR / "docs" / "reference-data" / "organizations.csv"


def _pdf_text(content: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        return subprocess.run(["pdftotext", handle.name, "-"], capture_output=True, check=True, text=True).stdout


def _in_order(text: str, names: list[str]) -> None:
    at = 0
    for name in names:
        found = text.find(name, at)
        assert found >= 0, (name, text[at : at + 200])
        at = found + len(name)


def _reference_names(tier: str) -> list[str]:
    with REFERENCE.open(encoding="utf-8") as handle:
        return [row["name"] for row in csv.DictReader(handle) if row["tier"] == tier]


def test_registry_page_and_pdf_list_the_reference_names_in_the_reference_order(client, demo_data):
    import html

    page = re.sub(r"\s+", "", html.unescape(client.get(reverse("members:organization_list")).content.decode()))
    pdf = re.sub(r"\s+", "", _pdf_text(client.get(reverse("members:organization_pdf")).content))
    for text in (page, pdf):
        _in_order(text, [re.sub(r"\s+", "", n) for n in _reference_names("general")])
        _in_order(text, [re.sub(r"\s+", "", n) for n in _reference_names("steering")])
    # Municipalities in the official order, then the board of education, then the prefecture.
    _in_order(pdf, ["鳥取市", "米子市", "倉吉市", "境港市", "岩美町", "江府町", "鳥取県教育委員会", "鳥取県(事務局"])


def test_new_organisations_sort_by_reading_unless_an_order_is_set():
    from members.selectors import registry_get
    from tests.members.factories import OrganizationFactory

    late = OrganizationFactory(name="あ団体", name_kana="あ")
    OrganizationFactory(name="い団体", name_kana="い", general_type=late.general_type)
    first = OrganizationFactory(name="ん団体", name_kana="ん", general_type=late.general_type, display_order=1)
    group = next(g for g in registry_get().general if g.count)
    assert [o.name for o in group.organizations] == [first.name, "あ団体", "い団体"]


def test_council_page_shows_opinions_and_requests(client, demo_data):
    session = CouncilSession.objects.get(date=datetime.date(2025, 10, 30))
    response = client.get(session.get_absolute_url())
    text = response.content.decode()
    assert response.status_code == 200
    assert "主な委員の意見概要" in text and "県立ハローワーク" in text
    assert "孤独・孤立の啓発・各種相談窓口の周知" in text and "ピアサポート団体等との連携" in text
    assert session.get_absolute_url() in client.get(reverse("records:council_list")).content.decode()
    session.is_public = False
    session.save()
    assert client.get(session.get_absolute_url()).status_code == 404


def test_municipal_programmes_page_lists_every_reference_row_by_municipality(client, demo_data):
    response = client.get(reverse("records:municipal_programme_list"))
    text = response.content.decode()
    assert response.status_code == 200 and "令和7年度" in text
    with (settings.BASE_DIR / "docs" / "reference-data" / "municipal_programs.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        assert row["program"] in text
    _in_order(text, ["鳥取市", "倉吉市", "岩美町", "智頭町", "湯梨浜町", "大山町", "南部町"])


def test_unconfirmed_windows_show_no_phone_and_the_flyer_fits_one_page(client, demo_data):
    ConsultationWindow.objects.create(name="確認済みの窓口", subject="相談", phone="0857-00-1111", confirmed=True)
    ConsultationWindow.objects.create(name="未確認の窓口", subject="相談", phone="0857-00-2222", confirmed=False)
    text = client.get(reverse("records:consultation_window_list")).content.decode()
    assert "0857-00-1111" in text and "0857-00-2222" not in text and "確認中" in text
    assert "生活困りごと相談窓口" in text  # named in the council's opinions
    for n in range(20):
        ConsultationWindow.objects.create(
            name=f"窓口{n}", subject="こころの相談", phone=f"0859-00-{n:04}", confirmed=True
        )
    response = client.get(reverse("records:consultation_window_flyer"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(response.content)).pages) == 1
    flyer = _pdf_text(response.content)
    assert "0857-00-1111" in flyer and "0857-00-2222" not in flyer and "窓口19" in flyer


def _rows(n: int) -> None:
    municipality = MunicipalityFactory(name="計測町")
    MunicipalProgramme.objects.bulk_create(
        MunicipalProgramme(municipality=municipality, fiscal_year=2025, order=i, name=f"事業{i}", content="内容")
        for i in range(n)
    )
    ConsultationWindow.objects.bulk_create(
        ConsultationWindow(name=f"窓口{i}", subject="相談", municipality=municipality, order=i) for i in range(n)
    )
    sessions = CouncilSession.objects.bulk_create(
        CouncilSession(name=f"審議会{i}", date=datetime.date(2025, 4, 1)) for i in range(n)
    )
    CouncilOpinion.objects.bulk_create(CouncilOpinion(session=sessions[0], order=i, text="意見") for i in range(n))


@pytest.mark.parametrize("first,second", [(10, 490)])
def test_public_record_pages_make_the_same_queries_at_10_and_500_rows(client, first, second):
    session_url = None

    def counts():
        cache.clear()
        result = []
        for url in [
            reverse("records:municipal_programme_list"),
            reverse("records:consultation_window_list"),
            reverse("records:council_list"),
            session_url,
        ]:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    _rows(first)
    session_url = CouncilSession.objects.order_by("pk").first().get_absolute_url()
    counts()
    at_10 = counts()
    MunicipalProgramme.objects.all().delete()
    ConsultationWindow.objects.all().delete()
    CouncilOpinion.objects.all().delete()
    CouncilSession.objects.all().delete()
    _rows(first + second)
    session_url = CouncilSession.objects.order_by("pk").first().get_absolute_url()
    at_500 = counts()
    assert at_10 == at_500, (at_10, at_500)


def test_every_page_says_the_site_runs_on_demo_data_while_it_does(client, demo_data):
    from platform_portal.selectors import site_profile_get

    assert site_profile_get().runs_on_demo_data
    for url in [
        reverse("page_home"),
        reverse("records:consultation_window_list"),
        reverse("members:organization_list"),
    ]:
        assert "デモデータ" in client.get(url).content.decode(), url
