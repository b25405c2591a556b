from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self) -> None:
        from platform_portal.audit import register_actions

        register_actions(
            {
                "members.organization.applied": _("Member application received"),
                "members.organization.created": _("Member organisation created"),
                "members.organization.imported": _("Member organisation imported"),
                "members.organization.changed": _("Member organisation changed"),
                "members.organization.activities_changed": _("Activities of a member organisation changed"),
                "members.organization.approved": _("Member organisation approved"),
                "members.organization.rejected": _("Member application rejected"),
                "members.organization.withdrawn": _("Member withdrawal recorded"),
                "members.organization.deleted": _("Member organisation deleted"),
                "members.contact.created": _("Contact person added"),
                "members.contact.changed": _("Contact person changed"),
                "members.contact.deleted": _("Contact person removed"),
            }
        )
