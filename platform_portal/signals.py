"""Login events into the audit trail (docs/quality.md L1). Framework signals only; no domain logic here."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from platform_portal.audit import audit_log
from platform_portal.middleware import mark_session_login


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    if request is not None:
        mark_session_login(request)
    audit_log(actor=user, action="auth.login", target=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_log(actor=user, action="auth.logout", target=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # Only the username, never the password (credentials are already cleansed by Django).
    # Staff log in by user name, members by e-mail address (allauth passes "email").
    username = str(credentials.get("username") or credentials.get("email") or "")[:150]
    audit_log(actor=None, action="auth.login_failed", data={"username": username})
