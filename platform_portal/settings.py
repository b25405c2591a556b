"""Settings for platform_portal: one module, every environment-dependent value from the environment.

Every variable read here is listed in `.env.example` and in README.md ("Configuration").
Defaults are safe for local development; production is selected with DJANGO_ENV=production,
which refuses to start without real secrets.
"""

import tempfile
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# A local .env file (see .env.example) is read when present; the real environment wins.
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def env_secret(name: str, default: str | None = None) -> str | None:
    """Read a secret from NAME or from the file named by NAME_FILE (Docker/systemd credentials)."""
    file_name = env.str(f"{name}_FILE", default="")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE cannot be read: {exc}") from exc
    return env.str(name, default=default)


DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "production", "test"}:
    raise ImproperlyConfigured("DJANGO_ENV must be development, production or test")
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env.bool("DJANGO_DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG must be off in production")

SECRET_KEY = env_secret("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY (or DJANGO_SECRET_KEY_FILE) is required in production")
    # Development only: a key that is obviously not a secret.
    SECRET_KEY = "dev-insecure-key-do-not-use-in-production-0123456789abcdefghijklmnop"  # noqa: S105

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "platform_portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "import_export",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "platform_portal",
    "members",
    "meetings",
    "subsidies",
    "supporters",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "platform_portal.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "platform_portal.middleware.LanguageFromCookieMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "platform_portal.middleware.StaffSessionTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "platform_portal.middleware.NoStoreForPersonalPagesMiddleware",
    "axes.middleware.AxesMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Staff sessions without the second factor reach no staff page when STAFF_REQUIRE_2FA is on.
    "platform_portal.middleware.StaffSecondFactorMiddleware",
]

ROOT_URLCONF = "platform_portal.urls"
WSGI_APPLICATION = "platform_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "platform_portal.context_processors.platform",
            ],
            "builtins": ["platform_portal.templatetags.portal"],
        },
    },
]

# Database: SQLite under var/ by default; DATABASE_URL selects PostgreSQL (the production database).
VAR_DIR.mkdir(exist_ok=True)
# The URLs may carry passwords, so each can also come from a file (DATABASE_URL_FILE, ...).
DATABASES = {"default": env.db_url_config(env_secret("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Persistent connections: a new connection per request cost a third of throughput (docs/stack.md).
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: shared by every worker in production (Redis), local memory for a single dev process.
# The rate-limit and login-throttle counters live here, so production must use Redis.
_cache_url = env_secret("CACHE_URL", "locmemcache://platform-portal")
if not _cache_url.strip():
    raise ImproperlyConfigured(
        "CACHE_URL is empty: set it to a cache URL (redis://127.0.0.1:6379/1) or remove it for local memory"
    )
CACHES = {"default": env.cache_url_config(_cache_url)}
# Redis goes through platform_portal.cache.SafeRedisCache: pages keep working while Redis is
# down (reads miss), rate limits refuse (fail closed) and /healthz/ says "cache": "down".
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "platform_portal.cache.SafeRedisCache"
if PRODUCTION and CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    raise ImproperlyConfigured("CACHE_URL must point at a shared cache (Redis) in production")

# Public page cache (platform_portal.pagecache): anonymous GETs of public pages, invalidated
# exactly by a content generation that every database write moves. PAGE_CACHE=off serves every
# page uncached (benchmarks compare both). The lifetime only bounds memory use; it is not how
# pages are invalidated.
PAGE_CACHE_ENABLED = env.bool("PAGE_CACHE", default=True)
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=24 * 60 * 60)

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_NAME = "__Host-sessionid" if PRODUCTION else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if PRODUCTION else "csrftoken"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Member log-in by e-mail address (password or one-time code); axes checks it first.
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "admin:login"

# Login throttling (docs/quality.md S1): 5 failures per username and client, cool-off of 15 minutes.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.int("LOGIN_COOLOFF_MINUTES", default=15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Failed attempts and lock-outs live in the database (axes' AccessAttempt), so a restart of the
# cache (Redis without persistence) does not lift a lock-out.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# The 429 page with the time left of the cool-off (Retry-After and in words).
AXES_LOCKOUT_CALLABLE = "platform_portal.views.login_locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
# No log of successful logins (user name, address, browser) beside the audit trail.
AXES_DISABLE_ACCESS_LOG = True
# Lock-outs end by themselves after the cool-off (or `manage.py axes_reset`); no admin screens.
AXES_ENABLE_ADMIN = False
# Behind TRUSTED_PROXY_COUNT proxies the client address is the one the outermost proxy saw:
# X-Forwarded-For counted from the right, so a value the client sends itself cannot reset
# the counter (platform_portal.middleware.client_ip).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "platform_portal.middleware.client_ip"
# allauth's log-in form names the field "login" and passes "email" to authenticate(): axes
# counts failures under the address typed, as it does under the staff user name.
AXES_USERNAME_CALLABLE = "platform_portal.member_auth.axes_username"

# Member accounts (django-allauth): personal accounts of the member groups' contact persons,
# created by invitation only; log-in by e-mail address with a password or a code sent by mail.
ACCOUNT_ADAPTER = "platform_portal.member_auth.PortalAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
# Throttling of allauth's own forms (log-in failures, codes, resets) uses the shared cache.
ACCOUNT_RATE_LIMITS = {"login_failed": "5/15m/ip,5/15m/key"}
LOGIN_REDIRECT_URL = "member:home"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "platform_portal"
# Staff must log in with a second factor (TOTP): on by default in production, off in
# development so that `make run`'s demo login stays one step.
STAFF_REQUIRE_2FA = env.bool("STAFF_REQUIRE_2FA", default=PRODUCTION)
# Absolute address of the portal for links in invitation mails sent outside a request.
PORTAL_URL = env.str("PORTAL_URL", default="http://127.0.0.1:8000")

# Rate limits (platform_portal.ratelimit.rate_limit): one sliding-window limit per client and
# view, each rate from its own variable, written N/s, N/m, N/h, N/d or N/15m. Over the limit the
# visitor gets the 429 page with the real wait; with the cache down the limited views refuse.
RATELIMIT_ENABLE = env.bool("RATELIMIT_ENABLE", default=True)
MEMBERS_JOIN_RATE = env.str("MEMBERS_JOIN_RATE", default="20/h")  # membership application (each POST step)
MEMBERS_EXPORT_RATE = env.str("MEMBERS_EXPORT_RATE", default="60/h")  # public member list as CSV/XLSX
MEMBERS_PDF_RATE = env.str("MEMBERS_PDF_RATE", default="30/h")  # public member list as PDF
MEETINGS_PDF_RATE = env.str("MEETINGS_PDF_RATE", default="20/m")  # agenda and packet PDFs
EVENTS_SIGNUP_RATE = env.str("EVENTS_SIGNUP_RATE", default="30/h")  # event sign-up POSTs
SUBSIDIES_SIMULATOR_RATE = env.str("SUBSIDIES_SIMULATOR_RATE", default="30/m")  # simulator POSTs
SUBSIDIES_DOCUMENT_RATE = env.str("SUBSIDIES_DOCUMENT_RATE", default="60/m")  # notices and the accounting export
SUPPORTERS_SHARE_RATE = env.str("SUPPORTERS_SHARE_RATE", default="30/h")  # supporter exports for municipalities
STATISTICS_PDF_RATE = env.str("STATISTICS_PDF_RATE", default="20/m")  # the staff dashboard as PDF, per user
# Silenced checks, with reasons (also listed in README.md, "Deployment"):
# - security.W021 (production, unless SECURE_HSTS_PRELOAD is on): joining the browsers' HSTS
#   preload list binds the whole registrable domain, often a prefecture's, for months; the
#   operator decides that, not the code.
SILENCED_SYSTEM_CHECKS = []

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True
# Django's ja locale sets no input formats: accept what people in Japan type (docs/stack.md).
# The portal's date fields parse 和暦 as well (platform_portal.lib.dates).
FORMAT_MODULE_PATH = ["platform_portal.formats"]

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": env.str("DEFAULT_FILE_STORAGE", default="django.core.files.storage.FileSystemStorage")},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
# Page caps: a material PDF, and all the materials of one meeting (the packet a request lays out).
MATERIAL_MAX_PAGES = env.int("MATERIAL_MAX_PAGES", default=200)
PACKET_MAX_PAGES = env.int("PACKET_MAX_PAGES", default=400)
# Packets laid out at the same time per server (file locks shared by the workers); a request
# beyond them gets 503 with Retry-After at once, so the other workers stay free for other pages.
PDF_RENDER_SLOTS = env.int("PDF_RENDER_SLOTS", default=1)
PDF_RENDER_RETRY_SECONDS = env.int("PDF_RENDER_RETRY_SECONDS", default=15)
FILE_UPLOAD_PERMISSIONS = 0o640

# E-mail: console in development; SMTP (EMAIL_URL) in production.
EMAIL_CONFIG = env.email_url_config(env_secret("EMAIL_URL", "consolemail://"))
globals().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="no-reply@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where notices for the secretariat go when the site profile has no e-mail address.
SECRETARIAT_EMAIL = env.str("SECRETARIAT_EMAIL", default="")
# Seconds one SMTP operation may take (connect, each command); a hanging server never holds a
# worker longer than this per step.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# Delays (seconds) before each retry of a mail that could not be sent; the default spreads the
# retries over about two days (1 min, 5 min, 15 min, 1 h, 3 h, 6 h, 12 h, 24 h).
MAIL_RETRY_DELAYS = [
    int(value)
    for value in env.list("MAIL_RETRY_DELAYS", default=["60", "300", "900", "3600", "10800", "21600", "43200", "86400"])
]
# A message still marked "sending" this many seconds after its claim belongs to a worker that died.
MAIL_CLAIM_LEASE_SECONDS = env.int("MAIL_CLAIM_LEASE_SECONDS", default=300)

# Background jobs: Django's tasks API (django-tasks backport) with the database backend, so a
# job is enqueued in the transaction that writes the record needing it; `manage.py db_worker`
# runs them (several workers may share the queue on PostgreSQL).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Scheduled work (`manage.py run_scheduled`, run by a systemd timer or cron):
EVENT_REMINDER_DAYS = env.int("EVENT_REMINDER_DAYS", default=2)  # reminder to sign-ups this many days before
SUBSIDY_REMINDER_DAYS = env.int("SUBSIDY_REMINDER_DAYS", default=7)  # reminder before a report or application deadline
TASK_RESULT_RETENTION_DAYS = env.int("TASK_RESULT_RETENTION_DAYS", default=14)  # finished job rows kept
IMPORT_LEFTOVER_HOURS = env.int("IMPORT_LEFTOVER_HOURS", default=24)  # import temp files older than this are removed

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# django-import-export: explicit permissions for import and export (docs/quality.md AC4), validation on.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=5000)
# Uploaded import files between the preview and the confirmation (owner-only; removed when the
# import ends or is refused; platform_portal.importexport.importexport_cleanup_leftovers removes
# unconfirmed previews).
IMPORT_TMP_DIR = env.path("IMPORT_TMP_DIR", default=str(Path(tempfile.gettempdir()) / "platform_portal_imports"))

# Security (docs/quality.md D1-D6). Headers that SecurityMiddleware does not send are added by
# platform_portal.middleware.SecurityHeadersMiddleware on every response.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
if PRODUCTION and not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS.append("security.W021")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"single_line": {"()": "platform_portal.logging.SingleLineFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["single_line"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.security": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
