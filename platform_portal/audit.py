"""The one audit trail (HOUSE_STYLE R8): services call `audit_log` once per change of state.

The Japanese (translated) label of each dotted action code lives in ACTION_LABELS; apps add
theirs with `register_actions` from their AppConfig.ready().
"""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from platform_portal.models import AuditLogEntry

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


def audit_log(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditLogEntry:
    """Write one audit entry: `actor` is a user or None (system, anonymous applicant)."""
    entry = AuditLogEntry(action=action, data=data or {})
    if actor is not None and getattr(actor, "is_authenticated", False):
        entry.actor = actor
        entry.actor_label = actor.get_username()
    elif isinstance(actor, str):
        entry.actor_label = actor
    if target is not None:
        entry.content_type = ContentType.objects.get_for_model(target, for_concrete_model=False)
        entry.object_id = str(target.pk)
        entry.object_repr = str(target)[:200]
    entry.save()
    return entry


def audit_entries_for(obj: models.Model):
    """The audit entries of one record, newest first (for the shared include template)."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return AuditLogEntry.objects.filter(content_type=content_type, object_id=str(obj.pk)).select_related("actor")
