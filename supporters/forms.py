"""Forms of the supporters' staff pages: roster filters, bulk appointment, sharing with a municipality."""

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Municipality
from platform_portal.forms import JapaneseDateField
from supporters.models import Supporter


class RosterFilterForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.all(), required=False, empty_label=_("All")
    )
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *Supporter.Status.choices], required=False)
    year = forms.TypedChoiceField(label=_("Fiscal year of appointment"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All")), *[(year.start_year, year.label) for year in years]]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"


class AppointForm(forms.Form):
    supporters = forms.ModelMultipleChoiceField(
        label=_("People to appoint"),
        queryset=Supporter.objects.filter(status=Supporter.Status.IN_TRAINING),
        widget=forms.CheckboxSelectMultiple,
    )
    appointed_on = JapaneseDateField(label=_("Date of appointment"))


class ShareForm(forms.Form):
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=Municipality.objects.all())
