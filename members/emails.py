"""E-mails of the member registry, queued in the caller's transaction (platform_portal.mail).

A mail server outage loses nothing (docs/quality.md R4): the messages are stored with the record and
sent by the background worker, with retries. The subject is folded to one line there, so no
CR/LF from a group's name can reach a mail header (IO4).
"""

from django.conf import settings

from platform_portal.mail import mail_queue
from platform_portal.selectors import site_profile_get


def secretariat_addresses() -> list[str]:
    """Where notices for the secretariat go: the site profile's address, else SECRETARIAT_EMAIL."""
    address = site_profile_get().email or settings.SECRETARIAT_EMAIL
    return [address] if address else []


def queue_application_mails(organization_id: int) -> None:
    """Receipt to the applicant and a new-application notice to the secretariat."""
    from members.models import Organization

    organization = Organization.objects.select_related("general_type", "municipality").get(pk=organization_id)
    contact = organization.contacts.first()
    context = {"organization": organization, "contact": contact}
    if contact and contact.email:
        mail_queue(template="member_application_received", to=[contact.email], context=context)
    mail_queue(template="member_application_notice", to=secretariat_addresses(), context=context)


def queue_decision_mail(organization_id: int, decision: str) -> None:
    """The group's notice of a decision: approved, rejected or withdrawn."""
    from members.models import Organization

    organization = Organization.objects.get(pk=organization_id)
    contact = organization.contacts.first()
    if contact and contact.email:
        mail_queue(
            template=f"member_{decision}",
            to=[contact.email],
            context={"organization": organization, "contact": contact},
        )
