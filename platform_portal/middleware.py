"""Middleware for security headers, staff session timeouts and no-store on personal pages."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the address the
    outermost trusted proxy saw (X-Forwarded-For counted from the right, never its left end,
    which the client controls)."""
    count = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR", "")
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < count:
        return remote
    return hops[-count]


class SecurityHeadersMiddleware:
    """Headers on every response type (docs/quality.md D2): CSP, COOP, Referrer-Policy, nosniff, HSTS.

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
    """End an authenticated session when it is idle or too old (docs/quality.md S2).

    - idle: more than SESSION_IDLE_SECONDS since the last request;
    - absolute: more than SESSION_COOKIE_AGE since login. The login time is kept in the session
      itself, because every save of a changed session renews the cookie's and the row's expiry.

    Rotation at login, and the end of the session at logout, deactivation and password change,
    come from django.contrib.auth (login() cycles the key; get_user() refuses inactive users and
    sessions whose password hash no longer matches).
    """

    LAST_SEEN_KEY = "_last_seen"
    LOGIN_AT_KEY = "_login_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            last_seen = session.get(self.LAST_SEEN_KEY)
            login_at = session.get(self.LOGIN_AT_KEY)
            idle = last_seen is not None and now - int(last_seen) > settings.SESSION_IDLE_SECONDS
            too_old = login_at is not None and now - int(login_at) > settings.SESSION_COOKIE_AGE
            if idle or too_old:
                staff = user.is_staff
                logout(request)
                # Members' sessions end the same way; they log in again on the member log-in page.
                return redirect_to_login(request.get_full_path(), reverse("admin:login" if staff else "account_login"))
            if login_at is None:
                session[self.LOGIN_AT_KEY] = now
            # Write at most once a minute so that pages do not all rewrite the session row.
            if last_seen is None or now - int(last_seen) >= 60:
                session[self.LAST_SEEN_KEY] = now
        return self.get_response(request)


def mark_session_login(request) -> None:
    """Record the login time for the absolute session limit (called on user_logged_in)."""
    session = getattr(request, "session", None)
    if session is not None:
        now = int(time.time())
        session[StaffSessionTimeoutMiddleware.LOGIN_AT_KEY] = now
        session[StaffSessionTimeoutMiddleware.LAST_SEEN_KEY] = now


class StaffSecondFactorMiddleware:
    """With STAFF_REQUIRE_2FA on, a staff session that has not passed TOTP reaches no page but the
    account pages (to set up or enter the second factor) and log-out."""

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz/", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.STAFF_REQUIRE_2FA
            and user is not None
            and user.is_authenticated
            and user.is_staff
            and not request.path.startswith(self.ALLOWED_PREFIXES)
        ):
            from platform_portal.member_auth import has_second_factor, user_has_totp

            if not has_second_factor(request):
                if user_has_totp(user):
                    logout(request)
                    return redirect_to_login(request.get_full_path(), reverse("admin:login"))
                return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


class NoStoreForPersonalPagesMiddleware:
    """`Cache-Control: no-store` on every response to a logged-in user and on forms (docs/quality.md P3)."""

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
