"""Temporary stand-in for branch i12a's mail queue (replaced by i12a's file at merge).

Same signature: renders templates/emails/<template>_subject.txt and _body.txt now, inside the
caller's transaction, and sends only after commit.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string


def mail_queue(*, template: str, to: list[str], context: dict, reply_to: str = "") -> None:
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
    body = render_to_string(f"emails/{template}_body.txt", context)
    message = EmailMessage(
        subject, body, settings.DEFAULT_FROM_EMAIL, list(to), reply_to=[reply_to] if reply_to else None
    )
    transaction.on_commit(lambda: message.send(fail_silently=False))
