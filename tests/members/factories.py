"""Factories for background member rows (HOUSE_STYLE R23). State that matters goes through services."""

import datetime

import factory

from members.models import GeneralType, Municipality, Organization, SteeringCategory


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"テスト市{n}")
    order = factory.Sequence(lambda n: n)


class SteeringCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SteeringCategory
        django_get_or_create = ["name"]

    name = "民間支援機関等"


class GeneralTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GeneralType
        django_get_or_create = ["name"]

    name = "支援機関"


class OrganizationFactory(factory.django.DjangoModelFactory):
    """An approved general member (background row for other apps' tests)."""

    class Meta:
        model = Organization

    tier = Organization.Tier.GENERAL
    general_type = factory.SubFactory(GeneralTypeFactory)
    name = factory.Sequence(lambda n: f"テスト団体{n}")
    name_kana = factory.Sequence(lambda n: f"てすとだんたい{n}")
    status = Organization.Status.APPROVED
    approved_on = datetime.date(2025, 4, 1)

    class Params:
        steering = factory.Trait(
            tier=Organization.Tier.STEERING,
            general_type=None,
            steering_category=factory.SubFactory(SteeringCategoryFactory),
        )
