"""Create or reset the demo member account (a sample contact person of one demo group) and print its log-in."""

import secrets

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from members import services
from members.models import ContactPerson, Membership, Organization

EMAIL = "member-demo@example.jp"
# Invented for the demo (the reference names no contact persons): marked 見本 wherever it is shown.
NAME = "見本 太郎"
ROLE = "見本（デモ用の担当者）"


def demo_group() -> Organization | None:
    """The approved demo group the sample member acts for: one with a subsidy application if there is one."""
    approved = Organization.objects.filter(status=Organization.Status.APPROVED)
    return approved.filter(subsidy_applications__isnull=False).order_by("pk").first() or approved.order_by("pk").first()


class Command(BaseCommand):
    help = "Create or reset the demo member account (a 見本 contact person of a demo group) and print its log-in."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/accounts/login/", help="the member log-in address")

    @transaction.atomic
    def handle(self, *args, url, **options):
        existing = Membership.objects.filter(user__email__iexact=EMAIL).select_related("organization").first()
        organization = existing.organization if existing else demo_group()
        if organization is None:
            raise CommandError("No approved group: run `manage.py load_demo` first.")
        contact = ContactPerson.objects.filter(organization=organization, email__iexact=EMAIL).first()
        if contact is None:
            contact = ContactPerson(
                organization=organization,
                name=NAME,
                role=ROLE,
                email=EMAIL,
                is_primary=not organization.contacts.exists(),
            )
            services.contact_person_save(actor="demo", contact=contact, changed_fields=["name", "role", "email"])
        if existing is None:
            services.membership_invite(actor="demo", organization=organization, email=EMAIL, role=Membership.Role.MAIN)
        password = secrets.token_urlsafe(12)
        user = get_user_model().objects.get(email__iexact=EMAIL)
        user.is_active = True
        user.set_password(password)
        user.save()
        # The demo address receives no mail: treat it as verified so that the log-in is one step.
        EmailAddress.objects.filter(user=user, email__iexact=EMAIL).update(verified=True, primary=True)
        self.stdout.write(f"Member login: {url}  e-mail: {EMAIL}  password: {password}  (見本 for {organization.name})")
