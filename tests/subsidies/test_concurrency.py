"""Two staff deciding at the same moment cannot take a programme past its budget (PostgreSQL row locks)."""

import datetime
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from subsidies import selectors, services
from subsidies.models import Application, Decision
from tests.members.factories import OrganizationFactory
from tests.subsidies.factories import ProgramTierFactory

D = datetime.date


@pytest.mark.django_db(transaction=True)
def test_concurrent_decisions_respect_the_budget(secretariat, media_root, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (SELECT … FOR UPDATE) need PostgreSQL; SQLite serialises writers anyway")
    tier = ProgramTierFactory(program__budget_yen=300_000)
    applications = []
    for _ in range(2):
        application = services.application_create(
            actor=secretariat,
            program=tier.program,
            tier=tier,
            organization=OrganizationFactory(),
            title="交流会",
            purpose="交流",
            period_start=D(2025, 7, 1),
            period_end=D(2026, 2, 28),
            expenses=[{"category": "rental", "description": "会場", "amount_yen": 300_000}],  # 200,000 each
        )
        applications.append(
            services.application_submit(actor=secretariat, application=application, submitted_on=D(2025, 6, 2))
        )
    # Widen the race window: each decision dwells after reading the committed total. Without
    # the programme row lock both would read 0 and both decide (300,000 budget, 400,000 decided).
    read_committed = selectors.program_committed_yen

    def slow_read(*, program):
        total = read_committed(program=program)
        time.sleep(0.5)
        return total

    monkeypatch.setattr(selectors, "program_committed_yen", slow_read)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(application):
        try:
            barrier.wait(timeout=10)
            services.application_decide(actor=secretariat, application=application)
            outcomes.append("decided")
        except ValidationError as exc:
            outcomes.append(exc.error_list[0].code)
        except Exception as exc:  # an unserialised race ends in a database error: the test must see it
            outcomes.append(type(exc).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide, args=(a,)) for a in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["budget_exceeded", "decided"]
    assert Application.objects.filter(status=Application.Status.DECIDED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_decisions_get_unique_notice_numbers(secretariat, media_root, monkeypatch):
    """Programmes of one year share the notice prefix (R7孤立第): two decisions at once in two
    programmes used to count the same notices (count() + 1) and end in IntegrityError."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks (SELECT … FOR UPDATE) need PostgreSQL; SQLite serialises writers anyway")
    applications = []
    for _index in range(3):
        tier = ProgramTierFactory(program__budget_yen=10_000_000, program__number_prefix="孤立")
        application = services.application_create(
            actor=secretariat,
            program=tier.program,
            tier=tier,
            organization=OrganizationFactory(),
            title="交流会",
            purpose="交流",
            period_start=D(2025, 7, 1),
            period_end=D(2026, 2, 28),
            expenses=[{"category": "rental", "description": "会場", "amount_yen": 300_000}],
        )
        applications.append(
            services.application_submit(actor=secretariat, application=application, submitted_on=D(2025, 6, 2))
        )
    assert len({a.program.number_prefix for a in applications}) == 1
    # Widen the race window: each decision dwells before it takes its number.
    read_committed = selectors.program_committed_yen

    def slow_read(*, program):
        total = read_committed(program=program)
        time.sleep(0.3)
        return total

    monkeypatch.setattr(selectors, "program_committed_yen", slow_read)
    barrier = threading.Barrier(len(applications))
    outcomes: list[str] = []

    def decide(application):
        try:
            barrier.wait(timeout=10)
            services.application_decide(actor=secretariat, application=application)
            outcomes.append("decided")
        except Exception as exc:  # IntegrityError on the unique number without the counter row
            outcomes.append(type(exc).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide, args=(a,)) for a in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert outcomes == ["decided"] * len(applications)
    numbers = sorted(Decision.objects.values_list("number", flat=True))
    assert len(set(numbers)) == len(applications)
