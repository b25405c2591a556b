"""Every e-mail of the portal: queued in the caller's transaction, sent by a background job.

`mail_queue()` renders templates/emails/<template>_subject.txt and _body.txt now (inside the
caller's transaction, with the data as it is now), stores an `OutgoingMail` row and enqueues
the `mail_send` job in the same transaction: a rolled-back record leaves neither a message nor
a job, and nothing touches the mail server inside a request.

Sending (`mail_send`, run by `manage.py db_worker`):

- Every SMTP operation has a timeout (EMAIL_TIMEOUT), so a hanging server costs a worker
  seconds, not the request of a visitor.
- A message that could not be sent is retried with growing delays (MAIL_RETRY_DELAYS, by
  default over about two days): the job enqueues itself again with a later `run_after`. When
  the retries are spent, the message is "failed" and staff see it in the admin (送信メール)
  with a resend action. While the server is unreachable, other messages wait for the next
  try instead of each spending a timeout (a circuit breaker in the cache).
- At most once. A job claims the row (status sending, a fresh claim token) before it talks
  to the server. Everything before the end of the SMTP DATA is harmless to repeat: a server
  that loses the connection before the final "." discards the message. Just before that
  final "." the job moves the row to "delivering", guarded by its claim token; after the
  server's answer, to "sent". So:
    * a worker that dies while "sending" delivered nothing: after MAIL_CLAIM_LEASE_SECONDS
      the scheduled recovery puts the message back in the queue (no mail lost);
    * a worker that dies while "delivering" may or may not have handed the message over
      (a window of one network round trip): recovery marks it "unknown" and it is never
      sent again by itself (no mail doubled); staff can resend it after checking;
    * a worker that was only slow, not dead, finds its claim taken and stops before the
      final "." (the claim token fences it).
  The trade-off is deliberate: a rare "unknown" for staff rather than a duplicate notice.
"""

from __future__ import annotations

import datetime
import logging
import re
import secrets
import smtplib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from platform_portal.models import OutgoingMail

logger = logging.getLogger(__name__)

Status = OutgoingMail.Status
BREAKER_KEY = "platform_portal:mail:paused_until"
# SMTP replies that say the message (or every recipient) is refused for good: no retry.
PERMANENT = range(500, 600)


class LostClaim(Exception):
    """Another job (or the recovery) took the message over: stop before handing it over."""


class PermanentFailure(Exception):
    """The server refused the message for good (5xx): retrying cannot help."""


def render(template: str, context: dict) -> tuple[str, str]:
    """(subject, body) of templates/emails/<template>_*.txt; the subject folded to one line."""
    from platform_portal.selectors import site_profile_get

    context = {"platform": site_profile_get(), **context}
    subject = render_to_string(f"emails/{template}_subject.txt", context)
    # Folding on every kind of line break (str.split() without arguments) means no CR/LF from
    # a name can reach a mail header.
    subject = " ".join(subject.split())
    body = render_to_string(f"emails/{template}_body.txt", context)
    return subject, body


def mail_queue(*, template: str, to: list[str], context: dict, reply_to: str = "") -> None:
    """Render a mail now and send it after commit, from a background job (never inside the request)."""
    _queue(template=template, to=to, context=context, reply_to=reply_to)


def mail_queue_once(*, key: str, template: str, to: list[str], context: dict, reply_to: str = "") -> bool:
    """Like mail_queue, for scheduled mails: a message with the same key is queued only once.

    Returns whether it was queued now.
    """
    if OutgoingMail.objects.filter(key=key).exists():
        return False
    try:
        with transaction.atomic():
            return _queue(template=template, to=to, context=context, reply_to=reply_to, key=key)
    except IntegrityError:  # queued by a concurrent run meanwhile
        return False


def _queue(*, template: str, to: list[str], context: dict, reply_to: str = "", key: str | None = None) -> bool:
    recipients = [address for address in to if address]
    if not recipients:
        return False
    subject, body = render(template, context)
    reply_to = " ".join(reply_to.split())
    with transaction.atomic():
        mail = OutgoingMail.objects.create(
            template=template,
            to=recipients,
            reply_to=reply_to,
            subject=subject[:500],
            body=body,
            key=key,
            next_attempt_at=timezone.now(),
        )
        mail_send.enqueue(mail.pk)
    return True


# --- sending -------------------------------------------------------------------------------


@task()
def mail_send(mail_id: int) -> str:
    """The job: send one stored message (at most once), or schedule its next try."""
    return deliver(mail_id)


def retry_delays() -> list[int]:
    return list(settings.MAIL_RETRY_DELAYS)


def _enqueue_at(mail_id: int, when: datetime.datetime) -> None:
    mail_send.using(run_after=when).enqueue(mail_id)


def _paused_until() -> datetime.datetime | None:
    try:
        value = cache.get(BREAKER_KEY)
    except Exception:  # a cache outage must not stop the mail
        return None
    return value if value and value > timezone.now() else None


def _pause(until: datetime.datetime) -> None:
    try:
        cache.set(BREAKER_KEY, until, timeout=max(1, int((until - timezone.now()).total_seconds()) + 1))
    except Exception:
        logger.warning("mail: could not record the mail server pause in the cache")


def _resume() -> None:
    try:
        cache.delete(BREAKER_KEY)
    except Exception:
        logger.debug("mail: could not clear the mail server pause", exc_info=True)


def _claim(mail_id: int) -> tuple[OutgoingMail, str] | None:
    """Take a due, queued message for this job; None when it is not ours to send (any more)."""
    now = timezone.now()
    with transaction.atomic():
        mail = OutgoingMail.objects.select_for_update().filter(pk=mail_id).first()
        if mail is None or mail.status != Status.QUEUED:
            return None
        if mail.next_attempt_at and mail.next_attempt_at > now + datetime.timedelta(seconds=1):
            return None  # an older job of a message that was rescheduled: the newer job sends it
        paused_until = _paused_until()
        if paused_until is not None:
            # The server failed moments ago: wait for the next try without spending a timeout.
            mail.next_attempt_at = paused_until + datetime.timedelta(milliseconds=secrets.randbelow(2000))
            mail.save(update_fields=["next_attempt_at"])
            _enqueue_at(mail.pk, mail.next_attempt_at)
            return None
        token = get_random_string(32)
        mail.status = Status.SENDING
        mail.claim_token = token
        mail.claimed_at = now
        mail.attempts += 1
        mail.save(update_fields=["status", "claim_token", "claimed_at", "attempts"])
    return mail, token


def _cross_point_of_no_return(mail: OutgoingMail, token: str) -> None:
    updated = OutgoingMail.objects.filter(pk=mail.pk, status=Status.SENDING, claim_token=token).update(
        status=Status.DELIVERING
    )
    if not updated:
        raise LostClaim(mail.pk)


def _message(mail: OutgoingMail, connection) -> EmailMessage:
    return EmailMessage(
        subject=mail.subject,
        body=mail.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(mail.to),
        reply_to=[mail.reply_to] if mail.reply_to else None,
        connection=connection,
        headers={"X-Portal-Mail-Id": str(mail.pk)},
    )


def _smtp_transmit(backend: SMTPBackend, message: EmailMessage, before_final_dot: Callable[[], None]) -> None:
    """smtplib's sendmail, split so that the point of no return sits just before the final "."."""
    smtp = backend.connection
    encoding = message.encoding or settings.DEFAULT_CHARSET
    from_email = sanitize_address(message.from_email, encoding)
    recipients = [sanitize_address(address, encoding) for address in message.recipients()]
    data = message.message().as_bytes(linesep="\r\n")
    smtp.ehlo_or_helo_if_needed()
    code, reply = smtp.mail(from_email)
    if code != 250:
        raise smtplib.SMTPSenderRefused(code, reply, from_email)
    refused = {}
    for recipient in recipients:
        code, reply = smtp.rcpt(recipient)
        if code not in (250, 251):
            refused[recipient] = (code, reply)
    if len(refused) == len(recipients):
        raise smtplib.SMTPRecipientsRefused(refused)
    code, reply = smtp.docmd("data")
    if code != 354:
        raise smtplib.SMTPDataError(code, reply)
    quoted = re.sub(rb"(?m)^\.", b"..", data)
    if not quoted.endswith(b"\r\n"):
        quoted += b"\r\n"
    smtp.send(quoted)
    before_final_dot()
    smtp.send(b".\r\n")
    code, reply = smtp.getreply()
    if code != 250:
        raise smtplib.SMTPDataError(code, reply)


def _is_permanent(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code in PERMANENT for code, _reply in exc.recipients.values())
    return isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code in PERMANENT


def _is_connection_failure(exc: Exception) -> bool:
    return isinstance(exc, OSError | smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError)


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


def deliver(mail_id: int) -> str:
    """Send one message if it is due and unclaimed; returns what happened (for the job's result)."""
    claimed = _claim(mail_id)
    if claimed is None:
        return "skipped"
    mail, token = claimed
    crossed = False

    def crossing() -> None:
        nonlocal crossed
        _cross_point_of_no_return(mail, token)
        crossed = True

    try:
        _transmit(mail, crossing)
    except LostClaim:
        logger.warning("mail %s: claim lost to another job; not handed over", mail.pk)
        return "lost_claim"
    except Exception as exc:
        if crossed and not isinstance(exc, smtplib.SMTPResponseException | smtplib.SMTPRecipientsRefused):
            # The final "." went out and no answer came: the server may have accepted it.
            OutgoingMail.objects.filter(pk=mail.pk, claim_token=token).update(
                status=Status.UNKNOWN, last_error=_describe(exc), claim_token=""
            )
            logger.error("mail %s: no answer after handing it over; marked unknown", mail.pk)
            return "unknown"
        return _after_failure(mail, token, exc)
    now = timezone.now()
    OutgoingMail.objects.filter(pk=mail.pk, claim_token=token).update(
        status=Status.SENT, sent_at=now, claim_token="", last_error=""
    )
    _resume()
    return "sent"


def _transmit(mail: OutgoingMail, crossing: Callable[[], None]) -> None:
    connection = get_connection(timeout=settings.EMAIL_TIMEOUT)
    message = _message(mail, connection)
    if isinstance(connection, SMTPBackend):
        connection.open()
        try:
            _smtp_transmit(connection, message, crossing)
        finally:
            try:
                connection.close()
            except Exception:  # the message's fate is already decided
                logger.debug("mail: closing the SMTP connection failed", exc_info=True)
    else:
        # Other backends (console, file, tests, API services) send in one call: connection
        # errors surface in open(), and the point of no return comes just before the call.
        connection.open()
        try:
            crossing()
            connection.send_messages([message])
        finally:
            connection.close()


def _after_failure(mail: OutgoingMail, token: str, exc: Exception) -> str:
    delays = retry_delays()
    now = timezone.now()
    error = _describe(exc)
    retries_done = mail.attempts - 1
    if _is_permanent(exc) or retries_done >= len(delays):
        OutgoingMail.objects.filter(pk=mail.pk, claim_token=token).update(
            status=Status.FAILED, last_error=error, claim_token="", next_attempt_at=None
        )
        logger.error("mail %s: finally failed after %s attempts: %s", mail.pk, mail.attempts, error)
        return "failed"
    when = now + datetime.timedelta(seconds=delays[retries_done])
    with transaction.atomic():
        updated = OutgoingMail.objects.filter(
            pk=mail.pk, claim_token=token, status__in=[Status.SENDING, Status.DELIVERING]
        ).update(status=Status.QUEUED, last_error=error, claim_token="", next_attempt_at=when)
        if updated:
            _enqueue_at(mail.pk, when)
    if _is_connection_failure(exc):
        _pause(when)
    logger.warning("mail %s: attempt %s failed (%s); next try at %s", mail.pk, mail.attempts, error, when.isoformat())
    return "retry"


# --- staff and scheduled recovery ---------------------------------------------------------------


def mail_resend(*, actor, mail: OutgoingMail) -> OutgoingMail:
    """Queue a failed (or unknown) message again, with a fresh set of retries; audited."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from platform_portal.audit import audit_log

    with transaction.atomic():
        mail = OutgoingMail.objects.select_for_update().get(pk=mail.pk)
        if mail.status not in (Status.FAILED, Status.UNKNOWN):
            raise ValidationError(_("Only failed or unknown mails can be sent again."), code="not_resendable")
        now = timezone.now()
        mail.status = Status.QUEUED
        mail.attempts = 0
        mail.claim_token = ""
        mail.next_attempt_at = now
        mail.save(update_fields=["status", "attempts", "claim_token", "next_attempt_at"])
        mail_send.enqueue(mail.pk)
        _resume()  # staff resend after the server is back: try now, not when the pause would end
        audit_log(actor=actor, action="platform_portal.mail.resent", target=mail, data={"template": mail.template})
    return mail


def mail_recover_stale(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Messages whose worker died: back to the queue if nothing was handed over, else "unknown".

    Also gives a new job to a queued message whose job was taken by a worker that died before
    claiming it (its job row stays RUNNING for ever)."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.MAIL_CLAIM_LEASE_SECONDS)
    requeued = 0
    with transaction.atomic():
        stale = OutgoingMail.objects.select_for_update().filter(status=Status.SENDING, claimed_at__lt=cutoff)
        for mail in stale:
            mail.status = Status.QUEUED
            mail.claim_token = ""
            mail.next_attempt_at = now
            mail.last_error = "worker stopped before handing the message over"
            mail.save(update_fields=["status", "claim_token", "next_attempt_at", "last_error"])
            mail_send.enqueue(mail.pk)
            requeued += 1
        # A worker killed after taking the job but before claiming the message leaves it queued
        # with no job left to run it: give it a new one.
        overdue = set(
            OutgoingMail.objects.filter(status=Status.QUEUED, next_attempt_at__lt=cutoff).values_list("pk", flat=True)
        )
        if overdue:
            waiting = {
                job["args"][0]
                for job in DBTaskResult.objects.filter(task_path=mail_send.module_path, status="READY").values_list(
                    "args_kwargs", flat=True
                )
                if job.get("args")
            }
            for pk in sorted(overdue - waiting):
                mail_send.enqueue(pk)
                requeued += 1
        unknown = OutgoingMail.objects.filter(status=Status.DELIVERING, claimed_at__lt=cutoff).update(
            status=Status.UNKNOWN, claim_token="", last_error="worker stopped while handing the message over"
        )
    return {"requeued": requeued, "unknown": unknown}


def mail_erase_personal(*, values: list[str]) -> int:
    """Deletion on request: delete every stored message that names the person (address, name, phone).

    Messages are kept for TASK_RESULT_RETENTION_DAYS after sending, so a person's deletion must
    reach them too; a queued message to the person is dropped with them.
    """
    needles = [value.strip().casefold() for value in values if len(value.strip()) >= 2]
    if not needles:
        return 0
    doomed = [
        mail.pk
        for mail in OutgoingMail.objects.only("pk", "to", "reply_to", "subject", "body").iterator()
        if any(
            needle in text
            for text in (
                " ".join(mail.to).casefold(),
                mail.reply_to.casefold(),
                mail.subject.casefold(),
                mail.body.casefold(),
            )
            for needle in needles
        )
    ]
    deleted, _detail = OutgoingMail.objects.filter(pk__in=doomed).delete()
    return deleted
