"""Reads of the platform's identity and pages."""

import datetime

from django.core.cache import cache
from django.db.models import QuerySet
from django.http import Http404

from platform_portal.models import NewsItem, Page, SiteProfile

SITE_PROFILE_CACHE_KEY = "platform_portal:site_profile:v1"


def site_profile_get() -> SiteProfile:
    """The platform profile (cached; platform_portal.services clears the cache on change).

    Before the demo data or the secretariat has filled it, a neutral unsaved profile is
    returned so that every page still renders.
    """
    profile = cache.get(SITE_PROFILE_CACHE_KEY)
    if profile is None:
        profile = SiteProfile.objects.order_by("pk").first() or SiteProfile(
            name="孤独・孤立対策官民連携プラットフォーム",
            short_name="プラットフォーム",
            jurisdiction="",
            secretariat_name="事務局",
        )
        cache.set(SITE_PROFILE_CACHE_KEY, profile, 300)
    return profile


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
