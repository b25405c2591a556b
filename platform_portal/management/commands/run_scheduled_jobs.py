"""`manage.py run_scheduled_jobs`: enqueue the periodic jobs (run every few minutes by a systemd timer or cron)."""

from django.core.management.base import BaseCommand

from platform_portal.scheduled import scheduled_jobs_run


class Command(BaseCommand):
    help = "Enqueue the scheduled jobs for the background worker (--now: run them in this process)."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="run the jobs here instead of enqueuing them")

    def handle(self, *args, now: bool = False, **options):
        for name, result in scheduled_jobs_run(now=now).items():
            self.stdout.write(f"{name}: {result if now else 'enqueued ' + str(result)}")
