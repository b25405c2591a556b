"""Small material PDFs for tests, made with WeasyPrint so that their pages carry findable text."""

from django.core.files.uploadedfile import SimpleUploadedFile


def make_pdf(marker: str, pages: int = 1, *, size: str = "A4") -> bytes:
    from weasyprint import HTML

    body = "".join(
        f'<p style="break-after: page">{marker} p{page}</p>' if page < pages else f"<p>{marker} p{page}</p>"
        for page in range(1, pages + 1)
    )
    html = f'<html lang="ja"><head><style>@page {{ size: {size}; }}</style></head><body>{body}</body></html>'
    return HTML(string=html).write_pdf()


def upload(content: bytes, name: str = "material.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")
