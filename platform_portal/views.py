"""Public pages of the platform itself: home, privacy notice, accessibility policy, health check."""

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from platform_portal.pagecache import public_cache
from platform_portal.selectors import page_get


def _render_page(request, slug: str, template: str = "platform_portal/page.html"):
    page = page_get(slug=slug)
    return render(request, template, {"page": page})


@require_safe
@public_cache
def page_home(request):
    return _render_page(request, "home", "platform_portal/home.html")


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
