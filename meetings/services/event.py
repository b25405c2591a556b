"""Writes of events and event sign-ups (docs/house-style.md R5/R6): one function per business step."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.models import Event, EventSignup
from platform_portal.audit import Actor, audit_log
from platform_portal.mail import mail_queue, mail_queue_once

EVENT_FIELDS = [
    field.name
    for field in Event._meta.get_fields()
    if getattr(field, "concrete", False)
    and not field.many_to_many
    and field.name not in {"id", "created_at", "updated_at"}
]


@transaction.atomic
def event_save(*, actor: Actor, event: Event, organizations=None) -> Event:
    """Create or change an event (its details, dates, results); validated and audited."""
    created = event.pk is None
    changed = EVENT_FIELDS
    if not created:
        before = Event.objects.get(pk=event.pk)
        changed = [name for name in EVENT_FIELDS if getattr(before, name) != getattr(event, name)]
    event.full_clean()
    event.save()
    if organizations is not None:
        event.participating_organizations.set(organizations)
    audit_log(
        actor=actor,
        action="meetings.event.created" if created else "meetings.event.changed",
        target=event,
        data={"fields": sorted(changed)},
    )
    return event


def _lock_event(event_id: int) -> Event:
    # The row lock serialises sign-ups of one event, so the capacity holds under concurrency.
    return Event.objects.select_for_update().get(pk=event_id)


def signup_is_open(event: Event, *, today: datetime.date) -> bool:
    """Whether the event takes applications today: sign-up on, not held or cancelled, deadline not passed."""
    if not event.signup_enabled or event.status != Event.Status.PLANNED:
        return False
    if event.application_deadline is not None and today > event.application_deadline:
        return False
    return event.start_date is None or today <= event.start_date


def _queue_signup_mail(signup: EventSignup, site_url: str = "") -> None:
    # Stored and sent by the worker after commit: a mail server outage never fails the sign-up.
    context = {"signup": signup, "event": signup.event, "site_url": site_url}
    mail_queue(template="event_signup", to=[signup.email], context=context)


@transaction.atomic
def event_signup_create(
    *,
    event_id: int,
    name: str,
    email: str,
    kana: str = "",
    phone: str = "",
    affiliation: str = "",
    attendance: str = EventSignup.Attendance.VENUE,
    message: str = "",
    today: datetime.date | None = None,
    site_url: str = "",
) -> EventSignup:
    """Apply to an event: confirmed while seats are left, otherwise on the waiting list; mail after commit."""
    today = today or timezone.localdate()
    event = _lock_event(event_id)
    if not signup_is_open(event, today=today):
        if event.application_deadline is not None and today > event.application_deadline:
            raise ValidationError(_("The application deadline has passed."), code="deadline_passed")
        raise ValidationError(_("This event does not take applications."), code="signup_closed")
    if attendance == EventSignup.Attendance.ONLINE and event.format == Event.Format.VENUE:
        raise ValidationError(_("This event is held at the venue only."), code="online_not_offered")
    if attendance == EventSignup.Attendance.VENUE and event.format == Event.Format.ONLINE:
        attendance = EventSignup.Attendance.ONLINE
    active = event.signups.exclude(status=EventSignup.Status.CANCELLED)
    if active.filter(email__iexact=email).exists():
        raise ValidationError(_("This e-mail address has already applied to this event."), code="already_signed_up")
    confirmed = active.filter(status=EventSignup.Status.CONFIRMED).count()
    status = EventSignup.Status.CONFIRMED if confirmed < (event.capacity or 0) else EventSignup.Status.WAITLISTED
    signup = EventSignup(
        event=event,
        name=name,
        kana=kana,
        email=email,
        phone=phone,
        affiliation=affiliation,
        attendance=attendance,
        message=message,
        status=status,
    )
    signup.full_clean()
    signup.save()
    # The audit entry names the event, never the person (the trail must not hold personal data).
    audit_log(
        actor=None, action="meetings.event_signup.created", target=event, data={"signup": signup.pk, "status": status}
    )
    _queue_signup_mail(signup, site_url)
    return signup


@transaction.atomic
def event_signup_cancel(*, actor: Actor, signup: EventSignup) -> EventSignup:
    """Cancel an application; the first person on the waiting list gets the freed seat."""
    event = _lock_event(signup.event_id)
    signup = EventSignup.objects.select_for_update().get(pk=signup.pk)
    if signup.status == EventSignup.Status.CANCELLED:
        raise ValidationError(_("This application is already cancelled."), code="already_cancelled")
    if signup.checked_in_at is not None:
        raise ValidationError(_("A person who has been checked in cannot cancel."), code="already_checked_in")
    freed_seat = signup.status == EventSignup.Status.CONFIRMED
    signup.status = EventSignup.Status.CANCELLED
    signup.save(update_fields=["status"])
    promoted = None
    if freed_seat:
        promoted = (
            event.signups.select_for_update()
            .filter(status=EventSignup.Status.WAITLISTED)
            .order_by("created_at", "pk")
            .first()
        )
        if promoted is not None:
            promoted.status = EventSignup.Status.CONFIRMED
            promoted.save(update_fields=["status"])
            _queue_signup_mail(promoted)
    audit_log(
        actor=actor,
        action="meetings.event_signup.cancelled",
        target=event,
        data={"signup": signup.pk, "promoted": promoted.pk if promoted else None},
    )
    return signup


@transaction.atomic
def event_signup_check_in(*, actor: Actor, signup: EventSignup, checked_in: bool = True) -> EventSignup:
    """Check a person in at the event (or undo it); the event's participant counts follow."""
    event = _lock_event(signup.event_id)
    signup = EventSignup.objects.select_for_update().get(pk=signup.pk)
    if signup.status != EventSignup.Status.CONFIRMED:
        raise ValidationError(_("Only confirmed applicants can be checked in."), code="not_confirmed")
    if checked_in == (signup.checked_in_at is not None):
        return signup
    signup.checked_in_at = timezone.now() if checked_in else None
    signup.save(update_fields=["checked_in_at"])
    # The counts are kept on the event as non-personal aggregates, so they stay right when a
    # sign-up is later deleted on request.
    step = 1 if checked_in else -1
    mode_field = "participants_online" if signup.attendance == EventSignup.Attendance.ONLINE else "participants_venue"
    updates = {}
    for field in ("participants_total", mode_field):
        updates[field] = max(0, (getattr(event, field) or 0) + step)
    for field in ("participants_venue", "participants_online"):
        updates.setdefault(field, getattr(event, field) or 0)
    Event.objects.filter(pk=event.pk).update(**updates)
    audit_log(
        actor=actor,
        action="meetings.event_signup.checked_in" if checked_in else "meetings.event_signup.check_in_undone",
        target=event,
        data={"signup": signup.pk},
    )
    return signup


@transaction.atomic
def event_signup_delete(*, actor: Actor, signup: EventSignup) -> None:
    """Delete an application on the person's request (docs/quality.md P2); the event's counts stay."""
    event = _lock_event(signup.event_id)
    signup = EventSignup.objects.select_for_update().get(pk=signup.pk)
    signup_pk = signup.pk
    was_confirmed = signup.status == EventSignup.Status.CONFIRMED and signup.checked_in_at is None
    EventSignup.objects.filter(pk=signup_pk).delete()
    promoted = None
    if was_confirmed and event.status == Event.Status.PLANNED:
        promoted = event.signups.filter(status=EventSignup.Status.WAITLISTED).order_by("created_at", "pk").first()
        if promoted is not None:
            EventSignup.objects.filter(pk=promoted.pk).update(status=EventSignup.Status.CONFIRMED)
    audit_log(
        actor=actor,
        action="meetings.event_signup.deleted",
        target=event,
        data={"signup": signup_pk, "promoted": promoted.pk if promoted else None},
    )


def events_mark_held(*, today: datetime.date) -> list[int]:
    """Scheduled: planned events whose last day has passed become held (開催済), one audit entry each.

    The public list already files them under past events by their date; with the status the
    event's own page says 開催済 too, so the two agree.
    """
    last_day = Coalesce("end_date", "start_date")
    due = (
        Event.objects.filter(status=Event.Status.PLANNED)  # type: ignore[no-redef,misc]  # annotated below
        .annotate(last_day=last_day)
        .filter(last_day__lt=today)
        .values_list("pk", flat=True)
    )
    marked = []
    for pk in list(due):
        with transaction.atomic():
            event = _lock_event(pk)
            if event.status != Event.Status.PLANNED:
                continue
            event.status = Event.Status.HELD
            event.save(update_fields=["status", "updated_at"])
            audit_log(actor=None, action="meetings.event.marked_held", target=event, data={"on": today.isoformat()})
            marked.append(pk)
    return marked


def event_reminders_queue(*, today: datetime.date, days: int) -> int:
    """Scheduled: a reminder to everyone with a seat, `days` before the event (each person once)."""
    signups = EventSignup.objects.select_related("event").filter(
        status=EventSignup.Status.CONFIRMED,
        event__status=Event.Status.PLANNED,
        event__start_date__gte=today,
        event__start_date__lte=today + datetime.timedelta(days=days),
    )
    queued = 0
    for signup in signups:
        queued += mail_queue_once(
            key=f"event_reminder:{signup.pk}",
            template="event_reminder",
            to=[signup.email],
            context={"signup": signup, "event": signup.event},
        )
    return queued


__all__ = [
    "event_save",
    "event_signup_cancel",
    "event_signup_check_in",
    "event_signup_create",
    "event_signup_delete",
    "event_reminders_queue",
    "events_mark_held",
    "signup_is_open",
]
