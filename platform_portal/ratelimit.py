"""The portal's one rate limit (docs/quality.md R6): a sliding window per client, every rate from settings.

    @rate_limit("MEETINGS_PDF_RATE", key="user_or_ip", methods=None)
    def meeting_packet_pdf(request, pk): ...

- The rate is the value of the named setting (each read from the environment in settings.py),
  written N/s, N/m, N/h, N/d or with a multiplier (N/15m). Nothing is hard-coded at the views.
- Sliding window counter: the estimate is the previous window's count weighted by the part of
  it still inside the sliding window, plus the current window's count. A burst at the end of
  one window therefore still counts at the start of the next: unlike fixed windows, two full
  allowances cannot pass back to back across a boundary. The counters are incremented with the
  cache's atomic incr, and a refused request is taken back off, so refused requests cost nothing
  and parallel requests cannot slip past the limit together.
- Every refusal is the 429 page with the real wait: Retry-After (seconds) and the same wait in
  words on the page.
- Fails closed: when the counters cannot be read (Redis down), the request is refused with 429
  rather than let through without a limit.
"""

import functools
import hashlib
import logging
import math
import re
import time
from collections.abc import Collection
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from platform_portal.cache import raising_cache

logger = logging.getLogger(__name__)

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
# Retry-After when the counters cannot be read at all (the cache is down): a short, honest wait.
UNAVAILABLE_RETRY_SECONDS = 60
KEYS = ("ip", "user", "user_or_ip")


@dataclass(frozen=True)
class Rate:
    limit: int
    period: int  # seconds


def parse_rate(text: str) -> Rate:
    """'20/m' -> Rate(20, 60); '5/15m' -> Rate(5, 900). Raises ImproperlyConfigured on anything else."""
    match = _RATE.match(str(text))
    if not match or int(match.group(1)) < 1:
        raise ImproperlyConfigured(f"Not a rate: {text!r} (write N/s, N/m, N/h, N/d or N/15m)")
    multiplier = int(match.group(2) or 1)
    return Rate(limit=int(match.group(1)), period=multiplier * PERIODS[match.group(3)])


def _now() -> float:
    return time.time()


def _client_key(request, key: str) -> str:
    from platform_portal.middleware import client_ip

    user = getattr(request, "user", None)
    if key in ("user", "user_or_ip") and user is not None and user.is_authenticated:
        return f"u{user.pk}"
    return "ip" + client_ip(request)


def wait_seconds(*, rate: Rate, previous: int, current: int, now: float) -> int:
    """Seconds until one more request fits, given the counts already stored (the refused one not included)."""
    period, limit = rate.period, rate.limit
    window_start = (now // period) * period
    if current + 1 <= limit and previous > 0:
        # Later in this window the previous window weighs less: (1 - f) * previous + current + 1 <= limit.
        fraction = 1 - (limit - current - 1) / previous
        at = window_start + fraction * period
    elif current + 1 <= limit:
        at = now
    else:
        # Not in this window: in the next one this window becomes the previous one.
        fraction = 1 - (limit - 1) / current if current else 0
        at = window_start + period + fraction * period
    return max(1, math.ceil(at - now))


def rate_hit(request, *, group: str, rate: Rate, key: str = "ip") -> int | None:
    """Count one request of this client in `group`; None when it is allowed, else the seconds to wait."""
    client = hashlib.sha256(_client_key(request, key).encode()).hexdigest()[:32]
    now = _now()
    window = int(now // rate.period)
    base = f"rl:{group}:{rate.period}:{client}:"
    current_key, previous_key = f"{base}{window}", f"{base}{window - 1}"
    cache = raising_cache()
    try:
        cache.add(current_key, 0, timeout=2 * rate.period + 60)
        try:
            current = cache.incr(current_key)
        except ValueError:  # expired between add and incr
            cache.set(current_key, 1, timeout=2 * rate.period + 60)
            current = 1
        previous = cache.get(previous_key) or 0
        fraction = (now - window * rate.period) / rate.period
        if previous * (1 - fraction) + current <= rate.limit:
            return None
        cache.decr(current_key)
    except Exception as exc:  # noqa: BLE001 - any cache failure: fail closed
        logger.error("rate limit %s: cache unavailable, request refused: %s", group, exc)
        return UNAVAILABLE_RETRY_SECONDS
    return wait_seconds(rate=rate, previous=previous, current=current - 1, now=now)


def rate_limit(rate_setting: str, *, key: str = "ip", methods: Collection[str] | None = ("POST",), group: str = ""):
    """Limit a view to the rate in settings.<rate_setting> per client; over it, the 429 page with the real wait.

    key: "ip" (the client address, platform_portal.middleware.client_ip), "user" or "user_or_ip".
    methods: the HTTP methods that count (None: all). group: the counter's name (default: the
    setting's name), so two views can share a rate setting and keep separate counters.
    """
    if key not in KEYS:
        raise ValueError(f"key must be one of {KEYS}")

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if settings.RATELIMIT_ENABLE and (methods is None or request.method in methods):
                rate = parse_rate(getattr(settings, rate_setting))
                wait = rate_hit(request, group=group or rate_setting, rate=rate, key=key)
                if wait is not None:
                    from platform_portal.views import too_many_requests

                    return too_many_requests(request, retry_after=wait)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
