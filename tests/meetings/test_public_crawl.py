"""AC3: crawl every public meetings page and PDF as an anonymous user; private sentinels never appear."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from meetings.models import Attendance
from meetings.services import meeting as services
from tests.meetings.factories import MeetingBodyFactory, MeetingFactory
from tests.meetings.pdfs import make_pdf, upload
from tests.members.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
SENTINEL = "ZZSENTINEL"


def _seed(secretariat):
    public = MeetingFactory(number=1)
    services.agenda_set(
        actor=secretariat,
        meeting=public,
        items=[{"section": "reports", "title": "公開の議事", "presenter": "", "duration_minutes": None}],
    )
    services.material_add(
        actor=secretariat, meeting=public, title="公開資料", upload=upload(make_pdf("PUBLIC")), is_public=True
    )
    services.material_add(
        actor=secretariat,
        meeting=public,
        title=f"{SENTINEL}-material-title",
        upload=upload(make_pdf(f"{SENTINEL}-file")),
    )
    Attendance.objects.create(
        meeting=public, organization=OrganizationFactory(), person_name=f"{SENTINEL}-person", attended=True
    )
    services.minutes_create(actor=secretariat, meeting=public, text=f"{SENTINEL}-draft-minutes")
    hidden = MeetingFactory(body=public.body, number=2, is_public=False, summary=f"{SENTINEL}-hidden-meeting")
    services.material_add(
        actor=secretariat, meeting=hidden, title="x", upload=upload(make_pdf(f"{SENTINEL}-hidden-file")), is_public=True
    )
    MeetingFactory(body=MeetingBodyFactory(is_public=False, name=f"{SENTINEL}-body"), number=1, summary="非公開会議体")
    return public


def _text(response) -> str:
    if response["Content-Type"] == "application/pdf":
        content = b"".join(response.streaming_content) if response.streaming else response.content
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return response.content.decode()


def test_anonymous_crawl_of_meetings_finds_no_private_data(client, secretariat, media_root):
    _seed(secretariat)
    client.logout()
    start = reverse("meetings:meeting_list")
    queue, seen, checked = [start, reverse("meetings:working_group_list")], set(), 0
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        text = _text(response)
        checked += 1
        assert SENTINEL not in text, url
        if response["Content-Type"].startswith("text/html"):
            for href in re.findall(r'href="(/(?:meetings|events)/[^"#]*)"', text):
                href = href.replace("&amp;", "&")
                if href.startswith("/meetings/") and href not in seen:
                    queue.append(href)
    assert checked >= 6  # list, filters, meeting page, agenda PDF, packet PDF, public material, WG list
    print(f"AC3 crawl: {checked} public meeting URLs checked, 0 sentinel hits")
