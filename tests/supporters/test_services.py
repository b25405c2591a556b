"""Supporter services: appointment rules and numbering, status, sharing export, deletion on request."""

import datetime
import json

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError

from meetings.models import Event
from platform_portal.models import AuditLogEntry
from supporters import selectors, services
from supporters.models import Appointment, Supporter, TrainingCompletion
from tests.members.factories import MunicipalityFactory
from tests.supporters.factories import courses, make_supporter

pytestmark = pytest.mark.django_db

R7 = datetime.date(2025, 9, 1)


def test_appointment_without_the_required_trainings_is_refused(secretariat):
    common, _basic = courses()
    untrained = make_supporter(actor=secretariat, trained=False, name="未修了 一郎", kana="みしゅうりょう")
    services.training_completion_record(
        actor=secretariat, supporter=untrained, course=common, completed_on=datetime.date(2025, 8, 4)
    )
    trained = make_supporter(actor=secretariat, name="修了 二郎", kana="しゅうりょう")
    with pytest.raises(ValidationError) as exc:
        services.supporter_appoint(actor=secretariat, supporters=[untrained, trained], appointed_on=R7)
    assert [error.code for error in exc.value.error_list] == ["trainings_missing"]
    assert "基礎研修" in exc.value.messages[0]
    # All or nothing: the trained person was not appointed either.
    assert not Appointment.objects.exists()
    trained.refresh_from_db()
    assert trained.status == Supporter.Status.IN_TRAINING


def test_required_trainings_are_configurable(secretariat):
    common, basic = courses()
    basic.required_for_appointment = False
    basic.save()
    person = make_supporter(actor=secretariat, trained=False)
    services.training_completion_record(
        actor=secretariat, supporter=person, course=common, completed_on=datetime.date(2025, 8, 4)
    )
    services.supporter_appoint(actor=secretariat, supporters=[person], appointed_on=R7)
    person.refresh_from_db()
    assert person.status == Supporter.Status.ACTIVE


def test_bulk_appointment_gives_numbers_in_roster_order(secretariat):
    people = [
        make_supporter(actor=secretariat, name=f"見本 {kana}", kana=kana) for kana in ("さとう", "あべ", "かとう")
    ]
    services.supporter_appoint(actor=secretariat, supporters=people[:1], appointed_on=datetime.date(2024, 9, 1))
    services.supporter_appoint(actor=secretariat, supporters=people[1:], appointed_on=R7)
    numbers = {p.kana: p.appointment.number for p in Supporter.objects.select_related("appointment")}
    assert numbers == {"さとう": 1, "あべ": 2, "かとう": 3}
    assert AuditLogEntry.objects.filter(action="supporters.supporter.appointed").count() == 3
    with pytest.raises(ValidationError) as exc:
        services.supporter_appoint(actor=secretariat, supporters=people[:1], appointed_on=R7)
    assert exc.value.error_list[0].code == "already_appointed"
    totals = selectors.supporter_year_totals()
    assert [(t.fiscal_year.short_label, t.appointed, t.total_after) for t in totals] == [("R6", 1, 1), ("R7", 2, 3)]


def test_training_must_be_a_supporter_training_event(secretariat):
    common, _basic = courses()
    person = make_supporter(actor=secretariat, trained=False)
    forum = Event.objects.create(title="フォーラム", kind=Event.Kind.FORUM, start_date=datetime.date(2025, 8, 4))
    with pytest.raises(ValidationError) as exc:
        services.training_completion_record(
            actor=secretariat, supporter=person, course=common, completed_on=datetime.date(2025, 8, 4), event=forum
        )
    assert exc.value.code == "not_a_training"


def test_status_changes(secretariat):
    person = make_supporter(actor=secretariat)
    with pytest.raises(ValidationError) as exc:
        services.supporter_set_status(actor=secretariat, supporter=person, status=Supporter.Status.ACTIVE)
    assert exc.value.code == "status_change_not_allowed"
    services.supporter_appoint(actor=secretariat, supporters=[person], appointed_on=R7)
    person.refresh_from_db()
    services.supporter_set_status(actor=secretariat, supporter=person, status=Supporter.Status.PAUSED)
    services.supporter_set_status(actor=secretariat, supporter=person, status=Supporter.Status.RETIRED)
    assert Supporter.objects.get().status == "retired"


def test_share_export_has_only_consenting_people_of_the_municipality_and_is_audited(secretariat):
    kurayoshi = MunicipalityFactory(name="倉吉市")
    tottori = MunicipalityFactory(name="鳥取市")
    yes = make_supporter(
        actor=secretariat,
        name="同意 あり",
        kana="あ",
        municipality=kurayoshi,
        consent_share_with_municipality=True,
        affiliation='=HYPERLINK("x")',
    )
    no = make_supporter(actor=secretariat, name="同意 なし", kana="い", municipality=kurayoshi)
    other = make_supporter(
        actor=secretariat, name="他市 さん", kana="う", municipality=tottori, consent_share_with_municipality=True
    )
    trainee = make_supporter(
        actor=secretariat, name="研修 中", kana="え", municipality=kurayoshi, consent_share_with_municipality=True
    )
    services.supporter_appoint(actor=secretariat, supporters=[yes, no, other], appointed_on=R7)
    content = services.supporter_share_export(actor=secretariat, municipality=kurayoshi)
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    assert "同意 あり" in text
    assert "同意 なし" not in text and "他市 さん" not in text and trainee.name not in text
    assert "'=HYPERLINK" in text
    entry = AuditLogEntry.objects.get(action="supporters.supporter.shared")
    assert entry.data == {"municipality": "倉吉市", "rows": 1}
    assert entry.actor == secretariat


def test_deletion_on_request_leaves_no_trace_and_keeps_the_totals(secretariat_client, secretariat):
    """docs/quality.md P2: sentinel strings are gone from every table; the yearly totals stay."""
    sentinel = {
        "name": "削除確認用氏名ZQX",
        "kana": "さくじょかくにんZQX",
        "email": "sentinel-zqx@example.jp",
        "phone": "0857-99-7777",
        "address": "鳥取県センチネル町ZQX",
        "affiliation": "センチネル所属ZQX",
        "notes": "センチネル備考ZQX",
    }
    person = make_supporter(actor=secretariat, **sentinel)
    keep = make_supporter(actor=secretariat, name="残る 人", kana="のこる")
    services.supporter_appoint(actor=secretariat, supporters=[person, keep], appointed_on=R7)
    # Touch the admin too, so that its history (django_admin_log) holds the name.
    from django.urls import reverse

    change_url = reverse("admin:supporters_supporter_change", args=[person.pk])
    page = secretariat_client.get(change_url)
    assert page.status_code == 200
    data = {field: getattr(person, field) for field in services.EDITABLE_FIELDS}
    data.update(municipality=person.municipality_id, notes=sentinel["notes"] + " 追記", exchange_meetings=[])
    data.update(
        {
            "trainings-TOTAL_FORMS": "0",
            "trainings-INITIAL_FORMS": "2",
            "trainings-MIN_NUM_FORMS": "0",
            "trainings-MAX_NUM_FORMS": "1000",
        }
    )
    data["consent_share_with_municipality"] = ""
    data["trainings-0-id"] = ""
    response = secretariat_client.post(change_url, {k: v for k, v in data.items() if k != "trainings-0-id"})
    assert response.status_code == 302, response.content.decode()[:2000]
    AuditLogEntry.objects.create(
        action="supporters.supporter.changed", object_repr="x", data={"note": f"電話 {sentinel['phone']}"}
    )
    before = [(t.fiscal_year, t.appointed, t.total_after) for t in selectors.supporter_year_totals()]

    services.supporter_delete_on_request(actor=secretariat, supporter=person)

    assert not Supporter.objects.filter(pk=person.pk).exists()
    assert not TrainingCompletion.objects.filter(supporter_id=person.pk).exists()
    assert [(t.fiscal_year, t.appointed, t.total_after) for t in selectors.supporter_year_totals()] == before
    dump = json.dumps(
        [
            list(AuditLogEntry.objects.values_list("object_repr", "data", "actor_label")),
            list(LogEntry.objects.values_list("object_repr", "change_message")),
            list(Supporter.objects.values()),
            list(Appointment.objects.values()),
        ],
        ensure_ascii=False,
        default=str,
    )
    for value in sentinel.values():
        assert value not in dump
    assert "残る 人" in dump
    assert AuditLogEntry.objects.filter(action="supporters.supporter.deleted_on_request").count() == 1
