"""Staff roles as Django groups (docs/quality.md AC2).

The groups are created by migration platform_portal.0002_roles; their permissions are
(re)assigned after every migrate, because apps add models (and so permissions) over time.

- secretariat (事務局): every permission of the portal's apps, except changing or deleting the
  audit trail, which nobody may do.
- official (閲覧のみの職員): view permissions only; no import, export or personal-data exports.
"""

from django.utils.translation import gettext_lazy as _

SECRETARIAT = "secretariat"
OFFICIAL = "official"
ROLE_LABELS = {SECRETARIAT: _("Secretariat (edit everything)"), OFFICIAL: _("Read-only official")}
PORTAL_APPS = ["platform_portal", "members", "meetings", "subsidies", "supporters"]
NEVER_GRANTED = {"add_auditlogentry", "change_auditlogentry", "delete_auditlogentry"}
# View permissions that are not for read-only officials: who exported personal data.
SECRETARIAT_ONLY_VIEWS = {"view_personal_data_exports"}


def roles_sync(**kwargs) -> None:
    """Give each role group its permissions; safe to run any number of times."""
    from django.contrib.auth.models import Group, Permission

    permissions = Permission.objects.filter(content_type__app_label__in=PORTAL_APPS).exclude(codename__in=NEVER_GRANTED)
    secretariat, _created = Group.objects.get_or_create(name=SECRETARIAT)
    official, _created = Group.objects.get_or_create(name=OFFICIAL)
    secretariat.permissions.set(permissions)
    official.permissions.set(
        permissions.filter(codename__startswith="view_").exclude(codename__in=SECRETARIAT_ONLY_VIEWS)
    )
