"""The one mail module: queued with the record, sent by the worker, retried, at most once, listed for staff."""

import datetime
import smtplib

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from platform_portal import mail as portal_mail
from platform_portal.mail import mail_queue, mail_recover_stale
from platform_portal.models import AuditLogEntry, OutgoingMail
from tests.fake_smtp import FakeSMTPServer, free_port
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db
Status = OutgoingMail.Status
CONTEXT_EVENT = {"title": "居場所づくり研修会", "start_date": None, "planned_label": "未定", "venue": "県庁"}


def _queue(**overrides):
    signup = {"name": "鳥取 花子", "status": "confirmed", "token": "0b8e4c5e-3c33-4bb5-8e4a-9f0c9e0f7d11"}
    arguments = {
        "template": "event_signup",
        "to": ["hanako@example.jp"],
        "context": {"signup": signup, "event": CONTEXT_EVENT, "site_url": "https://portal.example.jp"},
    }
    arguments.update(overrides)
    mail_queue(**arguments)
    return OutgoingMail.objects.order_by("-pk").first()


class DownBackend(BaseEmailBackend):
    """A mail server that refuses connections."""

    def open(self):
        raise ConnectionRefusedError("connection refused")

    def send_messages(self, messages):
        raise AssertionError("never reached")


class PermanentlyRefusingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({"x@example.jp": (550, b"no such user")})


@pytest.fixture
def smtp_server(settings):
    server = FakeSMTPServer().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 1
    yield server
    server.stop()


def test_mail_is_rendered_stored_and_queued_in_the_callers_transaction():
    with transaction.atomic():
        stored = _queue()
        assert DBTaskResult.objects.filter(task_path="platform_portal.mail.mail_send").count() == 1
    assert (stored.status, stored.attempts, stored.to) == (Status.QUEUED, 0, ["hanako@example.jp"])
    assert "居場所づくり研修会" in stored.subject and "鳥取 花子" in stored.body
    assert mail.outbox == []  # nothing is sent before the worker runs
    assert run_tasks() == 1
    stored.refresh_from_db()
    assert (stored.status, stored.attempts) == (Status.SENT, 1)
    assert stored.sent_at is not None
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == stored.subject
    assert run_tasks() == 0  # sent once


def test_a_rolled_back_record_leaves_no_mail_and_no_job():
    with pytest.raises(RuntimeError), transaction.atomic():
        _queue()
        raise RuntimeError("the record is rolled back")
    assert not OutgoingMail.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_no_recipient_no_mail():
    mail_queue(template="event_signup", to=["", ""], context={"signup": {}, "event": CONTEXT_EVENT})
    assert not OutgoingMail.objects.exists()


def test_no_line_break_reaches_a_header():
    event = {**CONTEXT_EVENT, "title": "研修会\r\nBcc: evil@example.com\u2028X-Evil: 1"}
    stored = _queue(
        context={
            "signup": {"name": "x", "status": "confirmed", "token": "0b8e4c5e-3c33-4bb5-8e4a-9f0c9e0f7d11"},
            "event": event,
        }
    )
    stored_reply = _queue(reply_to="secretariat@example.jp\r\nBcc: evil@example.com")
    for item in (stored, stored_reply):
        assert "\n" not in item.subject and "\r" not in item.subject and "\u2028" not in item.subject
    assert "\n" not in stored_reply.reply_to
    run_tasks()
    assert len(mail.outbox) == 2
    assert all(message.bcc == [] for message in mail.outbox)


def test_reply_to_is_set():
    _queue(reply_to="jimukyoku@example.jp")
    run_tasks()
    assert mail.outbox[0].reply_to == ["jimukyoku@example.jp"]


def test_retries_with_growing_delays_then_fails_and_staff_see_it(settings, secretariat_client):
    settings.EMAIL_BACKEND = "tests.platform_portal.test_mail.DownBackend"
    settings.MAIL_RETRY_DELAYS = [60, 600, 86400]
    start = timezone.now()
    stored = _queue()
    with time_machine.travel(start, tick=False) as clock:
        run_tasks()
        stored.refresh_from_db()
        assert (stored.status, stored.attempts) == (Status.QUEUED, 1)
        assert stored.next_attempt_at == start + datetime.timedelta(seconds=60)
        assert "ConnectionRefusedError" in stored.last_error
        clock.shift(59)
        assert run_tasks() == 0  # not due yet
        for expected_delay in (600, 86400):
            clock.shift(
                datetime.timedelta(seconds=1) if expected_delay == 600 else stored.next_attempt_at - timezone.now()
            )
            run_tasks()
            stored.refresh_from_db()
            assert stored.status == Status.QUEUED
            assert stored.next_attempt_at == timezone.now() + datetime.timedelta(seconds=expected_delay)
        clock.shift(datetime.timedelta(seconds=86400))
        run_tasks()
    stored.refresh_from_db()
    assert (stored.status, stored.attempts) == (Status.FAILED, 4)
    assert mail.outbox == []
    # Staff: the admin index points at it, the list shows it, the resend action queues it again.
    index = secretariat_client.get(reverse("admin:index"))
    items = [item for item in index.context["attention_items"] if "outgoingmail" in item.url]
    assert items and items[0].count == 1
    changelist = secretariat_client.get(items[0].url)
    assert changelist.status_code == 200 and stored.subject in changelist.content.decode()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = secretariat_client.post(
        reverse("admin:platform_portal_outgoingmail_changelist"),
        {"action": "resend", "_selected_action": [stored.pk]},
    )
    assert response.status_code == 302
    stored.refresh_from_db()
    assert (stored.status, stored.attempts) == (Status.QUEUED, 0)
    assert AuditLogEntry.objects.filter(action="platform_portal.mail.resent").count() == 1
    run_tasks()
    stored.refresh_from_db()
    assert stored.status == Status.SENT and len(mail.outbox) == 1


def test_default_retries_span_at_least_a_day(settings):
    assert sum(portal_mail.retry_delays()) >= 24 * 60 * 60
    assert portal_mail.retry_delays() == sorted(portal_mail.retry_delays())


def test_official_cannot_resend(official_client, settings):
    stored = _queue()
    OutgoingMail.objects.filter(pk=stored.pk).update(status=Status.FAILED)
    changelist = reverse("admin:platform_portal_outgoingmail_changelist")
    assert official_client.get(changelist).status_code == 200
    official_client.post(changelist, {"action": "resend", "_selected_action": [stored.pk]})
    stored.refresh_from_db()
    assert stored.status == Status.FAILED
    assert (
        official_client.get(reverse("admin:platform_portal_outgoingmail_change", args=[stored.pk])).status_code == 200
    )


def test_a_permanent_refusal_is_not_retried(settings):
    settings.EMAIL_BACKEND = "tests.platform_portal.test_mail.PermanentlyRefusingBackend"
    stored = _queue()
    run_tasks()
    stored.refresh_from_db()
    assert (stored.status, stored.attempts) == (Status.FAILED, 1)


def test_while_the_server_is_down_other_mails_wait_without_spending_a_timeout(settings):
    settings.EMAIL_BACKEND = "tests.platform_portal.test_mail.DownBackend"
    first, second, third = _queue(), _queue(), _queue()
    run_tasks()
    rows = {row.pk: row for row in OutgoingMail.objects.all()}
    assert rows[first.pk].attempts == 1
    # The others did not try: they wait for the same moment as the first one's retry.
    assert rows[second.pk].attempts == rows[third.pk].attempts == 0
    assert rows[second.pk].next_attempt_at >= rows[first.pk].next_attempt_at
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(rows[third.pk].next_attempt_at + datetime.timedelta(seconds=3), tick=False):
        run_tasks()
    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {Status.SENT}
    assert len(mail.outbox) == 3


def test_a_message_is_sent_once_even_with_duplicate_jobs():
    stored = _queue()
    portal_mail.mail_send.enqueue(stored.pk)  # e.g. a resend racing the original job
    assert run_tasks() == 2
    assert len(mail.outbox) == 1


def test_a_claimed_message_is_not_sent_by_another_job():
    stored = _queue()
    claimed = portal_mail._claim(stored.pk)
    assert claimed is not None
    assert portal_mail.deliver(stored.pk) == "skipped"
    assert mail.outbox == []


def test_a_worker_that_died_before_handing_over_is_replaced_and_the_mail_is_sent(settings):
    settings.MAIL_CLAIM_LEASE_SECONDS = 60
    stored = _queue()
    DBTaskResult.objects.all().delete()  # the job that claimed it died with its worker
    _mail, token = portal_mail._claim(stored.pk)
    assert mail_recover_stale() == {"requeued": 0, "unknown": 0}  # the lease has not run out
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=61), tick=False):
        assert mail_recover_stale() == {"requeued": 1, "unknown": 0}
        run_tasks()
    stored.refresh_from_db()
    assert stored.status == Status.SENT and len(mail.outbox) == 1
    # The old worker, if it was only slow, finds its claim gone and stops before handing over.
    with pytest.raises(portal_mail.LostClaim):
        portal_mail._cross_point_of_no_return(stored, token)
    assert len(mail.outbox) == 1


def test_a_worker_that_died_while_handing_over_leaves_the_mail_unknown_never_sent_twice(settings):
    settings.MAIL_CLAIM_LEASE_SECONDS = 60
    stored = _queue()
    DBTaskResult.objects.all().delete()
    _mail, token = portal_mail._claim(stored.pk)
    portal_mail._cross_point_of_no_return(stored, token)  # then the worker is killed
    later = timezone.now() + datetime.timedelta(seconds=61)
    assert mail_recover_stale(now=later) == {"requeued": 0, "unknown": 1}
    stored.refresh_from_db()
    assert stored.status == Status.UNKNOWN
    assert run_tasks() == 0 and mail.outbox == []


# --- the SMTP path against a real (local) server --------------------------------------------


def test_smtp_delivery(smtp_server):
    stored = _queue(to=["hanako@example.jp", "jimukyoku@example.jp"])
    run_tasks()
    stored.refresh_from_db()
    assert stored.status == Status.SENT
    [message] = smtp_server.parsed()
    assert message["X-Portal-Mail-Id"] == str(stored.pk)
    assert message["Subject"].strip() == stored.subject
    assert "鳥取 花子" in message.get_content()


def test_smtp_body_line_starting_with_a_dot_survives(smtp_server):
    stored = _queue()
    OutgoingMail.objects.filter(pk=stored.pk).update(body=".\r\n.hidden\n最後")
    run_tasks()
    [message] = smtp_server.parsed()
    assert message.get_content().replace("\r\n", "\n").startswith(".\n.hidden\n最後")


def test_smtp_hanging_server_times_out_and_retries(smtp_server):
    smtp_server.mode = "hang"
    stored = _queue()
    started = timezone.now()
    run_tasks()
    assert (timezone.now() - started).total_seconds() < 5  # EMAIL_TIMEOUT = 1 s per operation
    stored.refresh_from_db()
    assert (stored.status, stored.attempts) == (Status.QUEUED, 1)
    assert "timed out" in stored.last_error
    smtp_server.mode = "ok"
    with time_machine.travel(stored.next_attempt_at + datetime.timedelta(seconds=3), tick=False):
        run_tasks()
    stored.refresh_from_db()
    assert stored.status == Status.SENT and smtp_server.mail_ids() == [str(stored.pk)]


def test_smtp_refusing_server_retries(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 1
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    stored = _queue()
    run_tasks()
    stored.refresh_from_db()
    assert (stored.status, stored.attempts) == (Status.QUEUED, 1)
    assert "refused" in stored.last_error.lower()


def test_smtp_rejection_after_data_is_retried_not_unknown(smtp_server):
    smtp_server.mode = "reject"
    stored = _queue()
    run_tasks()
    stored.refresh_from_db()
    assert stored.status == Status.FAILED  # 554 is permanent
    assert "554" in stored.last_error


def test_smtp_claim_lost_before_the_final_dot_sends_nothing(smtp_server, monkeypatch):
    _queue()
    original = portal_mail._cross_point_of_no_return

    def recovery_took_it(mail_row, token):
        OutgoingMail.objects.filter(pk=mail_row.pk).update(claim_token="someone-else")
        original(mail_row, token)

    monkeypatch.setattr(portal_mail, "_cross_point_of_no_return", recovery_took_it)
    run_tasks()
    assert smtp_server.messages == []


def test_a_worker_that_died_between_taking_the_job_and_claiming_the_mail(settings):
    settings.MAIL_CLAIM_LEASE_SECONDS = 60
    stored = _queue()
    DBTaskResult.objects.update(status="RUNNING")  # taken by a worker that was then killed
    assert run_tasks() == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=61), tick=False):
        assert mail_recover_stale() == {"requeued": 1, "unknown": 0}
        assert mail_recover_stale() == {"requeued": 0, "unknown": 0}  # it has a job now
        run_tasks()
    stored.refresh_from_db()
    assert stored.status == Status.SENT and len(mail.outbox) == 1


def test_deletion_on_request_reaches_stored_mail():
    _queue()  # to hanako@example.jp, body names 鳥取 花子
    _queue(
        to=["other@example.jp"],
        context={
            "signup": {"name": "別人", "status": "confirmed", "token": "0b8e4c5e-3c33-4bb5-8e4a-9f0c9e0f7d11"},
            "event": CONTEXT_EVENT,
        },
    )
    run_tasks()
    assert portal_mail.mail_erase_personal(values=["鳥取 花子", "HANAKO@example.jp", " "]) == 1
    assert list(OutgoingMail.objects.values_list("to", flat=True)) == [["other@example.jp"]]


def test_mail_list_queries_do_not_grow_with_rows(secretariat_client, django_assert_max_num_queries):
    url = reverse("admin:platform_portal_outgoingmail_changelist")
    for count in (10, 500):
        OutgoingMail.objects.bulk_create(
            [
                OutgoingMail(template="t", to=[f"{n}@example.jp"], subject=f"件名{n}", body="本文")
                for n in range(count - OutgoingMail.objects.count())
            ]
        )
        with django_assert_max_num_queries(12):
            assert secretariat_client.get(url).status_code == 200
