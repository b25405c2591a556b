"""Scheduled work: jobs that `manage.py run_scheduled_jobs` enqueues (from a systemd timer or cron).

django-tasks has no periodic scheduler of its own, so a timer runs the command every few minutes;
the command only enqueues these jobs (or runs them itself with --now) and the worker runs them.
Every job is idempotent: a missed run is caught up by the next, a doubled run changes nothing.
"""

import datetime
import logging
from importlib import import_module

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from platform_portal.mail import mail_recover_stale
from platform_portal.models import OutgoingMail

logger = logging.getLogger(__name__)


@task()
def events_mark_held_job() -> list[int]:
    """Events whose date has passed become held (開催済)."""
    from meetings.services.event import events_mark_held

    return events_mark_held(today=timezone.localdate())


@task()
def reminders_job() -> dict[str, int]:
    """Reminder mails: event sign-ups and subsidy applicants before their deadline (each once)."""
    from meetings.services.event import event_reminders_queue
    from subsidies.services import application_deadline_reminders_queue

    today = timezone.localdate()
    return {
        "events": event_reminders_queue(today=today, days=settings.EVENT_REMINDER_DAYS),
        "subsidies": application_deadline_reminders_queue(today=today, days=settings.SUBSIDY_REMINDER_DAYS),
    }


@task()
def mail_recovery_job() -> dict[str, int]:
    """Mails of workers that died: queued again, or marked unknown (see platform_portal.mail)."""
    return mail_recover_stale()


@task()
def cleanup_job() -> dict[str, int]:
    """Expired sessions, old finished jobs and sent mails, import uploads left in the temporary directory."""
    now = timezone.now()
    kept = now - datetime.timedelta(days=settings.TASK_RESULT_RETENTION_DAYS)
    sessions_before = _session_count()
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    # Finished jobs, and jobs of workers that died (still "running" long after they started).
    jobs, _detail = (
        DBTaskResult.objects.finished().filter(finished_at__lt=kept)
        | DBTaskResult.objects.running().filter(started_at__lt=kept)
    ).delete()
    mails, _detail = OutgoingMail.objects.filter(status=OutgoingMail.Status.SENT, sent_at__lt=kept).delete()
    return {
        "sessions": max(0, sessions_before - _session_count()),
        "jobs": jobs,
        "mails": mails,
        "import_files": _import_leftovers(datetime.timedelta(hours=settings.IMPORT_LEFTOVER_HOURS)),
    }


def _session_count() -> int:
    from django.contrib.sessions.models import Session

    return Session.objects.count() if settings.SESSION_ENGINE.endswith(".db") else 0


def _import_leftovers(older_than: datetime.timedelta) -> int:
    # The imports keep their uploads in a directory of their own and know their file names;
    # they provide the clean-up (platform_portal.importexport).
    from platform_portal import importexport

    cleanup = getattr(importexport, "importexport_cleanup_leftovers", None)
    if cleanup is None:
        logger.warning("scheduled: importexport_cleanup_leftovers is not available; import uploads not cleaned")
        return 0
    return cleanup(older_than=older_than)


JOBS = [events_mark_held_job, reminders_job, mail_recovery_job, cleanup_job]


def scheduled_jobs_run(*, now: bool = False) -> dict[str, object]:
    """Enqueue every scheduled job (the worker runs them), or run them here and return their results."""
    results: dict[str, object] = {}
    for job in JOBS:
        if now:
            results[job.name] = job.call()
        else:
            results[job.name] = job.enqueue().id
    return results
