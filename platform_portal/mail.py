"""The mail queue contract: every mail of the portal is sent through `mail_queue`.

Temporary body until the mail queue with stored messages and retries replaces this file:
the message is rendered now (inside the caller's transaction) and sent after commit, never
inside a transaction that may still roll back. Keep the signature exactly.
"""

import logging
from functools import partial

from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def _send(message: EmailMessage) -> None:
    try:
        message.send()
    except Exception:
        logger.exception("mail: could not send %r", message.subject)


def mail_queue(*, template: str, to: list[str], context: dict, reply_to: str = "") -> None:
    """Render templates/emails/<template>_subject.txt and _body.txt now; send after commit."""
    from platform_portal.selectors import site_profile_get

    recipients = [address for address in to if address]
    if not recipients:
        return
    context = {"platform": site_profile_get(), **context}
    # One line: no CR/LF from a name can reach the header (QUALITY IO4).
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
    body = render_to_string(f"emails/{template}_body.txt", context)
    message = EmailMessage(subject, body, None, recipients, reply_to=[reply_to] if reply_to else None)
    transaction.on_commit(partial(_send, message))
