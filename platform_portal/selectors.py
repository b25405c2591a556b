"""Reads of the platform's identity and pages."""

from django.core.cache import cache
from django.http import Http404

from platform_portal.models import Page, SiteProfile

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
