"""The back office's one date field and 年度 field: wired into every admin, 和暦 in and out."""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse

from meetings.models import Meeting
from platform_portal.admin_fields import FiscalYearField, JapaneseDateTimeField, WarekiAdminMixin
from platform_portal.roles import PORTAL_APPS
from tests.meetings.factories import MeetingBodyFactory, MeetingFactory
from tests.meetings.test_admin import _meeting_post


def _portal_admins():
    return [model_admin for model, model_admin in admin.site._registry.items() if model._meta.app_label in PORTAL_APPS]


def test_every_portal_admin_and_inline_uses_the_wareki_fields(rf):
    assert _portal_admins()
    missing = []
    for model_admin in _portal_admins():
        if not isinstance(model_admin, WarekiAdminMixin):
            missing.append(type(model_admin).__name__)
        for inline in model_admin.inlines:
            if not issubclass(inline, WarekiAdminMixin):
                missing.append(inline.__name__)
    assert not missing, f"admins without WarekiAdminMixin: {missing}"


@pytest.mark.parametrize(
    "typed", ["令和8年7月15日", "R8.7.15", "２０２６－０７－１５", "2026/07/15", "令和８年７月１５日（水）"]
)
def test_meeting_date_accepts_what_the_public_forms_accept(secretariat_client, typed):
    body = MeetingBodyFactory()
    meeting = MeetingFactory(body=body, number=8, date=None, status=Meeting.Status.SCHEDULED, fiscal_year=2026)
    data = _meeting_post(body, number="8", date=typed, start_time="13:30")
    response = secretariat_client.post(reverse("admin:meetings_meeting_change", args=[meeting.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    meeting.refresh_from_db()
    assert meeting.date == datetime.date(2026, 7, 15)
    assert meeting.fiscal_year == 2026


def test_nonexistent_era_date_is_refused_in_japanese(secretariat_client):
    body = MeetingBodyFactory()
    meeting = MeetingFactory(body=body, number=8)
    data = _meeting_post(body, number="8", date="平成31年5月1日")
    response = secretariat_client.post(reverse("admin:meetings_meeting_change", args=[meeting.pk]), data)
    assert response.status_code == 200
    assert "date" in response.context["adminform"].form.errors


def test_change_form_shows_the_stored_date_and_fiscal_year_readably(secretariat_client):
    meeting = MeetingFactory(date=datetime.date(2026, 1, 27), fiscal_year=2025)
    response = secretariat_client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    html = response.content.decode()
    assert 'value="2026-01-27"' in html
    assert 'value="令和7年度"' in html
    assert "vDateField" not in html  # not Django's Gregorian calendar widget


def test_change_lists_and_filters_show_wareki_and_fiscal_years(secretariat_client):
    MeetingFactory(date=datetime.date(2026, 1, 27), fiscal_year=2025)
    html = secretariat_client.get(reverse("admin:meetings_meeting_changelist")).content.decode()
    assert "令和8年1月27日" in html
    assert "2026年1月27日" not in html
    assert "令和7年度" in html


def test_fiscal_year_filter_of_plain_fields_lists_reiwa_years(secretariat_client):
    from supporters.models import Appointment

    Appointment.objects.create(number=1, appointed_on=datetime.date(2025, 9, 1), fiscal_year=2025)
    html = secretariat_client.get(reverse("admin:supporters_appointment_changelist")).content.decode()
    assert html.count("令和7年度") >= 2  # the column and the filter
    assert "令和7年9月1日" in html
    assert ">2025<" not in html


def test_read_only_dates_are_wareki(secretariat_client):
    from platform_portal.models import AuditLogEntry

    meeting = MeetingFactory()
    entry = AuditLogEntry.objects.create(action="test.done", object_repr=str(meeting))
    html = secretariat_client.get(
        reverse("admin:platform_portal_auditlogentry_change", args=[entry.pk])
    ).content.decode()
    assert "令和" in html


@pytest.mark.parametrize(
    ("typed", "year"), [("令和7年度", 2025), ("R7", 2025), ("2025", 2025), ("令和元年度", 2019), ("Ｒ８", 2026)]
)
def test_fiscal_year_field_accepts_era_names(typed, year):
    assert FiscalYearField().clean(typed) == year


@pytest.mark.parametrize("typed", ["令和", "7年度", "abc", "令和99999年度"])
def test_fiscal_year_field_refuses_other_text(typed):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        FiscalYearField().clean(typed)


def test_fiscal_year_field_shows_the_era_label():
    assert FiscalYearField().prepare_value(2026) == "令和8年度"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("令和8年1月27日 14:05", datetime.datetime(2026, 1, 27, 14, 5)),
        ("2026-01-27T14:05:00", datetime.datetime(2026, 1, 27, 14, 5)),
        ("R8.1.27", datetime.datetime(2026, 1, 27, 0, 0)),
    ],
)
def test_datetime_field_accepts_wareki(settings, typed, expected):
    from django.utils import timezone

    value = JapaneseDateTimeField().clean(typed)
    assert timezone.localtime(value).replace(tzinfo=None) == expected


def test_datetime_field_refuses_a_bad_time():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        JapaneseDateTimeField().clean("令和8年1月27日 25:00")


pytestmark = pytest.mark.django_db


# ------------------------------------------------------------------ choosers


def _autocomplete(client, *, app, model, field, term):
    url = reverse("admin:autocomplete")
    response = client.get(url, {"term": term, "app_label": app, "model_name": model, "field_name": field})
    assert response.status_code == 200, response
    return [item["text"] for item in response.json()["results"]]


def test_organisation_choosers_are_autocomplete_everywhere():
    from meetings.admin.meeting import AttendanceInline
    from meetings.models import Event, MeetingBody
    from subsidies.models import Application
    from supporters.models import Supporter

    checks = [
        (admin.site._registry[MeetingBody], "members"),
        (AttendanceInline, "organization"),
        (admin.site._registry[Event], "participating_organizations"),
        (admin.site._registry[Application], "organization"),
        (admin.site._registry[Supporter], "exchange_meetings"),
        (admin.site._registry[Meeting.minutes.field.model], "meeting"),
    ]
    for model_admin, field in checks:
        assert field in model_admin.autocomplete_fields, (model_admin, field)
        assert not getattr(model_admin, "raw_id_fields", ())


@pytest.mark.parametrize(
    "term",
    [
        "鳥取青少年",
        "特定非営利活動法人 鳥取青少年",
        "ＮＰＯ法人鳥取青少年",
        "とっとりせいしょうねん",
        "トットリセイショウネン",
    ],
)
def test_organisation_chooser_search_is_width_and_legal_form_insensitive(secretariat_client, term):
    from members import rules
    from tests.members.factories import OrganizationFactory

    name = "NPO法人鳥取青少年ピアサポート"
    OrganizationFactory(
        name=name, name_key=rules.name_key(name), name_kana="とっとりせいしょうねんぴあさぽーと", steering=True
    )
    OrganizationFactory(name="別の団体", name_kana="べつのだんたい")
    found = _autocomplete(secretariat_client, app="meetings", model="attendance", field="organization", term=term)
    assert found == [name]


def test_meeting_chooser_finds_by_number(secretariat_client):
    MeetingFactory(number=8)
    MeetingFactory(number=3)
    found = _autocomplete(secretariat_client, app="meetings", model="minutes", field="meeting", term="第８回")
    assert len(found) == 1 and found[0].startswith("第8回")


def test_yen_amounts_are_shown_with_yen_and_separators():
    from django.contrib.admin.utils import display_for_field

    from subsidies.models import Decision

    assert display_for_field(182000, Decision._meta.get_field("amount_yen"), "-") == "182,000円"
    assert display_for_field(2025, Decision._meta.get_field("fiscal_year"), "-") == "令和7年度"
