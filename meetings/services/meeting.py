"""Writes of meetings, agendas, materials and minutes (docs/house-style.md R5/R6): one audit entry each."""

import datetime
import io
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings import rules
from meetings.models import AgendaItem, Material, Meeting, MeetingBody, Minutes, PacketIssue
from platform_portal.audit import Actor, actor_user, audit_log
from platform_portal.lib.fiscal import fiscal_year_of
from platform_portal.uploads import check_upload

GENERATED_PARAMETERS = ("fiscal_year", "organization", "as_of", "council_session")
MEETING_FIELDS = [
    "number",
    "date",
    "start_time",
    "end_time",
    "planned_period",
    "fiscal_year",
    "format",
    "venue",
    "status",
    "summary",
    "is_public",
]


def _next_number(queryset) -> int:
    return (queryset.aggregate(top=Max("number"))["top"] or 0) + 1


def _check_schedule(*, date: datetime.date | None, fiscal_year: int | None, status: str) -> int:
    """The fiscal year follows the date when there is one; a held meeting has a date."""
    if status == Meeting.Status.HELD and date is None:
        raise ValidationError(_("A held meeting needs its date."), code="held_without_date")
    if date is not None:
        derived = fiscal_year_of(date).start_year
        if fiscal_year not in (None, derived):
            raise ValidationError(_("The fiscal year does not match the date."), code="fiscal_year_mismatch")
        return derived
    if fiscal_year is None:
        raise ValidationError(_("Give a date or the fiscal year of the planned period."), code="fiscal_year_missing")
    return fiscal_year


def meeting_fiscal_year(*, date: datetime.date | None, fiscal_year: int | None, status: str) -> int:
    """The meeting's 年度 by the scheduling rule (for forms that show the rule's coded error before saving)."""
    return _check_schedule(date=date, fiscal_year=fiscal_year, status=status)


def meeting_next_number(*, body: MeetingBody) -> int:
    """The body's next meeting number (第N回)."""
    return _next_number(Meeting.objects.filter(body=body))


def minutes_check_new(*, meeting: Meeting) -> None:
    """Raise if the meeting already has minutes: later versions are corrections of the latest."""
    if meeting.minutes.exists():
        raise ValidationError(
            _("This meeting already has minutes; correct the latest version instead."), code="minutes_exist"
        )


@transaction.atomic
def meeting_create(
    *,
    actor: Actor,
    body: MeetingBody,
    number: int | None = None,
    date: datetime.date | None = None,
    start_time: datetime.time | None = None,
    end_time: datetime.time | None = None,
    planned_period: str = "",
    fiscal_year: int | None = None,
    format: str = Meeting.Format.VENUE,  # noqa: A002
    venue: str = "",
    status: str = Meeting.Status.SCHEDULED,
    summary: str = "",
    is_public: bool = True,
) -> Meeting:
    """Create a meeting; without a number it gets the body's next one (第N回)."""
    MeetingBody.objects.select_for_update().get(pk=body.pk)
    if number is None:
        number = _next_number(Meeting.objects.filter(body=body))
    elif Meeting.objects.filter(body=body, number=number).exists():
        raise ValidationError(_("This body already has a meeting with that number."), code="number_taken")
    meeting = Meeting(
        body=body,
        number=number,
        date=date,
        start_time=start_time,
        end_time=end_time,
        planned_period=planned_period,
        fiscal_year=_check_schedule(date=date, fiscal_year=fiscal_year, status=status),
        format=format,
        venue=venue,
        status=status,
        summary=summary,
        is_public=is_public,
    )
    meeting.full_clean()
    meeting.save()
    audit_log(actor=actor, action="meetings.meeting.created", target=meeting, data={"number": number})
    return meeting


@transaction.atomic
def meeting_update(*, actor: Actor, meeting: Meeting, **fields) -> Meeting:
    """Change a meeting's fields (those in MEETING_FIELDS); the audit entry names the changed ones."""
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"unknown meeting fields: {sorted(unknown)}")
    date = fields.get("date", meeting.date)
    status = fields.get("status", meeting.status)
    fiscal_year = fields.get("fiscal_year", None if date is not None else meeting.fiscal_year)
    fields["fiscal_year"] = _check_schedule(date=date, fiscal_year=fiscal_year, status=status)
    changed = [name for name, value in fields.items() if getattr(meeting, name) != value]
    if (
        "number" in changed
        and Meeting.objects.filter(body=meeting.body, number=fields["number"]).exclude(pk=meeting.pk).exists()
    ):
        raise ValidationError(_("This body already has a meeting with that number."), code="number_taken")
    for name in changed:
        setattr(meeting, name, fields[name])
    if not changed:
        return meeting
    meeting.full_clean(validate_unique=False)
    meeting.save(update_fields=[*changed, "updated_at"])
    audit_log(actor=actor, action="meetings.meeting.changed", target=meeting, data={"fields": sorted(changed)})
    return meeting


@transaction.atomic
def meeting_prepare_next(*, actor: Actor, previous: Meeting) -> Meeting:
    """The next meeting of the same body: next number, undecided date, the agenda structure copied, not public yet.

    The copied agenda moves on: 令和N年度 in titles follows the new fiscal year, and the names of
    presenters are left out (their organisation and role stay) until staff name this year's.
    """
    MeetingBody.objects.select_for_update().get(pk=previous.body_id)
    number = _next_number(Meeting.objects.filter(body_id=previous.body_id))
    fiscal_year = max(previous.fiscal_year, fiscal_year_of(timezone.localdate()).start_year)
    meeting = Meeting.objects.create(
        body_id=previous.body_id,
        number=number,
        fiscal_year=fiscal_year,
        format=previous.format,
        venue=previous.venue,
        status=Meeting.Status.SCHEDULED,
        # A draft until the secretariat has set its date and agenda: the copied agenda is the
        # previous meeting's, and publishing it at once would announce the wrong topics.
        is_public=False,
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            order=item.order,
            section=item.section,
            title=rules.shift_fiscal_years(item.title, years=fiscal_year - previous.fiscal_year),
            presenter=rules.presenter_role_only(item.presenter),
            duration_minutes=item.duration_minutes,
        )
        for item in previous.agenda_items.all()
    )
    audit_log(
        actor=actor, action="meetings.meeting.prepared", target=meeting, data={"from": previous.pk, "number": number}
    )
    return meeting


@transaction.atomic
def agenda_set(*, actor: Actor, meeting: Meeting, items: list[dict]) -> Meeting:
    """Replace a meeting's agenda with `items` (dicts of section, title, presenter, duration_minutes)."""
    meeting.agenda_items.all().delete()
    rows = []
    for order, data in enumerate(items, start=1):
        item = AgendaItem(meeting=meeting, order=order * 10, **data)
        item.full_clean(exclude=["meeting"])
        rows.append(item)
    AgendaItem.objects.bulk_create(rows)
    audit_log(actor=actor, action="meetings.meeting.agenda_changed", target=meeting, data={"items": len(rows)})
    return meeting


def agenda_record_change(*, actor: Actor, meeting: Meeting, changed_items: int) -> None:
    """The admin's agenda inline saved its rows (no side effects): one audit entry for the meeting."""
    audit_log(actor=actor, action="meetings.meeting.agenda_changed", target=meeting, data={"items": changed_items})


def attendance_record_change(*, actor: Actor, meeting: Meeting, changed_rows: int) -> None:
    """The admin's attendance inline saved its rows: one audit entry for the meeting (no names in it)."""
    audit_log(actor=actor, action="meetings.meeting.attendance_changed", target=meeting, data={"rows": changed_rows})


# ------------------------------------------------------------------ materials


def material_check_upload(upload: UploadedFile) -> int:
    """Check an uploaded material (extension, magic bytes, size, readable PDF); returns its page count."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    check_upload(upload, allowed={"pdf"})
    try:
        reader = PdfReader(io.BytesIO(upload.read()))
        if reader.is_encrypted:
            raise ValidationError(
                _("Password-protected PDFs cannot be merged into a packet."), code="material_encrypted"
            )
        pages = len(reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise ValidationError(_("The PDF file is damaged."), code="material_damaged") from exc
    finally:
        upload.seek(0)
    if pages < 1:
        raise ValidationError(_("The PDF file has no pages."), code="material_damaged")
    if pages > settings.MATERIAL_MAX_PAGES:
        raise ValidationError(
            _(
                "The PDF has %(pages)s pages; a material may have at most %(limit)s pages. Split it into several materials."
            ),
            code="material_too_many_pages",
            params={"pages": pages, "limit": settings.MATERIAL_MAX_PAGES},
        )
    return pages


def _check_packet_pages(*, meeting: Meeting, adding: int, replacing: Material | None = None) -> None:
    """The whole packet (every material of the meeting) stays within PACKET_MAX_PAGES pages."""
    others = Material.objects.filter(meeting=meeting)
    if replacing is not None:
        others = others.exclude(pk=replacing.pk)
    total = (others.aggregate(total=Sum("page_count"))["total"] or 0) + adding
    if total > settings.PACKET_MAX_PAGES:
        raise ValidationError(
            _("The meeting's materials would have %(pages)s pages in all; a packet may have at most %(limit)s pages."),
            code="packet_too_many_pages",
            params={"pages": total, "limit": settings.PACKET_MAX_PAGES},
        )


@transaction.atomic
def material_add(
    *,
    actor: Actor,
    meeting: Meeting,
    title: str,
    upload: UploadedFile,
    is_public: bool = False,
    agenda_item: AgendaItem | None = None,
    number: int | None = None,
) -> Material:
    """Attach a checked PDF (資料N, numbered automatically) to a meeting or one of its agenda items."""
    page_count = material_check_upload(upload)
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError(_("The agenda item belongs to another meeting."), code="agenda_item_mismatch")
    Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check_packet_pages(meeting=meeting, adding=page_count)
    if number is None:
        number = _next_number(Material.objects.filter(meeting=meeting))
    elif Material.objects.filter(meeting=meeting, number=number).exists():
        raise ValidationError(_("This meeting already has a material with that number."), code="number_taken")
    material = Material(
        meeting=meeting,
        agenda_item=agenda_item,
        number=number,
        title=title,
        original_name=Path(upload.name or "").name[:200],
        size_bytes=upload.size or 0,
        page_count=page_count,
        is_public=is_public,
    )
    material.full_clean(exclude=["file"])
    material.file.save(upload.name, upload, save=False)
    try:
        material.save()
    except Exception:
        material.file.storage.delete(material.file.name)  # no orphan file when the row is refused
        raise
    audit_log(
        actor=actor,
        action="meetings.material.added",
        target=material,
        data={"meeting": meeting.pk, "number": number, "pages": page_count, "public": is_public},
    )
    return material


@transaction.atomic
def material_update(
    *,
    actor: Actor,
    material: Material,
    title: str,
    is_public: bool,
    number: int,
    agenda_item: AgendaItem | None,
    upload: UploadedFile | None = None,
    **parameters,
) -> Material:
    """Change a material's data; a new upload replaces the file (the old one is removed after commit).

    For a generated material, `parameters` (fiscal_year, organization, as_of, council_session)
    change what it prints.
    """
    changed = []
    unknown = set(parameters) - set(GENERATED_PARAMETERS)
    if unknown:
        raise TypeError(f"unknown parameters: {sorted(unknown)}")
    if parameters and material.is_generated:
        from meetings.generated import check_parameters

        values = {name: parameters.get(name, getattr(material, name)) for name in GENERATED_PARAMETERS}
        check_parameters(kind=material.kind, values=values)
        for name, value in values.items():
            if getattr(material, name) != value:
                setattr(material, name, value)
                changed.append(name)
    if number != material.number and Material.objects.filter(meeting_id=material.meeting_id, number=number).exists():
        raise ValidationError(_("This meeting already has a material with that number."), code="number_taken")
    if agenda_item is not None and agenda_item.meeting_id != material.meeting_id:
        raise ValidationError(_("The agenda item belongs to another meeting."), code="agenda_item_mismatch")
    for name, value in {"title": title, "is_public": is_public, "number": number, "agenda_item": agenda_item}.items():
        if getattr(material, name) != value:
            setattr(material, name, value)
            changed.append(name)
    if upload is not None:
        material.page_count = material_check_upload(upload)
        Meeting.objects.select_for_update().get(pk=material.meeting_id)
        _check_packet_pages(meeting=material.meeting, adding=material.page_count, replacing=material)
        old_name = material.file.name
        storage = material.file.storage
        material.file.save(upload.name, upload, save=False)
        material.original_name = Path(upload.name or "").name[:200]
        material.size_bytes = upload.size or 0
        changed += ["file", "original_name", "size_bytes", "page_count"]
        transaction.on_commit(lambda: storage.delete(old_name))
    if not changed:
        return material
    material.full_clean(exclude=["file"], validate_unique=False)
    material.save(update_fields=changed)
    audit_log(actor=actor, action="meetings.material.changed", target=material, data={"fields": sorted(changed)})
    return material


@transaction.atomic
def material_delete(*, actor: Actor, material: Material) -> None:
    """Delete a material and, after commit, its file."""
    name, storage = material.file.name, material.file.storage
    audit_log(
        actor=actor,
        action="meetings.material.deleted",
        target=material,
        data={"meeting": material.meeting_id, "number": material.number},
    )
    material.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def material_generate(
    *,
    actor: Actor,
    meeting: Meeting,
    kind: str,
    title: str,
    is_public: bool = False,
    agenda_item: AgendaItem | None = None,
    number: int | None = None,
    **parameters,
) -> Material:
    """Add a material generated from records (資料N among the uploads): a kind and its parameters."""
    from meetings.generated import check_parameters

    unknown = set(parameters) - set(GENERATED_PARAMETERS)
    if unknown:
        raise TypeError(f"unknown parameters: {sorted(unknown)}")
    check_parameters(kind=kind, values=parameters)
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError(_("The agenda item belongs to another meeting."), code="agenda_item_mismatch")
    Meeting.objects.select_for_update().get(pk=meeting.pk)
    if number is None:
        number = _next_number(Material.objects.filter(meeting=meeting))
    elif Material.objects.filter(meeting=meeting, number=number).exists():
        raise ValidationError(_("This meeting already has a material with that number."), code="number_taken")
    material = Material(
        meeting=meeting,
        agenda_item=agenda_item,
        number=number,
        title=title,
        kind=kind,
        is_public=is_public,
        **{name: parameters.get(name) for name in GENERATED_PARAMETERS},
    )
    material.full_clean(exclude=["file"])
    material.save()
    audit_log(
        actor=actor,
        action="meetings.material.generated",
        target=material,
        data={"meeting": meeting.pk, "number": number, "kind": kind, "public": is_public},
    )
    return material


# ------------------------------------------------------------------ packet issue


@transaction.atomic
def packet_issue(*, actor: Actor, meeting: Meeting) -> PacketIssue:
    """Issue the meeting packet: the staff and public PDFs as they are now, stored and served unchanged.

    Issuing again after edits makes the next version; earlier versions stay.
    """
    from django.core.files.base import ContentFile
    from pypdf import PdfReader

    from meetings.pdf import render_packet_pdf

    Meeting.objects.select_for_update().get(pk=meeting.pk)
    staff_pdf = render_packet_pdf(meeting, include_private=True)
    public_pdf = render_packet_pdf(meeting, include_private=False)
    issue = PacketIssue(
        meeting=meeting,
        version=_next_number_of(PacketIssue.objects.filter(meeting=meeting), "version"),
        page_count=len(PdfReader(io.BytesIO(staff_pdf)).pages),
        issued_by=actor_user(actor),
    )
    issue.staff_file.save("packet.pdf", ContentFile(staff_pdf), save=False)
    issue.public_file.save("packet.pdf", ContentFile(public_pdf), save=False)
    files = [issue.staff_file.name, issue.public_file.name]
    storage = issue.staff_file.storage
    try:
        issue.save()
    except Exception:
        for name in files:
            storage.delete(name)
        raise
    audit_log(
        actor=actor,
        action="meetings.packet.issued",
        target=meeting,
        data={"version": issue.version, "pages": issue.page_count},
    )
    return issue


def _next_number_of(queryset, field: str) -> int:
    return (queryset.aggregate(top=Max(field))["top"] or 0) + 1


# ------------------------------------------------------------------ minutes


@transaction.atomic
def minutes_create(*, actor: Actor, meeting: Meeting, text: str) -> Minutes:
    """Start the minutes of a meeting as a draft (version 1); later versions come from minutes_correct."""
    minutes_check_new(meeting=meeting)
    minutes = Minutes(meeting=meeting, version=1, text=text)
    minutes.full_clean()
    minutes.save()
    audit_log(actor=actor, action="meetings.minutes.created", target=minutes, data={"meeting": meeting.pk})
    return minutes


@transaction.atomic
def minutes_update(*, actor: Actor, minutes: Minutes, text: str) -> Minutes:
    """Edit the text of draft minutes; confirmed text is frozen."""
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if minutes.is_frozen:
        raise ValidationError(_("Confirmed minutes cannot be edited; make a correction."), code="minutes_frozen")
    if minutes.text == text:
        return minutes
    minutes.text = text
    minutes.full_clean()
    minutes.save(update_fields=["text"])
    audit_log(actor=actor, action="meetings.minutes.changed", target=minutes, data={"fields": ["text"]})
    return minutes


@transaction.atomic
def minutes_confirm(*, actor: Actor, minutes: Minutes) -> Minutes:
    """Confirm draft minutes: from now on the text is frozen."""
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if minutes.status != Minutes.Status.DRAFT:
        raise ValidationError(_("Only draft minutes can be confirmed."), code="minutes_not_draft")
    minutes.status = Minutes.Status.CONFIRMED
    minutes.confirmed_at = timezone.now()
    minutes.confirmed_by = actor_user(actor)
    minutes.save(update_fields=["status", "confirmed_at", "confirmed_by"])
    audit_log(actor=actor, action="meetings.minutes.confirmed", target=minutes, data={"version": minutes.version})
    return minutes


@transaction.atomic
def minutes_publish(*, actor: Actor, minutes: Minutes) -> Minutes:
    """Publish confirmed minutes on the meeting's public page."""
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if minutes.status != Minutes.Status.CONFIRMED:
        raise ValidationError(_("Only confirmed minutes can be published."), code="minutes_not_confirmed")
    minutes.status = Minutes.Status.PUBLISHED
    minutes.published_at = timezone.now()
    minutes.save(update_fields=["status", "published_at"])
    audit_log(actor=actor, action="meetings.minutes.published", target=minutes, data={"version": minutes.version})
    return minutes


@transaction.atomic
def minutes_correct(*, actor: Actor, minutes: Minutes, text: str | None = None) -> Minutes:
    """A correction of confirmed minutes: a new draft version that points back to the one it corrects."""
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if not minutes.is_frozen:
        raise ValidationError(_("Draft minutes can be edited directly."), code="minutes_not_frozen")
    if Minutes.objects.filter(meeting_id=minutes.meeting_id, version__gt=minutes.version).exists():
        raise ValidationError(_("Only the latest version can be corrected."), code="minutes_not_latest")
    correction = Minutes(
        meeting_id=minutes.meeting_id,
        version=minutes.version + 1,
        text=minutes.text if text is None else text,
        supersedes=minutes,
    )
    correction.full_clean()
    correction.save()
    audit_log(
        actor=actor,
        action="meetings.minutes.corrected",
        target=correction,
        data={"version": correction.version, "corrects": minutes.version},
    )
    return correction
