"""Template context every page needs: the platform's identity."""

from platform_portal.selectors import site_profile_get


def platform(request) -> dict:
    return {"platform": site_profile_get()}
