"""Public supporter page (totals, suppressed counts) and the secretariat's roster, appointment, totals, sharing."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from members.models import Municipality
from platform_portal.models import AuditLogEntry
from supporters import services
from supporters.models import Appointment, Supporter
from tests.members.factories import MunicipalityFactory
from tests.supporters.factories import make_supporter

pytestmark = pytest.mark.django_db


def test_overview_shows_totals_and_suppresses_small_counts(client, secretariat):
    big = MunicipalityFactory(name="鳥取市", order=1)
    small = MunicipalityFactory(name="日吉津村", order=2)
    people = [
        make_supporter(actor=secretariat, municipality=big, name=f"見本 {i}", kana=f"みほん{i:02d}") for i in range(7)
    ]
    people.append(make_supporter(actor=secretariat, municipality=small, name="センチネル 村人", kana="ん"))
    services.supporter_appoint(actor=secretariat, supporters=people[:3], appointed_on=datetime.date(2024, 9, 1))
    services.supporter_appoint(actor=secretariat, supporters=people[3:], appointed_on=datetime.date(2025, 9, 1))
    response = client.get(reverse("supporters:supporter_overview"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Cache-Control" not in response or "no-store" not in response["Cache-Control"]
    assert "令和7年度" in html
    counts = html[html.index('id="municipality-counts"') :]
    assert "5未満" in counts
    # 鳥取市 (7) is hidden too: with the total shown, 日吉津村 could otherwise be worked out.
    assert ">7<" not in counts
    assert "センチネル" not in html  # no personal data on the public page (AC3)


def test_overview_totals_match_the_reference_after_demo(client, demo_data):
    html = client.get(reverse("supporters:supporter_overview")).content.decode()
    totals = html[html.index('id="supporter-totals"') :]
    assert "20" in totals[:200] and "121" in totals[:200]
    assert Appointment.objects.filter(fiscal_year=2025).count() == 20
    assert Appointment.objects.count() == 121
    # No supporter's (sample) name: the demo's invented counts carry a 見本 badge, names never show.
    assert not re.search(r"見本\d", html) and "example.jp" not in html


def test_staff_pages_access(secretariat, official, django_user_model):
    outsider = django_user_model.objects.create_user(username="outsider", password="x" * 12)
    cases = {
        "supporters:supporter_roster": {official: 200, secretariat: 200, outsider: 404},
        "supporters:supporter_totals": {official: 200, secretariat: 200, outsider: 404},
        "supporters:supporter_share": {official: 403, secretariat: 200, outsider: 404},
    }
    for name, expected in cases.items():
        url = reverse(name)
        assert Client().get(url).status_code == 302
        for user, status in expected.items():
            client = Client()
            client.force_login(user)
            response = client.get(url)
            assert response.status_code == status, (name, user)
            if status == 200:
                assert response["Cache-Control"] == "no-store"


def test_roster_filters(secretariat_client, secretariat):
    kurayoshi = MunicipalityFactory(name="倉吉市")
    tottori = MunicipalityFactory(name="鳥取市")
    a = make_supporter(actor=secretariat, name="倉吉 さん", kana="あ", municipality=kurayoshi)
    b = make_supporter(actor=secretariat, name="鳥取 さん", kana="い", municipality=tottori)
    make_supporter(actor=secretariat, name="研修 さん", kana="う", municipality=tottori)
    services.supporter_appoint(actor=secretariat, supporters=[a], appointed_on=datetime.date(2024, 9, 1))
    services.supporter_appoint(actor=secretariat, supporters=[b], appointed_on=datetime.date(2025, 9, 1))
    url = reverse("supporters:supporter_roster")
    names = lambda params: [s.name for s in secretariat_client.get(url, params).context["page"]]  # noqa: E731
    assert names({}) == ["倉吉 さん", "鳥取 さん", "研修 さん"]
    assert names({"municipality": tottori.pk}) == ["鳥取 さん", "研修 さん"]
    assert names({"status": "in_training"}) == ["研修 さん"]
    assert names({"year": 2024}) == ["倉吉 さん"]


def test_appoint_view_refuses_untrained_and_appoints_trained(secretariat_client, secretariat, official):
    untrained = make_supporter(actor=secretariat, trained=False, name="未修了", kana="あ")
    trained = make_supporter(actor=secretariat, name="修了", kana="い")
    url = reverse("supporters:supporter_appoint")
    assert secretariat_client.get(url).status_code == 405
    secretariat_client.post(url, {"supporters": [untrained.pk], "appointed_on": "R7.9.1"})
    untrained.refresh_from_db()
    assert untrained.appointment is None
    response = secretariat_client.post(url, {"supporters": [trained.pk], "appointed_on": "令和7年9月1日"})
    assert response.status_code == 302
    trained.refresh_from_db()
    assert trained.appointment.appointed_on == datetime.date(2025, 9, 1)
    assert trained.appointment.fiscal_year == 2025
    client = Client()
    client.force_login(official)
    assert client.post(url, {"supporters": [untrained.pk], "appointed_on": "R7.9.1"}).status_code == 403


def test_share_view_downloads_csv_and_audits(secretariat_client, secretariat):
    kurayoshi = MunicipalityFactory(name="倉吉市")
    person = make_supporter(
        actor=secretariat, name="共有 さん", municipality=kurayoshi, consent_share_with_municipality=True
    )
    services.supporter_appoint(actor=secretariat, supporters=[person], appointed_on=datetime.date(2025, 9, 1))
    response = secretariat_client.post(reverse("supporters:supporter_share"), {"municipality": kurayoshi.pk})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert "共有 さん" in response.content.decode("utf-8-sig")
    assert AuditLogEntry.objects.filter(action="supporters.supporter.shared", data__rows=1).count() == 1


def _bulk_supporters(rows):
    municipality = MunicipalityFactory(name="鳥取市")
    start = Appointment.objects.count()
    appointments = Appointment.objects.bulk_create(
        Appointment(number=start + i + 1, appointed_on=datetime.date(2023 + i % 3, 9, 1), fiscal_year=2023 + i % 3)
        for i in range(rows)
    )
    Supporter.objects.bulk_create(
        Supporter(
            roster_code=f"B{i:05d}",
            name=f"一括{i}",
            kana=f"いっかつ{i:05d}",
            municipality=municipality,
            status="active",
            appointment=appointment,
        )
        for i, appointment in enumerate(appointments)
    )
    Municipality.objects.bulk_create(Municipality(name=f"町{i}", order=i) for i in range(18))


@pytest.mark.parametrize("rows", [10, 500])
def test_public_and_staff_query_counts_are_flat(client, secretariat_client, django_assert_max_num_queries, rows):
    _bulk_supporters(rows)
    with django_assert_max_num_queries(4):
        assert Client().get(reverse("supporters:supporter_overview")).status_code == 200
    for name in ("supporters:supporter_roster", "supporters:supporter_totals"):
        with django_assert_max_num_queries(14):
            assert secretariat_client.get(reverse(name)).status_code == 200
    for name in ("admin:supporters_supporter_changelist", "admin:supporters_appointment_changelist"):
        with django_assert_max_num_queries(16):
            assert secretariat_client.get(reverse(name)).status_code == 200


def test_public_routes_never_show_personal_data(secretariat):
    """AC3: sentinel strings in supporters' and applicants' private fields appear on no public page."""
    from meetings.services.event import event_signup_create
    from tests.meetings.event_factories import EventFactory

    sentinels = [
        "ZQXサポーター氏名",
        "zqx-supporter@example.jp",
        "ZQX申込者氏名",
        "zqx-applicant@example.jp",
        "ZQX備考",
    ]
    person = make_supporter(
        actor=secretariat,
        name=sentinels[0],
        email=sentinels[1],
        notes=sentinels[4],
        consent_share_with_municipality=True,
    )
    services.supporter_appoint(actor=secretariat, supporters=[person], appointed_on=datetime.date(2025, 9, 1))
    event = EventFactory(open_for_signup=True, kind="supporter_training")
    event_signup_create(event_id=event.pk, name=sentinels[2], email=sentinels[3], message=sentinels[4])
    anonymous = Client()
    urls = [
        reverse("page_home"),
        reverse("events:event_list"),
        reverse("events:event_feed"),
        event.get_absolute_url(),
        reverse("events:event_signup", args=[event.pk]),
        reverse("supporters:supporter_overview"),
    ]
    for url in urls:
        body = anonymous.get(url).content.decode()
        for sentinel in sentinels:
            assert sentinel not in body, (url, sentinel)
    for url in [
        reverse("supporters:supporter_roster"),
        reverse("supporters:supporter_share"),
        reverse("events:event_checkin", args=[event.pk]),
    ]:
        response = anonymous.get(url)
        assert response.status_code == 302 and sentinels[0] not in response.content.decode()
