"""Meeting bodies, numbered meetings, agendas, materials, attendance, minutes and working groups.

A working group is a meeting body of kind WORKING_GROUP with a purpose and members; its
sessions are ordinary meetings of that body, planned with a period (4月～5月) and a fiscal
year until they get a date.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from platform_portal.lib.fiscal import FiscalYear
from platform_portal.validators import validate_plain_text, validate_single_line

__all__ = [
    "AttendanceFormat",
    "MeetingBody",
    "Meeting",
    "AgendaItem",
    "GeneratedKind",
    "Material",
    "Attendance",
    "Minutes",
    "material_upload_to",
]


class AttendanceFormat(models.TextChoices):
    """How people take part in a meeting or an event: at the venue, online, or both (ハイブリッド)."""

    VENUE = "venue", _("At the venue")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("At the venue and online")


class MeetingBody(models.Model):
    """A body that meets: the platform meeting, the steering members' meeting, a working group, …"""

    class Kind(models.TextChoices):
        PLATFORM = "platform", _("Platform meeting")
        STEERING = "steering", _("Steering members' meeting")
        WORKING_GROUP = "working_group", _("Working group")
        COUNCIL = "council", _("Regional council")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    name = models.CharField(_("name"), max_length=200, unique=True, validators=[validate_single_line])
    slug = models.SlugField(_("URL name"), max_length=50, unique=True, allow_unicode=False)
    formal_name = models.CharField(
        _("formal name in titles"),
        max_length=200,
        blank=True,
        validators=[validate_single_line],
        help_text=_("Quoted in meeting titles: 第7回「…」会議. Leave empty to use the name."),
    )
    purpose = models.TextField(_("purpose"), blank=True, validators=[validate_plain_text])
    member_kinds = models.CharField(
        _("kinds of members"),
        max_length=300,
        blank=True,
        validators=[validate_single_line],
        help_text=_("In words, e.g. 司法関係団体、権利擁護団体、病院、市町村"),
    )
    members = models.ManyToManyField(
        "members.Organization", verbose_name=_("member organisations"), blank=True, related_name="meeting_bodies"
    )
    agenda_draft = models.TextField(
        _("agenda (draft)"),
        blank=True,
        validators=[validate_plain_text],
        help_text=_("For a working group being planned: its topics, printed as 議題案."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    is_public = models.BooleanField(_("public"), default=True)

    class Meta:
        verbose_name = _("meeting body")
        verbose_name_plural = _("meeting bodies")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        if self.is_working_group:
            return reverse("meetings:working_group_detail", args=[self.slug])
        return f"{reverse('meetings:meeting_list')}?body={self.slug}"

    @property
    def is_working_group(self) -> bool:
        return self.kind == self.Kind.WORKING_GROUP


class Meeting(models.Model):
    """One numbered meeting (第N回) of a body, held on a date or planned for a period."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    Format = AttendanceFormat

    body = models.ForeignKey(
        MeetingBody, verbose_name=_("meeting body"), on_delete=models.PROTECT, related_name="meetings"
    )
    number = models.PositiveIntegerField(_("number"), help_text=_("第N回: given automatically, editable."))
    date = models.DateField(_("date"), null=True, blank=True)
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    planned_period = models.CharField(
        _("planned period"),
        max_length=50,
        blank=True,
        validators=[validate_single_line],
        help_text=_("While the date is undecided, e.g. 4月～5月."),
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"), help_text=_("The calendar year the fiscal year starts in (2025 = 令和7年度).")
    )
    format = models.CharField(_("format"), max_length=20, choices=Format.choices, default=Format.VENUE)
    venue = models.CharField(_("venue"), max_length=200, blank=True, validators=[validate_single_line])
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    summary = models.TextField(
        _("topics"),
        blank=True,
        validators=[validate_plain_text],
        help_text=_("Summary of topics for the history list."),
    )
    is_public = models.BooleanField(_("public"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-fiscal_year", "-date", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["body", "number"], name="meeting_unique_number_per_body"),
            models.CheckConstraint(condition=Q(number__gte=1), name="meeting_number_positive"),
            models.CheckConstraint(condition=~Q(status="held") | Q(date__isnull=False), name="meeting_held_has_date"),
            models.CheckConstraint(
                condition=Q(end_time__isnull=True)
                | Q(start_time__isnull=True)
                | Q(end_time__gte=models.F("start_time")),
                name="meeting_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["is_public", "-fiscal_year", "-date"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting_detail", args=[self.pk])

    @property
    def ordinal(self) -> str:
        return f"第{self.number}回"

    @property
    def title(self) -> str:
        """第7回「とっとり…プラットフォーム」会議, or 第1回身寄りのない方への支援WG."""
        if self.body.formal_name:
            return f"{self.ordinal}「{self.body.formal_name}」会議"
        return f"{self.ordinal}{self.body.name}"

    @property
    def agenda_title(self) -> str:
        """第7回「…」会議次第 (the heading of the printed agenda)."""
        return f"{self.title}次第" if self.title.endswith("会議") else f"{self.title} 会議次第"

    @property
    def fiscal_year_obj(self) -> FiscalYear:
        return FiscalYear(self.fiscal_year)

    @property
    def is_undecided(self) -> bool:
        return self.date is None

    @property
    def place(self) -> str:
        """場所 as printed: the venue, or オンライン, or both."""
        online = str(_("Online"))
        if self.format == self.Format.ONLINE:
            return self.venue or online
        if self.format == self.Format.HYBRID:
            return f"{self.venue}・{online}" if self.venue and self.venue != online else online
        return self.venue


class AgendaItem(models.Model):
    """An item of the agenda (会議次第), in a section; numbered when printed (1, 2 / (1), (2))."""

    class Section(models.TextChoices):
        OPENING = "opening", _("Opening address")
        REPORTS = "reports", _("Reports")
        DISCUSSION = "discussion", _("Matters for discussion")
        EXCHANGE = "exchange", _("Exchange of views")
        OTHER = "other", _("Other business")
        CLOSING = "closing", _("Closing")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    section = models.CharField(_("section"), max_length=20, choices=Section.choices)
    title = models.CharField(_("title"), max_length=300, validators=[validate_single_line])
    presenter = models.CharField(_("presenter"), max_length=200, blank=True, validators=[validate_single_line])
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), null=True, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "order", "pk"]
        indexes = [models.Index(fields=["meeting", "order"])]

    def __str__(self) -> str:
        return self.title


def material_upload_to(instance, filename: str) -> str:
    """A generated name: the uploaded name never reaches the file system."""
    return f"meetings/materials/{uuid.uuid4().hex}.pdf"


class GeneratedKind(models.TextChoices):
    """Kinds of material generated from records (meetings/generated.py holds what each needs and prints)."""

    OVERVIEW = "overview", _("Platform overview")
    REGISTRY = "registry", _("Member registry")
    RESULTS = "results", _("Results of the fiscal year")
    COUNCIL = "council", _("Council opinions and requests")
    MEMBER_ACTIVITY = "member_activity", _("A member's activities")
    NEXT_YEAR_PLAN = "next_year_plan", _("Next fiscal year's plan")
    MUNICIPAL_PROGRAMMES = "municipal_programmes", _("Municipal programmes")


class Material(models.Model):
    """A material (資料N) of a meeting: an uploaded PDF, or a document generated from records.

    A generated material has a kind and the parameters that kind needs (fiscal year,
    organisation, as-of date, council session); it is rendered whenever it is printed.
    """

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="materials")
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="materials",
    )
    number = models.PositiveIntegerField(_("number"), help_text=_("資料N: given automatically, editable."))
    title = models.CharField(_("title"), max_length=300, validators=[validate_single_line])
    file = models.FileField(_("PDF file"), upload_to=material_upload_to, max_length=200, blank=True)
    kind = models.CharField(
        _("generated from records"),
        max_length=40,
        choices=GeneratedKind.choices,
        blank=True,
        help_text=_("Leave empty for an uploaded PDF."),
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"),
        null=True,
        blank=True,
        help_text=_("For results, plan and municipal programmes (2025 = 令和7年度)."),
    )
    organization = models.ForeignKey(
        "members.Organization",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    as_of = models.DateField(_("as of"), null=True, blank=True)
    council_session = models.ForeignKey(
        "meetings.CouncilSession",
        verbose_name=_("council session"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="materials",
    )
    original_name = models.CharField(_("original file name"), max_length=200, blank=True, editable=False)
    size_bytes = models.PositiveBigIntegerField(_("size (bytes)"), default=0, editable=False)
    page_count = models.PositiveIntegerField(_("pages"), default=0, editable=False)
    is_public = models.BooleanField(_("public"), default=False)
    # The third visibility: not on the public site, but shown to member groups' accounts.
    members_only = models.BooleanField(
        _("members only"), default=False, help_text=_("Shown on the member pages when the material is not public.")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="material_unique_number_per_meeting"),
            models.CheckConstraint(condition=Q(number__gte=1), name="material_number_positive"),
            models.CheckConstraint(condition=~Q(kind="") | ~Q(file=""), name="material_uploaded_or_generated"),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:material_download", args=[self.pk])

    @property
    def is_generated(self) -> bool:
        return bool(self.kind)

    @property
    def label(self) -> str:
        return f"資料{self.number}"

    @property
    def download_name(self) -> str:
        return f"{self.label}_{Path(self.title).name}.pdf"


class Attendance(models.Model):
    """An invited organisation (and optionally a person) of a meeting, and whether it attended."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendances"
    )
    organization = models.ForeignKey(
        "members.Organization",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting_attendances",
    )
    organization_label = models.CharField(
        _("organisation (if not a member)"), max_length=200, blank=True, validators=[validate_single_line]
    )
    position = models.CharField(_("position"), max_length=100, blank=True, validators=[validate_single_line])
    person_name = models.CharField(
        _("name"),
        max_length=100,
        blank=True,
        validators=[validate_single_line],
        help_text=_("Personal data: printed only in the staff packet."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    invited = models.BooleanField(_("invited"), default=True)
    attended = models.BooleanField(_("attended"), default=False)
    online = models.BooleanField(_("online"), default=False)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organization__isnull=False) | ~Q(organization_label=""),
                name="attendance_has_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.display_organization

    @property
    def display_organization(self) -> str:
        return self.organization_label or (self.organization.name if self.organization_id else "")


class Minutes(models.Model):
    """One version of a meeting's minutes (議事録). Confirmed text is frozen; a correction is a new version."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CONFIRMED = "confirmed", _("Confirmed")
        PUBLISHED = "published", _("Published")

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="minutes")
    version = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    text = models.TextField(_("text"), validators=[validate_plain_text])
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("confirmed by"), null=True, blank=True, on_delete=models.PROTECT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        ordering = ["meeting", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "version"], name="minutes_unique_version"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(confirmed_at__isnull=False), name="minutes_confirmed_has_time"
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False), name="minutes_published_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} 議事録 (v{self.version})"

    @property
    def is_frozen(self) -> bool:
        return self.status != self.Status.DRAFT
