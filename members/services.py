"""Every write of the member registry (docs/house-style.md R5-R8): registration, decisions, contacts.

Each service is atomic, writes one audit entry and sends its mails after commit, so that a
rolled-back change sends nothing and a mail server outage loses nothing (docs/quality.md R4).
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members import emails, rules
from members.models import (
    ActivityField,
    ChangeRequest,
    ContactPerson,
    GeneralType,
    Membership,
    Municipality,
    Organization,
)
from members.selectors import organization_by_token, organization_find_duplicates
from platform_portal.audit import Actor, actor_user, audit_log
from platform_portal.mail import mail_queue

Status = Organization.Status
RECEIPT_ATTEMPTS = 5

DUPLICATE_MESSAGES = {
    "duplicate_name": gettext_lazy("A group with this name is already registered or has already applied."),
    "duplicate_email": gettext_lazy("This e-mail address is already registered for another group."),
}


def _duplicate_error(codes: list[str]) -> ValidationError:
    return ValidationError([ValidationError(DUPLICATE_MESSAGES[c], code=c) for c in codes])


def _prepare(organization: Organization) -> None:
    """Derived fields every write keeps in step: name key and, when blank, the legal form."""
    organization.name_key = rules.name_key(organization.name)
    if not organization.legal_form:
        organization.legal_form = rules.legal_form_of(organization.name)
    if organization.tier == Organization.Tier.STEERING:
        organization.general_type = None
    else:
        organization.steering_category = None


REGISTRATION_LOCK = 0x4D454D42  # "MEMB": one advisory lock for all self-registrations


def _serialize_registrations() -> None:
    """Make the duplicate check and the insert atomic across requests (PostgreSQL advisory lock).

    Registrations are rare, so one transaction-scoped lock for all of them costs nothing and
    keeps two simultaneous applications of the same group from both passing the check.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [REGISTRATION_LOCK])


def _next_receipt_number(year: int) -> str:
    prefix = f"M-{year:04d}-"
    last = (
        Organization.objects.filter(receipt_number__startswith=prefix)
        .order_by("-receipt_number")
        .values_list("receipt_number", flat=True)
        .first()
    )
    return rules.receipt_number(year, rules.parse_receipt_sequence(last) + 1 if last else 1)


@transaction.atomic
def organization_register(
    *,
    actor: Actor = None,
    submission_token: str,
    general_type: GeneralType,
    name: str,
    name_kana: str,
    municipality: Municipality | None,
    address: str = "",
    website: str = "",
    description: str = "",
    activity_fields: Iterable[ActivityField] = (),
    publish_consent: bool,
    contact_name: str,
    contact_role: str = "",
    contact_email: str,
    contact_phone: str = "",
    today: datetime.date | None = None,
) -> Organization:
    """A group's self-registration (入会申請) as a general member: a pending record with a receipt number.

    A resubmission with the same one-time token returns the record already created (IO6).
    The same group (name key or contact e-mail) cannot apply twice: ValidationError with
    code duplicate_name / duplicate_email.
    """
    _serialize_registrations()
    existing = organization_by_token(token=submission_token)
    if existing is not None:
        return existing
    codes = organization_find_duplicates(name=name, emails=[contact_email])
    if codes:
        raise _duplicate_error(codes)
    today = today or timezone.localdate()
    organization = Organization(
        tier=Organization.Tier.GENERAL,
        general_type=general_type,
        name=name,
        name_kana=rules.kana_key(name_kana) if name_kana else "",
        municipality=municipality,
        address=address,
        website=website,
        description=description,
        publish_consent=publish_consent,
        status=Status.PENDING,
        applied_on=today,
        submission_token=submission_token,
    )
    _prepare(organization)
    for _attempt in range(RECEIPT_ATTEMPTS):
        organization.receipt_number = _next_receipt_number(today.year)
        try:
            with transaction.atomic():
                organization.save()
        except IntegrityError:
            # Another request took the token (double click) or the receipt number (race): look again.
            organization.pk = None
            existing = organization_by_token(token=submission_token)
            if existing is not None:
                return existing
            continue
        break
    else:
        raise RuntimeError("could not allocate a receipt number")
    organization.activity_fields.set(activity_fields)
    ContactPerson.objects.create(
        organization=organization,
        name=contact_name,
        role=contact_role,
        email=rules.email_key(contact_email),
        phone=rules.normalize_phone(contact_phone) if contact_phone else "",
        is_primary=True,
    )
    audit_log(
        actor=actor or "applicant",
        action="members.organization.applied",
        target=organization,
        data={"receipt_number": organization.receipt_number},
    )
    emails.queue_application_mails(organization.pk)  # sent by the worker after commit
    return organization


@transaction.atomic
def organization_save(
    *,
    actor: Actor,
    organization: Organization,
    changed_fields: Iterable[str] = (),
    activity_fields: Iterable[ActivityField] | None = None,
) -> Organization:
    """Create or edit an organisation's record (secretariat, demo loader); status moves only by decisions."""
    created = organization.pk is None
    if created and organization.status == Status.PENDING and organization.applied_on is None:
        organization.applied_on = timezone.localdate()
    _prepare(organization)
    organization.full_clean(exclude=["activity_fields"])
    organization.save()
    if activity_fields is not None:
        organization.activity_fields.set(activity_fields)
    audit_log(
        actor=actor,
        action="members.organization.created" if created else "members.organization.changed",
        target=organization,
        data={"fields": sorted(changed_fields)},
    )
    return organization


@transaction.atomic
def organization_import(
    *, actor: Actor, organization: Organization, activity_fields: Iterable[ActivityField] | None = None
) -> Organization:
    """A new organisation from the secretariat's import: pending, with its application date and receipt number.

    What a self-registration gets (receipt number in the year of application, 申請日, one audit
    entry) except the receipt mail: an imported row is an application the secretariat already
    holds (on paper or in its old registry), not one the group just sent, and a bulk import
    must not mail every group at once. A status in the file is reached afterwards through
    organization_approve / _reject / _withdraw, which send their decision mails as in the admin.
    """
    organization.status = Status.PENDING
    organization.applied_on = organization.applied_on or timezone.localdate()
    _prepare(organization)
    for _attempt in range(RECEIPT_ATTEMPTS):
        organization.receipt_number = _next_receipt_number(organization.applied_on.year)
        try:
            with transaction.atomic():
                organization.save(force_insert=True)
        except IntegrityError:
            # A registration took the number meanwhile (race): take the next one.
            organization.pk = None
            continue
        break
    else:
        raise RuntimeError("could not allocate a receipt number")
    if activity_fields is not None:
        organization.activity_fields.set(activity_fields)
    audit_log(
        actor=actor,
        action="members.organization.imported",
        target=organization,
        data={"receipt_number": organization.receipt_number},
    )
    return organization


def _decide(
    *,
    actor: Actor,
    organization: Organization,
    allowed_from: tuple[str, ...],
    to: str,
    date_field: str,
    reason: str,
    on: datetime.date | None,
    code: str,
    mail: str,
) -> Organization:
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if organization.status not in allowed_from:
        raise ValidationError(
            _("%(name)s cannot move from %(status)s to %(target)s.")
            % {"name": organization.name, "status": organization.get_status_display(), "target": Status(to).label},
            code="illegal_transition",
        )
    previous = organization.status
    organization.status = to
    setattr(organization, date_field, on or timezone.localdate())
    organization.status_reason = reason
    organization.save(update_fields=["status", date_field, "status_reason", "updated_at"])
    audit_log(
        actor=actor,
        action=f"members.organization.{code}",
        target=organization,
        data={"from": previous, "reason": reason, "on": getattr(organization, date_field).isoformat()},
    )
    emails.queue_decision_mail(organization.pk, mail)  # sent by the worker after commit
    return organization


@transaction.atomic
def organization_approve(
    *, actor: Actor, organization: Organization, reason: str = "", on: datetime.date | None = None
) -> Organization:
    """Approve an application (承認): the group appears in the public registry and its contacts get accounts."""
    organization = _decide(
        actor=actor,
        organization=organization,
        allowed_from=(Status.PENDING, Status.REJECTED),
        to=Status.APPROVED,
        date_field="approved_on",
        reason=reason,
        on=on,
        code="approved",
        mail="approved",
    )
    _invite_contacts(actor=actor, organization=organization)
    return organization


@transaction.atomic
def organization_reject(
    *, actor: Actor, organization: Organization, reason: str, on: datetime.date | None = None
) -> Organization:
    """Reject an application (不承認) with a reason that the group receives."""
    if not reason.strip():
        raise ValidationError(_("Give the reason for the rejection."), code="reason_required")
    return _decide(
        actor=actor,
        organization=organization,
        allowed_from=(Status.PENDING,),
        to=Status.REJECTED,
        date_field="rejected_on",
        reason=reason,
        on=on,
        code="rejected",
        mail="rejected",
    )


@transaction.atomic
def organization_withdraw(
    *, actor: Actor, organization: Organization, reason: str = "", on: datetime.date | None = None
) -> Organization:
    """Record a member's withdrawal (退会); the record and its history stay."""
    return _decide(
        actor=actor,
        organization=organization,
        allowed_from=(Status.APPROVED,),
        to=Status.WITHDRAWN,
        date_field="withdrawn_on",
        reason=reason,
        on=on,
        code="withdrawn",
        mail="withdrawn",
    )


@transaction.atomic
def organization_delete(*, actor: Actor, organization: Organization) -> None:
    """Delete a record entered by mistake (spam, test); members who leave are withdrawn instead."""
    audit_log(
        actor=actor,
        action="members.organization.deleted",
        target=organization,
        data={"name": organization.name, "status": organization.status},
    )
    organization.delete()


@transaction.atomic
def contact_person_save(*, actor: Actor, contact: ContactPerson, changed_fields: Iterable[str] = ()) -> ContactPerson:
    """Create or edit a contact person (personal data; the audit entry names fields, not values)."""
    created = contact.pk is None
    contact.email = rules.email_key(contact.email) if contact.email else ""
    contact.phone = rules.normalize_phone(contact.phone) if contact.phone else ""
    contact.full_clean()
    contact.save()
    audit_log(
        actor=actor,
        action="members.contact.created" if created else "members.contact.changed",
        target=contact.organization,
        data={"contact_id": contact.pk, "fields": sorted(changed_fields)},
    )
    return contact


@transaction.atomic
def contact_person_delete(*, actor: Actor, contact: ContactPerson) -> None:
    """Remove a contact person."""
    audit_log(
        actor=actor, action="members.contact.deleted", target=contact.organization, data={"contact_id": contact.pk}
    )
    contact.delete()


def organization_activities_changed(*, actor: Actor, organization: Organization, changed_rows: int) -> None:
    """The admin's activity list of an organisation was saved (no side effects): one audit entry."""
    audit_log(
        actor=actor, action="members.organization.activities_changed", target=organization, data={"rows": changed_rows}
    )


# ------------------------------------------------------------------ accounts of contact persons


def _invitation_url(user) -> str:
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )
    return settings.PORTAL_URL.rstrip("/") + path


def membership_check(*, organization: Organization, email: str) -> str:
    """Raise if `email` cannot be given an account for the group; return the normalised address."""
    from django.contrib.auth import get_user_model

    email = rules.email_key(email or "")
    if not email:
        raise ValidationError(_("Enter an e-mail address."), code="email_required")
    if organization.status != Status.APPROVED:
        raise ValidationError(_("Only approved groups have member accounts."), code="not_approved")
    user = get_user_model().objects.filter(email__iexact=email).first()
    if user is not None and user.is_staff:
        raise ValidationError(_("This address belongs to a staff account."), code="staff_address")
    if user is not None and organization.memberships.filter(user=user).exists():
        raise ValidationError(_("This person is already a contact of the group."), code="already_member")
    return email


@transaction.atomic
def membership_invite(
    *, actor: Actor, organization: Organization, email: str, role: str = Membership.Role.CONTACT
) -> Membership:
    """Give a contact person an account for the group and mail the invitation (password set-up link).

    An address that already has an account gets the group added to it (one person, several groups).
    """
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    email = membership_check(organization=organization, email=email)
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(username=email[:150], email=email)
        user.set_unusable_password()
        user.save()
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    membership = Membership.objects.create(
        user=user, organization=organization, role=role, invited_by=actor_user(actor)
    )
    audit_log(
        actor=actor,
        action="members.membership.invited",
        target=organization,
        data={"membership": membership.pk, "role": role},
    )
    mail_queue(
        template="member_invitation",
        to=[email],
        context={
            "organization_name": organization.name,
            "url": _invitation_url(user) if not user.has_usable_password() else "",
            "login_url": settings.PORTAL_URL.rstrip("/") + reverse("account_login"),
        },
    )
    return membership


@transaction.atomic
def membership_remove(*, actor: Actor, membership: Membership) -> None:
    """End a person's access to a group (the account stays for their other groups)."""
    if (
        membership.role == Membership.Role.MAIN
        and not membership.organization.memberships.filter(role=Membership.Role.MAIN).exclude(pk=membership.pk).exists()
    ):
        raise ValidationError(_("A group keeps at least one main contact."), code="last_main_contact")
    audit_log(
        actor=actor,
        action="members.membership.removed",
        target=membership.organization,
        data={"membership": membership.pk},
    )
    membership.delete()


def _invite_contacts(*, actor: Actor, organization: Organization) -> None:
    """On approval, every contact person with an address gets an account (the primary as main contact)."""
    for contact in organization.contacts.exclude(email=""):
        if organization.memberships.filter(user__email__iexact=contact.email).exists():
            continue
        role = Membership.Role.MAIN if contact.is_primary else Membership.Role.CONTACT
        try:
            with transaction.atomic():
                membership_invite(actor=actor, organization=organization, email=contact.email, role=role)
        except ValidationError:
            # A staff address or a duplicate: the approval stands; staff can invite by hand.
            continue


# ------------------------------------------------------------------ registry change requests


def _field_value(organization: Organization, name: str):
    if name == "municipality":
        return organization.municipality_id
    return getattr(organization, name)


@transaction.atomic
def change_request_submit(*, actor: Actor, organization: Organization, values: dict) -> ChangeRequest:
    """A group asks for a change of its registry entry; nothing in the registry changes yet."""
    changes = {}
    for name in ChangeRequest.FIELDS:
        if name not in values:
            continue
        new = values[name]
        if name == "municipality":
            new = new.pk if new is not None else None
        old = _field_value(organization, name)
        if new != old:
            changes[name] = [old, new]
    if not changes:
        raise ValidationError(_("Nothing was changed."), code="no_change")
    request = ChangeRequest.objects.create(organization=organization, requested_by=actor_user(actor), changes=changes)
    audit_log(
        actor=actor,
        action="members.change_request.submitted",
        target=organization,
        data={"change_request": request.pk, "fields": sorted(changes)},
    )
    return request


@transaction.atomic
def change_request_approve(*, actor: Actor, change_request: ChangeRequest) -> ChangeRequest:
    """Staff approve a change request: the registry entry takes the requested values."""
    change_request = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    if change_request.status != ChangeRequest.Status.PENDING:
        raise ValidationError(_("This request has already been decided."), code="decided")
    organization = Organization.objects.select_for_update().get(pk=change_request.organization_id)
    for name, (_old, new) in change_request.changes.items():
        if name == "municipality":
            organization.municipality = Municipality.objects.filter(pk=new).first() if new else None
        else:
            setattr(organization, name, new)
    organization_save(actor=actor, organization=organization, changed_fields=list(change_request.changes))
    change_request.status = ChangeRequest.Status.APPROVED
    change_request.decided_by = actor_user(actor)
    change_request.decided_at = timezone.now()
    change_request.save(update_fields=["status", "decided_by", "decided_at"])
    audit_log(
        actor=actor,
        action="members.change_request.approved",
        target=organization,
        data={"change_request": change_request.pk},
    )
    _mail_members(organization, "member_change_decided", {"change_request": change_request})
    return change_request


@transaction.atomic
def change_request_refuse(*, actor: Actor, change_request: ChangeRequest, reason: str) -> ChangeRequest:
    """Staff refuse a change request, with the reason the group receives."""
    change_request = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    if change_request.status != ChangeRequest.Status.PENDING:
        raise ValidationError(_("This request has already been decided."), code="decided")
    if not reason.strip():
        raise ValidationError(_("Give the reason for the refusal."), code="reason_required")
    change_request.status = ChangeRequest.Status.REFUSED
    change_request.reason = reason
    change_request.decided_by = actor_user(actor)
    change_request.decided_at = timezone.now()
    change_request.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    audit_log(
        actor=actor,
        action="members.change_request.refused",
        target=change_request.organization,
        data={"change_request": change_request.pk, "reason": reason},
    )
    _mail_members(change_request.organization, "member_change_decided", {"change_request": change_request})
    return change_request


def _mail_members(organization: Organization, template: str, context: dict) -> None:
    addresses = list(organization.memberships.values_list("user__email", flat=True))
    mail_queue(
        template=template,
        to=addresses,
        context={"organization_name": organization.name, "login_url": _member_url(organization), **context},
    )


def _member_url(organization: Organization) -> str:
    return settings.PORTAL_URL.rstrip("/") + reverse("member:organization", args=[organization.pk])
