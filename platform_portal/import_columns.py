"""Imports that speak the secretariat's language: the columns as the file names them.

Mixed into `platform_portal.importexport.PortalResource` (so every resource has it):

- A column is found by its Japanese header (団体名) or by the English field name (name), in
  any width; errors then name the column exactly as the file does.
- Missing required columns are named before any row is read.
- The formula guard of our exports (a leading apostrophe on '=…, '+…, '-…, '@…) is undone,
  so re-importing an export changes nothing; a cell that still looks like a formula is
  listed and refused unless staff confirm that such cells are text.
"""

import re
import unicodedata

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override
from import_export.forms import ConfirmImportForm, ImportForm
from import_export.results import Error

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_NUMBER = re.compile(r"^[+\-－＋]?[0-9０-９][0-9０-９,，]*(?:[.．][0-9０-９]+)?$")
SHOWN_CELLS = 10
# Other spellings of our column names seen in the secretariat's own spreadsheets.
SYNONYMS = {
    "よみがな": ("ふりがな", "フリガナ", "ヨミガナ", "読み", "読み仮名"),
    "ふりがな": ("よみがな", "フリガナ", "ヨミガナ", "読み"),
    "団体名": ("団体名称", "名称"),
    "メールアドレス": ("メール", "e-mail", "email"),
    "電話番号": ("電話", "TEL"),
}


class ImportHeaderError(ValueError):
    """The file's columns cannot be imported; the message (Japanese) names them."""


def _key(text) -> str:
    return unicodedata.normalize("NFKC", str(text or "")).strip().lower().replace(" ", "").replace("_", "")


def looks_like_formula(value) -> bool:
    """Text a spreadsheet would run as a formula (numbers such as -5 are not)."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not _NUMBER.match(value.strip())


def undo_formula_guard(value):
    """'=SUM(A1) as we export it → =SUM(A1); anything else unchanged."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


class JapaneseColumnsMixin:
    """See the module docstring. `file_columns` maps a resource field's attribute to the file's header."""

    def _aliases(self) -> dict[str, str]:
        """Every accepted spelling of a column (normalised) → the resource's column name."""
        aliases = {}
        model = self._meta.model
        for key, field in self.fields.items():
            names = [field.column_name, key, field.attribute]
            if field.attribute and model is not None:
                try:
                    verbose_name = model._meta.get_field(field.attribute).verbose_name
                except FieldDoesNotExist:
                    verbose_name = None
                if verbose_name:
                    names.append(str(verbose_name))  # in Japanese
                    with override("en"):
                        names.append(str(verbose_name))
            names.extend(SYNONYMS.get(field.column_name, ()))
            for name in names:
                if name:
                    aliases.setdefault(_key(name), field.column_name)
        return aliases

    def name_columns(self, dataset) -> None:
        """Rename the headers the file spells differently (English, full-width) to our column names."""
        aliases = self._aliases()
        self.file_columns = {}
        headers = list(dataset.headers or [])
        renamed = []
        for header in headers:
            column = aliases.get(_key(header), header)
            if column in renamed:  # the same column twice: keep the second as it is, it is ignored
                column = header
            renamed.append(column)
            for field in self.fields.values():
                if field.column_name == column and field.attribute:
                    self.file_columns[field.attribute] = str(header)
        if renamed != headers:
            dataset.headers = renamed

    def required_columns(self) -> list[str]:
        """The natural key's columns and those of fields the model needs a value for."""
        model = self._meta.model
        names = set(self.get_import_id_fields())
        for key, field in self.fields.items():
            if field.readonly or not field.attribute or model is None:
                continue
            try:
                model_field = model._meta.get_field(field.attribute)
            except FieldDoesNotExist:
                continue
            if model_field.blank or model_field.null or model_field.has_default() or not model_field.editable:
                continue
            if model_field.many_to_many or getattr(model_field, "auto_now", False):
                continue
            names.add(key)
        return [self.fields[name].column_name for name in self.fields if name in names]

    def header_problem(self, dataset) -> str | None:
        headers = set(dataset.headers or [])
        missing = [column for column in self.required_columns() if column not in headers]
        if missing:
            return _(
                "The file has no column %(columns)s. Add it as the first row names the columns, then import again."
            ) % {"columns": "、".join(f"「{column}」" for column in missing)}
        return None

    def formula_problem(self, dataset, *, formulas_are_text: bool) -> str | None:
        """Undo our export's guard; list the cells that still look like formulas unless confirmed as text."""
        headers = list(dataset.headers or [])
        found = []
        for index in range(len(dataset)):
            row = list(dataset[index])
            unguarded = [undo_formula_guard(value) for value in row]
            if unguarded != row:
                dataset[index] = unguarded
            for column, before, value in zip(headers, row, unguarded, strict=False):
                if before == value and looks_like_formula(value):
                    found.append(f"{index + 1}行目「{self._file_name(column)}」: {value[:30]}")
        if not found or formulas_are_text:
            return None
        shown = "／".join(found[:SHOWN_CELLS])
        more = len(found) - SHOWN_CELLS
        message = _(
            "%(count)d cells start with =, +, - or @ and could run as formulas in a spreadsheet: %(cells)s. "
            "If they are plain text, tick “Cells starting with = + - @ are text” and import again."
        ) % {"count": len(found), "cells": shown}
        if more > 0:
            message += " " + _("(and %(more)d more)") % {"more": more}
        return message

    def _file_name(self, column: str) -> str:
        for field in self.fields.values():
            if field.column_name == column and field.attribute in getattr(self, "file_columns", {}):
                return self.file_columns[field.attribute]
        return column

    def import_data(
        self, dataset, dry_run=False, raise_errors=False, use_transactions=None, collect_failed_rows=False, **kwargs
    ):
        formulas_are_text = bool(kwargs.pop("formulas_are_text", False))
        self.name_columns(dataset)
        problem = self.header_problem(dataset) or self.formula_problem(dataset, formulas_are_text=formulas_are_text)
        if problem:
            result = self.get_result_class()()
            result.diff_headers = self.get_diff_headers()
            result.total_rows = len(dataset)
            error = ImportHeaderError(problem)
            if raise_errors:
                raise error
            result.append_base_error(Error(error))
            return result
        return super().import_data(dataset, dry_run, raise_errors, use_transactions, collect_failed_rows, **kwargs)

    def import_row(self, row, instance_loader, **kwargs):
        row_result = super().import_row(row, instance_loader, **kwargs)
        if row_result.validation_error is not None:
            row_result.validation_error = self.errors_by_column(row_result.validation_error)
        return row_result

    def errors_by_column(self, error: ValidationError) -> ValidationError:
        """The same errors keyed by the column as the file names it (団体名, not name)."""
        if not hasattr(error, "error_dict"):
            return error
        columns = {}
        for field in self.fields.values():
            if field.attribute:
                columns[field.attribute] = getattr(self, "file_columns", {}).get(field.attribute, field.column_name)
        keyed = {}
        for key, errors in error.error_dict.items():
            column = key if key == NON_FIELD_ERRORS else columns.get(key, key)
            keyed.setdefault(column, []).extend(errors)
        return ValidationError(keyed)


# ------------------------------------------------------------------ admin


class JapaneseImportForm(ImportForm):
    formulas_are_text = forms.BooleanField(
        label=gettext_lazy("Cells starting with = + - @ are text"),
        required=False,
        help_text=gettext_lazy("Tick only after checking the cells listed: they are imported as they are."),
    )


class JapaneseConfirmImportForm(ConfirmImportForm):
    formulas_are_text = forms.BooleanField(required=False, widget=forms.HiddenInput())


class JapaneseImportAdminMixin:
    """The import form's confirmation that formula-looking cells are text; export file names in Japanese."""

    import_form_class = JapaneseImportForm
    confirm_form_class = JapaneseConfirmImportForm

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["formulas_are_text"] = import_form.cleaned_data.get("formulas_are_text", False)
        return initial

    def get_import_data_kwargs(self, **kwargs):
        form = kwargs.get("form")
        data = super().get_import_data_kwargs(**kwargs)
        if form is not None and getattr(form, "cleaned_data", None):
            data["formulas_are_text"] = bool(form.cleaned_data.get("formulas_are_text"))
        return data

    def get_export_filename(self, request, queryset, file_format):
        """会員団体_鳥取市_2026-07-15.csv: the dataset, the municipality or programme filtered on, the date."""
        return export_filename(
            self.model._meta.verbose_name_plural,
            *self.export_filter_names(request),
            extension=file_format.get_extension(),
        )

    def export_filter_names(self, request) -> list[str]:
        """The names of the records the change list is filtered on (municipality, programme, …)."""
        names = []
        for key, value in request.GET.items():
            if not key.endswith(("__id__exact", "__exact")) or not value.isdigit():
                continue
            path = key.removesuffix("__exact").removesuffix("__id")
            try:
                field = self.model._meta.get_field(path.split("__")[0])
            except FieldDoesNotExist:
                continue
            if "__" in path or not field.is_relation:
                continue
            related = field.related_model.objects.filter(pk=int(value)).first()
            if related is not None:
                names.append(str(related))
        return names

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        response = super()._do_file_export(file_format, request, queryset, export_form=export_form)
        filename = self.get_export_filename(request, queryset, file_format)
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
        return response


def export_filename(*parts: str, extension: str) -> str:
    """Parts joined by _, with the date; characters that file systems refuse are replaced."""
    cleaned = [re.sub(r'[\\/:*?"<>|\s]+', "・", unicodedata.normalize("NFKC", str(part))).strip("・") for part in parts]
    return "_".join([*(part for part in cleaned if part), timezone.localdate().isoformat()]) + f".{extension}"
