"""Rendering PDFs with WeasyPrint from Django templates (docs/house-style.md R21).

Every document extends templates/pdf/base.html, which names the Noto CJK JP fonts (also on
the @page margin boxes, which do not inherit the body font) and sets A4 geometry. The PDF
title comes from the `<title>` element; WeasyPrint writes a tagged PDF (pdf_tags) where it can.
"""

import contextlib
import fcntl
import hashlib
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string


class RenderBusy(Exception):
    """Every slot for heavy PDF rendering on this server is taken: answer 503 at once instead of queueing."""


@contextlib.contextmanager
def pdf_render_slot():
    """Hold one of PDF_RENDER_SLOTS slots while laying out a heavy PDF (the meeting packet).

    Sync workers that all lay out packets leave none for the other pages (issue 12, F1): with
    one slot on a two-worker server, a flood of packet requests keeps one worker for everything
    else. The slots are file locks (flock) in the temporary directory, shared by the workers of
    one machine and released by the kernel if a worker dies. Raises RenderBusy when none is free.
    """
    # One set of slots per installation (two checkouts on one machine do not share them).
    installation = hashlib.sha256(str(settings.BASE_DIR).encode()).hexdigest()[:12]
    directory = Path(tempfile.gettempdir()) / f"platform_portal_pdf_slots_{installation}"
    directory.mkdir(mode=0o700, exist_ok=True)
    for index in range(settings.PDF_RENDER_SLOTS):
        fd = os.open(directory / f"slot-{index}", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
        return
    raise RenderBusy


def render_pdf(template_name: str, context: dict, *, request=None) -> bytes:
    """Render a template under templates/<app>/pdf/ to PDF bytes."""
    from weasyprint import HTML

    html = render_to_string(template_name, context, request=request)
    base_url = str(settings.BASE_DIR / "static")
    return HTML(string=html, base_url=base_url).write_pdf(pdf_tags=True)


def pdf_response(content: bytes, *, filename: str, inline: bool = True):
    """An HttpResponse for PDF bytes; the file name may be Japanese (RFC 6266 filename*)."""
    from django.http import HttpResponse
    from django.utils.encoding import escape_uri_path

    response = HttpResponse(content, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{escape_uri_path(filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response
