"""Load the demo data of the reference document (idempotent)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from platform_portal.audit import audit_log
from platform_portal.demo import load_all


class Command(BaseCommand):
    help = "Load the platform profile, pages and the records of the reference meeting packet (idempotent)."

    def handle(self, *args, **options):
        with transaction.atomic():
            load_all(actor=None, stdout=self.stdout)
            audit_log(actor="load_demo", action="platform.demo_loaded")
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
