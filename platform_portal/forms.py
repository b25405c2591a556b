"""Form fields shared by every app: yen, dates (和暦 accepted), names, phone numbers, e-mail and web addresses.

One normalisation rule for money and dates, used by forms, admin and imports alike
(docs/quality.md IO3): the fields call the same pure functions as the import widgets.
"""

import datetime

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from platform_portal.lib.contact import has_web_scheme, is_valid_phone, normalize_email, normalize_phone
from platform_portal.lib.dates import DateInputError, parse_date
from platform_portal.lib.money import YenError, parse_yen
from platform_portal.lib.text import has_forbidden_characters, normalize_spaces
from platform_portal.lib.wareki import format_wareki

# Re-exported: the migrations name the validators by this path; models import them from validators.
from platform_portal.validators import validate_plain_text as validate_plain_text
from platform_portal.validators import validate_single_line as validate_single_line

YEN_ERRORS = {
    "empty": _("Enter an amount in yen."),
    "negative": _("Amounts cannot be negative."),
    "decimal": _("Enter whole yen without decimals."),
    "invalid": _("Enter the amount in digits only, for example 200000 or 200,000."),
}
DATE_ERRORS = {
    "empty": _("Enter a date."),
    "invalid": _("Enter a date such as 2026-01-27, 2026/01/27 or 令和8年1月27日."),
    "nonexistent": _("This date does not exist."),
}


class YenField(forms.CharField):
    """Integer yen typed by a person: full-width digits, ¥, 円 and commas accepted."""

    def __init__(self, *, min_value: int = 0, max_value: int | None = None, **kwargs):
        self.min_value = min_value
        self.max_value = max_value
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            amount = parse_yen(value)
        except YenError as exc:
            raise ValidationError(YEN_ERRORS[exc.code], code=f"yen_{exc.code}") from exc
        if amount < self.min_value:
            raise ValidationError(
                _("Enter %(min)s yen or more."), code="yen_too_small", params={"min": f"{self.min_value:,}"}
            )
        if self.max_value is not None and amount > self.max_value:
            raise ValidationError(
                _("Enter %(max)s yen or less."), code="yen_too_large", params={"max": f"{self.max_value:,}"}
            )
        return amount


class JapaneseDateInput(forms.TextInput):
    """A text input, so that 和暦 can be typed; shows the stored date in ISO form."""

    def __init__(self, attrs=None):
        base = {"inputmode": "text", "autocomplete": "off", "placeholder": "2026-01-27 / 令和8年1月27日"}
        super().__init__(attrs={**base, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return value.isoformat()
        return super().format_value(value)


class JapaneseDateField(forms.DateField):
    """A date typed as 2026-01-27, 2026/01/27, full-width digits, 令和8年1月27日 or R8.1.27."""

    widget = JapaneseDateInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_date(value)
        except DateInputError as exc:
            raise ValidationError(DATE_ERRORS[exc.code], code=f"date_{exc.code}") from exc

    def help_for(self, value: datetime.date) -> str:
        return format_wareki(value)


class NameField(forms.CharField):
    """A name: spaces folded, control/bidi/zero-width characters refused (docs/quality.md IO4)."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        if has_forbidden_characters(value):
            raise ValidationError(
                _("Remove invisible or control characters from this field."), code="forbidden_characters"
            )
        return normalize_spaces(value)


class PhoneField(forms.CharField):
    """A phone number: full-width digits and dashes folded, then checked (0857-26-7000)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("help_text", _("e.g. 0857-26-7000"))
        super().__init__(**kwargs)
        self.widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        value = normalize_phone(value)
        if not is_valid_phone(value):
            raise ValidationError(_("Enter a phone number such as 0857-26-7000."), code="phone_invalid")
        return value


class StaffLoginForm(AdminAuthenticationForm):
    """The staff log-in; with STAFF_REQUIRE_2FA on, it also asks for the authenticator app's code
    and refuses staff without a valid one (the password alone never opens the back office)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if settings.STAFF_REQUIRE_2FA:
            self.fields["code"] = forms.CharField(
                label=_("Authenticator code"),
                required=False,
                max_length=10,
                help_text=_("The six-digit code shown by your authenticator app."),
                widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
            )

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not settings.STAFF_REQUIRE_2FA:
            return
        from platform_portal.member_auth import staff_totp_valid

        if not staff_totp_valid(user, self.data.get("code", "")):
            raise ValidationError(_("Enter the current code of your authenticator app."), code="second_factor_required")

    def clean(self):
        cleaned = super().clean()
        if settings.STAFF_REQUIRE_2FA and self.request is not None and self.user_cache is not None:
            from platform_portal.member_auth import mark_second_factor

            # The session is rotated at login; the marker is copied over by the login view's
            # session (cycle_key keeps the data).
            mark_second_factor(self.request)
        return cleaned


class EmailField(forms.EmailField):
    """An e-mail address typed with full-width characters (ｉｎｆｏ＠…) is folded before validation (IO3)."""

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_email(value) if value else value


class WebsiteField(forms.URLField):
    """A web address stored only with http or https (docs/quality.md IO2); https is assumed when none is typed."""

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        kwargs.setdefault("help_text", _("Starting with https:// or http://."))
        super().__init__(**kwargs)

    def run_validators(self, value):
        super().run_validators(value)  # a malformed address is "invalid" first; then the scheme
        if value and not has_web_scheme(value):
            raise ValidationError(_("Enter an address starting with https:// or http://."), code="url_scheme")
