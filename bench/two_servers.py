#!/usr/bin/env python3
"""Two app servers sharing one database and one Redis stay coherent (the public page cache).

    DATABASE_URL=postgres://... CACHE_URL=redis://127.0.0.1:6379/N .venv/bin/python bench/two_servers.py

Starts two gunicorn processes (one sync worker each) on free loopback ports against the database
and cache of the environment (the demo data must be loaded), creates a temporary staff account,
and then, in both directions:

1. a visitor opens /privacy/ on both servers (the second answer comes from the shared cache:
   same ETag);
2. the staff account logs in to the admin on one server and changes the page's lead there;
3. the very next anonymous request to the *other* server shows the change, and its ETag differs.

It also checks that a conditional request with the old ETag gets the new page (200), and with
the new one 304. The page text and the account are restored at the end. Exits non-zero on
any failure. Loopback only; every wait is bounded.
"""

import html.parser
import http.cookiejar
import os
import secrets
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR / "bench"))
sys.path.insert(0, str(BASE_DIR))

from run import HOST, free_port, start_server, stop_server  # noqa: E402


class FormParser(html.parser.HTMLParser):
    """The fields of the admin change form (inputs, textareas, selects) with their current values."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields[name] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


def opener():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)), jar


VISITOR, _VISITOR_JAR = None, None


def get(url: str, headers=None) -> tuple[int, dict, str]:
    """An anonymous visitor with a cookie jar (its CSRF cookie), like a browser."""
    global VISITOR, _VISITOR_JAR
    if VISITOR is None:
        VISITOR, _VISITOR_JAR = opener()
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with VISITOR.open(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), ""


def csrf(jar) -> str:
    return next(cookie.value for cookie in jar if cookie.name.endswith("csrftoken"))


def admin_edit(base: str, username: str, password: str, page_pk: int, lead: str) -> None:
    browser, jar = opener()
    browser.open(f"{base}/admin/login/", timeout=60).read()
    data = {"username": username, "password": password, "csrfmiddlewaretoken": csrf(jar), "next": "/admin/"}
    browser.open(f"{base}/admin/login/", urllib.parse.urlencode(data).encode(), timeout=60).read()
    url = f"{base}/admin/platform_portal/page/{page_pk}/change/"
    parser = FormParser()
    parser.feed(browser.open(url, timeout=60).read().decode())
    fields = {**parser.fields, "lead": lead, "csrfmiddlewaretoken": csrf(jar), "_save": "1"}
    with browser.open(url, urllib.parse.urlencode(fields).encode(), timeout=60) as response:
        if response.geturl().rstrip("/").endswith("change"):
            raise SystemExit(f"the admin did not accept the change on {base}")


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "platform_portal.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from platform_portal.models import Page

    if settings.CACHES["default"]["BACKEND"].endswith("LocMemCache"):
        sys.exit("CACHE_URL must name a shared cache (Redis): two processes cannot share local memory")
    page = Page.objects.get(slug="privacy")
    original = page.lead
    username, password = f"two-servers-{secrets.token_hex(4)}", secrets.token_urlsafe(24)
    get_user_model().objects.create_superuser(username=username, password=password, email="")
    servers = []
    failures = []
    try:
        ports = [free_port(), free_port()]
        servers = [start_server(port, 1) for port in ports]
        bases = [f"http://{HOST}:{port}" for port in ports]
        for step, (edit_on, read_on) in enumerate([(0, 1), (1, 0)], start=1):
            a, b = bases[edit_on], bases[read_on]
            _s, first, _ = get(f"{b}/privacy/")
            _s, second, _ = get(f"{a}/privacy/")
            # The page holds the visitor's own CSRF token, so its tag is the body's tag plus the visitor's.
            shared = first.get("ETag") == second.get("ETag") and first.get("ETag")
            marker = f"見本：二台構成の確認 {step}-{secrets.token_hex(3)}"
            admin_edit(a, username, password, page.pk, marker)
            status, headers, body = get(f"{b}/privacy/")
            seen = status == 200 and marker in body
            changed_tag = headers.get("ETag") != first.get("ETag")
            old_tag_status, _h, _b = get(f"{b}/privacy/", {"If-None-Match": first.get("ETag", "")})
            new_tag_status, _h, _b = get(f"{b}/privacy/", {"If-None-Match": headers.get("ETag", "")})
            print(
                f"edit on server {edit_on + 1} ({a}), read on server {read_on + 1} ({b}): "
                f"same ETag on both servers before the edit: {'yes' if shared else 'NO'}; "
                f"edit seen at once: {'yes' if seen else 'NO'}; new ETag: {'yes' if changed_tag else 'NO'}; "
                f"old ETag -> {old_tag_status}, new ETag -> {new_tag_status}"
            )
            if not (shared and seen and changed_tag and old_tag_status == 200 and new_tag_status == 304):
                failures.append(step)
    finally:
        for server in servers:
            stop_server(server)
        from platform_portal.services import page_update

        page.refresh_from_db()
        page_update(actor=None, slug="privacy", title=page.title, lead=original, body=page.body)
        get_user_model().objects.filter(username=username).delete()
    if failures:
        sys.exit(f"incoherent in step(s) {failures}")
    print("coherent: every edit through one server was seen at once through the other")


if __name__ == "__main__":
    main()
