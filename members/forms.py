"""Forms of the member registry: the public filters and the self-registration (入会申込) form."""

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from members import rules
from members.models import ActivityField, ContactPerson, GeneralType, Municipality, Organization, SteeringCategory
from platform_portal.forms import (
    EmailField,
    NameField,
    PhoneField,
    WebsiteField,
    validate_plain_text,
    validate_single_line,
)


def _group_choices():
    return [
        ("", _("All")),
        (_("General members"), [(f"g{t.pk}", t.name) for t in GeneralType.objects.all()]),
        (_("Steering members"), [(f"s{c.pk}", c.name) for c in SteeringCategory.objects.all()]),
    ]


class RegistryFilterForm(forms.Form):
    """Filters of the public registry (GET): type, municipality, activity field, keyword."""

    group = forms.ChoiceField(label=_("Type"), required=False)
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.all(), required=False, empty_label=_("All")
    )
    activity_field = forms.ModelChoiceField(
        label=_("Activity field"), queryset=ActivityField.objects.all(), required=False, empty_label=_("All")
    )
    q = forms.CharField(label=_("Keyword"), required=False, max_length=100, widget=forms.SearchInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A callable: the lookups are read only when the select is rendered or validated,
        # so that a cached registry page runs no query for them.
        self._choices_cache = None
        self.fields["group"].choices = self._group_choices
        # Plain Bootstrap widgets: the public list renders these without crispy (a hot page).
        for name in ("group", "municipality", "activity_field"):
            self.fields[name].widget.attrs["class"] = "form-select"
        self.fields["q"].widget.attrs["class"] = "form-control"

    def _group_choices(self):
        if self._choices_cache is None:
            self._choices_cache = _group_choices()
        return self._choices_cache

    def clean_q(self):
        value = self.cleaned_data["q"]
        validate_single_line(value)
        return value.strip()

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "group": data.get("group") or "",
            "municipality_id": data["municipality"].pk if data.get("municipality") else None,
            "activity_field_id": data["activity_field"].pk if data.get("activity_field") else None,
            "q": data.get("q") or "",
        }


class OrganizationJoinForm(forms.Form):
    """A group's application as a general member (一般団体). Works without JavaScript."""

    general_type = forms.ModelChoiceField(
        label=_("Type of group"), queryset=GeneralType.objects.all(), empty_label=_("Choose one")
    )
    name = NameField(
        label=_("Name of the group"),
        max_length=200,
        help_text=_("As your group writes it, with the legal form, e.g. NPO法人〇〇 or (一社)〇〇."),
    )
    name_kana = NameField(
        label=_("Reading of the name (hiragana)"),
        max_length=200,
        help_text=_("Used for the 五十音 order of the list, e.g. ぴあさぽーとのかい."),
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.all(), empty_label=_("Choose one")
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False, validators=[validate_single_line])
    website = WebsiteField(label=_("Website"), required=False)
    description = forms.CharField(
        label=_("Activities (published)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        validators=[validate_plain_text],
        help_text=_("What your group does; shown on the public list of members."),
    )
    activity_fields = forms.ModelMultipleChoiceField(
        label=_("Activity fields"),
        queryset=ActivityField.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    publish_consent = forms.BooleanField(
        label=_(
            "We agree that the name, type, municipality, website and activities of our group are published on this site."
        ),
        required=True,
    )
    contact_name = NameField(label=_("Contact person"), max_length=100)
    contact_role = NameField(label=_("Role of the contact person"), max_length=100, required=False)
    contact_email = EmailField(label=_("E-mail of the contact person"))
    contact_phone = PhoneField(label=_("Phone of the contact person"))
    # Honeypot: hidden from people (CSS and aria-hidden), filled in by bots.
    nickname = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.fields["nickname"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["contact_email"].widget.attrs["autocomplete"] = "email"
        self.fields["contact_name"].widget.attrs["autocomplete"] = "name"
        self.fields["address"].widget.attrs["autocomplete"] = "street-address"
        self.fields["name"].widget.attrs["autocomplete"] = "organization"

    def clean_nickname(self):
        if self.cleaned_data.get("nickname"):
            raise ValidationError(_("This application could not be accepted."), code="honeypot")
        return ""

    def clean_name_kana(self):
        value = rules.kana_key(self.cleaned_data["name_kana"])
        if not all("\u3041" <= ch <= "\u309f" or ch in "ー" or ch.isascii() and ch.isalnum() for ch in value):
            raise ValidationError(_("Write the reading in hiragana."), code="kana_invalid")
        return value

    def clean_contact_email(self):
        return rules.email_key(self.cleaned_data["contact_email"])

    def to_session(self) -> dict:
        """The cleaned data as plain JSON-able values, kept in the session between the steps."""
        data = dict(self.cleaned_data)
        data.pop("nickname", None)
        data["general_type"] = data["general_type"].pk
        data["municipality"] = data["municipality"].pk
        data["activity_fields"] = [f.pk for f in data["activity_fields"]]
        return data


class ReasonForm(forms.Form):
    """The reason of a decision in the admin's intermediate page."""

    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}), validators=[validate_plain_text]
    )


class OrganizationAdminForm(forms.ModelForm):
    website = WebsiteField(label=_("website"), required=False, help_text="")

    class Meta:
        model = Organization
        fields = [
            "tier",
            "steering_category",
            "general_type",
            "name",
            "name_kana",
            "legal_form",
            "municipality",
            "address",
            "website",
            "description",
            "activity_fields",
            "publish_consent",
            "representative_title",
            "representative_name",
        ]
        # Plain checkboxes: the admin's filter_horizontal widget fails axe (aria-prohibited-attr).
        widgets = {"activity_fields": forms.CheckboxSelectMultiple}


class ContactPersonAdminForm(forms.ModelForm):
    email = EmailField(label=_("e-mail"), required=False)
    phone = PhoneField(label=_("phone"), required=False, help_text="")

    class Meta:
        model = ContactPerson
        fields = ["name", "role", "email", "phone", "is_primary"]
