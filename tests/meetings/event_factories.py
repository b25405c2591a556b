"""Factories for background event rows (docs/house-style.md R23); sign-ups and check-ins go through services."""

import datetime

import factory

from meetings.models import Event


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    kind = Event.Kind.WORKSHOP
    title = factory.Sequence(lambda n: f"テストイベント{n}")
    start_date = datetime.date(2025, 10, 9)
    venue = "エキパル倉吉"
    organizer = "鳥取県"
    status = Event.Status.HELD
    is_public = True

    class Params:
        open_for_signup = factory.Trait(
            status=Event.Status.PLANNED,
            signup_enabled=True,
            capacity=2,
            format=Event.Format.HYBRID,
            start_date=factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=30)),
            application_deadline=factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=20)),
        )
