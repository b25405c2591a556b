from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidiesConfig(AppConfig):
    name = "subsidies"
    verbose_name = _("Subsidies")

    def ready(self) -> None:
        from platform_portal.admin_site import register_attention
        from platform_portal.audit import register_actions
        from subsidies.admin import waiting_attention

        register_attention(waiting_attention)
        register_actions(
            {
                "subsidies.application.created": _("Subsidy application created"),
                "subsidies.application.updated": _("Subsidy application changed"),
                "subsidies.application.lines_changed": _("Expense or income lines changed"),
                "subsidies.attachment.added": _("Attachment added"),
                "subsidies.application.submit": _("Subsidy application submitted"),
                "subsidies.application.return": _("Subsidy application returned for correction"),
                "subsidies.application.resubmit": _("Subsidy application resubmitted"),
                "subsidies.application.decide": _("Grant decided"),
                "subsidies.application.refuse": _("Grant refused"),
                "subsidies.application.report": _("Results report recorded"),
                "subsidies.application.settle": _("Amount settled"),
                "subsidies.application.pay": _("Payment recorded"),
                "subsidies.application.withdraw": _("Subsidy application withdrawn"),
                "subsidies.application.correct": _("Decided amount changed"),
                "subsidies.application.exported": _("Subsidy amounts exported"),
            }
        )
