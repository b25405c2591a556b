"""The cache backend for production: Django's RedisCache, made safe for a Redis that is down.

Page and fragment caching is an optimisation: when Redis refuses connections or times out,
reads miss and writes are dropped, so every page is rendered as if the cache were empty
instead of answering 500. Short socket timeouts keep a Redis that hangs from holding a worker.

Rate limits must not degrade that way (a limit that ignores errors is no limit):
platform_portal.ratelimit uses `raising_cache()`, the same cache without the safety net, and
refuses the request when the counter cannot be read. /healthz/ uses it too, to say that the
cache is down.
"""

import functools
import logging
import time

from django.core.cache import cache as default_cache
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

# Errors of an unreachable or hanging server (redis-py's ConnectionError and TimeoutError,
# and the OSError family underneath them).
try:
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    CACHE_DOWN_ERRORS: tuple[type[BaseException], ...] = (RedisConnectionError, RedisTimeoutError, OSError)
except ImportError:  # pragma: no cover - redis is installed wherever RedisCache is used
    CACHE_DOWN_ERRORS = (OSError,)

DEFAULT_TIMEOUTS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
_LOG_EVERY_SECONDS = 60
_last_logged = 0.0


def _log_down(exc: BaseException) -> None:
    global _last_logged
    now = time.monotonic()
    if now - _last_logged >= _LOG_EVERY_SECONDS:
        _last_logged = now
        logger.error("cache unavailable, pages are served without it: %s", exc)


def _ignoring_errors(default=None):
    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except CACHE_DOWN_ERRORS as exc:
                _log_down(exc)
                return default() if callable(default) else default

        return wrapper

    return decorate


class SafeRedisCache(RedisCache):
    """RedisCache whose reads miss and whose writes are dropped while Redis is unreachable."""

    def __init__(self, server, params):
        params = {**params, "OPTIONS": {**DEFAULT_TIMEOUTS, **params.get("OPTIONS", {})}}
        super().__init__(server, params)
        self._raising = RedisCache(server, params)

    def raising(self) -> RedisCache:
        """The same cache, raising connection errors (rate limits, health check)."""
        return self._raising

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except CACHE_DOWN_ERRORS as exc:
            _log_down(exc)
            return default

    get_many = _ignoring_errors(dict)(RedisCache.get_many)
    has_key = _ignoring_errors(False)(RedisCache.has_key)
    set = _ignoring_errors()(RedisCache.set)
    set_many = _ignoring_errors(list)(RedisCache.set_many)
    add = _ignoring_errors(False)(RedisCache.add)
    touch = _ignoring_errors(False)(RedisCache.touch)
    delete = _ignoring_errors(False)(RedisCache.delete)
    delete_many = _ignoring_errors()(RedisCache.delete_many)
    clear = _ignoring_errors(False)(RedisCache.clear)


def raising_cache(cache=None):
    """The default cache without any error-ignoring wrapper."""
    cache = cache or default_cache
    raising = getattr(cache, "raising", None)
    return raising() if raising is not None else cache
