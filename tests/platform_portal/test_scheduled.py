"""Scheduled work: past events become held, reminders once, clean-up; the command enqueues and the worker runs it."""

import datetime

import pytest
import time_machine
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from meetings.models import Event, EventSignup
from meetings.selectors import event as event_selectors
from meetings.services import event as event_services
from platform_portal import importexport, scheduled
from platform_portal.mail import mail_queue
from platform_portal.models import AuditLogEntry, OutgoingMail
from subsidies import services as subsidy_services
from tests.meetings.event_factories import EventFactory
from tests.members.factories import ContactPersonFactory, OrganizationFactory
from tests.subsidies.factories import ProgramTierFactory
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 10)


def _at(day: datetime.date):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 9, tzinfo=datetime.UTC), tick=False)


def test_past_events_become_held_and_list_and_page_agree(client):
    past = EventFactory(open_for_signup=True, start_date=TODAY - datetime.timedelta(days=1))
    multi_day = EventFactory(start_date=TODAY - datetime.timedelta(days=2), end_date=TODAY, status="planned")
    upcoming = EventFactory(open_for_signup=True, start_date=TODAY + datetime.timedelta(days=3))
    cancelled = EventFactory(start_date=TODAY - datetime.timedelta(days=5), status="cancelled")
    with _at(TODAY):
        assert event_services.events_mark_held(today=TODAY) == [past.pk]
        assert event_services.events_mark_held(today=TODAY) == []  # idempotent
        statuses = dict(Event.objects.values_list("pk", "status"))
        assert statuses[past.pk] == "held"
        assert (statuses[multi_day.pk], statuses[upcoming.pk], statuses[cancelled.pk]) == (
            "planned",
            "planned",
            "cancelled",
        )
        assert past not in event_selectors.event_list_upcoming(today=TODAY)
        assert past in event_selectors.event_list_past(today=TODAY)
        page = client.get(reverse("events:event_detail", args=[past.pk])).content.decode()
    assert str(Event.Status.HELD.label) in page
    assert AuditLogEntry.objects.filter(action="meetings.event.marked_held").count() == 1


def test_event_reminders_go_to_confirmed_sign_ups_once(settings):
    settings.EVENT_REMINDER_DAYS = 2
    soon = EventFactory(open_for_signup=True, capacity=1, start_date=TODAY + datetime.timedelta(days=2))
    later = EventFactory(open_for_signup=True, start_date=TODAY + datetime.timedelta(days=9))
    for n, event in enumerate([soon, soon, later]):
        event_services.event_signup_create(event_id=event.pk, name=f"申込者{n}", email=f"p{n}@example.jp", today=TODAY)
    assert EventSignup.objects.filter(event=soon, status="waitlisted").count() == 1
    run_tasks()
    mail.outbox.clear()
    with _at(TODAY):
        assert scheduled.reminders_job.call() == {"events": 1, "subsidies": 0}
        assert scheduled.reminders_job.call() == {"events": 0, "subsidies": 0}
        run_tasks()
    assert [message.to for message in mail.outbox] == [["p0@example.jp"]]
    assert soon.title in mail.outbox[0].subject


def test_subsidy_applicants_are_reminded_before_the_deadline_once(settings, secretariat, media_root):
    settings.SUBSIDY_REMINDER_DAYS = 7
    tier = ProgramTierFactory(program__closes_on=TODAY + datetime.timedelta(days=5))
    organization = OrganizationFactory()
    ContactPersonFactory(organization=organization, email="applicant@example.jp")
    subsidy_services.application_create(
        actor=secretariat,
        program=tier.program,
        tier=tier,
        organization=organization,
        title="交流事業",
        purpose="団体同士の交流会を開く。",
        period_start=datetime.date(2025, 7, 1),
        period_end=datetime.date(2026, 2, 28),
        requested_yen=None,
        expenses=[{"category": "rental", "description": "会場使用料", "amount_yen": 100_000}],
        incomes=[],
    )
    with _at(TODAY):
        assert subsidy_services.application_deadline_reminders_queue(today=TODAY, days=7) == 1
        assert subsidy_services.application_deadline_reminders_queue(today=TODAY, days=7) == 0
        run_tasks()
    assert mail.outbox[-1].to == ["applicant@example.jp"]
    assert tier.program.name in mail.outbox[-1].subject
    # Too early: nothing.
    assert subsidy_services.application_deadline_reminders_queue(today=TODAY - datetime.timedelta(days=10), days=7) == 0


def test_cleanup_removes_expired_sessions_old_jobs_and_sent_mail_and_import_leftovers(settings, monkeypatch):
    settings.TASK_RESULT_RETENTION_DAYS = 14
    settings.IMPORT_LEFTOVER_HOURS = 24
    calls = []
    monkeypatch.setattr(
        importexport,
        "importexport_cleanup_leftovers",
        lambda *, older_than: calls.append(older_than) or 2,
        raising=False,
    )
    expired = SessionStore()
    expired["x"] = 1
    expired.set_expiry(-10)
    expired.create()
    alive = SessionStore()
    alive["x"] = 1
    alive.set_expiry(60 * 24 * 60 * 60)
    alive.create()
    mail_queue(template="member_approved", to=["a@example.jp"], context={"organization": {"name": "団体"}})
    mail_queue(template="member_approved", to=["b@example.jp"], context={"organization": {"name": "団体"}})
    run_tasks()
    OutgoingMail.objects.filter(to=["b@example.jp"]).update(status="failed")
    with _at(datetime.date.today() + datetime.timedelta(days=15)):
        result = scheduled.cleanup_job.call()
    assert result == {"sessions": 1, "jobs": 2, "mails": 1, "import_files": 2}
    assert calls == [datetime.timedelta(hours=24)]
    assert list(Session.objects.values_list("session_key", flat=True)) == [alive.session_key]
    assert list(OutgoingMail.objects.values_list("status", flat=True)) == ["failed"]  # kept for staff
    assert not DBTaskResult.objects.exists()


def test_recent_jobs_and_mails_are_kept(settings):
    mail_queue(template="member_approved", to=["a@example.jp"], context={"organization": {"name": "団体"}})
    run_tasks()
    result = scheduled.cleanup_job.call()
    assert (result["jobs"], result["mails"]) == (0, 0)
    assert OutgoingMail.objects.count() == 1


def test_the_command_enqueues_every_job_and_the_worker_runs_them(monkeypatch):
    monkeypatch.setattr(importexport, "importexport_cleanup_leftovers", lambda *, older_than: 0, raising=False)
    event = EventFactory(start_date=timezone.localdate() - datetime.timedelta(days=1), status="planned")
    call_command("run_scheduled_jobs", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert DBTaskResult.objects.filter(status="READY").count() == len(scheduled.JOBS)
    assert run_tasks() == len(scheduled.JOBS)
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    event.refresh_from_db()
    assert event.status == "held"
