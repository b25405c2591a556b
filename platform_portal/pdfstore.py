"""Public PDFs stored after their first render and served from storage until their records change.

`stored_pdf(kind=..., ident=..., render=...)` renders a document once and keeps the bytes in the
default storage (shared by every app server) under a *content fingerprint of its records*:

- while rendering, every SELECT the renderer runs is recorded (SQL and parameters), inside one
  consistent snapshot of the database (REPEATABLE READ on PostgreSQL; SQLite reads are
  serialised), and the recorded queries are run again in the same snapshot to hash what they
  returned. The list of queries is kept beside the file (a manifest in the shared cache);
- on the next request the recorded queries are run again and hashed: the same records give the
  same fingerprint and the stored file is served without rendering; any change to any record
  the document was built from (the meeting, its agenda, attendance, materials, organisations,
  or tables that later versions of the document read) gives a new fingerprint and a new render.
  The renderer issues the same queries for the same records, so re-running them is exact.

The fingerprint also holds the platform profile, the language, and a stamp of the PDF templates
and modules, so a deployment with a changed layout renders anew.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

PREFIX = "generated/public-pdf"


@functools.lru_cache(maxsize=1)
def _code_stamp() -> str:
    """Modification times of the PDF templates and modules: a new layout is a new fingerprint."""
    base = Path(settings.BASE_DIR)
    files = sorted(base.glob("templates/**/pdf/*.html")) + sorted(base.glob("*/pdf.py"))
    digest = hashlib.sha256()
    for path in files:
        try:
            digest.update(f"{path.relative_to(base)}:{path.stat().st_mtime_ns}".encode())
        except OSError:
            continue
    return digest.hexdigest()[:16]


def _is_select(sql: str) -> bool:
    head = sql.lstrip()[:10].upper()
    return head.startswith(("SELECT", "WITH"))


def _fingerprint(queries: list, extra: tuple) -> str:
    digest = hashlib.sha256(repr((_code_stamp(), get_language(), extra)).encode())
    with connection.cursor() as cursor:
        for sql, params in queries:
            cursor.execute(sql, params)
            digest.update(repr(cursor.fetchall()).encode())
    return digest.hexdigest()[:40]


def _render_and_record(render: Callable[[], bytes], extra: tuple) -> tuple[bytes, list, str]:
    queries: list = []
    writes: list = []

    def record(execute, sql, params, many, context):
        if not many and isinstance(sql, str) and _is_select(sql):
            queries.append((sql, tuple(params) if params is not None else None))
        elif not (isinstance(sql, str) and sql.lstrip()[:9].upper().startswith(("SAVEPOINT", "RELEASE"))):
            writes.append(sql)
        return execute(sql, params, many, context)

    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        with connection.execute_wrapper(record):
            content = render()
        fingerprint = _fingerprint(queries, extra) if not writes else ""
    return content, queries, fingerprint


def _name(kind: str, ident: str, fingerprint: str) -> str:
    return f"{PREFIX}/{kind}/{ident}-{fingerprint}.pdf"


def stored_pdf(*, kind: str, ident: str, render: Callable[[], bytes], extra: tuple = ()) -> tuple[bytes, str]:
    """The document's bytes and its fingerprint: from storage when its records are unchanged.

    `kind` and `ident` name the document (e.g. "agenda", "7"); `extra` holds values the
    renderer takes from elsewhere than the database (the cached platform profile).
    """
    from platform_portal.pagecache import generation

    manifest_key = f"pdfstore:manifest:{kind}:{ident}"
    # While no write at all has happened (same content generation), the fingerprint cannot
    # have changed: it is remembered per generation and the queries are not run again.
    extra_digest = hashlib.sha256(repr(extra).encode()).hexdigest()[:16]
    known_key = f"pdfstore:fingerprint:{kind}:{ident}:{get_language()}:{generation()}:{extra_digest}"
    found = cache.get_many([known_key, manifest_key])
    known, manifest = found.get(known_key), found.get(manifest_key)
    if manifest is not None:
        fingerprint = known or _fingerprint(manifest, extra)
        name = _name(kind, ident, fingerprint)
        try:
            with default_storage.open(name, "rb") as handle:
                content = handle.read()
        except (FileNotFoundError, OSError):
            pass
        else:
            if not known:
                cache.set(known_key, fingerprint, 24 * 60 * 60)
            return content, fingerprint
    content, queries, fingerprint = _render_and_record(render, extra)
    if fingerprint:
        name = _name(kind, ident, fingerprint)
        try:
            if not default_storage.exists(name):
                default_storage.save(name, ContentFile(content))
            cache.set(manifest_key, queries, None)
            _remove_older(kind, ident, keep=name)
        except Exception:  # storage trouble: the rendered document is still the answer
            logger.exception("stored PDF %s could not be kept", name)
    return content, fingerprint


def _remove_older(kind: str, ident: str, *, keep: str) -> None:
    """Files of the same document from records that have changed since are never served again."""
    folder = f"{PREFIX}/{kind}"
    try:
        _dirs, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError, OSError):
        return
    for file_name in files:
        name = f"{folder}/{file_name}"
        if file_name.startswith(f"{ident}-") and name != keep:
            default_storage.delete(name)


def pdf_stored_response(request, *, kind: str, ident: str, render: Callable[[], bytes], filename: str, extra=()):
    """A PDF response from `stored_pdf`, with an ETag of its fingerprint and 304 on revalidation."""
    from django.http import HttpResponseNotModified
    from django.utils.cache import patch_vary_headers

    from platform_portal.pdf import pdf_response

    content, fingerprint = stored_pdf(kind=kind, ident=ident, render=render, extra=extra)
    etag = f'"{fingerprint}"' if fingerprint else ""
    if etag and etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponseNotModified()
    else:
        response = pdf_response(content, filename=filename)
    if etag:
        response["ETag"] = etag
        response["Cache-Control"] = "no-cache"
        patch_vary_headers(response, ["Cookie"])
    return response
