"""The printable list of members handed out at meetings (docs/house-style.md R21)."""

from members.selectors import Registry
from platform_portal.pdf import render_pdf
from platform_portal.selectors import site_profile_get


def render_registry_pdf(registry: Registry) -> bytes:
    """The public registry as an A4 PDF: general members by type, steering members by category."""
    return render_pdf("members/pdf/registry.html", {"registry": registry, "platform": site_profile_get()})
