"""Public registry, organisation pages, exports, and the self-registration flow."""

import io
import re
import subprocess

import openpyxl
import pytest
from django.core import mail
from django.urls import reverse

from members import services
from members.models import GeneralType, Municipality, Organization
from tests.members.factories import (
    ActivityFieldFactory,
    ContactPersonFactory,
    GeneralTypeFactory,
    MunicipalityFactory,
    OrganizationFactory,
)
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db

LIST = reverse("members:organization_list")
JOIN = reverse("members:organization_join")
CONFIRM = reverse("members:organization_join_confirm")
DONE = reverse("members:organization_join_done")


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_registry_shows_the_reference_counts(client, demo_data):
    response = client.get(LIST)
    registry = response.context["registry"]
    assert [(g.label, g.count) for g in registry.general] == [
        ("福祉サービス事業所", 7),
        ("ピアサポート・当事者団体", 6),
        ("支援機関", 5),
        ("医療機関", 2),
        ("市町村社協", 1),
        ("その他", 10),
    ]
    assert registry.general_total == 31
    assert [(g.label, g.count) for g in registry.steering] == [
        ("民間支援機関等", 12),
        ("社会福祉法人", 1),
        ("行政", 21),
    ]
    assert registry.steering_total == 34
    text = _text(response)
    assert "令和8年1月27日" in text
    medical = next(g for g in registry.general if g.label == "医療機関")
    assert [o.name for o in medical.organizations] == ["倉吉病院", "鳥取医療生活協同組合"]


def test_registry_is_in_gojuon_order_and_shows_only_public_members(client):
    kind = GeneralTypeFactory()
    OrganizationFactory(name="わかば会", name_kana="わかばかい", general_type=kind)
    OrganizationFactory(name="あおぞら会", name_kana="あおぞらかい", general_type=kind)
    OrganizationFactory(
        name="申請中の会", name_kana="しんせいちゅう", general_type=kind, status="pending", approved_on=None
    )
    OrganizationFactory(name="非公開の会", name_kana="ひこうかい", general_type=kind, publish_consent=False)
    registry = client.get(LIST).context["registry"]
    assert [o.name for o in registry.general[0].organizations] == ["あおぞら会", "わかば会"]


@pytest.mark.parametrize(
    "q",
    [
        "はるひな",
        "ＮＰＯ法人はるひな",
        "特定非営利活動法人 はるひな",
        "ハルヒナ",
        "trigger",
        "ＴＲＩＧＧＥＲ株式会社",
        "(一社)ひだまり",
        "一般社団法人ひだまり",
    ],
)
def test_keyword_search_finds_a_group_however_it_is_typed(client, demo_data, q):
    registry = client.get(LIST, {"q": q}).context["registry"]
    assert registry.total == 1


@pytest.mark.parametrize(("q", "count"), [("NPO", 7), ("ｎｐｏ", 7), ("NPO法人", 7), ("社福", 3), ("一社", 5)])
def test_keyword_search_by_a_bare_legal_form_finds_every_group_of_that_form(client, demo_data, q, count):
    registry = client.get(LIST, {"q": q}).context["registry"]
    assert registry.total == count


def test_filters_by_type_municipality_and_activity_field(client, demo_data):
    kind = GeneralType.objects.get(name="その他")
    registry = client.get(LIST, {"group": f"g{kind.pk}"}).context["registry"]
    assert registry.total == 10 and registry.steering == []
    yonago = Municipality.objects.get(name="米子市")
    names = {
        o.name
        for g in client.get(LIST, {"municipality": yonago.pk}).context["registry"].general
        for o in g.organizations
    }
    assert names == {"米子フリースクール", "地域支え合い米子居い場所田園"}
    response = client.get(LIST, {"activity_field": ActivityFieldFactory(name="再犯防止").pk})
    assert response.context["registry"].total == 2


def test_bad_filter_values_do_not_break_the_page(client, demo_data):
    response = client.get(LIST, {"municipality": "abc", "group": "x1"})
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [10, 500])
def test_registry_query_count_does_not_grow(client, django_assert_max_num_queries, rows):
    kind, town, field = GeneralTypeFactory(), MunicipalityFactory(), ActivityFieldFactory()
    Organization.objects.bulk_create(
        Organization(
            name=f"団体{i}",
            name_kana=f"だんたい{i}",
            general_type=kind,
            municipality=town,
            status="approved",
            approved_on="2025-04-01",
        )
        for i in range(rows)
    )
    with django_assert_max_num_queries(10):
        response = client.get(LIST)
    assert response.content.decode().count('href="/members/') >= rows
    with django_assert_max_num_queries(4):
        cached = client.get(LIST)  # the registry comes from the cache
    assert cached.content.decode().count('href="/members/') >= rows
    with django_assert_max_num_queries(9):
        client.get(LIST, {"q": "団体", "activity_field": field.pk})


def test_organization_page_shows_public_fields_only(client):
    org = OrganizationFactory(description="居場所づくり", website="https://example.jp/", address="鳥取市秘密町1-2")
    ContactPersonFactory(organization=org, name="秘密 太郎", email="secret@example.jp", phone="0857-00-0000")
    response = client.get(org.get_absolute_url())
    text = _text(response)
    assert org.name in text and "居場所づくり" in text
    assert "秘密町" not in text  # the address is for the secretariat; the consent covers the other fields
    assert "秘密 太郎" not in text and "secret@example.jp" not in text and "0857-00-0000" not in text


@pytest.mark.parametrize(
    "overrides",
    [
        {"status": "pending", "approved_on": None},
        {"status": "rejected", "approved_on": None},
        {"status": "withdrawn", "withdrawn_on": "2026-01-01"},
        {"publish_consent": False},
    ],
)
def test_non_public_organizations_are_404(client, overrides):
    org = OrganizationFactory(**overrides)
    assert client.get(org.get_absolute_url()).status_code == 404


def test_organization_page_is_404_for_missing(client):
    assert client.get(reverse("members:organization_detail", args=[999999])).status_code == 404


def test_list_is_get_only(client):
    assert client.post(LIST).status_code == 405


SENTINEL = "SENTINEL-9d1c"


def pdf_text(content: bytes) -> str:
    result = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True)
    # Lines wrap inside table cells: drop whitespace so that a wrapped sentinel is still found.
    return "".join(result.stdout.decode().split())


def test_contact_persons_and_private_records_never_reach_public_routes(client, demo_data):
    """AC3: sentinel strings in contact persons and non-public records, crawled on every public route."""
    public = Organization.objects.get(name="NPO法人はるひな")
    ContactPersonFactory(
        organization=public,
        name=f"{SENTINEL}-name",
        email="sentinel-9d1c@example.jp",
        phone="0857-99-9999",
        role=f"{SENTINEL}-role",
    )
    OrganizationFactory(name=f"{SENTINEL}-pending", status="pending", approved_on=None)
    OrganizationFactory(
        name=f"{SENTINEL}-rejected", status="rejected", approved_on=None, status_reason=f"{SENTINEL}-reason"
    )
    OrganizationFactory(name=f"{SENTINEL}-private", publish_consent=False)
    urls = [
        LIST,
        public.get_absolute_url(),
        f"{LIST}?q=9d1c",
        f"{LIST}?q=sentinel",
        f"{LIST}?q=0857-99",
        reverse("members:organization_export", args=["csv"]),
        reverse("members:organization_pdf"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = pdf_text(response.content).encode() if url.endswith(".pdf") else response.content
        assert SENTINEL.encode() not in body, url
        assert b"sentinel-9d1c" not in body and b"0857-99-9999" not in body, url
    xlsx = client.get(reverse("members:organization_export", args=["xlsx"])).content
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    cells = " ".join(str(c.value) for row in book.active.iter_rows() for c in row)
    assert SENTINEL not in cells and "sentinel-9d1c" not in cells


# ---------------------------------------------------------------- self-registration


def _form_data(**overrides) -> dict:
    data = {
        "general_type": GeneralTypeFactory(name="その他").pk,
        "name": "ＮＰＯ法人 みらいの居場所",
        "name_kana": "ミライノイバショ",
        "municipality": MunicipalityFactory(name="鳥取市").pk,
        "address": "鳥取市東町1-220",
        "website": "https://example.jp/",
        "description": "子どもと若者の居場所づくり",
        "activity_fields": [ActivityFieldFactory().pk],
        "publish_consent": "on",
        "contact_name": "鳥取　花子",
        "contact_role": "代表",
        "contact_email": "ｈａｎａｋｏ＠example.jp",
        "contact_phone": "０８５７－２６－７０００",
        "nickname": "",
    }
    data.update(overrides)
    return data


def _token(response) -> str:
    return re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)


def test_join_form_explains_the_purpose_and_links_the_privacy_notice(client):
    response = client.get(JOIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("page_privacy") in html
    assert html.index(reverse("page_privacy")) < html.index('type="submit" class="btn btn-primary"')
    assert 'class="honeypot" aria-hidden="true"' in html


def test_join_flow_confirm_back_correct_and_done(client, settings, django_capture_on_commit_callbacks):
    settings.SECRETARIAT_EMAIL = "jimukyoku@example.jp"
    response = client.post(JOIN, _form_data(name="NPO法人みらいの居場所x"))
    assert response.status_code == 200
    assert "members/organization_join_confirm.html" in [t.name for t in response.templates]
    assert Organization.objects.count() == 0
    token = _token(response)
    # Back to correct: the form comes back filled in.
    response = client.post(CONFIRM, {"token": token, "back": "1"})
    assert response.status_code == 302 and response["Location"].endswith("?edit=1")
    response = client.get(response["Location"])
    assert "NPO法人みらいの居場所x" in response.content.decode()
    response = client.post(JOIN, _form_data())
    assert _token(response) == token  # the same application, still one token
    with django_capture_on_commit_callbacks(execute=True):
        with_commit = client.post(CONFIRM, {"token": token, "send": "1"})
    assert with_commit.status_code == 302 and with_commit["Location"] == DONE
    org = Organization.objects.get()
    assert (org.name, org.status, org.name_kana) == ("ＮＰＯ法人 みらいの居場所", "pending", "みらいのいばしょ")
    assert org.contacts.get().email == "hanako@example.jp"
    assert org.contacts.get().phone == "0857-26-7000"
    done = client.get(DONE)
    assert org.receipt_number in done.content.decode()
    run_tasks()
    assert len(mail.outbox) == 2
    # Double click / back + resend: one record, the same done page.
    again = client.post(CONFIRM, {"token": token, "send": "1"})
    assert again.status_code == 302 and again["Location"] == DONE
    assert Organization.objects.count() == 1


def test_join_double_submission_from_a_lost_session_finds_the_record(client):
    response = client.post(JOIN, _form_data())
    token = _token(response)
    client.post(CONFIRM, {"token": token, "send": "1"})
    client.cookies.clear()
    response = client.post(CONFIRM, {"token": token, "send": "1"})
    assert response["Location"] == DONE
    assert Organization.objects.count() == 1


def test_join_invalid_form_shows_errors_and_creates_nothing(client):
    response = client.post(JOIN, _form_data(contact_email="not-an-address", contact_phone="12", publish_consent=""))
    assert response.status_code == 200
    form = response.context["form"]
    assert {e.code for e in form.errors.as_data()["contact_phone"]} == {"phone_invalid"}
    assert "publish_consent" in form.errors and "contact_email" in form.errors
    html = response.content.decode()
    assert 'aria-invalid="true"' in html and 'id="error-summary"' in html
    assert Organization.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("name", "団体\u202eabc", "forbidden_characters"),
        ("website", "javascript:alert(1)", "invalid"),
        ("name_kana", "漢字", "kana_invalid"),
    ],
)
def test_join_refuses_bad_input(client, field, value, code):
    response = client.post(JOIN, _form_data(**{field: value}))
    assert code in {e.code for e in response.context["form"].errors.as_data()[field]}


def test_join_honeypot_refuses_bots(client):
    response = client.post(JOIN, _form_data(nickname="http://spam.example"))
    assert {e.code for e in response.context["form"].errors.as_data()["nickname"]} == {"honeypot"}
    assert Organization.objects.count() == 0


def test_join_duplicate_is_told_clearly(client):
    OrganizationFactory(name="特定非営利活動法人みらいの居場所")
    token = _token(client.post(JOIN, _form_data()))
    response = client.post(CONFIRM, {"token": token, "send": "1"})
    assert response.status_code == 200
    assert {e.code for e in response.context["form"].non_field_errors().as_data()} == {"duplicate_name"}
    assert Organization.objects.count() == 1


def test_join_is_rate_limited_with_the_429_page(client, settings):
    settings.MEMBERS_JOIN_RATE = "3/h"
    statuses = [client.post(JOIN, _form_data(contact_phone="1")).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert "Retry-After" in client.post(JOIN, _form_data()).headers


def test_join_confirm_is_post_only_and_done_needs_a_submission(client):
    assert client.get(CONFIRM).status_code == 405
    assert client.get(DONE)["Location"] == JOIN
    response = client.post(CONFIRM, {"token": "forged", "send": "1"})
    assert response["Location"] == JOIN
    assert Organization.objects.count() == 0


def test_join_needs_csrf(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(JOIN, _form_data()).status_code == 403


def test_approved_registration_appears_in_the_registry(client, secretariat, demo_data):
    other = GeneralType.objects.get(name="その他")
    before = next(g for g in client.get(LIST).context["registry"].general if g.label == "その他").count
    token = _token(client.post(JOIN, _form_data(general_type=other.pk)))
    client.post(CONFIRM, {"token": token, "send": "1"})
    org = Organization.objects.get(name="ＮＰＯ法人 みらいの居場所")
    assert client.get(org.get_absolute_url()).status_code == 404
    services.organization_approve(actor=secretariat, organization=org)
    after = next(g for g in client.get(LIST).context["registry"].general if g.label == "その他")
    assert after.count == before + 1
    assert org.name in [o.name for o in after.organizations]


# ---------------------------------------------------------------- exports


def test_csv_export_is_public_fields_utf8_bom_formula_safe(client):
    OrganizationFactory(name='=HYPERLINK("http://evil")', description="@SUM(1)")
    response = client.get(reverse("members:organization_export", args=["csv"]))
    assert response["Content-Type"].startswith("text/csv")
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("区分,団体種別・区分,団体名")
    assert "'=HYPERLINK" in text and "'@SUM(1)" in text


def test_xlsx_export(client, demo_data):
    response = client.get(reverse("members:organization_export", args=["xlsx"]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.active.max_row == 1 + 65


def test_unknown_export_format_is_404(client):
    assert client.get(reverse("members:organization_export", args=["json"])).status_code == 404


def test_cached_registry_changes_when_a_record_or_lookup_changes(client, secretariat, secretariat_client):
    kind = GeneralTypeFactory(name="支援機関")
    org = OrganizationFactory(name="承認待ちの会", general_type=kind, status="pending", approved_on=None)
    assert "承認待ちの会" not in client.get(LIST).content.decode()
    services.organization_approve(actor=secretariat, organization=org)
    assert "承認待ちの会" in client.get(LIST).content.decode()
    secretariat_client.post(
        reverse("admin:members_generaltype_change", args=[kind.pk]), {"name": "支援団体", "order": 1}
    )
    kind.refresh_from_db()
    assert kind.name == "支援団体"
    assert "支援団体" in client.get(LIST).content.decode()


def _bulk(rows: int, start: int = 0):
    kind, town = GeneralTypeFactory(), MunicipalityFactory()
    Organization.objects.bulk_create(
        Organization(
            name=f"R2団体{i}",
            name_kana=f"あーる{i}",
            general_type=kind,
            municipality=town,
            status="approved",
            approved_on="2025-04-01",
        )
        for i in range(start, start + rows)
    )


def test_registry_and_changelist_make_the_same_queries_at_10_and_500(client, secretariat_client):
    """docs/quality.md R2: the same number of queries at 10 and at 500 organisations."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    urls = [LIST, f"{LIST}?q=R2", reverse("admin:members_organization_changelist")]

    def counts():
        cache.clear()
        result = []
        for url in urls:
            user = secretariat_client if url.startswith("/admin/") else client
            with CaptureQueriesContext(connection) as queries:
                assert user.get(url).status_code == 200
            result.append(len(queries))
        return result

    _bulk(10)
    counts()  # warm-up: per-process caches (content types, translations) fill on the first request
    at_10 = counts()
    _bulk(490, start=10)
    at_500 = counts()
    assert at_10 == at_500, (at_10, at_500)
    print("R2 query counts (registry, search, admin changelist):", at_500)
