"""Public pages of the records a packet reports on: council sessions, municipal programmes, consultation windows."""

from django.conf import settings
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_safe

from meetings.selectors import packet as selectors
from meetings.views.meeting import pdf_rate_limited
from platform_portal.lib.fiscal import FiscalYear
from platform_portal.pagecache import public_cache
from platform_portal.pdf import pdf_response, render_pdf
from platform_portal.selectors import site_profile_get


@require_safe
@public_cache
def council_list(request):
    return render(request, "meetings/council_list.html", {"sessions": selectors.council_session_list()})


@require_safe
@public_cache
def council_detail(request, pk: int):
    session = selectors.council_session_detail(pk=pk, public_only=True)
    context = {"session": session, "opinions": session.opinions.all(), "requests": session.requests.all()}
    return render(request, "meetings/council_detail.html", context)


@require_safe
@public_cache
def municipal_programme_list(request):
    years = selectors.municipal_programme_years()
    chosen = years[0] if years else None
    raw = request.GET.get("year", "")
    if raw.isdigit() and any(year.start_year == int(raw) for year in years):
        chosen = FiscalYear(int(raw))
    groups = selectors.municipal_programmes(fiscal_year=chosen.start_year) if chosen else []
    context = {"years": years, "year": chosen, "municipalities": groups}
    return render(request, "meetings/municipal_programme_list.html", context)


@require_safe
@public_cache
def consultation_window_list(request):
    return render(request, "meetings/consultation_window_list.html", {"windows": selectors.consultation_windows()})


@require_safe
@pdf_rate_limited
def consultation_window_flyer(request):
    """The A4 flyer of the consultation windows (one page), to print and hand out."""
    with translation.override(settings.LANGUAGE_CODE):
        content = render_pdf(
            "meetings/pdf/consultation_flyer.html",
            {"windows": list(selectors.consultation_windows()), "platform": site_profile_get()},
        )
    return pdf_response(content, filename="相談窓口.pdf")
