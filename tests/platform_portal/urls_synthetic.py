"""Test-only URLs: the portal's own URLs plus one view per response type that the apps will
produce (server error, PDF, CSV, file download), so that headers and error pages are checked
on each type (docs/quality.md D2, D5)."""

import io

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.urls import path

from platform_portal.pdf import pdf_response
from platform_portal.urls import urlpatterns as portal_urlpatterns

SECRET_MARKER = "SELECT secret_column FROM /srv/portal/settings.py"


def boom(request):
    raise RuntimeError(SECRET_MARKER)


def forbidden(request):
    raise PermissionDenied


def pdf(request):
    return pdf_response(b"%PDF-1.7\n%test\n", filename="会議次第.pdf")


def csv_export(request):
    response = HttpResponse("\ufeff団体名,金額\n鳥取,200000\n", content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = "attachment; filename*=UTF-8''export.csv"
    return response


def download(request):
    return FileResponse(io.BytesIO(b"materials"), as_attachment=True, filename="materials.txt")


urlpatterns = [
    path("__test__/boom/", boom),
    path("__test__/forbidden/", forbidden),
    path("__test__/file.pdf", pdf),
    path("__test__/export.csv", csv_export),
    path("__test__/download/", download),
    *portal_urlpatterns,
]

handler500 = "platform_portal.views.server_error"


def inline_script(request):
    """A page breaking the CSP: the browser harness must report it (docs/quality.md D3)."""
    return HttpResponse(
        '<!DOCTYPE html><html lang="ja"><title>t</title><link rel="icon" href="data:,"><script>document.title = "ran";</script></html>'
    )


urlpatterns.insert(0, path("__test__/inline-script/", inline_script))
