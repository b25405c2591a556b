"""Mail at each step of an application (issue 14): the group's accounts, and the secretariat when
the group acted. Sent through the mail queue, inside the transition's transaction."""

from django.conf import settings
from django.urls import reverse

from platform_portal.mail import mail_queue
from platform_portal.selectors import site_profile_get
from subsidies.models import Application

# Steps the group takes; the secretariat hears of these.
GROUP_STEPS = {"submit", "resubmit", "report", "withdraw"}


def application_moved(*, application: Application, verb: str, actor=None) -> None:
    """Tell the group's contact persons (and, when the group itself acted, the secretariat) of a transition."""
    if verb == "correct":
        return
    base = settings.PORTAL_URL.rstrip("/")
    context = {
        "application": application,
        "status_label": application.get_status_display(),
        "url": base + reverse("member:application_detail", args=[application.organization_id, application.pk]),
    }
    members = list(application.organization.memberships.values_list("user__email", flat=True))
    mail_queue(template="subsidy_status", to=members, context=context)
    by_member = getattr(actor, "is_authenticated", False) and not getattr(actor, "is_staff", False)
    if verb in GROUP_STEPS and by_member:
        secretariat = site_profile_get().email or settings.SECRETARIAT_EMAIL
        staff_url = base + reverse("admin:subsidies_application_change", args=[application.pk])
        mail_queue(template="subsidy_status", to=[secretariat], context={**context, "url": staff_url})
