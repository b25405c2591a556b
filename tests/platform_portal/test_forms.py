"""The shared form fields (docs/quality.md IO3, IO4): what people type in Japan is accepted, the rest is
refused with a coded error, never truncated."""

import datetime

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from platform_portal.admin import PortalFieldsMixin
from platform_portal.forms import (
    EmailField,
    JapaneseDateField,
    NameField,
    PhoneField,
    WebsiteField,
    YenField,
    validate_plain_text,
    validate_single_line,
)

D = datetime.date


class ApplicationForm(forms.Form):
    amount = YenField(max_value=1_000_000)
    optional_amount = YenField(required=False)
    held_on = JapaneseDateField()
    name = NameField(max_length=20)


def _errors(data: dict) -> dict[str, list[str]]:
    form = ApplicationForm(data={"amount": "1", "held_on": "2026-01-27", "name": "鳥取 太郎", **data})
    form.is_valid()
    return {field: [error.code for error in errors.as_data()] for field, errors in form.errors.items()}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("200000", 200_000),
        ("200,000", 200_000),
        ("２００，０００", 200_000),
        ("２０００００", 200_000),
        ("¥200,000", 200_000),
        ("200,000円", 200_000),
        (" 0 ", 0),
        ("1000000", 1_000_000),
    ],
)
def test_yen_field_accepts(text, expected):
    assert YenField(max_value=1_000_000).clean(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("20万円", "yen_invalid"),
        ("1e6", "yen_invalid"),
        ("199999.9", "yen_decimal"),
        ("-5", "yen_negative"),
        ("−5", "yen_negative"),
        ("٢٠٠", "yen_invalid"),
        ("20,00", "yen_invalid"),
        ("abc", "yen_invalid"),
        ("1000001", "yen_too_large"),
    ],
)
def test_yen_field_refuses_with_a_code(text, code):
    with pytest.raises(ValidationError) as excinfo:
        YenField(max_value=1_000_000).clean(text)
    assert excinfo.value.code == code


def test_yen_field_minimum_and_required():
    with pytest.raises(ValidationError) as excinfo:
        YenField(min_value=1000).clean("999")
    assert excinfo.value.code == "yen_too_small"
    with pytest.raises(ValidationError) as excinfo:
        YenField().clean("")
    assert excinfo.value.code == "required"
    assert YenField(required=False).clean("") is None


def test_yen_field_shows_stored_integers_plainly():
    form = ApplicationForm(initial={"amount": 200000})
    assert 'value="200000"' in str(form["amount"])
    assert 'inputmode="numeric"' in str(form["amount"])


def test_yen_error_messages_are_japanese():
    with translation.override("ja"):
        form = ApplicationForm(data={"amount": "20万円", "held_on": "2026-01-27", "name": "鳥取"})
        assert not form.is_valid()
        message = form.errors["amount"][0]
    assert message != "Enter the amount in digits only, for example 200000 or 200,000."
    assert "円" in message or "数字" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-01-27", D(2026, 1, 27)),
        ("2026/01/27", D(2026, 1, 27)),
        ("2026/1/27", D(2026, 1, 27)),
        ("２０２６／０１／２７", D(2026, 1, 27)),
        ("2026年1月27日", D(2026, 1, 27)),
        ("令和8年1月27日", D(2026, 1, 27)),
        ("R8.1.27", D(2026, 1, 27)),
        ("令和元年5月1日", D(2019, 5, 1)),
        ("平成31年4月30日", D(2019, 4, 30)),
    ],
)
def test_japanese_date_field_accepts(text, expected):
    assert JapaneseDateField().clean(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("平成31年5月1日", "date_nonexistent"),
        ("令和8年2月30日", "date_nonexistent"),
        ("2026-02-30", "date_nonexistent"),
        ("01/02/2026", "date_invalid"),
        ("tomorrow", "date_invalid"),
        ("2026-1", "date_invalid"),
    ],
)
def test_japanese_date_field_refuses_with_a_code(text, code):
    with pytest.raises(ValidationError) as excinfo:
        JapaneseDateField().clean(text)
    assert excinfo.value.code == code


def test_japanese_date_field_required_and_display():
    with pytest.raises(ValidationError) as excinfo:
        JapaneseDateField().clean("")
    assert excinfo.value.code == "required"
    form = ApplicationForm(initial={"held_on": D(2026, 1, 27)})
    assert 'value="2026-01-27"' in str(form["held_on"])
    assert JapaneseDateField().help_for(D(2026, 1, 27)) == "令和8年1月27日"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("鳥取　太郎", "鳥取 太郎"),
        ("  髙橋   𠮷子 ", "髙橋 𠮷子"),
        ("NPO法人 とっとり", "NPO法人 とっとり"),
    ],
)
def test_name_field_folds_spaces(text, expected):
    assert NameField().clean(text) == expected


@pytest.mark.parametrize(
    "text",
    ["鳥取\u202e太郎", "鳥取\u200b太郎", "鳥取\n太郎", "鳥取\r\nBcc: x@example.jp", "鳥取\x00", "\u2066名前\u2069"],
)
def test_name_field_refuses_invisible_and_control_characters(text):
    with pytest.raises(ValidationError) as excinfo:
        NameField().clean(text)
    assert excinfo.value.code == "forbidden_characters"


def test_name_field_keeps_max_length():
    with pytest.raises(ValidationError) as excinfo:
        NameField(max_length=5).clean("とっとりけん県")
    assert [error.code for error in excinfo.value.error_list] == ["max_length"]


def test_form_reports_codes_per_field():
    assert _errors({"amount": "1e6", "held_on": "平成31年5月1日", "name": "a\u202eb"}) == {
        "amount": ["yen_invalid"],
        "held_on": ["date_nonexistent"],
        "name": ["forbidden_characters"],
    }
    assert _errors({}) == {}


def test_text_validators():
    validate_plain_text("一行目\n二行目\tタブ")
    validate_single_line("一行")
    for validator, text in (
        (validate_plain_text, "a\u202eb"),
        (validate_single_line, "a\nb"),
        (validate_plain_text, "a\x07"),
    ):
        with pytest.raises(ValidationError) as excinfo:
            validator(text)
        assert excinfo.value.code == "forbidden_characters"


@pytest.mark.parametrize(
    ("field", "typed", "expected"),
    [
        (PhoneField(), "０８５７－２６－７０００", "0857-26-7000"),
        (PhoneField(), "0857 26 7000", "0857267000"),
        (PhoneField(), "12", "phone_invalid"),
        (EmailField(), "ＪＩＲＯ＠example.jp", "jiro@example.jp"),
        (WebsiteField(), "example.jp", "https://example.jp"),
        (WebsiteField(), "javascript:alert(1)", "invalid"),
        (WebsiteField(), "ftp://example.jp/x", "url_scheme"),
    ],
)
def test_contact_fields_normalise_then_check(field, typed, expected):
    try:
        assert field.clean(typed) == expected
    except ValidationError as exc:
        assert [error.code for error in exc.error_list] == [expected]


@pytest.mark.django_db
def test_admin_forms_get_the_shared_fields():
    from django.contrib import admin

    from members.models import ContactPerson, Organization
    from subsidies.models import Program

    class Admin(PortalFieldsMixin, admin.ModelAdmin):
        pass

    def field_of(model, name):
        return Admin(model, admin.site).formfield_for_dbfield(model._meta.get_field(name), request=None)

    assert isinstance(field_of(Program, "budget_yen"), YenField)
    assert isinstance(field_of(Organization, "website"), WebsiteField)
    assert isinstance(field_of(ContactPerson, "phone"), PhoneField)
    assert isinstance(field_of(ContactPerson, "email"), EmailField)
