"""Forms of the member pages for subsidies: the application, its lines and attachments."""

from django import forms
from django.forms import modelformset_factory
from django.utils.translation import gettext_lazy as _

from platform_portal.forms import JapaneseDateField, YenField
from subsidies.models import Application, ExpenseLine, IncomeLine, ProgramTier


class ApplicationForm(forms.ModelForm):
    period_start = JapaneseDateField(label=_("project start"))
    period_end = JapaneseDateField(label=_("project end"))

    class Meta:
        model = Application
        fields = ["tier", "title", "purpose", "period_start", "period_end"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        tiers = ProgramTier.objects.filter(program=program).order_by("order", "pk")
        self.fields["tier"].queryset = tiers
        self.fields["tier"].empty_label = None
        if len(tiers) == 1:
            self.fields["tier"].widget = forms.HiddenInput()
            self.fields["tier"].initial = tiers[0].pk

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The project cannot end before it starts."))
        return cleaned


class _RowLabels:
    """Fields of a table row get their column's label as accessible name (no visible label per row)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("aria-label", str(field.label))
            css = "form-check-input" if isinstance(field.widget, forms.CheckboxInput) else "form-control"
            if isinstance(field.widget, forms.Select):
                css = "form-select"
            field.widget.attrs.setdefault("class", css)


class MemberExpenseForm(_RowLabels, forms.ModelForm):
    amount_yen = YenField(label=_("amount (yen)"), min_value=1)

    class Meta:
        model = ExpenseLine
        fields = ["category", "description", "amount_yen"]


class MemberIncomeForm(_RowLabels, forms.ModelForm):
    amount_yen = YenField(label=_("amount (yen)"))

    class Meta:
        model = IncomeLine
        fields = ["kind", "description", "amount_yen"]


ExpenseFormSet = modelformset_factory(ExpenseLine, form=MemberExpenseForm, extra=3, can_delete=True)
IncomeFormSet = modelformset_factory(IncomeLine, form=MemberIncomeForm, extra=1, can_delete=True)


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("document"), max_length=200)
    file = forms.FileField(label=_("file"))
