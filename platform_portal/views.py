"""Public pages of the platform itself: home, privacy notice, accessibility policy, health check, 429."""

import logging
import math

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from platform_portal.cache import raising_cache
from platform_portal.selectors import page_get

logger = logging.getLogger(__name__)


def _render_page(request, slug: str, template: str = "platform_portal/page.html"):
    page = page_get(slug=slug)
    return render(request, template, {"page": page})


@require_safe
def page_home(request):
    return _render_page(request, "home", "platform_portal/home.html")


@require_safe
def page_privacy(request):
    return _render_page(request, "privacy")


@require_safe
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
