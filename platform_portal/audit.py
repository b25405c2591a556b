"""The one audit trail (docs/house-style.md R8): services call `audit_log` once per change of state.

The Japanese (translated) label of each dotted action code lives in `audit_labels` (re-exported
here); apps add theirs with `register_actions` from their AppConfig.ready().
"""

from typing import TYPE_CHECKING, Any, TypeAlias

from django.contrib.contenttypes.models import ContentType
from django.db import models

from platform_portal.audit_labels import ACTION_LABELS as ACTION_LABELS
from platform_portal.audit_labels import action_label as action_label
from platform_portal.audit_labels import register_actions as register_actions
from platform_portal.models import AuditLogEntry

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

# Who acts in a service: a user, an anonymous visitor (a public form), a label such as
# "import" or "system", or None. Every service takes it as the keyword-only `actor`.
Actor: TypeAlias = "AbstractBaseUser | AnonymousUser | str | None"


def actor_user(actor: Actor) -> Any:
    """The user behind an actor, for a `created_by`-style foreign key; None for labels and anonymous visitors."""
    return actor if getattr(actor, "pk", None) else None


def audit_log(
    *,
    actor: Actor,
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
