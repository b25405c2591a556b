"""The fault drill of bench/mail_drill.py, short: a failing mail server never reaches a visitor; every mail arrives once."""

import collections
import datetime
import os
import signal
import subprocess
import sys
import time

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from platform_portal.mail import mail_queue, mail_recover_stale
from platform_portal.models import OutgoingMail
from tests.fake_smtp import FakeSMTPServer, free_port
from tests.meetings.event_factories import EventFactory
from tests.members.test_views import CONFIRM, DONE, JOIN, _form_data, _token
from tests.platform_portal.test_tasks import BASE_DIR, SIGNUP_FORM, _smtp_settings
from tests.tasks import run_tasks

VISITORS = 10


def _register(client, n: int) -> float:
    token = _token(
        client.post(JOIN, _form_data(name=f"ドリル団体{n}", name_kana=f"どりる{n}", contact_email=f"m{n}@example.jp"))
    )
    started = time.monotonic()
    response = client.post(CONFIRM, {"token": token, "send": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == DONE and "M-" in response.content.decode()
    return time.monotonic() - started


def _sign_up(client, event, n: int) -> float:
    started = time.monotonic()
    response = client.post(f"/events/{event.pk}/signup/", {**SIGNUP_FORM, "email": f"s{n}@example.jp"}, follow=True)
    assert "/events/signups/" in response.redirect_chain[-1][0]
    return time.monotonic() - started


@pytest.mark.django_db
def test_refusing_then_hanging_server_visitors_served_then_every_mail_once(client, settings):
    settings.RATELIMIT_ENABLE = False
    port = free_port()
    _smtp_settings(settings, port)
    event = EventFactory(open_for_signup=True, capacity=1000)
    times = [_register(client, n) for n in range(VISITORS)] + [_sign_up(client, event, n) for n in range(VISITORS)]
    run_tasks()  # refused: one attempt; the others wait without trying
    server = FakeSMTPServer(port=port, mode="hang").start()
    try:
        times += [_register(client, n) for n in range(VISITORS, 2 * VISITORS)]
        times += [_sign_up(client, event, n) for n in range(VISITORS, 2 * VISITORS)]
        assert max(times) < 1, times
        expected = OutgoingMail.objects.count()
        assert expected == 4 * VISITORS  # a receipt per registration (no secretariat address here), one per sign-up
        started = time.monotonic()
        with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2), tick=False):
            run_tasks()
        assert time.monotonic() - started < 10  # the hanging server cost one timeout, not one per mail
        assert OutgoingMail.objects.filter(status="sent").count() == 0
        server.mode = "ok"
        for minutes in (30, 120, 600):
            with time_machine.travel(timezone.now() + datetime.timedelta(minutes=minutes), tick=False):
                run_tasks()
        counts = collections.Counter(server.mail_ids())
        assert set(OutgoingMail.objects.values_list("status", flat=True)) == {"sent"}
        assert sorted(counts) == sorted(str(pk) for pk in OutgoingMail.objects.values_list("pk", flat=True))
        assert set(counts.values()) == {1}
    finally:
        server.stop()


@pytest.mark.django_db(transaction=True)
def test_kill_9_of_the_worker_while_sending_loses_and_doubles_nothing(settings, tmp_path):
    """The worker in its own process, killed with SIGKILL while it talks to a slow server."""
    database = connection.settings_dict
    if connection.vendor != "postgresql":
        pytest.skip("needs a database shared with a worker process; CI (PostgreSQL) runs this")
    url = (
        f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"
    )
    settings.MAIL_CLAIM_LEASE_SECONDS = 2
    server = FakeSMTPServer().start()
    server.delay = 0.03
    environment = {
        **os.environ,
        "DATABASE_URL": url,
        "EMAIL_URL": f"smtp://127.0.0.1:{server.port}",
        "DJANGO_ENV": "test",
        "MEDIA_ROOT": str(tmp_path),
        "MAIL_CLAIM_LEASE_SECONDS": "2",
    }
    command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1"]
    workers = []
    try:
        for n in range(20):
            mail_queue(template="member_approved", to=[f"k{n}@example.jp"], context={"organization": {"name": "団体"}})
        for kill in range(3):
            worker = subprocess.Popen(
                command, cwd=BASE_DIR, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            workers.append(worker)
            deadline = time.monotonic() + 30
            while OutgoingMail.objects.filter(status="sent").count() < 4 * (kill + 1) and time.monotonic() < deadline:
                time.sleep(0.02)
            worker.send_signal(signal.SIGKILL)
            worker.wait()
            time.sleep(2.1)
            mail_recover_stale()
        worker = subprocess.Popen(
            command, cwd=BASE_DIR, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        workers.append(worker)
        deadline = time.monotonic() + 60
        while OutgoingMail.objects.filter(status__in=["queued", "sending", "delivering"]).exists():
            assert time.monotonic() < deadline, "the queue did not drain"
            time.sleep(0.1)
        counts = collections.Counter(server.mail_ids())
        rows = dict(OutgoingMail.objects.values_list("pk", "status"))
        assert all(counts[str(pk)] <= 1 for pk in rows)  # never doubled
        for pk, status in rows.items():
            # Sent exactly once, or "unknown" (killed within the round trip of the final "."): for staff.
            assert (status == "sent" and counts[str(pk)] == 1) or status == "unknown"
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.terminate()
                worker.wait(timeout=30)
        server.stop()
