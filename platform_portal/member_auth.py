"""Personal accounts (django-allauth): members' contact persons and the staff's second factor.

- Accounts are created by invitation only (members.services.membership_invite); nobody signs
  up by themselves.
- allauth's mails go through the portal's mail queue like every other mail.
- Staff sessions carry a marker once a second factor (TOTP) was checked in them; with
  STAFF_REQUIRE_2FA on, StaffSecondFactorMiddleware lets no staff page open without it.
"""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.account.signals import password_reset
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from platform_portal.mail import mail_queue
from platform_portal.selectors import site_profile_get

SECOND_FACTOR_SESSION_KEY = "_staff_second_factor"


def axes_username(request, credentials: dict | None) -> str:
    """The name axes counts failures under: the staff user name or the member's e-mail address."""
    credentials = credentials or {}
    for key in ("username", "email", "login"):
        value = credentials.get(key)
        if value:
            return str(value).strip().lower()
    data = getattr(request, "POST", {}) or {}
    return str(data.get("username") or data.get("login") or "").strip().lower()


class PortalAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        """Accounts come by invitation when a group is approved, never by self sign-up."""
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's mails (log-in codes, resets, verification) through the mail queue."""
        request = context.get("request") or getattr(self, "request", None)
        mail_queue(
            template="account",
            to=[email],
            context={
                **context,
                "email": email,
                "request": request,
                "current_site": {"name": site_profile_get().name, "domain": settings.PORTAL_URL},
                "subject_template": f"{template_prefix}_subject.txt",
                "body_template": f"{template_prefix}_message.txt",
            },
        )


def user_has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def staff_totp_valid(user, code: str) -> bool:
    """True when `code` is the current code of the user's TOTP authenticator (used once)."""
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return bool(authenticator and code and TOTP(authenticator).validate_code(code.strip()))


def mark_second_factor(request) -> None:
    request.session[SECOND_FACTOR_SESSION_KEY] = True


def has_second_factor(request) -> bool:
    return bool(request.session.get(SECOND_FACTOR_SESSION_KEY))


@receiver(user_logged_in, dispatch_uid="platform_portal.member_auth.mfa_login")
def _second_factor_from_allauth(sender, request, user, **kwargs):
    """A log-in through allauth's MFA stage counts as a checked second factor."""
    if request is None:
        return
    from allauth.account.internal.flows.login import get_authentication_records

    if any(record.get("method") == "mfa" for record in get_authentication_records(request, user)):
        mark_second_factor(request)


@receiver(authenticator_added, dispatch_uid="platform_portal.member_auth.mfa_added")
def _second_factor_added(sender, request, user, authenticator, **kwargs):
    """Activating TOTP takes a valid code: the session has passed the second factor."""
    if request is not None and authenticator.type == Authenticator.Type.TOTP:
        mark_second_factor(request)


@receiver(password_reset, dispatch_uid="platform_portal.member_auth.reset_verifies")
def _reset_verifies_address(sender, request, user, **kwargs):
    """The reset (and invitation) link went to the address: following it proves the address."""
    EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)
