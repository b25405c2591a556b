"""Deployment checks (docs/quality.md D1, D2, D4, D5, D6): security headers on every response type,
production settings, `check --deploy`, and paths that must never answer 200."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.platform_portal.urls_synthetic import SECRET_MARKER

BASE_DIR = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "dummy-" + "9f3b" * 12,
    "DJANGO_ALLOWED_HOSTS": "portal.example.jp",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
    "DATABASE_URL": "postgres://portal:dummy@127.0.0.1:5432/portal",
}


def _production(code: str) -> subprocess.CompletedProcess:
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL", "CACHE_URL"))
    }
    env.update(PRODUCTION_ENV, DJANGO_SETTINGS_MODULE="platform_portal.settings")
    return subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )


def _assert_security_headers(response, label: str) -> None:
    csp = response.headers.get("Content-Security-Policy", "")
    directives = {part.strip().split(" ")[0]: part.strip() for part in csp.split(";") if part.strip()}
    assert directives.get("object-src") == "object-src 'none'", label
    assert "base-uri" in directives, label
    assert directives.get("frame-ancestors") == "frame-ancestors 'none'", label
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp, label
    assert response.headers.get("X-Content-Type-Options") == "nosniff", label
    assert response.headers.get("Referrer-Policy") == "same-origin", label
    assert response.headers.get("Cross-Origin-Opener-Policy") == "same-origin", label
    hsts = response.headers.get("Strict-Transport-Security", "")
    max_age = int(hsts.split(";")[0].removeprefix("max-age="))
    assert max_age >= 365 * 24 * 3600, label
    assert "includeSubDomains" in hsts, label
    assert "Content-Security-Policy-Report-Only" not in response.headers, label


@pytest.mark.urls("tests.platform_portal.urls_synthetic")
@pytest.mark.django_db
def test_security_headers_on_every_response_type(settings, demo_data, secretariat, official):
    settings.SECURE_HSTS_SECONDS = 31536000  # the production value (test_production_settings checks it)
    anonymous = Client(raise_request_exception=False)
    staff = Client()
    staff.force_login(secretariat)
    reader = Client()
    reader.force_login(official)
    for _ in range(6):
        anonymous.post(reverse("admin:login"), {"username": "x", "password": "wrong-password"})
    cases = {
        "public page": (anonymous.get("/"), 200),
        "privacy": (anonymous.get("/privacy/"), 200),
        "health check": (anonymous.get("/healthz/"), 200),
        "admin login": (Client().get(reverse("admin:login")), 200),
        "admin index": (staff.get(reverse("admin:index")), 200),
        "admin changelist": (staff.get(reverse("admin:platform_portal_page_changelist")), 200),
        "redirect": (Client().get(reverse("admin:index")), 302),
        "403": (reader.get(reverse("admin:platform_portal_page_add")), 403),
        "403 from a view": (anonymous.get("/__test__/forbidden/"), 403),
        "404": (anonymous.get("/no-such-page/"), 404),
        "405": (anonymous.post("/healthz/"), 405),
        "429": (anonymous.post(reverse("admin:login"), {"username": "x", "password": "wrong-password"}), 429),
        "500": (anonymous.get("/__test__/boom/"), 500),
        "PDF": (anonymous.get("/__test__/file.pdf"), 200),
        "CSV": (anonymous.get("/__test__/export.csv"), 200),
        "file download": (anonymous.get("/__test__/download/"), 200),
    }
    for label, (response, status) in cases.items():
        assert response.status_code == status, label
        _assert_security_headers(response, label)


@pytest.mark.django_db
def test_staff_responses_are_not_stored(secretariat_client):
    response = secretariat_client.get(reverse("admin:index"))
    assert "no-store" in response.headers["Cache-Control"]


@pytest.mark.urls("tests.platform_portal.urls_synthetic")
@pytest.mark.django_db
def test_server_error_page_is_generic(demo_data):
    """D5: Japanese, no traceback, SQL, path or setting."""
    response = Client(raise_request_exception=False).get("/__test__/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert '<html lang="ja">' in body
    assert "サーバーエラー" in body
    for leak in (SECRET_MARKER, "secret_column", "Traceback", "RuntimeError", "/srv/", str(BASE_DIR), "SECRET_KEY"):
        assert leak not in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/.git/HEAD", "/.git/config", "/.env", "/static/", "/static/css/", "/media/", "/var/"]
)
def test_repository_files_and_directory_listings_are_not_served(client, path):
    """D6."""
    assert client.get(path).status_code == 404


@pytest.mark.django_db
def test_admin_documentation_is_not_installed(secretariat_client):
    assert secretariat_client.get("/admin/doc/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/healthz/", "/admin/", "/admin/login/", "/privacy/"])
def test_trace_is_refused(client, demo_data, path):
    response = client.generic("TRACE", path)
    assert response.status_code != 200
    assert response.status_code in (302, 405)


def test_production_settings_are_safe():
    """D4 (cookies) and the production values behind D2, read from the settings module itself."""
    result = _production(
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k) for k in ["
        "'DEBUG', 'SESSION_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'SESSION_COOKIE_SAMESITE', "
        "'CSRF_COOKIE_SECURE', 'CSRF_COOKIE_SAMESITE', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', "
        "'SECURE_SSL_REDIRECT', 'SESSION_COOKIE_NAME', 'CSRF_COOKIE_NAME', 'SESSION_IDLE_SECONDS', "
        "'SESSION_COOKIE_AGE']} | {'cache': s.CACHES['default']['BACKEND'], 'db': s.DATABASES['default']['ENGINE'], "
        "'conn_max_age': s.DATABASES['default'].get('CONN_MAX_AGE')}))"
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert values["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_IDLE_SECONDS"] == 30 * 60
    assert values["SESSION_COOKIE_AGE"] == 12 * 60 * 60
    assert values["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert values["db"] == "django.db.backends.postgresql"
    assert values["conn_max_age"] > 0


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"DJANGO_SECRET_KEY": ""}, "DJANGO_SECRET_KEY"),
        ({"CACHE_URL": "locmemcache://"}, "CACHE_URL"),
        ({"DJANGO_DEBUG": "on"}, "DJANGO_DEBUG"),
    ],
)
def test_production_refuses_unsafe_configuration(override, message):
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL", "CACHE_URL"))
    }
    env.update(PRODUCTION_ENV, DJANGO_SETTINGS_MODULE="platform_portal.settings")
    env.update(override)
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert message in result.stderr


def test_secret_can_come_from_a_file(tmp_path):
    secret_file = tmp_path / "secret"
    secret_file.write_text("from-a-file-" + "ab" * 20 + "\n", encoding="utf-8")
    env_code = "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)"
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL", "CACHE_URL"))
    }
    env.update(
        PRODUCTION_ENV, DJANGO_SETTINGS_MODULE="platform_portal.settings", DJANGO_SECRET_KEY_FILE=str(secret_file)
    )
    env.pop("DJANGO_SECRET_KEY")
    result = subprocess.run(
        [sys.executable, "-c", env_code], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "from-a-file-" + "ab" * 20


def test_check_deploy_passes_with_dummy_secrets():
    """D1: `manage.py check --deploy --fail-level WARNING` in production mode."""
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL", "CACHE_URL"))
    }
    env.update(PRODUCTION_ENV)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
