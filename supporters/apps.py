from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportersConfig(AppConfig):
    name = "supporters"
    verbose_name = _("Supporters")

    def ready(self):
        from platform_portal.audit import register_actions

        register_actions(
            {
                "supporters.supporter.created": _("Supporter added to the roster"),
                "supporters.supporter.changed": _("Supporter details changed"),
                "supporters.supporter.appointed": _("Supporter appointed"),
                "supporters.supporter.status_changed": _("Supporter status changed"),
                "supporters.supporter.exchange_attended": _("Exchange meeting attendance recorded"),
                "supporters.supporter.shared": _("Supporters shared with a municipality"),
                "supporters.supporter.deleted_on_request": _("Supporter deleted on request"),
                "supporters.training.completed": _("Training completion recorded"),
            }
        )
