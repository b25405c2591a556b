"""Open data (/opendata/): a registry of datasets, each served as CSV, XLSX and JSON at stable URLs.

An app offers a dataset with one `register(Dataset(...))` in its own `opendata.py` (found
at start-up, like admin.py): a slug, a title, a description, the column names and two
callables, `rows(base_url)` (the public records as lists of plain values, read through the app's
selectors) and `modified()` (the latest change of those records, for the catalogue).

Files change exactly when their records change: a file's ETag is a fingerprint (SHA-256) of
its columns and rows, the rendered bytes are cached under that fingerprint, and a request with
the same `If-None-Match` gets 304. Nothing needs invalidating: a changed record changes the
fingerprint, so the next request renders and caches the new file.
"""

import csv
import datetime
import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.http import Http404
from django.utils.functional import Promise

from platform_portal.importexport import neutralize_formula

LICENCE_NAME = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.ja"
FORMATS = ("csv", "xlsx", "json")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json; charset=utf-8",
}
CACHE_SECONDS = 60 * 60 * 24

Value = str | int | datetime.date | datetime.time | None


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str | Promise
    description: str | Promise
    columns: list[str]
    rows: Callable[[str], list[list[Value]]]  # called with the site's base URL, for links
    modified: Callable[[], datetime.date | None]
    order: int = 100


@dataclass(frozen=True)
class Table:
    dataset: Dataset
    rows: list[list[str | int | None]]
    fingerprint: str


_REGISTRY: dict[str, Dataset] = {}


def register(dataset: Dataset) -> Dataset:
    """Add a dataset to /opendata/ (one call in an app's opendata.py)."""
    if dataset.slug in _REGISTRY and _REGISTRY[dataset.slug] != dataset:
        raise ValueError(f"open data slug {dataset.slug!r} registered twice")
    _REGISTRY[dataset.slug] = dataset
    return dataset


def autodiscover() -> None:
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("opendata")


def dataset_list() -> list[Dataset]:
    return sorted(_REGISTRY.values(), key=lambda d: (d.order, d.slug))


def dataset_get(slug: str) -> Dataset:
    try:
        return _REGISTRY[slug]
    except KeyError as exc:
        raise Http404 from exc


def _plain(value: Value) -> str | int | None:
    """Dates as YYYY-MM-DD and times as HH:MM (the open data formats); everything else as it is."""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    return value


def dataset_table(dataset: Dataset, *, base_url: str) -> Table:
    """The dataset's rows now, with the fingerprint that names this exact content."""
    rows = [[_plain(value) for value in row] for row in dataset.rows(base_url)]
    canonical = json.dumps([dataset.columns, rows], ensure_ascii=False, separators=(",", ":"))
    return Table(dataset=dataset, rows=rows, fingerprint=hashlib.sha256(canonical.encode()).hexdigest())


def etag_for(table: Table, fmt: str) -> str:
    return f'"{table.dataset.slug}-{fmt}-{table.fingerprint[:40]}"'


def render_csv(table: Table) -> bytes:
    """UTF-8 with BOM and CRLF line ends, so Excel on Japanese Windows opens it without mojibake."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.dataset.columns)
    for row in table.rows:
        writer.writerow(["" if value is None else neutralize_formula(value) for value in row])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def render_xlsx(table: Table) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(table.dataset.slug)[:31]
    sheet.append(table.dataset.columns)
    for row in table.rows:
        sheet.append([neutralize_formula(value) if isinstance(value, str) else value for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def render_json(table: Table) -> bytes:
    document = {
        "title": str(table.dataset.title),
        "description": str(table.dataset.description),
        "license": {"name": LICENCE_NAME, "url": LICENCE_URL},
        "columns": table.dataset.columns,
        "records": [dict(zip(table.dataset.columns, row, strict=True)) for row in table.rows],
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


RENDERERS = {"csv": render_csv, "xlsx": render_xlsx, "json": render_json}


def dataset_file(table: Table, fmt: str) -> bytes:
    """The file's bytes, rendered once per content fingerprint and kept in the shared cache."""
    if fmt not in RENDERERS:
        raise Http404
    key = f"opendata:file:{table.dataset.slug}:{fmt}:{table.fingerprint}"
    content = cache.get(key)
    if content is None:
        content = RENDERERS[fmt](table)
        cache.set(key, content, CACHE_SECONDS)
    return content
