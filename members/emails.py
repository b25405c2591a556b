"""E-mails of the member registry, sent after commit; a mail server outage loses nothing (docs/quality.md R4).

Every message is rendered from templates/emails/<name>_subject.txt and _body.txt. The subject
is folded to one line so that no CR/LF from a group's name can reach a mail header (IO4).
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from platform_portal.selectors import site_profile_get

logger = logging.getLogger(__name__)


def render_mail(template: str, context: dict) -> tuple[str, str]:
    """(subject, body) of a mail template; the subject on one line."""
    context = {"platform": site_profile_get(), **context}
    subject = render_to_string(f"emails/{template}_subject.txt", context)
    subject = " ".join(subject.split())
    body = render_to_string(f"emails/{template}_body.txt", context)
    return subject, body


def send_template_mail(template: str, *, to: list[str], context: dict) -> bool:
    """Send one mail; on failure log it and return False (the record is already committed)."""
    recipients = [address for address in to if address]
    if not recipients:
        return False
    subject, body = render_mail(template, context)
    try:
        send_mail(subject, body, None, recipients)
    except Exception:
        # The application or decision is stored; the secretariat sees it in the admin anyway.
        logger.exception("members: could not send %s mail", template)
        return False
    return True


def secretariat_addresses() -> list[str]:
    """Where notices for the secretariat go: the site profile's address, else SECRETARIAT_EMAIL."""
    address = site_profile_get().email or settings.SECRETARIAT_EMAIL
    return [address] if address else []


def send_application_mails(organization_id: int) -> None:
    """Receipt to the applicant and a new-application notice to the secretariat."""
    from members.models import Organization

    organization = Organization.objects.select_related("general_type", "municipality").get(pk=organization_id)
    contact = organization.contacts.first()
    context = {"organization": organization, "contact": contact}
    if contact and contact.email:
        send_template_mail("member_application_received", to=[contact.email], context=context)
    send_template_mail("member_application_notice", to=secretariat_addresses(), context=context)


def send_decision_mail(organization_id: int, decision: str) -> None:
    """The group's notice of a decision: approved, rejected or withdrawn."""
    from members.models import Organization

    organization = Organization.objects.get(pk=organization_id)
    contact = organization.contacts.first()
    if contact and contact.email:
        send_template_mail(
            f"member_{decision}", to=[contact.email], context={"organization": organization, "contact": contact}
        )
