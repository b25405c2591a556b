"""Forms of the subsidies app: the public simulator and the staff transition confirm steps."""

from django import forms
from django.utils.translation import gettext_lazy as _

from platform_portal.forms import JapaneseDateField, YenField, validate_plain_text
from subsidies.models import ExpenseLine, IncomeLine, ProgramTier

MAX_SIMULATED_COST = 10_000_000_000


class TierChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, tier: ProgramTier) -> str:
        label = f"{tier.program.fiscal_year_obj.label} {tier.program.name}"
        return f"{label}（{tier.label}）" if tier.label else label


class SimulatorForm(forms.Form):
    """補助金額シミュレーション: a programme tier and an eligible cost."""

    tier = TierChoiceField(
        label=_("Programme and tier"),
        queryset=ProgramTier.objects.none(),
        empty_label=_("Choose a programme"),
    )
    cost = YenField(
        label=_("Eligible cost (yen)"),
        max_value=MAX_SIMULATED_COST,
        help_text=_("Eligible expenses minus the income the programme deducts, in yen, for example 300000 or 300,000."),
    )

    def __init__(self, *args, tiers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tier"].queryset = tiers if tiers is not None else ProgramTier.objects.none()


class TransitionForm(forms.Form):
    """The confirm step of a transition (docs/quality.md A4): the fields its declaration asks for."""

    on_date = JapaneseDateField(label=_("Date"), required=False, help_text=_("Leave empty for today."))
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}), validators=[validate_plain_text]
    )

    def __init__(self, *args, transition, **kwargs):
        super().__init__(*args, **kwargs)
        self.transition = transition
        if transition.takes_amount:
            self.fields["amount_yen"] = YenField(label=_("New decided amount (yen)"), min_value=1)
            self.order_fields(["amount_yen", "on_date", "reason"])
        if not transition.reason:
            del self.fields["reason"]
        else:
            self.fields["reason"].required = transition.reason == "required"
        if not transition.date_arg:
            del self.fields["on_date"]

    def service_kwargs(self) -> dict:
        """The cleaned values as the keyword arguments of the transition's service."""
        data = self.cleaned_data
        kwargs = {name: data[name] for name in ("reason", "amount_yen") if name in data}
        if data.get("on_date"):
            kwargs[self.transition.date_arg] = data["on_date"]
        return kwargs


class ExpenseLineForm(forms.ModelForm):
    amount_yen = YenField(label=_("amount (yen)"))

    class Meta:
        model = ExpenseLine
        fields = ["stage", "category", "description", "amount_yen", "eligible", "order"]


class IncomeLineForm(forms.ModelForm):
    amount_yen = YenField(label=_("amount (yen)"))

    class Meta:
        model = IncomeLine
        fields = ["stage", "kind", "description", "amount_yen", "order"]
