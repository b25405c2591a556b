"""Writes of the platform's identity and pages (docs/house-style.md R5: one place for each write)."""

from django.db import transaction

from platform_portal.audit import Actor, audit_log
from platform_portal.models import Page, SiteProfile


def _normalize_text(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def _changed_fields(instance, fields: dict) -> list[str]:
    return [name for name, value in fields.items() if getattr(instance, name) != value]


@transaction.atomic
def site_profile_update(*, actor: Actor, profile: SiteProfile | None = None, **fields) -> SiteProfile:
    """Create or change the platform profile (the cached copy follows the content generation).

    The stored row is read again: an admin form has already copied its values onto the
    instance it passes, and the audit entry must name what changed in the database.
    """
    if profile is not None and profile.pk:
        profile = SiteProfile.objects.select_for_update().get(pk=profile.pk)
    else:
        profile = SiteProfile.objects.select_for_update().order_by("pk").first() or SiteProfile()
    changed = _changed_fields(profile, fields) if profile.pk else sorted(fields)
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.full_clean()
    profile.save()
    if changed:
        audit_log(actor=actor, action="platform.profile.changed", target=profile, data={"fields": changed})
    # The cached copy is keyed by the content generation, which this write moves (pagecache).
    return profile


@transaction.atomic
def page_update(*, actor: Actor, slug: str, title: str, lead: str = "", body: str = "") -> Page:
    """Create or change one of the editable public pages (line endings normalised, so a resave is no change)."""
    page = Page.objects.select_for_update().filter(slug=slug).first() or Page(slug=slug)
    fields = {"title": title.strip(), "lead": _normalize_text(lead), "body": _normalize_text(body)}
    changed = _changed_fields(page, fields) if page.pk else sorted(fields)
    for name, value in fields.items():
        setattr(page, name, value)
    page.full_clean()
    page.save()
    if changed:
        audit_log(actor=actor, action="platform.page.changed", target=page, data={"fields": changed})
    return page
