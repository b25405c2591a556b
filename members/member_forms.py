"""Forms of the member pages: the registry change request and inviting a contact person."""

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import ChangeRequest, Membership, Municipality, Organization
from platform_portal.forms import EmailField as NormalizedEmailField
from platform_portal.forms import NameField


class ChangeRequestForm(forms.ModelForm):
    """The registry entry as the group would like it; staff compare and decide."""

    name = NameField(label=_("organisation name"), max_length=200)
    municipality = forms.ModelChoiceField(Municipality.objects.all(), label=_("municipality"), required=False)
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Organization
        fields = list(ChangeRequest.FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class InviteForm(forms.Form):
    email = NormalizedEmailField(label=_("e-mail"))
    role = forms.ChoiceField(label=_("role"), choices=Membership.Role.choices, initial=Membership.Role.CONTACT)
