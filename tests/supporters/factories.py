"""Helpers for supporter tests: people are put on the roster and appointed through the services."""

import datetime

from supporters import services
from supporters.models import TrainingCourse
from tests.members.factories import MunicipalityFactory


def courses():
    common, _ = TrainingCourse.objects.get_or_create(name="共通研修", defaults={"order": 1})
    basic, _ = TrainingCourse.objects.get_or_create(name="基礎研修", defaults={"order": 2})
    return common, basic


def make_supporter(*, actor=None, trained=True, municipality=None, **fields):
    common, basic = courses()
    fields.setdefault("name", "見本 太郎")
    supporter = services.supporter_create(
        actor=actor, municipality=municipality or MunicipalityFactory(name="倉吉市"), **fields
    )
    if trained:
        services.training_completion_record(
            actor=actor, supporter=supporter, course=common, completed_on=datetime.date(2025, 8, 4)
        )
        services.training_completion_record(
            actor=actor, supporter=supporter, course=basic, completed_on=datetime.date(2025, 8, 18)
        )
    return supporter
