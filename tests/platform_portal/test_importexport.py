"""The shared import/export base: encodings, limits, formula neutralisation, widgets (docs/quality.md IE1-IE4)."""

import datetime
import io

import pytest
import tablib
from import_export import fields, widgets

from members.models import Municipality
from platform_portal.importexport import (
    CachedForeignKeyWidget,
    ImportFileError,
    JapaneseCSV,
    JapaneseDateWidget,
    PortalResource,
    SafeXLSX,
    YenWidget,
    decode_csv_bytes,
    neutralize_formula,
)

NAMES = "名称,表示順\n髙﨑町,1\n①㈱テスト,2\n"


class MunicipalityResource(PortalResource):
    name = fields.Field(attribute="name", column_name="名称")
    order = fields.Field(attribute="order", column_name="表示順", widget=widgets.IntegerWidget())

    class Meta:
        model = Municipality
        import_id_fields = ["name"]
        fields = ["name", "order"]


@pytest.mark.parametrize(
    "data",
    [NAMES.encode("utf-8"), b"\xef\xbb\xbf" + NAMES.encode("utf-8"), NAMES.encode("cp932")],
    ids=["utf-8", "utf-8-bom", "cp932"],
)
def test_csv_is_read_in_every_excel_encoding(data):
    dataset = JapaneseCSV().create_dataset(data)
    assert dataset.headers == ["名称", "表示順"]
    assert dataset[0][0] == "髙﨑町"
    assert dataset[1][0] == "①㈱テスト"


def test_undecodable_csv_is_refused():
    with pytest.raises(ImportFileError):
        decode_csv_bytes(b"\x82\xff\xfe\x80")


def test_csv_size_and_row_limits(settings):
    settings.IMPORT_MAX_ROWS = 1
    with pytest.raises(ImportFileError):
        JapaneseCSV().create_dataset(NAMES.encode("utf-8"))
    settings.IMPORT_MAX_ROWS = 100
    settings.IMPORT_MAX_BYTES = 10
    with pytest.raises(ImportFileError):
        JapaneseCSV().create_dataset(NAMES.encode("utf-8"))


def test_csv_export_is_utf8_with_bom():
    dataset = tablib.Dataset(["髙﨑町", 1], headers=["名称", "表示順"])
    content = JapaneseCSV().export_data(dataset)
    assert content.startswith(b"\xef\xbb\xbf")
    assert "髙﨑町" in content.decode("utf-8-sig")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1:A2)", "'=SUM(A1:A2)"),
        ("+81", "'+81"),
        ("-1", "'-1"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("＝1+1", "'＝1+1"),
        ("＋1", "'＋1"),
        ("－1", "'－1"),
        ("＠x", "'＠x"),
        ("普通の団体", "普通の団体"),
        (200000, 200000),
        (datetime.date(2026, 1, 27), datetime.date(2026, 1, 27)),
    ],
)
def test_neutralize_formula(value, expected):
    assert neutralize_formula(value) == expected


@pytest.mark.django_db
def test_export_neutralises_formulas_but_keeps_numbers():
    Municipality.objects.create(name='=HYPERLINK("x")', order=3)
    dataset = MunicipalityResource().export()
    assert dataset[0][0] == '\'=HYPERLINK("x")'
    assert dataset[0][1] in (3, "3")


@pytest.mark.django_db
def test_import_validates_and_rolls_back_the_whole_file():
    good = tablib.Dataset(["鳥取市", "1"], ["米子市", "2"], headers=["名称", "表示順"])
    result = MunicipalityResource().import_data(good, dry_run=True)
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == 2
    bad = tablib.Dataset(["鳥取市", "1"], ["米子\u202e市", "2"], headers=["名称", "表示順"])
    result = MunicipalityResource().import_data(bad, dry_run=False)
    assert result.has_validation_errors()
    invalid = result.invalid_rows[0]
    assert invalid.number == 2
    assert "名称" in invalid.error_dict
    assert Municipality.objects.count() == 0


@pytest.mark.django_db
def test_export_then_import_round_trips_without_changes():
    Municipality.objects.create(name="鳥取市", order=1)
    Municipality.objects.create(name="髙﨑町", order=2)
    content = JapaneseCSV().export_data(MunicipalityResource().export())
    dataset = JapaneseCSV().create_dataset(content)
    result = MunicipalityResource().import_data(dataset, dry_run=False)
    assert result.totals["skip"] == 2
    assert result.totals["new"] == result.totals["update"] == 0


def _xlsx(rows, *, hidden_first=False) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    if hidden_first:
        sheet.append(["secret"])
        sheet.sheet_state = "hidden"
        sheet = book.create_sheet("visible")
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_reads_the_first_visible_sheet():
    dataset = SafeXLSX().create_dataset(_xlsx([["名称", "表示順"], ["鳥取市", 1]], hidden_first=True))
    assert dataset.headers == ["名称", "表示順"]
    assert dataset[0] == ("鳥取市", 1)


def test_xlsx_blank_cells_read_as_empty_text_like_csv():
    dataset = SafeXLSX().create_dataset(_xlsx([["名称", "かな", "表示順"], ["鳥取市", None, 1]]))
    assert dataset[0] == ("鳥取市", "", 1)


def test_xlsx_zip_bomb_and_garbage_are_refused(settings):
    settings.IMPORT_MAX_BYTES = 2000
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", "0" * 1_000_000)
    with pytest.raises(ImportFileError):
        SafeXLSX().create_dataset(out.getvalue())
    with pytest.raises(ImportFileError):
        SafeXLSX().create_dataset(b"not a zip")


@pytest.mark.parametrize(
    ("cell", "amount"), [("¥1,234", 1234), ("１２３４円", 1234), (1234, 1234), (1234.0, 1234), ("", None)]
)
def test_yen_widget_accepts(cell, amount):
    assert YenWidget().clean(cell) == amount


@pytest.mark.parametrize("cell", ["20万円", "1e6", "199999.9", "-1", 1.5])
def test_yen_widget_refuses(cell):
    with pytest.raises(ValueError):
        YenWidget().clean(cell)


@pytest.mark.parametrize("cell", ["2026-01-27", "2026/1/27", "令和8年1月27日", "R8.1.27", datetime.date(2026, 1, 27)])
def test_date_widget_accepts_wareki(cell):
    assert JapaneseDateWidget().clean(cell) == datetime.date(2026, 1, 27)


def test_date_widget_refuses_impossible_era_dates():
    with pytest.raises(ValueError):
        JapaneseDateWidget().clean("平成31年5月1日")


@pytest.mark.django_db
def test_cached_foreign_key_widget_loads_the_table_once(django_assert_num_queries):
    for index in range(5):
        Municipality.objects.create(name=f"町{index}", order=index)
    widget = CachedForeignKeyWidget(Municipality, field="name")
    with django_assert_num_queries(1):
        assert [widget.clean(f"町{index}").order for index in range(5)] == [0, 1, 2, 3, 4]
    with pytest.raises(ValueError):
        widget.clean("存在しない町")


@pytest.mark.django_db
def test_import_preview_diff_escapes_cell_values_and_uses_classes():
    from platform_portal.importexport import ClassDiff

    resource = MunicipalityResource()
    instance = Municipality(name="鳥取市", order=1)
    diff = ClassDiff(resource, instance, new=False)
    diff.compare_with(resource, Municipality(name="<script>alert(1)</script>", order=1))
    html = "".join(diff.as_html())
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert 'class="import-diff-ins"' in html
    assert "style=" not in html
