"""Demo supporters: 121 appointed (R5: 52, R6: 49, R7: 20 → R7 20 appointed, 121 in all, as the
reference's supporters_summary.csv) plus 3 in training; every name is clearly fictitious (見本NNN).

Goes through the services; idempotent (people are found by roster code).
"""

import csv
import datetime
from pathlib import Path

from meetings.models import Event
from members.models import Municipality
from platform_portal.audit import Actor
from supporters import services
from supporters.models import Supporter, TrainingCourse

MUNICIPALITIES = [
    ("鳥取市", 30),
    ("米子市", 28),
    ("倉吉市", 15),
    ("境港市", 8),
    ("岩美町", 3),
    ("若桜町", 2),
    ("智頭町", 3),
    ("八頭町", 5),
    ("三朝町", 2),
    ("湯梨浜町", 4),
    ("琴浦町", 4),
    ("北栄町", 3),
    ("日吉津村", 1),
    ("大山町", 3),
    ("南部町", 3),
    ("伯耆町", 2),
    ("日南町", 2),
    ("日野町", 2),
    ("江府町", 1),
]
# (fiscal year start, people, training dates, appointment date)
BATCHES = [
    (2023, 52, (datetime.date(2023, 8, 7), datetime.date(2023, 8, 21)), datetime.date(2023, 9, 1)),
    (2024, 49, (datetime.date(2024, 8, 5), datetime.date(2024, 8, 19)), datetime.date(2024, 9, 2)),
    (2025, 20, (datetime.date(2025, 8, 4), datetime.date(2025, 8, 18)), datetime.date(2025, 9, 1)),
]
TRAINEES = 3
GIVEN = [
    ("太郎", "たろう"),
    ("花子", "はなこ"),
    ("一郎", "いちろう"),
    ("桜", "さくら"),
    ("健", "けん"),
    ("葵", "あおい"),
]
COMMON = "共通研修"
BASIC = "基礎研修"


def _municipality_cycle():
    names = []
    for name, count in MUNICIPALITIES:
        names.extend([name] * count)
    return names


def load(*, actor: Actor, reference_dir: Path, stdout) -> None:
    with (reference_dir / "supporters_summary.csv").open(encoding="utf-8") as handle:
        summary = list(csv.DictReader(handle))
    municipalities = {}
    for order, (name, _count) in enumerate(MUNICIPALITIES, start=1):
        municipalities[name], _created = Municipality.objects.get_or_create(name=name, defaults={"order": order})
    common, _created = TrainingCourse.objects.update_or_create(
        name=COMMON, defaults={"required_for_appointment": True, "order": 1}
    )
    basic, _created = TrainingCourse.objects.update_or_create(
        name=BASIC, defaults={"required_for_appointment": True, "order": 2}
    )
    events = {
        COMMON: Event.objects.filter(title="とっとり孤独・孤立サポーター 共通研修").first(),
        BASIC: Event.objects.filter(title="とっとり孤独・孤立サポーター 基礎研修").first(),
    }
    exchange = Event.objects.filter(title="とっとり孤独・孤立サポーター交流会").first()
    places = _municipality_cycle()
    number = 0
    for fiscal_year, people, (common_on, basic_on), appointed_on in [
        *BATCHES,
        (2026, TRAINEES, (datetime.date(2026, 8, 3), None), None),
    ]:
        batch = []
        basic_default = basic_on
        for _index in range(people):
            basic_on = basic_default
            number += 1
            code = f"S{number:05d}"
            supporter = Supporter.objects.filter(roster_code=code).first()
            if supporter is None:
                given, given_kana = GIVEN[number % len(GIVEN)]
                supporter = services.supporter_create(
                    actor=actor,
                    roster_code=code,
                    name=f"見本{number:03d} {given}",
                    kana=f"みほん{number:03d} {given_kana}",
                    municipality=municipalities[places[(number - 1) % len(places)]],
                    email=f"supporter{number:03d}@example.jp",
                    phone=f"0857-00-{number:04d}",
                    affiliation="デモ用の架空の所属",
                    consent_share_with_municipality=number % 3 != 0,
                )
                linked = fiscal_year == 2025
                services.training_completion_record(
                    actor=actor,
                    supporter=supporter,
                    course=common,
                    completed_on=common_on,
                    event=events[COMMON] if linked else None,
                )
                # Two of the three people in training have finished both courses and can be appointed.
                if basic_on is None and number % 2 == 0:
                    basic_on = datetime.date(2026, 8, 17)
                if basic_on is not None:
                    services.training_completion_record(
                        actor=actor,
                        supporter=supporter,
                        course=basic,
                        completed_on=basic_on,
                        event=events[BASIC] if linked else None,
                    )
            if supporter.appointment_id is None and appointed_on is not None:
                batch.append(supporter)
        if batch:
            services.supporter_appoint(actor=actor, supporters=batch, appointed_on=appointed_on)
    # A few earlier supporters paused or retired; one attended the planned exchange meeting.
    for code, status in (("S00003", Supporter.Status.PAUSED), ("S00010", Supporter.Status.RETIRED)):
        supporter = Supporter.objects.get(roster_code=code)
        if supporter.status == Supporter.Status.ACTIVE:
            services.supporter_set_status(actor=actor, supporter=supporter, status=status)
    if exchange is not None:
        first = Supporter.objects.get(roster_code="S00001")
        services.supporter_set_exchange_meetings(actor=actor, supporter=first, events=[exchange])
    expected = {row["fiscal_year"]: (int(row["newly_appointed"]), int(row["total_after"])) for row in summary}
    stdout.write(f"supporters: {Supporter.objects.count()} on the roster; reference {expected}\n")
