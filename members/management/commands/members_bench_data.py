"""Create N approved general members for benchmarks and query-count checks (bulk, not audited).

Usage: manage.py members_bench_data 500   (idempotent: tops the bench rows up to N)
"""

import datetime

from django.core.management.base import BaseCommand

from members import rules
from members.models import GeneralType, Municipality, Organization

PREFIX = "ベンチ団体"


class Command(BaseCommand):
    help = "Create N approved general member organisations (named ベンチ団体NNNN) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)

    def handle(self, *args, count, **options):
        types = list(GeneralType.objects.all()) or [GeneralType.objects.create(name="その他", order=99)]
        municipalities = list(Municipality.objects.all()) or [None]
        have = Organization.objects.filter(name__startswith=PREFIX).count()
        rows = []
        for n in range(have, count):
            name = f"{PREFIX}{n:04d}"
            rows.append(
                Organization(
                    tier=Organization.Tier.GENERAL,
                    general_type=types[n % len(types)],
                    municipality=municipalities[n % len(municipalities)],
                    name=name,
                    name_key=rules.name_key(name),
                    name_kana=f"べんちだんたい{n:04d}",
                    description="ベンチマーク用の団体です。",
                    status=Organization.Status.APPROVED,
                    applied_on=datetime.date(2025, 4, 1),
                    approved_on=datetime.date(2025, 4, 1),
                )
            )
        Organization.objects.bulk_create(rows, batch_size=500)
        self.stdout.write(f"members: {len(rows)} bench organisations created ({max(have, count)} in all)")
