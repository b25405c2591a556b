"""Factories for background subsidy rows (docs/house-style.md R23); applications reach their states through services."""

import datetime

import factory

from subsidies.models import Program, ProgramTier


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    fiscal_year = 2025
    code = factory.Sequence(lambda n: f"program-{n}")
    name = factory.Sequence(lambda n: f"テスト補助金{n}")
    applicant_description = "プラットフォーム加入団体"
    opens_on = datetime.date(2025, 4, 1)
    closes_on = datetime.date(2026, 3, 31)
    budget_yen = 1_000_000
    rounding = "floor_1000"
    deducted_income_kinds = factory.LazyFunction(lambda: ["participant_fees"])
    number_prefix = factory.Sequence(lambda n: f"テスト{n}")


class ProgramTierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgramTier

    program = factory.SubFactory(ProgramFactory)
    code = "standard"
    label = ""
    rate_numerator = 2
    rate_denominator = 3
    cap_yen = 200_000
