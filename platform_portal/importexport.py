"""Import and export for the secretariat's Excel lists (django-import-export 4), done safely.

Shared by every app's `resources.py` and admin (docs/quality.md IE1-IE6):

- CSV in UTF-8, UTF-8 with BOM and CP932 (Excel on Japanese Windows: 髙 﨑 ① ㈱) is read
  without mojibake; CSV is exported as UTF-8 with BOM so that Excel opens it correctly.
- XLSX: size, uncompressed size (zip bombs) and row limits; only the first visible sheet.
- Exports neutralise formulas: a text cell starting with = + - @ tab or CR (or their
  full-width forms) gets a leading apostrophe; numbers and dates stay numeric.
- Yen and date cells go through the same normalisers as the forms (platform_portal.lib).
- Imports validate models, run in one transaction and roll back on any row error; the
  admin shows the row and the column of each error.
- Imports and exports need the explicit import_/export_ permissions and are audited with
  their row counts.
"""

import io
import zipfile

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from import_export import resources, widgets
from import_export.admin import ImportExportModelAdmin
from import_export.formats import base_formats
from import_export.results import RowResult

from platform_portal.admin_fields import WarekiAdminMixin
from platform_portal.audit import audit_log
from platform_portal.import_columns import FORMULA_PREFIXES, JapaneseColumnsMixin, JapaneseImportAdminMixin
from platform_portal.lib.dates import DateInputError, parse_date
from platform_portal.lib.money import YenError, parse_yen


class ImportFileError(ValueError):
    """The uploaded file cannot be read; the message is shown to staff."""


def neutralize_formula(value):
    """Prefix text that a spreadsheet would run as a formula with an apostrophe (docs/quality.md IE4)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def decode_csv_bytes(data: bytes) -> str:
    """Decode CSV bytes: UTF-8 with BOM, UTF-8, else CP932 (Excel on Japanese Windows)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp932")
    except UnicodeDecodeError as exc:
        raise ImportFileError(_("The file is neither UTF-8 nor Shift_JIS (CP932) text.")) from exc


def _check_size(data: bytes) -> None:
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise ImportFileError(
            _("The file is too large (at most %(limit)s MB).") % {"limit": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
        )


def _check_rows(count: int) -> None:
    if count > settings.IMPORT_MAX_ROWS:
        raise ImportFileError(
            _("The file has too many rows (at most %(limit)s).") % {"limit": settings.IMPORT_MAX_ROWS}
        )


class JapaneseCSV(base_formats.CSV):
    """CSV read in UTF-8 / UTF-8 with BOM / CP932, written as UTF-8 with BOM."""

    def is_binary(self):
        # Binary so that the admin hands us the raw bytes and we choose the encoding.
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            _check_size(in_stream)
            in_stream = decode_csv_bytes(in_stream)
        dataset = base_formats.TablibFormat.create_dataset(self, in_stream, **kwargs)
        _check_rows(len(dataset))
        return dataset

    def export_data(self, dataset, **kwargs):
        return ("\ufeff" + dataset.export("csv", **kwargs)).encode("utf-8")


class SafeXLSX(base_formats.XLSX):
    """XLSX with limits on size, uncompressed size and rows; reads the first visible sheet."""

    def create_dataset(self, in_stream):
        import tablib
        from openpyxl import load_workbook

        _check_size(in_stream)
        try:
            with zipfile.ZipFile(io.BytesIO(in_stream)) as archive:
                uncompressed = sum(info.file_size for info in archive.infolist())
        except zipfile.BadZipFile as exc:
            raise ImportFileError(_("The file is not a valid XLSX workbook.")) from exc
        if uncompressed > settings.IMPORT_MAX_BYTES * 20:
            raise ImportFileError(_("The workbook expands to too much data to import."))
        book = load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True)
        sheet = next((ws for ws in book.worksheets if ws.sheet_state == "visible"), None)
        if sheet is None:
            raise ImportFileError(_("The workbook has no visible sheet."))
        dataset = tablib.Dataset()
        for index, row in enumerate(sheet.iter_rows(values_only=True)):
            if index == 0:
                dataset.headers = ["" if cell is None else str(cell) for cell in row]
                continue
            if all(cell is None or cell == "" for cell in row):
                continue
            # Blank cells read as "" as they do in CSV, not None (NOT NULL text columns).
            dataset.append(["" if cell is None else cell for cell in row])
            _check_rows(len(dataset))
        book.close()
        return dataset


PORTAL_FORMATS = [JapaneseCSV, SafeXLSX]


class YenWidget(widgets.IntegerWidget):
    """Yen cells: ¥1,234 / 1,234円 / full-width digits accepted; 20万円, decimals, negatives refused."""

    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, float):
            if not value.is_integer():
                raise ValueError(_("Enter whole yen without decimals."))
            value = int(value)
        try:
            return parse_yen(value)
        except YenError as exc:
            raise ValueError(_("Not an amount in yen: %(value)s") % {"value": value}) from exc

    def render(self, value, obj=None, **kwargs):
        return value


class JapaneseDateWidget(widgets.DateWidget):
    """Date cells: ISO, slashes, full-width digits, 令和8年1月27日, R8.1.27; exported as ISO dates."""

    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        try:
            return parse_date(value)
        except DateInputError as exc:
            raise ValueError(_("Not a date: %(value)s") % {"value": value}) from exc

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        if kwargs.get("force_native_type"):
            return value
        return value.isoformat()


class CachedForeignKeyWidget(widgets.ForeignKeyWidget):
    """A foreign key by natural key that loads the lookup table once per import, not once per row."""

    def __init__(self, model, field="pk", **kwargs):
        super().__init__(model, field=field, **kwargs)
        self._cache = None

    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if self._cache is None:
            self._cache = {str(getattr(obj, self.field)): obj for obj in self.get_queryset(value, row, **kwargs)}
        key = str(value).strip()
        try:
            return self._cache[key]
        except KeyError:
            raise ValueError(_("Unknown value: %(value)s") % {"value": key}) from None


# diff_match_patch marks changes with inline styles, which the CSP (style-src 'self') blocks:
# the import preview uses classes instead (styled in static/css/admin.css).
_DIFF_STYLES = (
    ('<ins style="background:#e6ffe6;">', '<ins class="import-diff-ins">'),
    ('<del style="background:#ffe6e6;">', '<del class="import-diff-del">'),
)


class ClassDiff(resources.Diff):
    """The preview diff of one row, with classes instead of inline styles."""

    def as_html(self):
        rendered = []
        for html in super().as_html():
            for styled, classed in _DIFF_STYLES:
                html = html.replace(styled, classed)
            rendered.append(mark_safe(html))  # noqa: S308 - diff_match_patch escaped the values
        return rendered


class PortalResource(JapaneseColumnsMixin, resources.ModelResource):
    """Base of every resource: validation on, one transaction, formula-safe export, row limit."""

    class Meta:
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def import_data(
        self, dataset, dry_run=False, raise_errors=False, use_transactions=None, collect_failed_rows=False, **kwargs
    ):
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().import_data(dataset, dry_run, raise_errors, use_transactions, collect_failed_rows, **kwargs)

    def before_import(self, dataset, **kwargs):
        if len(dataset) > settings.IMPORT_MAX_ROWS:
            raise ValidationError(
                _("The file has too many rows (at most %(limit)s).") % {"limit": settings.IMPORT_MAX_ROWS},
                code="too_many_rows",
            )
        super().before_import(dataset, **kwargs)

    def export_field(self, field, instance, **kwargs):
        return neutralize_formula(super().export_field(field, instance, **kwargs))

    def get_diff_class(self):
        return ClassDiff


class PortalImportExportAdmin(WarekiAdminMixin, JapaneseImportAdminMixin, ImportExportModelAdmin):
    """Admin base with the portal's formats, explicit permissions and audited imports/exports."""

    import_formats = PORTAL_FORMATS
    export_formats = PORTAL_FORMATS

    def get_export_data(self, file_format, request, queryset, **kwargs):
        if not self.has_export_permission(request):
            raise PermissionDenied
        data = self.get_data_for_export(request, queryset, force_native_type=True, **kwargs)
        content = file_format.export_data(data)
        opts = self.model._meta
        audit_log(
            actor=request.user,
            action="data.exported",
            data={"model": opts.label, "rows": len(data), "format": file_format.get_title()},
        )
        return content

    def process_dataset(self, dataset, form, request, **kwargs):
        result = super().process_dataset(dataset, form, request, **kwargs)
        if not result.has_errors() and not result.has_validation_errors():
            audit_log(
                actor=request.user,
                action="data.imported",
                data={"model": self.model._meta.label, "rows": len(dataset), "totals": dict(result.totals)},
            )
        return result

    def add_success_message(self, result, request):
        # django-import-export has no Japanese for this message; ours is in the portal's catalogue.
        messages.success(
            request,
            _(
                "Import finished: %(new)d new, %(updated)d updated, %(deleted)d deleted and %(skipped)d skipped "
                "(%(model)s)."
            )
            % {
                "new": result.totals[RowResult.IMPORT_TYPE_NEW],
                "updated": result.totals[RowResult.IMPORT_TYPE_UPDATE],
                "deleted": result.totals[RowResult.IMPORT_TYPE_DELETE],
                "skipped": result.totals[RowResult.IMPORT_TYPE_SKIP],
                "model": self.model._meta.verbose_name_plural,
            },
        )

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, ImportFileError):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)
