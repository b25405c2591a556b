"""Forms of meetings: the public history filter and the admin's material upload."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from meetings.models import Material
from platform_portal.lib.fiscal import FiscalYear


class MeetingFilterForm(forms.Form):
    """Filter the history by body and fiscal year (GET; invalid values are ignored)."""

    body = forms.ChoiceField(label=_("Meeting body"), required=False)
    fiscal_year = forms.TypedChoiceField(label=_("Fiscal year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, bodies, fiscal_years, **kwargs):
        super().__init__(*args, **kwargs)
        self._bodies = {body.slug: body for body in bodies}
        self.fields["body"].choices = [("", _("All bodies")), *[(b.slug, b.name) for b in bodies]]
        self.fields["fiscal_year"].choices = [("", _("All years")), *[(y, FiscalYear(y).label) for y in fiscal_years]]

    def clean_body(self):
        slug = self.cleaned_data["body"]
        return self._bodies.get(slug) if slug else None


class _DownloadLink:
    """Stands in for a FieldFile in the file widget: links to the checked download view, never MEDIA_URL."""

    def __init__(self, material: Material):
        self.url = reverse("meetings:material_download", args=[material.pk])
        self.label = material.original_name or material.label

    def __str__(self) -> str:
        return self.label


class MaterialFileInput(forms.ClearableFileInput):
    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        instance = getattr(value, "instance", None)
        if context["widget"]["is_initial"] and instance is not None and instance.pk:
            context["widget"]["value"] = _DownloadLink(instance)
        return context


class MaterialAdminForm(forms.ModelForm):
    """The admin's material row: an uploaded PDF (checked by the service: extension, magic bytes,
    size) or a kind generated from records with the parameters that kind needs."""

    class Meta:
        model = Material
        fields = [
            "number",
            "title",
            "agenda_item",
            "file",
            "kind",
            "fiscal_year",
            "organization",
            "as_of",
            "council_session",
            "is_public",
        ]
        widgets = {"file": MaterialFileInput(attrs={"accept": ".pdf,application/pdf"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "number" in self.fields:  # absent on the read-only view of an official
            self.fields["number"].required = False
            self.fields["number"].help_text = _("Leave empty to number automatically.")

    def clean_file(self):
        from meetings.services.meeting import material_check_upload

        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):
            material_check_upload(upload)
        return upload

    def clean(self):
        from meetings.generated import check_parameters

        data = super().clean()
        kind = data.get("kind")
        if kind:
            if data.get("file") and "file" in self.changed_data:
                self.add_error("file", _("A generated material has no uploaded file."))
            check_parameters(kind=kind, values=data)
        elif "file" in self.fields and not data.get("file") and not self.errors:
            self.add_error("file", _("Upload a PDF or choose a kind generated from records."))
        return data
