"""Reads of the platform's identity and pages."""

import datetime

from django.core.cache import cache
from django.db.models import QuerySet
from django.http import Http404

from platform_portal.models import NewsItem, Page, SiteProfile
from platform_portal.pagecache import generation

SITE_PROFILE_CACHE_KEY = "platform_portal:site_profile:v1"
_PROFILE_MEMO: dict = {}


def site_profile_get() -> SiteProfile:
    """The platform profile, cached per content generation (platform_portal.pagecache): any
    write, through the service, the admin or an import, makes the next request read it again.

    Before the demo data or the secretariat has filled it, a neutral unsaved profile is
    returned so that every page still renders.
    """
    try:
        current = generation()
    except Exception:  # the cache is unreachable: read the row, cache nothing
        return _site_profile_read()
    memo = _PROFILE_MEMO.get("profile")
    if memo is not None and memo[0] == current:  # this process already read it in this generation
        return memo[1]
    key = f"{SITE_PROFILE_CACHE_KEY}:{current}"
    profile = cache.get(key)
    if profile is None:
        profile = _site_profile_read()
        cache.set(key, profile, 300)
    _PROFILE_MEMO["profile"] = (current, profile)
    return profile


def _site_profile_read() -> SiteProfile:
    return SiteProfile.objects.order_by("pk").first() or SiteProfile(
        name="孤独・孤立対策官民連携プラットフォーム",
        short_name="プラットフォーム",
        jurisdiction="",
        secretariat_name="事務局",
    )


def site_profile_values() -> tuple:
    """The profile's field values, for fingerprints of documents that print it."""
    profile = site_profile_get()
    return tuple((field.name, getattr(profile, field.attname)) for field in profile._meta.concrete_fields)


def page_get(*, slug: str) -> Page:
    try:
        return Page.objects.get(slug=slug)
    except Page.DoesNotExist as exc:
        raise Http404 from exc


def news_public_queryset(*, now: datetime.datetime) -> QuerySet[NewsItem]:
    """News items the public may see: public and published by `now`, newest first."""
    return NewsItem.objects.filter(is_public=True, published_at__lte=now).order_by("-published_at", "-pk")


def news_get_public(*, pk: int, now: datetime.datetime) -> NewsItem:
    """One published news item; 404 for missing, not yet published and non-public alike."""
    try:
        return news_public_queryset(now=now).get(pk=pk)
    except NewsItem.DoesNotExist as exc:
        raise Http404 from exc
