"""Writes of the supporter roster (docs/house-style.md R5/R6): create, change, trainings, appointment,
status, sharing with a municipality and deletion on request."""

import datetime
from typing import Any

import tablib
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from meetings.models import Event
from members.models import Municipality
from platform_portal.audit import Actor, audit_log
from platform_portal.importexport import JapaneseCSV, neutralize_formula
from platform_portal.lib.fiscal import fiscal_year_of
from platform_portal.models import AuditLogEntry
from supporters.models import Appointment, AppointmentSequence, Supporter, TrainingCompletion, TrainingCourse

PERSONAL_FIELDS = ["name", "kana", "email", "phone", "address", "affiliation", "notes"]
EDITABLE_FIELDS = ["roster_code", "municipality", "consent_share_with_municipality", *PERSONAL_FIELDS]
SCRUBBED = "[deleted]"


def _next_roster_code() -> str:
    last = Supporter.objects.filter(roster_code__regex=r"^S[0-9]+$").order_by("-roster_code").first()
    number = int(last.roster_code[1:]) + 1 if last else 1
    return f"S{number:05d}"


@transaction.atomic
def supporter_create(*, actor: Actor, name: str, municipality: Municipality, **fields: Any) -> Supporter:
    """Put a person on the roster (研修中 until appointed)."""
    fields["roster_code"] = fields.get("roster_code") or _next_roster_code()
    supporter = Supporter(name=name, municipality=municipality, status=Supporter.Status.IN_TRAINING, **fields)
    supporter.full_clean()
    supporter.save()
    # Only the field names go to the audit trail, never the values (personal data).
    audit_log(actor=actor, action="supporters.supporter.created", target=supporter, data={"fields": sorted(fields)})
    return supporter


@transaction.atomic
def supporter_update(*, actor: Actor, supporter: Supporter, **fields: Any) -> Supporter:
    """Change a supporter's details; the audit entry names the changed fields only."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    changed = [name for name, value in fields.items() if getattr(supporter, name) != value]
    for name, value in fields.items():
        setattr(supporter, name, value)
    supporter.full_clean()
    supporter.save(update_fields=[*fields, "updated_at"] if fields else None)
    if changed:
        audit_log(
            actor=actor, action="supporters.supporter.changed", target=supporter, data={"fields": sorted(changed)}
        )
    return supporter


@transaction.atomic
def training_completion_record(
    *,
    actor: Actor,
    supporter: Supporter,
    course: TrainingCourse,
    completed_on: datetime.date,
    event: Event | None = None,
) -> TrainingCompletion:
    """Record that a supporter completed a training course (at a supporter training event)."""
    if event is not None and event.kind != Event.Kind.SUPPORTER_TRAINING:
        raise ValidationError(_("The event is not a supporter training."), code="not_a_training")
    if TrainingCompletion.objects.filter(supporter=supporter, course=course).exists():
        raise ValidationError(_("This training is already recorded for the person."), code="training_already_recorded")
    completion = TrainingCompletion(supporter=supporter, course=course, event=event, completed_on=completed_on)
    completion.full_clean()
    completion.save()
    audit_log(
        actor=actor,
        action="supporters.training.completed",
        target=supporter,
        data={"course": course.name, "event": event.pk if event else None, "completed_on": completed_on},
    )
    return completion


def missing_trainings(supporter: Supporter, required: list[TrainingCourse]) -> list[TrainingCourse]:
    done = {completion.course_id for completion in supporter.trainings.all()}
    return [course for course in required if course.pk not in done]


@transaction.atomic
def supporter_appoint(*, actor: Actor, supporters: list[Supporter], appointed_on: datetime.date) -> list[Supporter]:
    """Appoint supporters in bulk (任命): all must have completed the required trainings.

    All or nothing: one person without the trainings refuses the whole batch. Numbers are
    given in roster order (kana, name), continuing from the last number; the sequence row is
    locked, so two staff appointing at the same time never get the same number.
    """
    if not supporters:
        raise ValidationError(_("Select at least one person to appoint."), code="nobody_selected")
    required = list(TrainingCourse.objects.filter(required_for_appointment=True))
    people = list(
        Supporter.objects.select_for_update()
        .filter(pk__in=[supporter.pk for supporter in supporters])
        .prefetch_related("trainings")
        .order_by("kana", "name", "pk")
    )
    errors = []
    for person in people:
        if person.appointment_id is not None:
            errors.append(
                ValidationError(
                    _("%(name)s is already appointed."), code="already_appointed", params={"name": person.name}
                )
            )
        elif missing := missing_trainings(person, required):
            errors.append(
                ValidationError(
                    _("%(name)s has not completed: %(courses)s."),
                    code="trainings_missing",
                    params={"name": person.name, "courses": "、".join(course.name for course in missing)},
                )
            )
    if errors:
        raise ValidationError(errors)
    sequence, _created = AppointmentSequence.objects.select_for_update().get_or_create(pk=1)
    fiscal_year = fiscal_year_of(appointed_on).start_year
    for person in people:
        sequence.last_number += 1
        appointment = Appointment.objects.create(
            number=sequence.last_number, appointed_on=appointed_on, fiscal_year=fiscal_year
        )
        person.appointment = appointment
        person.status = Supporter.Status.ACTIVE
        person.save(update_fields=["appointment", "status", "updated_at"])
        audit_log(
            actor=actor,
            action="supporters.supporter.appointed",
            target=person,
            data={"number": appointment.number, "appointed_on": appointed_on},
        )
    sequence.save(update_fields=["last_number"])
    return people


ALLOWED_STATUS_CHANGES = {
    Supporter.Status.ACTIVE: {Supporter.Status.PAUSED, Supporter.Status.RETIRED},
    Supporter.Status.PAUSED: {Supporter.Status.ACTIVE, Supporter.Status.RETIRED},
    Supporter.Status.RETIRED: {Supporter.Status.ACTIVE},
    Supporter.Status.IN_TRAINING: set(),
}


@transaction.atomic
def supporter_set_status(*, actor: Actor, supporter: Supporter, status: str) -> Supporter:
    """Pause, resume or retire an appointed supporter (休止 / 退任); appointment is its own service."""
    if status not in ALLOWED_STATUS_CHANGES[Supporter.Status(supporter.status)]:
        raise ValidationError(_("This change of status is not allowed."), code="status_change_not_allowed")
    before = supporter.status
    supporter.status = status
    supporter.save(update_fields=["status", "updated_at"])
    audit_log(
        actor=actor, action="supporters.supporter.status_changed", target=supporter, data={"from": before, "to": status}
    )
    return supporter


@transaction.atomic
def supporter_set_exchange_meetings(*, actor: Actor, supporter: Supporter, events: list[Event]) -> Supporter:
    """Set the exchange meetings (交流会) a supporter attended."""
    if any(event.kind != Event.Kind.SUPPORTER_EXCHANGE for event in events):
        raise ValidationError(_("The event is not a supporters' exchange meeting."), code="not_an_exchange")
    before = set(supporter.exchange_meetings.values_list("pk", flat=True))
    after = {event.pk for event in events}
    if before != after:
        supporter.exchange_meetings.set(events)
        audit_log(
            actor=actor,
            action="supporters.supporter.exchange_attended",
            target=supporter,
            data={"added": sorted(after - before), "removed": sorted(before - after)},
        )
    return supporter


SHARE_COLUMNS = [
    ("roster_code", "名簿番号"),
    ("name", "氏名"),
    ("kana", "ふりがな"),
    ("email", "メールアドレス"),
    ("phone", "電話番号"),
    ("address", "住所"),
    ("affiliation", "所属"),
]


def supporter_share_export(*, actor: Actor, municipality: Municipality) -> bytes:
    """The consenting, appointed supporters of one municipality as UTF-8 (BOM) CSV; audited (IE5)."""
    supporters = (
        Supporter.objects.filter(
            municipality=municipality,
            consent_share_with_municipality=True,
            status__in=[Supporter.Status.ACTIVE, Supporter.Status.PAUSED],
        )
        .select_related("appointment")
        .order_by("appointment__number")
    )
    dataset = tablib.Dataset(headers=[label for _name, label in SHARE_COLUMNS] + ["任命番号", "任命日", "状況"])
    for supporter in supporters:
        row = [neutralize_formula(getattr(supporter, name)) for name, _label in SHARE_COLUMNS]
        row += [
            supporter.appointment.number,  # type: ignore[union-attr]  # filtered to appointed supporters
            supporter.appointment.appointed_on.isoformat(),  # type: ignore[union-attr]
            supporter.get_status_display(),
        ]
        dataset.append(row)
    audit_log(
        actor=actor,
        action="supporters.supporter.shared",
        target=municipality,
        data={"municipality": municipality.name, "rows": len(dataset)},
    )
    return JapaneseCSV().export_data(dataset)


def _scrub(value: Any, secrets: list[str]) -> Any:
    if isinstance(value, str):
        for secret in secrets:
            value = value.replace(secret, SCRUBBED)
        return value
    if isinstance(value, dict):
        return {key: _scrub(item, secrets) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrub(item, secrets) for item in value]
    return value


@transaction.atomic
def supporter_delete_on_request(*, actor: Actor, supporter: Supporter) -> None:
    """Delete a person from the roster on their request (docs/quality.md P2).

    Their row, trainings and exchange records go; their name and contact details are scrubbed
    from the audit trail and the admin history. The anonymous appointment record (number,
    date, fiscal year) stays, so the yearly totals (appointed that year, total after) stay right.
    """
    secrets = sorted(
        {value for name in PERSONAL_FIELDS if len(value := str(getattr(supporter, name)).strip()) >= 2},
        key=len,
        reverse=True,
    )
    content_type = ContentType.objects.get_for_model(Supporter)
    object_id = str(supporter.pk)
    had_appointment = supporter.appointment_id is not None
    supporter.trainings.all().delete()
    supporter.exchange_meetings.clear()
    supporter.delete()
    AuditLogEntry.objects.filter(content_type=content_type, object_id=object_id).update(object_repr=SCRUBBED)
    for entry in AuditLogEntry.objects.filter(action__startswith="supporters.").only("pk", "data", "object_repr"):
        data = _scrub(entry.data, secrets)
        if data != entry.data:
            AuditLogEntry.objects.filter(pk=entry.pk).update(data=data)
    for entry in AuditLogEntry.objects.filter(
        action__in=["admin.changed", "admin.created", "admin.deleted"], content_type=content_type
    ):
        AuditLogEntry.objects.filter(pk=entry.pk).update(
            data=_scrub(entry.data, secrets), object_repr=_scrub(entry.object_repr, secrets)
        )
    LogEntry.objects.filter(content_type=content_type, object_id=object_id).delete()
    for log_entry in LogEntry.objects.filter(content_type=content_type).only("pk", "object_repr", "change_message"):
        if any(secret in log_entry.object_repr or secret in log_entry.change_message for secret in secrets):
            LogEntry.objects.filter(pk=log_entry.pk).update(
                object_repr=_scrub(log_entry.object_repr, secrets),
                change_message=_scrub(log_entry.change_message, secrets),
            )
    audit_log(
        actor=actor,
        action="supporters.supporter.deleted_on_request",
        data={"record": object_id, "was_appointed": had_appointment},
    )
