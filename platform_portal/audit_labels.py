"""The label of each audit action code, registered once (docs/house-style.md R8).

Kept apart from `audit` so that the audit entry model can show its label without importing the
module that writes entries (no import circle).
"""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, str] = {
    "admin.created": _("Created in the admin"),
    "admin.changed": _("Changed in the admin"),
    "admin.deleted": _("Deleted in the admin"),
    "auth.login": _("Logged in"),
    "auth.login_failed": _("Failed login"),
    "auth.logout": _("Logged out"),
    "platform.profile.changed": _("Platform profile changed"),
    "platform.page.changed": _("Page changed"),
    "platform.demo_loaded": _("Demo data loaded"),
    "data.imported": _("Data imported"),
    "data.exported": _("Data exported"),
    "platform_portal.mail.resent": _("Mail sent again"),
}


def register_actions(labels: dict[str, str]) -> None:
    """Add the labels of an app's action codes."""
    ACTION_LABELS.update(labels)


def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))
