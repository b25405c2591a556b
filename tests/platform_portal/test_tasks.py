"""Background jobs: the real db_worker command runs the queue; a failing mail server never reaches a visitor (F2, F3)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from meetings.models import EventSignup
from members.models import Organization
from platform_portal.mail import mail_queue
from platform_portal.models import OutgoingMail
from tests.fake_smtp import FakeSMTPServer, free_port
from tests.meetings.event_factories import EventFactory
from tests.members.test_views import CONFIRM, DONE, JOIN, _form_data, _token
from tests.tasks import keep_test_connection, run_tasks

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SIGNUP_FORM = {
    "name": "鳥取 花子",
    "kana": "とっとり はなこ",
    "email": "hanako@example.jp",
    "phone": "0857-00-1234",
    "affiliation": "",
    "attendance": "venue",
    "message": "",
    "confirm": "1",
}


def _smtp_settings(settings, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 1
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""


@pytest.fixture
def hanging_smtp(settings):
    server = FakeSMTPServer(mode="hang").start()
    _smtp_settings(settings, server.port)
    yield server
    server.stop()


def _signup(client, event, email="hanako@example.jp"):
    started = time.monotonic()
    response = client.post(reverse("events:event_signup", args=[event.pk]), {**SIGNUP_FORM, "email": email})
    return response, time.monotonic() - started


@pytest.mark.django_db
@pytest.mark.parametrize("server_state", ["hanging", "refusing"])
def test_event_signup_answers_at_once_whatever_the_mail_server_does(client, settings, server_state):
    """F2/F3: the sign-up is stored and the applicant gets their page; the mail waits for the worker."""
    server = None
    if server_state == "hanging":
        server = FakeSMTPServer(mode="hang").start()
        _smtp_settings(settings, server.port)
    else:
        _smtp_settings(settings, free_port())
    try:
        event = EventFactory(open_for_signup=True)
        response, seconds = _signup(client, event)
        assert response.status_code == 302 and seconds < 1
        signup = EventSignup.objects.get()
        page = client.get(response["Location"])
        assert page.status_code == 200 and "鳥取 花子" in page.content.decode()
        # A retry by the visitor is not needed, so the 「既に申し込まれています」 trap of F2 cannot happen.
        stored = OutgoingMail.objects.get()
        assert str(signup.token) in stored.body and stored.status == OutgoingMail.Status.QUEUED
        run_tasks()  # the worker tries, times out or is refused, and schedules a retry
        stored.refresh_from_db()
        assert (stored.status, stored.attempts) == (OutgoingMail.Status.QUEUED, 1)
    finally:
        if server:
            server.stop()


@pytest.mark.django_db
def test_member_registration_shows_the_receipt_while_the_mail_server_hangs(client, settings, hanging_smtp):
    """F3: no SMTP call inside the request; the receipt page is shown."""
    settings.SECRETARIAT_EMAIL = "jimukyoku@example.jp"
    token = _token(client.post(JOIN, _form_data()))
    started = time.monotonic()
    response = client.post(CONFIRM, {"token": token, "send": "1"})
    assert time.monotonic() - started < 1
    assert response.status_code == 302 and response["Location"] == DONE
    organization = Organization.objects.get()
    assert organization.receipt_number in client.get(DONE).content.decode()
    assert OutgoingMail.objects.count() == 2
    assert hanging_smtp.hung_connections == 0  # the request never opened a connection


@pytest.mark.django_db
def test_the_db_worker_command_sends_the_queued_mail(mailoutbox):
    mail_queue(template="member_approved", to=["a@example.jp"], context={"organization": {"name": "団体"}})
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        with keep_test_connection():
            call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    assert len(mailoutbox) == 1
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert OutgoingMail.objects.get().status == OutgoingMail.Status.SENT


@pytest.mark.django_db(transaction=True)
def test_db_worker_in_its_own_process_delivers_over_smtp(tmp_path):
    """The deployment path: `manage.py db_worker` as a separate process, talking SMTP."""
    database = connection.settings_dict
    if connection.vendor == "postgresql":
        url = f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"
    elif connection.vendor == "sqlite" and not connection.is_in_memory_db():
        url = f"sqlite:///{database['NAME']}"
    else:
        pytest.skip("the test database is in memory; CI (PostgreSQL) runs this")
    server = FakeSMTPServer().start()
    try:
        mail_queue(template="member_approved", to=["a@example.jp"], context={"organization": {"name": "団体"}})
        environment = {
            **os.environ,
            "DATABASE_URL": url,
            "EMAIL_URL": f"smtp://127.0.0.1:{server.port}",
            "DJANGO_ENV": "test",
            "MEDIA_ROOT": str(tmp_path),
        }
        result = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--batch",
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0",
            ],
            cwd=BASE_DIR,
            env=environment,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        assert OutgoingMail.objects.get().status == OutgoingMail.Status.SENT
        assert len(server.mail_ids()) == 1
    finally:
        server.stop()
