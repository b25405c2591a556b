"""The public page cache: whole responses of anonymous GETs, never stale, with ETag and 304.

A public view opts in with one line::

    @public_cache
    def event_list(request): ...

Exact invalidation, no time-based staleness:

- A *content generation* (an integer in the shared cache, Redis in production) is part of every
  cache key. Any SQL statement that writes a table (INSERT, UPDATE, DELETE, REPLACE, TRUNCATE)
  moves it: the ORM's save/delete, `QuerySet.update`, `bulk_create`, imports, migrations, raw
  SQL and scheduled jobs alike, on any app server, for any model present or added later. It is
  seen at the level of the database connection (an execute wrapper), so no model or service has
  to remember to invalidate anything. Inside a transaction the generation moves after commit,
  so another server can never store the old content under the new generation.
- Writes to tables that no public page reads (sessions, the admin log, the audit trail, login
  throttling, job queues; `PAGE_CACHE_IGNORED_TABLES`) do not move it.
- The key also holds the language, the scheme, host, path and query string, and today's date
  (pages that say "upcoming" or "open" change at midnight without any write).

Only anonymous GET/HEAD requests without a session cookie are served from or stored in the
cache, and a response is stored only when it is a plain 200 that sets no cookie, touched no
session data, queued no message and is not marked personal. A CSRF token rendered into a page
(the language switcher, public forms) is replaced by a placeholder when stored and by the
visitor's own token when served, so a cached page never carries another visitor's token.

Cached responses carry `Cache-Control: no-cache` (a browser or reverse proxy may keep them but
must revalidate), an ETag of their body and `Vary: Cookie`; `If-None-Match` is answered with 304.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.db.backends.signals import connection_created
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.crypto import salted_hmac
from django.utils.http import parse_etags
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
CSRF_PLACEHOLDER = b"__PAGECACHE_CSRF_TOKEN__"
# Headers of the view's own response that are kept with the body (security headers and the
# like are added by middleware on every response, cached or not).
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language", "X-Content-Type-Options", "Vary")
DEFAULT_IGNORED_TABLES = (
    "django_session",
    "django_admin_log",
    "platform_portal_auditlogentry",
    "platform_portal_outgoingmail",
    "axes_",
    "django_tasks",
)

_WRITE_RE = re.compile(
    r"^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+[\"`]?(\w+)",
    re.IGNORECASE,
)
_TOKEN_RE = re.compile(rb"[A-Za-z0-9]{64}")


# --- the content generation -------------------------------------------------------------


def generation() -> int:
    """The current content generation (created on first use, or again after the cache was emptied).

    A new generation starts at the current time in nanoseconds, so it never repeats a value that
    keys stored before the cache lost it were built with.
    """
    value = _read_generation()
    if value is None:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        value = cache.get(GENERATION_KEY)
    return value


def _read_generation():
    """cache.get(GENERATION_KEY), read on every request: with Django's RedisCache through one
    reused client (its get() builds a new redis client object on every call)."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    backend = caches["default"]
    if type(backend) is not RedisCache or len(backend._servers) != 1:  # subclasses keep their own get()
        return cache.get(GENERATION_KEY)
    client = backend.__dict__.get("_pagecache_client")
    if client is None:
        client = backend.__dict__["_pagecache_client"] = backend._cache.get_client(GENERATION_KEY)
    raw = client.get(backend.make_and_validate_key(GENERATION_KEY))
    return None if raw is None else backend._cache._serializer.loads(raw)


def bump_generation() -> None:
    """Move the generation: every page cached so far is unreachable from now on."""
    try:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # no generation yet (or the cache was emptied): start a new one
            cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
    except Exception:  # the cache being down must not turn a committed write into an error
        logger.exception("page cache: the content generation could not be moved")


def _ignored(table: str) -> bool:
    ignored = getattr(settings, "PAGE_CACHE_IGNORED_TABLES", DEFAULT_IGNORED_TABLES)
    return table.lower().startswith(tuple(ignored))


def written_table(sql) -> str | None:
    """The table an SQL statement writes, or None for reads and the like."""
    if not isinstance(sql, str):
        sql = str(sql)
    match = _WRITE_RE.match(sql)
    return match.group(1) if match else None


def _bump_on_commit() -> None:
    bump_generation()


def _note_write(connection) -> None:
    """A statement wrote a table that public pages may read: move the generation at the right time."""
    blocks = connection.atomic_blocks
    own = [index for index, block in enumerate(blocks) if not getattr(block, "_from_testcase", False)]
    if not own:
        # Autocommit (or directly inside a test case's transaction, which never commits): the
        # write is visible now.
        bump_generation()
        return
    first = own[0]
    if first == 0:
        # A transaction of our own: once, after it commits (a rollback discards the callback).
        if not any(entry[1] is _bump_on_commit for entry in connection.run_on_commit):
            connection.on_commit(_bump_on_commit)
        return
    # An atomic block inside a test case's transaction, which never commits: its savepoint
    # stands for the transaction, and the generation moves once per block.
    savepoint = connection.savepoint_ids[first - 1] if first - 1 < len(connection.savepoint_ids) else None
    if savepoint is None or getattr(connection, "_pagecache_savepoint", None) != savepoint:
        connection._pagecache_savepoint = savepoint
        bump_generation()


class _WriteWatcher:
    """A database execute wrapper (installed on every connection) that notices writes."""

    def __init__(self, connection):
        self.connection = connection

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        table = written_table(sql)
        if table is not None and not _ignored(table):
            _note_write(self.connection)
        return result


def _install_watcher(sender, connection, **kwargs) -> None:
    if not any(isinstance(wrapper, _WriteWatcher) for wrapper in connection.execute_wrappers):
        connection.execute_wrappers.append(_WriteWatcher(connection))


def install() -> None:
    """Watch writes on every database connection (called from the app's ready())."""
    connection_created.connect(_install_watcher, dispatch_uid="platform_portal.pagecache.watch_writes")
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        _install_watcher(None, connection)


# --- the cache of responses ---------------------------------------------------------------


def enabled() -> bool:
    return getattr(settings, "PAGE_CACHE_ENABLED", True)


def request_is_cacheable(request) -> bool:
    """Anonymous GET/HEAD without a session: nothing in the page can depend on who asks."""
    if not enabled() or request.method not in ("GET", "HEAD"):
        return False
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


def cache_key(request) -> str:
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(url.encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return f"pagecache:{generation()}:{get_language()}:{timezone.localdate().isoformat()}:{digest}"


def _storable(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if getattr(response, "personal_data", False):
        return False
    cache_control = response.headers.get("Cache-Control", "")
    if "private" in cache_control or "no-store" in cache_control:
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    storage = getattr(request, "_messages", None)
    if storage is not None and getattr(storage, "_queued_messages", None):
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def _strip_csrf_tokens(request, body: bytes) -> tuple[bytes, bool]:
    """Replace this visitor's CSRF tokens in the body by a placeholder."""
    if not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return body, False
    from django.middleware.csrf import _unmask_cipher_token

    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        return body, False
    found = False

    def replace(match):
        nonlocal found
        token = match.group(0).decode()
        if _unmask_cipher_token(token) == secret:
            found = True
            return CSRF_PLACEHOLDER
        return match.group(0)

    return _TOKEN_RE.sub(replace, body), found


def _entry(request, response) -> dict:
    body, has_csrf = _strip_csrf_tokens(request, response.content)
    headers = {name: response.headers[name] for name in KEPT_HEADERS if name in response.headers}
    return {
        "body": body,
        "headers": headers,
        "etag": hashlib.sha256(body).hexdigest()[:32],
        "csrf": has_csrf,
    }


def _response_from(request, entry: dict) -> HttpResponse:
    body = entry["body"]
    etag = f'"{entry["etag"]}"'
    if entry["csrf"]:
        from django.middleware.csrf import get_token

        token = get_token(request)  # this visitor's own (a new one for a new visitor)
        # Two visitors' copies differ in the token, so the tag names the visitor's secret too.
        visitor = salted_hmac("pagecache.etag", request.META["CSRF_COOKIE"]).hexdigest()[:12]
        etag = f'W/"{entry["etag"]}-{visitor}"'
        body = body.replace(CSRF_PLACEHOLDER, token.encode())
    if _weak_match(request, etag):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body)
        for name, value in entry["headers"].items():
            response.headers[name] = value
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = "no-cache"
    patch_vary_headers(response, ["Cookie"])
    return response


def _weak_match(request, etag: str) -> bool:
    """If-None-Match compares weakly (RFC 9110 13.1.2): W/"x" matches "x" and W/"x"."""
    wanted = etag.removeprefix("W/")
    return any(tag.removeprefix("W/") == wanted for tag in parse_etags(request.headers.get("If-None-Match", "")))


class _LocalEntries:
    """The most recently used entries in this process, in front of the shared cache.

    Exact like the shared cache, since the key holds the content generation (read from the
    shared cache on every request): a write anywhere makes every local entry unreachable.
    It saves the second round trip and the unpickling of the page.
    """

    def __init__(self):
        self._entries: OrderedDict[str, dict] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> dict | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def set(self, key: str, entry: dict) -> None:
        limit = getattr(settings, "PAGE_CACHE_LOCAL_ENTRIES", 200)
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > limit:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


local_entries = _LocalEntries()


def public_cache(view):
    """Serve the view's anonymous GETs from the shared cache, exactly invalidated (see the module)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request_is_cacheable(request):
            return view(request, *args, **kwargs)
        try:
            key = cache_key(request)
            entry = local_entries.get(key)
            if entry is None:
                entry = cache.get(key)
                if entry is not None:
                    local_entries.set(key, entry)
        except Exception:  # a cache that is down serves pages uncached
            logger.exception("page cache: lookup failed")
            return view(request, *args, **kwargs)
        if entry is not None:
            return _response_from(request, entry)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()
        if not _storable(request, response):
            return response
        entry = _entry(request, response)
        try:
            cache.set(key, entry, getattr(settings, "PAGE_CACHE_SECONDS", 24 * 60 * 60))
            local_entries.set(key, entry)
        except Exception:
            logger.exception("page cache: store failed")
        return _response_from(request, entry)

    wrapper.public_cache = True
    return wrapper
