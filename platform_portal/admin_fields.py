"""The back office's date, date-time and 年度 fields, wired once for every admin form.

- `WarekiAdminMixin` gives every ModelAdmin and inline that uses it the same form fields the
  public forms use: a date is typed as 2026-01-27, 2026/01/27, full-width digits, 令和8年1月27日
  or R8.1.27 (`platform_portal.lib.dates.parse_date`); a 年度 (a field named `fiscal_year`
  holding the calendar year the fiscal year starts in) as 令和7年度, R7 or 2025.
- `install()` (called once from the app's ready()) makes the admin *show* dates in 和暦 in
  change lists and read-only fields (and `*_yen` amounts as 182,000円), and lets
  `list_filter = ["fiscal_year"]` list 令和N年度.

A test (tests/platform_portal/test_admin_fields.py) walks the admin registry and fails when
an admin or inline does not use the mixin, so a new ModelAdmin cannot fall back to the
Gregorian widgets.
"""

import datetime
import re
import unicodedata

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from platform_portal.forms import JapaneseDateField, JapaneseDateInput
from platform_portal.lib.dates import DateInputError, parse_date
from platform_portal.lib.fiscal import FiscalYear, fiscal_year_from_label
from platform_portal.lib.money import format_yen
from platform_portal.lib.wareki import WarekiError, format_wareki

FISCAL_YEAR_FIELD_NAME = "fiscal_year"
_TIME = re.compile(r"^(\d{1,2})[:時](\d{2})(?::\d{2})?分?$")

DATETIME_ERRORS = {
    "invalid": _("Enter a date and time such as 2026-01-27 14:00 or 令和8年1月27日 14:00."),
    "time": _("Enter the time as 14:00."),
}


def format_wareki_datetime(value: datetime.datetime) -> str:
    """令和8年1月27日 14:05 in the local time zone."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{format_wareki(value.date())} {value:%H:%M}"


def parse_datetime_text(text: str) -> datetime.datetime:
    """A date as parse_date accepts it, then optionally a time 14:00 (else midnight); naive."""
    value = unicodedata.normalize("NFKC", str(text)).strip()
    if not value:
        raise DateInputError("empty")
    date_part, _sep, time_part = value.replace("T", " ").partition(" ")
    day = parse_date(date_part)
    time_part = time_part.strip().replace(" ", "")
    if not time_part:
        return datetime.datetime.combine(day, datetime.time())
    match = _TIME.match(time_part)
    if not match:
        raise DateInputError("time")
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise DateInputError("time")
    return datetime.datetime.combine(day, datetime.time(hour, minute))


class JapaneseDateTimeInput(forms.TextInput):
    def __init__(self, attrs=None):
        base = {"inputmode": "text", "autocomplete": "off", "placeholder": "2026-01-27 14:00 / 令和8年1月27日 14:00"}
        super().__init__(attrs={**base, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, datetime.datetime):
            if timezone.is_aware(value):
                value = timezone.localtime(value)
            return f"{value.date().isoformat()} {value:%H:%M}"
        return super().format_value(value)


class JapaneseDateTimeField(forms.DateTimeField):
    """A date-time typed like a date (和暦 too) followed by an optional time, in the local zone."""

    widget = JapaneseDateTimeInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return from_current_timezone(value)
        try:
            naive = parse_datetime_text(value)
        except DateInputError as exc:
            message = DATETIME_ERRORS["time"] if exc.code == "time" else DATETIME_ERRORS["invalid"]
            raise ValidationError(message, code=f"datetime_{exc.code}") from exc
        return from_current_timezone(naive)


def from_current_timezone(value: datetime.datetime) -> datetime.datetime:
    if settings.USE_TZ and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


class FiscalYearInput(forms.TextInput):
    def __init__(self, attrs=None):
        base = {"inputmode": "text", "autocomplete": "off", "placeholder": "令和8年度 / R8 / 2026", "size": 12}
        super().__init__(attrs={**base, **(attrs or {})})


class FiscalYearField(forms.Field):
    """年度 typed as 令和7年度, R7, 令和元年度 or 2025; cleaned to the start year (an int), shown as 令和7年度."""

    widget = FiscalYearInput
    default_error_messages = {"invalid": _("Enter the fiscal year as 令和7年度, R7 or 2025.")}

    def __init__(self, *, min_value=None, max_value=None, **kwargs):
        kwargs.pop("max_length", None)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return FiscalYear(value).label
        if isinstance(value, str) and value.isdigit() and len(value) == 4:
            return FiscalYear(int(value)).label
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int):
            return value
        try:
            year = fiscal_year_from_label(str(value)).start_year
        except (ValueError, WarekiError) as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc
        if not 1900 <= year <= 2200:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return year


WAREKI_FORMFIELD_OVERRIDES = {
    models.DateField: {"form_class": JapaneseDateField, "widget": JapaneseDateInput},
    models.DateTimeField: {"form_class": JapaneseDateTimeField, "widget": JapaneseDateTimeInput},
}


class WarekiAdminMixin:
    """For every ModelAdmin and inline: dates in 和暦 accepted, 年度 as 令和N年度."""

    formfield_overrides = WAREKI_FORMFIELD_OVERRIDES

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == FISCAL_YEAR_FIELD_NAME and isinstance(db_field, models.IntegerField):
            kwargs.setdefault("form_class", FiscalYearField)
            return db_field.formfield(**kwargs)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class FiscalYearFieldListFilter(admin.AllValuesFieldListFilter):
    """`list_filter = ["fiscal_year"]` lists 令和7年度, newest first, not 2025."""

    def choices(self, changelist):
        for choice in super().choices(changelist):
            display = choice.get("display")
            if isinstance(display, str) and display.isdigit():
                choice = {**choice, "display": FiscalYear(int(display)).label}
            yield choice


def _is_fiscal_year(field) -> bool:
    return isinstance(field, models.IntegerField) and field.name == FISCAL_YEAR_FIELD_NAME


def display_value(value, field=None):
    """The admin's display of a value: 和暦 for dates, 令和N年度 for a fiscal year; None otherwise."""
    if isinstance(value, datetime.datetime):
        return format_wareki_datetime(value)
    if isinstance(value, datetime.date):
        return format_wareki(value)
    if field is not None and _is_fiscal_year(field) and isinstance(value, int):
        return FiscalYear(value).label
    if field is not None and field.name.endswith("_yen") and isinstance(value, int) and not isinstance(value, bool):
        return format_yen(value)  # integer yen columns: 182,000円
    return None


_installed = False


def install() -> None:
    """Show dates in 和暦 wherever the admin displays a value (lists, read-only fields); once."""
    global _installed
    if _installed:
        return
    _installed = True
    from django.contrib.admin import helpers, utils
    from django.contrib.admin.templatetags import admin_list

    original_field, original_value = utils.display_for_field, utils.display_for_value

    def display_for_field(value, field, empty_value_display, *args, **kwargs):
        if value is not None and getattr(field, "flatchoices", None) in (None, []):
            shown = display_value(value, field)
            if shown is not None:
                return shown
        return original_field(value, field, empty_value_display, *args, **kwargs)

    def display_for_value(value, empty_value_display, *args, **kwargs):
        shown = display_value(value) if value is not None else None
        return shown if shown is not None else original_value(value, empty_value_display, *args, **kwargs)

    for module in (utils, helpers, admin_list):
        if hasattr(module, "display_for_field"):
            module.display_for_field = display_for_field
        if hasattr(module, "display_for_value"):
            module.display_for_value = display_for_value
    admin.FieldListFilter.register(_is_fiscal_year, FiscalYearFieldListFilter, take_priority=True)
