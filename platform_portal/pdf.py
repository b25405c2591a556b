"""Rendering PDFs with WeasyPrint from Django templates (docs/house-style.md R21).

Every document extends templates/pdf/base.html, which names the Noto CJK JP fonts (also on
the @page margin boxes, which do not inherit the body font) and sets A4 geometry. The PDF
title comes from the `<title>` element; WeasyPrint writes a tagged PDF (pdf_tags) where it can.
"""

from django.conf import settings
from django.template.loader import render_to_string


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
