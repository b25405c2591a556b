from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class PlatformPortalConfig(AppConfig):
    default = True
    name = "platform_portal"
    verbose_name = _("Platform")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from platform_portal import (  # noqa: F401  (system checks, login audit, page cache, member accounts)
            admin_fields,
            checks,
            member_auth,
            pagecache,
            signals,
        )
        from platform_portal.opendata import autodiscover
        from platform_portal.roles import roles_sync

        # Permissions appear as apps add models, so the role groups are synced after migrate.
        post_migrate.connect(roles_sync, sender=self, dispatch_uid="platform_portal.roles_sync")
        # The admin shows dates in 和暦 and fiscal years as 令和N年度 (lists, read-only fields, filters).
        admin_fields.install()
        # Every write to the database moves the public page cache's content generation.
        pagecache.install()
        # Each app's opendata.py registers its datasets for /opendata/.
        autodiscover()


class PortalAdminConfig(admin_apps.AdminConfig):
    """The Django admin, with the platform's name in its header and an attention panel."""

    default = False
    default_site = "platform_portal.admin_site.PortalAdminSite"
