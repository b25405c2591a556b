"""Factories for background meeting rows (docs/house-style.md R23); meaningful state goes through services."""

import datetime

import factory

from meetings.models import AgendaItem, Meeting, MeetingBody


class MeetingBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingBody
        django_get_or_create = ["slug"]

    kind = MeetingBody.Kind.PLATFORM
    name = factory.Sequence(lambda n: f"テスト会議{n}")
    slug = factory.Sequence(lambda n: f"body-{n}")
    formal_name = "テスト官民連携プラットフォーム"


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    body = factory.SubFactory(MeetingBodyFactory)
    number = factory.Sequence(lambda n: n + 1)
    date = datetime.date(2025, 9, 1)
    fiscal_year = 2025
    status = Meeting.Status.HELD
    summary = "令和7年度事業"
    is_public = True


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    order = factory.Sequence(lambda n: n)
    section = AgendaItem.Section.REPORTS
    title = factory.Sequence(lambda n: f"報告{n}について")
