"""Shared fixtures: settings for tests, personas, demo data, and the browser harness."""

import os
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache

from platform_portal.roles import OFFICIAL, SECRETARIAT, roles_sync
from tests.browser import AXE_JS

BASE_DIR = Path(__file__).resolve().parent.parent
# CHROMIUM_PATH points the browser tests at another Chromium (or, for checking the skip, at none).
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.LANGUAGE_CODE = "ja"
    settings.MEDIA_ROOT = tmp_path / "media"  # stored PDFs and uploads never land in var/
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Every test stores uploads and generated notices in a temporary directory, never in var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _make_staff(django_user_model, username: str, role: str):
    roles_sync()
    user = django_user_model.objects.create_user(
        username=username, password="correct horse battery staple", is_staff=True
    )
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def secretariat(db, django_user_model):
    """事務局 staff: edits everything."""
    return _make_staff(django_user_model, "secretariat", SECRETARIAT)


@pytest.fixture
def official(db, django_user_model):
    """A read-only official: views records, changes nothing."""
    return _make_staff(django_user_model, "official", OFFICIAL)


@pytest.fixture
def secretariat_client(client, secretariat):
    client.force_login(secretariat)
    return client


@pytest.fixture
def official_client(client, official):
    client.force_login(official)
    return client


@pytest.fixture
def demo_data(db):
    """The demo data of the reference document, loaded through the real loaders."""
    from io import StringIO

    from django.core.management import call_command

    call_command("load_demo", stdout=StringIO())


# ---------------------------------------------------------------- browser harness


def _browser_unavailable_reason() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    if not AXE_JS.exists():
        return f"axe-core not found at {AXE_JS} (npm install)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "playwright (Python) is not installed"
    return None


@pytest.fixture(scope="session")
def browser():
    reason = _browser_unavailable_reason()
    if reason:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser tests are required (REQUIRE_BROWSER=1) but: {reason}")
        pytest.skip(reason)
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser page; console errors and CSP violations fail the test (docs/quality.md D3)."""
    context = browser.new_context(locale="ja-JP", base_url=live_server.url)
    page = context.new_page()
    problems: list[str] = []

    def on_console(msg):
        if msg.type != "error":
            return
        source = (msg.location or {}).get("url", "")
        # An error page's own status (404, 403, 429) is what the test asked for, not a defect;
        # a failed subresource (CSS, JS, image) is.
        if msg.text.startswith("Failed to load resource") and source in documents:
            return
        problems.append(f"console error: {msg.text} [{source}]")

    documents: set[str] = set()
    page.on("framenavigated", lambda frame: documents.add(frame.url) if frame == page.main_frame else None)
    page.on("console", on_console)
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.problems = problems
    yield page
    context.close()
    assert not problems, problems


def pytest_terminal_summary(terminalreporter):
    from tests.browser import AXE_TOTALS

    if AXE_TOTALS:
        pages = AXE_TOTALS.get("pages", 0)
        totals = ", ".join(f"{k}={v}" for k, v in sorted(AXE_TOTALS.items()) if k != "pages")
        terminalreporter.write_line(
            f"axe-core (wcag2a, wcag2aa): {pages} page checks; violations by impact: {totals or 'none'}"
        )
