"""Run the background jobs of a test: the database worker's own loop, in this process."""

from contextlib import contextmanager
from unittest import mock

from django_tasks_db.management.commands import db_worker
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


@contextmanager
def keep_test_connection():
    """The worker closes "old" connections between jobs; inside a test's transaction that would
    close the test's own connection (PostgreSQL), so keep it, as Django's test client does."""
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        yield


def run_tasks() -> int:
    """Run every due job as `manage.py db_worker --batch` would; fail the test if a job failed.

    Jobs deferred to a later `run_after` (mail retries) stay queued: move the clock
    (time_machine) and call this again to run them.
    """
    failed_before = set(DBTaskResult.objects.failed().values_list("pk", flat=True))
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    )
    with keep_test_connection():
        worker.run()
    failed = DBTaskResult.objects.failed().exclude(pk__in=failed_before)
    if failed.exists():
        raise AssertionError("background job failed:\n" + "\n".join(result.traceback for result in failed))
    return worker._run_tasks
