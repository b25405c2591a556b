"""Factories for background member rows (docs/house-style.md R23). State that matters goes through services."""

import datetime

import factory

from members import rules
from members.models import ActivityField, ContactPerson, GeneralType, Municipality, Organization, SteeringCategory


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
    name_key = factory.LazyAttribute(lambda o: rules.name_key(o.name))
    name_kana = factory.Sequence(lambda n: f"てすとだんたい{n}")
    status = Organization.Status.APPROVED
    approved_on = datetime.date(2025, 4, 1)

    class Params:
        steering = factory.Trait(
            tier=Organization.Tier.STEERING,
            general_type=None,
            steering_category=factory.SubFactory(SteeringCategoryFactory),
        )


class ActivityFieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityField
        django_get_or_create = ["name"]

    name = "居場所"


class ContactPersonFactory(factory.django.DjangoModelFactory):
    """A contact person (personal data) of an organisation."""

    class Meta:
        model = ContactPerson

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"担当 太郎{n}")
    role = "事務局長"
    email = factory.Sequence(lambda n: f"contact{n}@example.jp")
    phone = "0857-26-7000"


def application_data(**overrides) -> dict:
    """Keyword arguments of services.organization_register for a valid application."""
    data = {
        "submission_token": _token(),
        "general_type": GeneralTypeFactory(),
        "name": "NPO法人みらいの居場所",
        "name_kana": "みらいのいばしょ",
        "municipality": MunicipalityFactory(name="鳥取市"),
        "address": "鳥取市東町1-220",
        "website": "https://example.jp/",
        "description": "子どもと若者の居場所づくり",
        "publish_consent": True,
        "contact_name": "鳥取 花子",
        "contact_role": "代表",
        "contact_email": "hanako@example.jp",
        "contact_phone": "0857-26-7000",
    }
    data.update(overrides)
    return data


def _token() -> str:
    import secrets

    return secrets.token_urlsafe(24)
