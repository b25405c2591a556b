"""Event sign-up services: capacity and waiting list, deadline, duplicates, mail after commit, check-in counts."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from meetings.models import Event, EventSignup
from meetings.services import event as services
from platform_portal.models import AuditLogEntry, OutgoingMail
from tests.meetings.event_factories import EventFactory
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db


def _apply(event, n, **kwargs):
    return services.event_signup_create(event_id=event.pk, name=f"申込者{n}", email=f"person{n}@example.jp", **kwargs)


def test_signups_fill_the_capacity_then_go_to_the_waiting_list(django_capture_on_commit_callbacks):
    event = EventFactory(open_for_signup=True, capacity=2)
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [_apply(event, n).status for n in range(4)]
    assert statuses == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert mail.outbox == []  # stored and queued, never sent inside the request
    assert run_tasks() == 4
    assert len(mail.outbox) == 4
    assert "person0@example.jp" in mail.outbox[0].to
    assert "申込者0" in mail.outbox[0].body
    assert AuditLogEntry.objects.filter(action="meetings.event_signup.created").count() == 4
    # The audit trail names the event, not the person.
    assert not AuditLogEntry.objects.filter(object_repr__contains="申込者").exists()


def test_mail_is_not_sent_when_the_transaction_rolls_back():
    event = EventFactory(open_for_signup=True)
    with pytest.raises(RuntimeError), transaction.atomic():
        _apply(event, 1)
        assert OutgoingMail.objects.count() == 1 and DBTaskResult.objects.count() == 1
        raise RuntimeError("rolled back")
    assert not OutgoingMail.objects.exists() and not DBTaskResult.objects.exists()
    assert run_tasks() == 0
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"application_deadline": datetime.date(2000, 1, 1)}, "deadline_passed"),
        ({"status": Event.Status.CANCELLED}, "signup_closed"),
        ({"signup_enabled": False}, "signup_closed"),
    ],
)
def test_closed_events_refuse_signups(changes, code):
    event = EventFactory(open_for_signup=True, **changes)
    with pytest.raises(ValidationError) as exc:
        _apply(event, 1)
    assert exc.value.code == code
    assert not EventSignup.objects.exists()


def test_deadline_day_itself_is_still_open():
    event = EventFactory(
        open_for_signup=True, application_deadline=datetime.date(2030, 5, 1), start_date=datetime.date(2030, 5, 10)
    )
    assert _apply(event, 1, today=datetime.date(2030, 5, 1)).status == "confirmed"
    with pytest.raises(ValidationError) as exc:
        _apply(event, 2, today=datetime.date(2030, 5, 2))
    assert exc.value.code == "deadline_passed"


def test_same_email_applies_once():
    event = EventFactory(open_for_signup=True)
    _apply(event, 1)
    with pytest.raises(ValidationError) as exc:
        services.event_signup_create(event_id=event.pk, name="別名", email="PERSON1@example.jp")
    assert exc.value.code == "already_signed_up"
    assert EventSignup.objects.count() == 1


def test_online_attendance_is_refused_for_venue_only_events():
    event = EventFactory(open_for_signup=True, format=Event.Format.VENUE)
    with pytest.raises(ValidationError) as exc:
        _apply(event, 1, attendance="online")
    assert exc.value.code == "online_not_offered"


def test_cancelling_a_confirmed_seat_promotes_the_first_on_the_waiting_list(
    secretariat, django_capture_on_commit_callbacks
):
    event = EventFactory(open_for_signup=True, capacity=1)
    first, second, third = (_apply(event, n) for n in range(3))
    with django_capture_on_commit_callbacks(execute=True):
        services.event_signup_cancel(actor=None, signup=first)
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, third.status) == ("confirmed", "waitlisted")
    run_tasks()
    assert mail.outbox[-1].to == [second.email]
    with pytest.raises(ValidationError) as exc:
        services.event_signup_cancel(actor=None, signup=first)
    assert exc.value.code == "already_cancelled"


def test_check_in_drives_the_participant_counts(secretariat):
    event = EventFactory(open_for_signup=True, capacity=3)
    venue = _apply(event, 1)
    online = _apply(event, 2, attendance="online")
    _apply(event, 3)
    services.event_signup_check_in(actor=secretariat, signup=venue)
    services.event_signup_check_in(actor=secretariat, signup=online)
    services.event_signup_check_in(actor=secretariat, signup=online)  # twice is once
    event.refresh_from_db()
    assert (event.participants_total, event.participants_venue, event.participants_online) == (2, 1, 1)
    services.event_signup_check_in(actor=secretariat, signup=venue, checked_in=False)
    event.refresh_from_db()
    assert (event.participants_total, event.participants_venue, event.participants_online) == (1, 0, 1)
    assert AuditLogEntry.objects.filter(action="meetings.event_signup.checked_in").count() == 2


def test_waitlisted_people_cannot_be_checked_in(secretariat):
    event = EventFactory(open_for_signup=True, capacity=1)
    _apply(event, 1)
    waiting = _apply(event, 2)
    with pytest.raises(ValidationError) as exc:
        services.event_signup_check_in(actor=secretariat, signup=waiting)
    assert exc.value.code == "not_confirmed"


def test_deleting_a_signup_on_request_keeps_the_counts(secretariat):
    event = EventFactory(open_for_signup=True, capacity=1)
    signup = _apply(event, 1)
    waiting = _apply(event, 2)
    services.event_signup_check_in(actor=secretariat, signup=signup)
    services.event_signup_delete(actor=secretariat, signup=signup)
    event.refresh_from_db()
    assert event.participants_total == 1
    assert not EventSignup.objects.filter(name="申込者1").exists()
    waiting.refresh_from_db()
    assert waiting.status == "waitlisted"  # a checked-in seat is not freed


def test_event_save_validates_and_audits(secretariat):
    event = Event(title="日付のないイベント", kind=Event.Kind.FORUM)
    with pytest.raises(ValidationError):
        services.event_save(actor=secretariat, event=event)
    event = Event(
        title="交流会",
        kind=Event.Kind.SUPPORTER_EXCHANGE,
        planned_from=datetime.date(2026, 2, 1),
        planned_until=datetime.date(2026, 3, 31),
        planned_label="2～3月",
    )
    services.event_save(actor=secretariat, event=event)
    event.venue = "倉吉未来中心"
    services.event_save(actor=secretariat, event=event)
    entries = AuditLogEntry.objects.filter(object_id=str(event.pk)).order_by("id")
    assert [entry.action for entry in entries] == ["meetings.event.created", "meetings.event.changed"]
    assert entries[1].data == {"fields": ["venue"]}


@pytest.mark.django_db(transaction=True)
def test_capacity_holds_under_concurrent_signups():
    """Eight threads apply at once for two seats: exactly two are confirmed (PostgreSQL row lock)."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    event = EventFactory(open_for_signup=True, capacity=2)
    barrier = threading.Barrier(8)
    results = []

    def apply(n):
        try:
            barrier.wait()
            results.append(_apply(event, n).status)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=apply, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["confirmed"] * 2 + ["waitlisted"] * 6
