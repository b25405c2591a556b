"""Middleware for security headers, staff session timeouts and no-store on personal pages."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation


class SecurityHeadersMiddleware:
    """Headers on every response type (QUALITY D2): CSP, COOP, Referrer-Policy, nosniff, HSTS.

    SecurityMiddleware sends HSTS only over HTTPS; behind a TLS-terminating proxy without
    SECURE_PROXY_SSL_HEADER that would drop it, so it is set here whenever it is configured.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", settings.SECURE_REFERRER_POLICY)
        response.headers.setdefault("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY)
        response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if settings.SECURE_HSTS_SECONDS:
            value = f"max-age={settings.SECURE_HSTS_SECONDS}"
            if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
                value += "; includeSubDomains"
            if settings.SECURE_HSTS_PRELOAD:
                value += "; preload"
            response.headers.setdefault("Strict-Transport-Security", value)
        return response


class StaffSessionTimeoutMiddleware:
    """End an authenticated session after SESSION_IDLE_SECONDS without a request (QUALITY S2).

    The absolute limit is SESSION_COOKIE_AGE, counted from login (the expiry is not renewed
    on each request because SESSION_SAVE_EVERY_REQUEST stays off).
    """

    SESSION_KEY = "_last_seen"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(self.SESSION_KEY)
            if last_seen is not None and now - int(last_seen) > settings.SESSION_IDLE_SECONDS:
                logout(request)
                return redirect(f"{reverse('admin:login')}?next={request.path}")
            # Write at most once a minute so that pages do not all rewrite the session row.
            if last_seen is None or now - int(last_seen) >= 60:
                request.session[self.SESSION_KEY] = now
        return self.get_response(request)


class NoStoreForPersonalPagesMiddleware:
    """`Cache-Control: no-store` on every response to a logged-in user and on forms (QUALITY P3)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        personal = (user is not None and user.is_authenticated) or request.method == "POST"
        if personal or getattr(response, "personal_data", False):
            response.headers["Cache-Control"] = "no-store"
        return response


class LanguageFromCookieMiddleware(LocaleMiddleware):
    """Japanese unless the visitor chose English with the language switcher.

    Django's LocaleMiddleware also follows the browser's Accept-Language; a Japanese public
    portal shows Japanese to everyone by default and offers English only on request.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
