"""Public pages of the platform itself: home, news, statistics, open data, privacy notice,
accessibility policy, health check, 429; and the staff dashboard."""

import logging
import math

from django.db import connection
from django.http import Http404, HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from platform_portal import opendata, stats
from platform_portal.cache import raising_cache
from platform_portal.pagecache import public_cache
from platform_portal.selectors import news_get_public, news_public_queryset, page_get

logger = logging.getLogger(__name__)


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


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_cache() -> None:
    cache = raising_cache()
    cache.set("healthz", "ok", timeout=10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("the cache does not keep what is stored")


@never_cache
@require_safe
def healthz(request):
    """Load balancers' health check; also the trivial view that benchmarks compare against.

    200 {"status": "ok", "database": "ok", "cache": "ok"} when everything answers; otherwise 503
    with the part that is down named ("cache": "down"), so that a load balancer or a monitor sees
    it, while the pages themselves keep working without the cache.
    """
    parts = {}
    for name, check in (("database", _check_database), ("cache", _check_cache)):
        try:
            check()
        except Exception as exc:  # noqa: BLE001 - any failure means down
            logger.error("healthz: %s down: %s", name, exc)
            parts[name] = "down"
        else:
            parts[name] = "ok"
    healthy = all(value == "ok" for value in parts.values())
    return JsonResponse({"status": "ok" if healthy else "down", **parts}, status=200 if healthy else 503)


def format_wait(seconds: int) -> str:
    """A wait in words: 「45秒」, 「3分」, 「1時間5分」 (rounded up to the minute from one minute on)."""
    seconds = max(1, math.ceil(seconds))
    if seconds < 60:
        return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    minutes = math.ceil(seconds / 60)
    if minutes < 60:
        return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    hours, minutes = divmod(minutes, 60)
    text = ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    if minutes:
        text += " " + ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    return text


def too_many_requests(request, *, retry_after: int):
    """The 429 page: the real wait in Retry-After (seconds) and in words on the page."""
    retry_after = max(1, math.ceil(retry_after))
    response = render(request, "429.html", {"wait": format_wait(retry_after)}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes' lock-out (AXES_LOCKOUT_CALLABLE): the 429 page with the time left of the cool-off.

    The cool-off counts from the last failed attempt (django-axes' database handler keeps it in
    AccessAttempt.attempt_time, so lock-outs survive a restart of the cache).
    """
    from axes.helpers import get_client_username, get_cool_off
    from axes.models import AccessAttempt

    from platform_portal.middleware import client_ip

    cool_off = get_cool_off(request)
    retry_after = 60
    if cool_off:
        attempts = AccessAttempt.objects.filter(ip_address=client_ip(request))
        username = get_client_username(request, credentials)
        if username:
            attempts = attempts.filter(username=username)
        last = attempts.order_by("-attempt_time").values_list("attempt_time", flat=True).first()
        if last is not None:
            retry_after = (last + cool_off - timezone.now()).total_seconds()
        else:
            retry_after = cool_off.total_seconds()
    return too_many_requests(request, retry_after=retry_after)


def server_error(request):
    """Generic 500 page without context processors, so a broken database cannot break it (D5)."""
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render({}), status=500)
