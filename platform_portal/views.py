"""Public pages of the platform itself: home, news, statistics, open data, privacy notice,
accessibility policy, health check; and the staff dashboard."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_ratelimit.decorators import ratelimit

from platform_portal import opendata, stats
from platform_portal.pagecache import public_cache
from platform_portal.selectors import news_get_public, news_public_queryset, page_get


def _render_page(request, slug: str, template: str = "platform_portal/page.html"):
    page = page_get(slug=slug)
    return render(request, template, {"page": page})


HOME_NEWS_COUNT = 5


@require_safe
@public_cache
def page_home(request):
    """What is happening: next meeting, events open for sign-up, open subsidy calls, latest minutes
    and materials, headline figures and news. A fixed number of queries, however many records."""
    from meetings.selectors.event import event_list_open_for_signup, event_list_upcoming
    from meetings.selectors.meeting import material_latest_public, meeting_next_public, minutes_latest_published
    from members.selectors import organization_public_counts_by_tier
    from subsidies.selectors import program_list_open
    from supporters.selectors import supporter_year_totals_public

    today = timezone.localdate()
    supporter_totals = supporter_year_totals_public()
    context = {
        "page": page_get(slug="home"),
        "next_meeting": meeting_next_public(today=today),
        "signup_events": event_list_open_for_signup(today=today),
        "upcoming_events": list(event_list_upcoming(today=today)[:5]),
        "open_programs": program_list_open(today=today),
        "latest_minutes": minutes_latest_published(),
        "latest_materials": material_latest_public(),
        "member_counts": organization_public_counts_by_tier(),
        "supporters_total": supporter_totals[-1].total_after if supporter_totals else None,
        "news": list(news_public_queryset(now=timezone.now())[:HOME_NEWS_COUNT]),
    }
    return render(request, "platform_portal/home.html", context)


@require_safe
@public_cache
def news_list(request):
    from django.core.paginator import Paginator

    page = Paginator(news_public_queryset(now=timezone.now()), 20).get_page(request.GET.get("page"))
    return render(request, "platform_portal/news_list.html", {"page_obj": page})


@require_safe
@public_cache
def news_detail(request, pk: int):
    return render(request, "platform_portal/news_detail.html", {"item": news_get_public(pk=pk, now=timezone.now())})


@require_safe
@public_cache
def news_feed(request):
    """The news as an Atom feed (the latest 20)."""
    from django.utils.feedgenerator import Atom1Feed

    from platform_portal.selectors import site_profile_get

    profile = site_profile_get()
    feed = Atom1Feed(
        title=f"{profile.short_name or profile.name} {_('News')}",
        link=request.build_absolute_uri("/news/"),
        description=_("News from the platform's secretariat"),
        language="ja",
        feed_url=request.build_absolute_uri(request.path),
    )
    for item in news_public_queryset(now=timezone.now())[:20]:
        feed.add_item(
            title=item.title,
            link=request.build_absolute_uri(item.get_absolute_url()),
            description=item.body,
            pubdate=item.published_at,
            updateddate=item.updated_at,
            unique_id=request.build_absolute_uri(item.get_absolute_url()),
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response


@require_safe
@public_cache
def statistics(request):
    """Public statistics: the public subset of the dashboard, supporter counts under 5 suppressed."""
    charts = stats.public_charts(today=timezone.localdate())
    return render(request, "platform_portal/statistics.html", {"charts": charts})


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
@ratelimit(key="user", rate="20/m", block=True)
def staff_dashboard_pdf(request):
    """The dashboard's charts as a PDF (the same SVG as on the page)."""
    from platform_portal.pdf import pdf_response, render_pdf

    _staff_only(request.user)
    today = timezone.localdate()
    charts = stats.dashboard_charts(today=today)
    content = render_pdf("platform_portal/pdf/statistics.html", {"charts": charts, "today": today}, request=request)
    return pdf_response(content, filename=f"statistics-{today:%Y%m%d}.pdf")


@require_safe
@public_cache
def opendata_catalogue(request):
    datasets = [
        {"dataset": dataset, "modified": dataset.modified(), "formats": opendata.FORMATS}
        for dataset in opendata.dataset_list()
    ]
    context = {
        "datasets": datasets,
        "licence_name": opendata.LICENCE_NAME,
        "licence_url": opendata.LICENCE_URL,
    }
    return render(request, "platform_portal/opendata_catalogue.html", context)


@require_safe
@public_cache
def opendata_download(request, slug: str, fmt: str):
    """One dataset in one format; ETag from the records' fingerprint, 304 while they are unchanged."""
    if fmt not in opendata.FORMATS:
        raise Http404
    dataset = opendata.dataset_get(slug)
    table = opendata.dataset_table(dataset, base_url=request.build_absolute_uri("/").rstrip("/"))
    etag = opendata.etag_for(table, fmt)
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(opendata.dataset_file(table, fmt), content_type=opendata.CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{dataset.slug}.{fmt}"'
    response["ETag"] = etag
    response["Cache-Control"] = "public, no-cache"
    return response


@require_safe
@public_cache
def page_privacy(request):
    return _render_page(request, "privacy")


@require_safe
@public_cache
def page_accessibility(request):
    return _render_page(request, "accessibility")


@never_cache
@require_safe
def healthz(request):
    """Load balancers' health check; also the trivial view that benchmarks compare against."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def ratelimited(request, exception=None):
    """django-ratelimit's view: a Japanese 429 page instead of its default 403."""
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "900"
    return response


def server_error(request):
    """Generic 500 page without context processors, so a broken database cannot break it (D5)."""
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render({}), status=500)
