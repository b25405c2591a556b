"""The staff dashboard: results at a glance, on the page and as PDF (the same SVG charts)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from platform_portal import stats
from platform_portal.ratelimit import rate_limit


def _staff_only(user) -> None:
    """Staff pages do not exist for anyone else (404, as the other staff pages)."""
    if not (user.is_active and user.is_staff):
        raise Http404


@login_required
@require_safe
def staff_dashboard(request):
    """Results at a glance for staff: every count, from the same selectors as the reports."""
    _staff_only(request.user)
    charts = stats.dashboard_charts(today=timezone.localdate())
    return render(request, "platform_portal/dashboard.html", {"charts": charts})


@login_required
@require_safe
@rate_limit("STATISTICS_PDF_RATE", key="user", methods=None)
def staff_dashboard_pdf(request):
    """The dashboard's charts as a PDF (the same SVG as on the page)."""
    from platform_portal.pdf import pdf_response, render_pdf

    _staff_only(request.user)
    today = timezone.localdate()
    charts = stats.dashboard_charts(today=today)
    content = render_pdf("platform_portal/pdf/statistics.html", {"charts": charts, "today": today}, request=request)
    return pdf_response(content, filename=f"statistics-{today:%Y%m%d}.pdf")
