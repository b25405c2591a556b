"""Forms of events: the public sign-up form (personal data, confirm step)."""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from meetings.models import Event, EventSignup
from platform_portal.forms import NameField, validate_plain_text, validate_single_line


class PhoneField(forms.CharField):
    """A phone number: NFKC first (full-width digits are normal input), then digits, +, (), - only."""

    def to_python(self, value):
        value = unicodedata.normalize("NFKC", super().to_python(value)).strip()
        if value and not re.fullmatch(r"[0-9+()\- ]{6,30}", value):
            raise ValidationError(_("Enter the phone number in digits and hyphens."), code="invalid_phone")
        return value


class EventSignupForm(forms.Form):
    """Shape of an application; the seats, deadline and duplicates are checked by the service."""

    name = NameField(label=_("Name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    kana = NameField(
        label=_("Name in kana"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        help_text=_("We send the confirmation of your application to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = PhoneField(
        label=_("Phone"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    affiliation = NameField(label=_("Organisation or affiliation"), max_length=200, required=False)
    attendance = forms.ChoiceField(label=_("How you take part"), choices=EventSignup.Attendance.choices)
    message = forms.CharField(
        label=_("Message to the organiser"),
        required=False,
        max_length=1000,
        validators=[validate_plain_text],
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        if event.format == Event.Format.VENUE:
            self.fields["attendance"].choices = [(EventSignup.Attendance.VENUE, EventSignup.Attendance.VENUE.label)]
        elif event.format == Event.Format.ONLINE:
            self.fields["attendance"].choices = [(EventSignup.Attendance.ONLINE, EventSignup.Attendance.ONLINE.label)]

    def clean_email(self):
        email = self.cleaned_data["email"]
        validate_single_line(email)
        return email.strip()

    def confirm_rows(self):
        """(label, value) pairs for the confirm page: the cleaned values, as they will be stored."""
        rows = []
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name, "")
            if name == "attendance":
                value = dict(field.choices).get(value, value)
            rows.append((field.label, value))
        return rows

    def as_hidden_fields(self):
        """The cleaned values as hidden inputs for the confirm page."""
        return [(name, self.cleaned_data.get(name, "")) for name in self.fields]


class CheckInForm(forms.Form):
    signup = forms.IntegerField(widget=forms.HiddenInput)
    checked_in = forms.BooleanField(required=False, widget=forms.HiddenInput)
