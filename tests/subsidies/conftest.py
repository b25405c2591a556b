import datetime

import pytest

from subsidies import services
from tests.members.factories import OrganizationFactory
from tests.subsidies.factories import ProgramTierFactory

D = datetime.date


@pytest.fixture
def tier(db):
    """Publicity-like tier: 2/3 up to 200,000円, floor_1000, budget 1,000,000円, FY2025."""
    return ProgramTierFactory()


@pytest.fixture
def program(tier):
    return tier.program


@pytest.fixture
def organization(db):
    return OrganizationFactory()


@pytest.fixture
def make_application(secretariat, media_root):
    """Create an application through the service, with one eligible expense line of `cost` yen."""

    def make(*, tier, organization=None, cost=300_000, incomes=(), requested_yen=None, title="交流事業"):
        return services.application_create(
            actor=secretariat,
            program=tier.program,
            tier=tier,
            organization=organization or OrganizationFactory(),
            title=title,
            purpose="団体同士の交流会を開く。",
            period_start=D(2025, 7, 1),
            period_end=D(2026, 2, 28),
            requested_yen=requested_yen,
            expenses=[{"category": "rental", "description": "会場使用料", "amount_yen": cost}],
            incomes=list(incomes),
        )

    return make


@pytest.fixture
def decided(make_application, tier, secretariat):
    """A decided application (cost 273,000円 → 182,000円)."""

    def make(*, cost=273_000, organization=None):
        application = make_application(tier=tier, cost=cost, organization=organization)
        services.application_submit(actor=secretariat, application=application, submitted_on=D(2025, 6, 2))
        return services.application_decide(actor=secretariat, application=application, decided_on=D(2025, 6, 20))

    return make
