"""Events: workshops, forums, trainings, exchange meetings, seminars, with results and sign-ups."""

import datetime
import uuid

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meetings.models.meeting import AttendanceFormat
from platform_portal.lib.fiscal import FiscalYear, fiscal_year_of
from platform_portal.validators import validate_plain_text, validate_single_line

__all__ = ["Event", "EventSignup", "ProgrammeItem"]


class Event(models.Model):
    """A gathering of the platform: a workshop, forum, training, exchange meeting, seminar or council.

    An event has a fixed date (start_date, optionally end_date for several days), or, while
    undecided, a planned period (planned_from/planned_until, e.g. 「2～3月」). Results are
    non-personal aggregates: when sign-up is used they follow from the check-ins.
    """

    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("Workshop")
        FORUM = "forum", _("Forum")
        TRAINING = "training", _("Training")
        SUPPORTER_TRAINING = "supporter_training", _("Supporter training")
        SUPPORTER_EXCHANGE = "supporter_exchange", _("Supporters' exchange meeting")
        SEMINAR = "seminar", _("Seminar")
        COUNCIL = "council", _("Council")
        OTHER = "other", _("Other")

    Format = AttendanceFormat

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("event", "Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.WORKSHOP)
    title = models.CharField(_("title"), max_length=200, validators=[validate_single_line])
    series = models.CharField(
        _("series"),
        max_length=200,
        blank=True,
        validators=[validate_single_line],
        help_text=_("For events that repeat, e.g. 福祉をひらくワークショップ 2025."),
    )
    number = models.PositiveSmallIntegerField(_("number in the series"), null=True, blank=True)
    start_date = models.DateField(_("date"), null=True, blank=True, db_index=True)
    end_date = models.DateField(_("last day"), null=True, blank=True, help_text=_("Only for events on several days."))
    extra_dates = models.CharField(
        _("other dates"),
        max_length=200,
        blank=True,
        validators=[validate_single_line],
        help_text=_("When the event is held on separate days, e.g. R7.8.18 と R7.8.20."),
    )
    planned_from = models.DateField(_("planned from"), null=True, blank=True)
    planned_until = models.DateField(_("planned until"), null=True, blank=True)
    planned_label = models.CharField(
        _("planned period"),
        max_length=100,
        blank=True,
        validators=[validate_single_line],
        help_text=_("Shown while the date is undecided, e.g. 2～3月."),
    )
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True, validators=[validate_single_line])
    format = models.CharField(_("format"), max_length=20, choices=Format.choices, default=Format.VENUE)
    organizer = models.CharField(_("organiser"), max_length=200, blank=True, validators=[validate_single_line])
    contractor = models.CharField(_("contractor"), max_length=200, blank=True, validators=[validate_single_line])
    target_audience = models.CharField(
        _("target audience"), max_length=300, blank=True, validators=[validate_single_line]
    )
    description = models.TextField(_("description"), blank=True, validators=[validate_plain_text])
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    application_deadline = models.DateField(_("application deadline"), null=True, blank=True)
    signup_enabled = models.BooleanField(
        _("public sign-up"), default=False, help_text=_("People apply on this site; staff check them in.")
    )
    is_public = models.BooleanField(_("public"), default=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    participants_total = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    participants_venue = models.PositiveIntegerField(_("participants at the venue"), null=True, blank=True)
    participants_online = models.PositiveIntegerField(_("participants online"), null=True, blank=True)
    organizations_count = models.PositiveIntegerField(_("participating organisations"), null=True, blank=True)
    participating_organizations = models.ManyToManyField(
        "members.Organization",
        verbose_name=_("participating member organisations"),
        blank=True,
        related_name="events_attended",
    )
    recording_requests = models.PositiveIntegerField(_("recording requests"), null=True, blank=True)
    recording_requests_approximate = models.BooleanField(
        _("recording requests are approximate"),
        default=False,
        help_text=_("Tick when the count is an estimate: it is then shown with 約 (about)."),
    )
    notes = models.TextField(_("notes"), blank=True, validators=[validate_plain_text])
    initiative = models.ForeignKey(
        "meetings.Initiative",
        verbose_name=_("programme of the year"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        help_text=_("The programme whose results list this event."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["start_date", "planned_from", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=False) | Q(planned_from__isnull=False),
                name="event_has_date_or_planned_period",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="event_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(planned_until__isnull=True) | Q(planned_until__gte=models.F("planned_from")),
                name="event_planned_until_after_from",
            ),
            models.CheckConstraint(
                condition=~Q(signup_enabled=True) | Q(capacity__isnull=False),
                name="event_signup_has_capacity",
            ),
        ]
        permissions = [("checkin_eventsignup", _("Can check people in at events"))]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:event_detail", args=[self.pk])

    @property
    def first_day(self) -> datetime.date:
        """The date the event is listed under: its date, or the start of the planned period."""
        return self.start_date or self.planned_from

    @property
    def last_day(self) -> datetime.date:
        return self.end_date or self.start_date or self.planned_until or self.planned_from

    @property
    def fiscal_year(self) -> FiscalYear:
        return fiscal_year_of(self.first_day)

    @property
    def date_is_fixed(self) -> bool:
        return self.start_date is not None

    @property
    def has_results(self) -> bool:
        return any(
            value is not None for value in (self.participants_total, self.organizations_count, self.recording_requests)
        )


class ProgrammeItem(models.Model):
    """One item of an event's programme: a lecture, a report, a workshop session."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="programme")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200, validators=[validate_single_line])
    speaker = models.CharField(_("speaker"), max_length=200, blank=True, validators=[validate_single_line])
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True, validators=[validate_single_line])

    class Meta:
        verbose_name = _("programme item")
        verbose_name_plural = pgettext_lazy("event", "programme")
        ordering = ["event", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class EventSignup(models.Model):
    """A person's application to an event (personal data): confirmed or on the waiting list."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", pgettext_lazy("event sign-up", "Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", pgettext_lazy("event sign-up", "Cancelled")

    class Attendance(models.TextChoices):
        VENUE = "venue", _("At the venue")
        ONLINE = "online", _("Online")

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.PROTECT, related_name="signups")
    token = models.UUIDField(_("token"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=100, validators=[validate_single_line])
    kana = models.CharField(_("kana reading"), max_length=100, blank=True, validators=[validate_single_line])
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True, validators=[validate_single_line])
    attendance = models.CharField(
        pgettext_lazy("event", "attendance"), max_length=10, choices=Attendance.choices, default=Attendance.VENUE
    )
    message = models.TextField(_("message"), blank=True, validators=[validate_plain_text])
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.CONFIRMED)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    created_at = models.DateTimeField(_("applied at"), auto_now_add=True)

    class Meta:
        verbose_name = _("event sign-up")
        verbose_name_plural = _("event sign-ups")
        ordering = ["event", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~Q(status="cancelled"),
                name="eventsignup_one_active_per_email",
            ),
            models.CheckConstraint(
                condition=Q(checked_in_at__isnull=True) | Q(status="confirmed"),
                name="eventsignup_checked_in_is_confirmed",
            ),
        ]
        indexes = [models.Index(fields=["event", "status"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.event})"
