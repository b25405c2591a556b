"""Staff accounts (職員アカウント): the secretariat creates and deactivates staff and read-only official
accounts with their role, without a superuser (docs/house-style.md R5: writes with an audit entry).

A new account has no password: its owner sets one through the link mailed to them, the same
link as "forgotten your password" on the login page. Superusers are never made or changed here.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from platform_portal.audit import audit_log
from platform_portal.mail import mail_queue
from platform_portal.roles import OFFICIAL, SECRETARIAT

ROLES = (SECRETARIAT, OFFICIAL)


def password_set_url(user, *, base_url: str) -> str:
    """The one-time link where the account's owner sets a new password."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return base_url.rstrip("/") + reverse("staff_password_set", args=[uid, token])


def staff_password_mail(*, user, base_url: str, template: str = "staff_password_reset") -> None:
    """Mail the password link to the account's owner (through the mail queue)."""
    from platform_portal.selectors import site_profile_get

    if not user.email:
        raise ValidationError(_("This account has no e-mail address."), code="no_email")
    mail_queue(
        template=template,
        to=[user.email],
        context={"user": user, "url": password_set_url(user, base_url=base_url), "platform": site_profile_get()},
    )


def _set_role(user, role: str) -> None:
    if role not in ROLES:
        raise ValidationError(_("Choose a role."), code="role_missing")
    user.groups.remove(*Group.objects.filter(name__in=ROLES).exclude(name=role))
    user.groups.add(Group.objects.get(name=role))


@transaction.atomic
def staff_account_create(*, actor, username: str, name: str, email: str, role: str, base_url: str):
    """A staff account with the role's permissions and no password yet; the owner is mailed a link."""
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("This user name is taken."), code="username_taken")
    if not email:
        raise ValidationError(_("Give the e-mail address the password link is sent to."), code="no_email")
    family, _sep, given = name.strip().partition(" ")
    user = User(username=username, email=email, last_name=family, first_name=given, is_staff=True, is_active=True)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    _set_role(user, role)
    audit_log(actor=actor, action="platform.staff.created", target=user, data={"role": role})
    staff_password_mail(user=user, base_url=base_url, template="staff_account_created")
    return user


@transaction.atomic
def staff_account_update(*, actor, user, role: str, is_active: bool, email: str, name: str):
    """Change the role, the name, the address or whether the account may log in."""
    if user.is_superuser:
        raise ValidationError(_("Superuser accounts are not managed here."), code="superuser")
    if user.pk == getattr(actor, "pk", None) and not is_active:
        raise ValidationError(_("You cannot deactivate your own account."), code="self_deactivation")
    family, _sep, given = name.strip().partition(" ")
    user.last_name, user.first_name, user.email, user.is_active = family, given, email, is_active
    user.save(update_fields=["last_name", "first_name", "email", "is_active"])
    _set_role(user, role)
    audit_log(actor=actor, action="platform.staff.changed", target=user, data={"role": role, "is_active": is_active})
    return user


@transaction.atomic
def staff_account_deactivate(*, actor, user) -> None:
    """The account can no longer log in; it and its audit entries stay."""
    if user.is_superuser:
        raise ValidationError(_("Superuser accounts are not managed here."), code="superuser")
    if user.pk == getattr(actor, "pk", None):
        raise ValidationError(_("You cannot deactivate your own account."), code="self_deactivation")
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit_log(actor=actor, action="platform.staff.deactivated", target=user, data={})


class StaffPasswordResetForm(PasswordResetForm):
    """ "Forgotten your password?" on the login page: the link is mailed through the mail queue."""

    def save(self, *, request=None, **kwargs):
        base_url = request.build_absolute_uri("/") if request is not None else "/"
        for user in self.get_users(self.cleaned_data["email"]):
            if user.is_staff:
                staff_password_mail(user=user, base_url=base_url)


class AdminContextMixin:
    """The auth views drawn in the admin's layout need the admin's context (its header, the platform's name)."""

    def get_context_data(self, **kwargs):
        from django.contrib import admin

        return {**admin.site.each_context(self.request), **super().get_context_data(**kwargs)}


def _admin_view(view_class):
    return type(view_class.__name__, (AdminContextMixin, view_class), {})


class StaffPasswordResetView(_admin_view(auth_views.PasswordResetView)):
    form_class = StaffPasswordResetForm


StaffPasswordResetDoneView = _admin_view(auth_views.PasswordResetDoneView)
StaffPasswordSetView = _admin_view(auth_views.PasswordResetConfirmView)
StaffPasswordDoneView = _admin_view(auth_views.PasswordResetCompleteView)
