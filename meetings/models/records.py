"""Records a meeting packet reports on, beyond meetings and events.

- Initiative (県の事業): a programme of one fiscal year with its purpose; events, subsidy
  programmes and the supporter scheme are linked to it, so that a year's results (報告事項1)
  and the next year's plan (意見交換) are generated from records.
- CouncilSession (審議会 and the like) with its opinion summaries and requests to members.
- MunicipalProgramme (市町村事業): one programme of a municipality in a fiscal year.
- ConsultationWindow (相談窓口): the directory the council asks members to publicise.
- PacketIssue: a meeting packet as issued, stored and served unchanged.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from platform_portal.forms import validate_plain_text, validate_single_line
from platform_portal.lib.fiscal import FiscalYear

__all__ = [
    "Initiative",
    "CouncilSession",
    "CouncilOpinion",
    "CouncilRequest",
    "MunicipalProgramme",
    "ConsultationWindow",
    "PacketIssue",
]


class Initiative(models.Model):
    """A programme (事業) of one fiscal year: purpose line, linked events, subsidy programmes, supporters."""

    class Label(models.TextChoices):
        NONE = "", _("(none)")
        NEW = "new", _("New")
        EXPANDED = "expanded", _("Expanded")
        CONTINUING = "continuing", _("Continuing")

    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"), help_text=_("The calendar year the fiscal year starts in (2025 = 令和7年度).")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    group = models.CharField(
        _("budget heading"),
        max_length=200,
        blank=True,
        validators=[validate_single_line],
        help_text=_("Printed above the programmes that share it, e.g. 孤独・孤立対策支援事業等."),
    )
    title = models.CharField(_("title"), max_length=200, validators=[validate_single_line])
    label = models.CharField(_("label"), max_length=20, choices=Label.choices, blank=True, default="")
    purpose = models.TextField(
        _("purpose"), validators=[validate_plain_text], help_text=_("One line per point; printed with ・.")
    )
    outcome_note = models.TextField(
        _("further outcome"),
        blank=True,
        validators=[validate_plain_text],
        help_text=_("Only what the records do not hold; one line per point, printed with →."),
    )
    subsidy_programs = models.ManyToManyField(
        "subsidies.Program", verbose_name=_("subsidy programmes"), blank=True, related_name="initiatives"
    )
    reports_supporters = models.BooleanField(
        _("reports supporter appointments"), default=False, help_text=_("Print the supporters appointed that year.")
    )

    class Meta:
        verbose_name = _("programme of the year")
        verbose_name_plural = _("programmes of the year")
        ordering = ["-fiscal_year", "order", "pk"]

    def __str__(self) -> str:
        return f"{FiscalYear(self.fiscal_year)} {self.title}"


class CouncilSession(models.Model):
    """A session of a council (審議会 and the like) whose opinions and requests the platform reports."""

    name = models.CharField(_("name"), max_length=200, validators=[validate_single_line])
    date = models.DateField(_("date"))
    event = models.OneToOneField(
        "meetings.Event",
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="council_session",
    )
    is_public = models.BooleanField(_("public"), default=True)

    class Meta:
        verbose_name = _("council session")
        verbose_name_plural = _("council sessions")
        ordering = ["-date", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("records:council_detail", args=[self.pk])

    @property
    def fiscal_year(self) -> FiscalYear:
        from platform_portal.lib.fiscal import fiscal_year_of

        return fiscal_year_of(self.date)


class CouncilOpinion(models.Model):
    """A summary of a member's opinion (主な委員の意見概要)."""

    session = models.ForeignKey(
        CouncilSession, verbose_name=_("council session"), on_delete=models.CASCADE, related_name="opinions"
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    text = models.TextField(_("text"), validators=[validate_plain_text])

    class Meta:
        verbose_name = _("opinion summary")
        verbose_name_plural = _("opinion summaries")
        ordering = ["session", "order", "pk"]

    def __str__(self) -> str:
        return self.text[:40]


class CouncilRequest(models.Model):
    """A request of the council to the platform's members (各プラットフォーム団体へのお願い)."""

    session = models.ForeignKey(
        CouncilSession, verbose_name=_("council session"), on_delete=models.CASCADE, related_name="requests"
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200, validators=[validate_single_line])
    text = models.TextField(_("text"), validators=[validate_plain_text])
    notes = models.TextField(
        _("notes"), blank=True, validators=[validate_plain_text], help_text=_("Printed with ※; one line per note.")
    )

    class Meta:
        verbose_name = _("request to members")
        verbose_name_plural = _("requests to members")
        ordering = ["session", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class MunicipalProgramme(models.Model):
    """A municipality's programme against loneliness and isolation in one fiscal year (市町村事業)."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        CONTINUING = "continuing", _("Continuing")

    municipality = models.ForeignKey(
        "members.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="programmes",
    )
    area_note = models.CharField(
        _("area"),
        max_length=200,
        blank=True,
        validators=[validate_single_line],
        help_text=_("When run jointly, e.g. 麒麟のまち圏域: 岩美町、若桜町、智頭町、八頭町."),
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"), help_text=_("The calendar year the fiscal year starts in (2025 = 令和7年度).")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    name = models.CharField(_("programme name"), max_length=200, validators=[validate_single_line])
    content = models.TextField(_("content"), validators=[validate_plain_text])
    status = models.CharField(_("new or continuing"), max_length=20, choices=Status.choices, blank=True)
    category = models.CharField(_("category"), max_length=100, blank=True, validators=[validate_single_line])
    is_public = models.BooleanField(_("public"), default=True)

    class Meta:
        verbose_name = _("municipal programme")
        verbose_name_plural = _("municipal programmes")
        ordering = ["-fiscal_year", "municipality__order", "order", "pk"]
        indexes = [models.Index(fields=["is_public", "fiscal_year"])]

    def __str__(self) -> str:
        return f"{self.municipality} {self.name}"


class ConsultationWindow(models.Model):
    """A consultation window (相談窓口). Unconfirmed entries never show their phone number."""

    name = models.CharField(_("name"), max_length=200, validators=[validate_single_line])
    subject = models.CharField(_("subject"), max_length=200, validators=[validate_single_line])
    municipality = models.ForeignKey(
        "members.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Empty for windows serving the whole prefecture."),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[validate_single_line])
    hours = models.CharField(_("hours"), max_length=200, blank=True, validators=[validate_single_line])
    website = models.URLField(_("website"), blank=True)
    confirmed = models.BooleanField(
        _("confirmed by staff"), default=False, help_text=_("Only confirmed entries show their phone number.")
    )
    is_sample = models.BooleanField(
        _("sample data"), default=False, help_text=_("Invented for the demo: shown with 見本.")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    is_public = models.BooleanField(_("public"), default=True)

    class Meta:
        verbose_name = _("consultation window")
        verbose_name_plural = _("consultation windows")
        ordering = ["order", "pk"]
        indexes = [models.Index(fields=["is_public", "order"])]

    def __str__(self) -> str:
        return self.name

    @property
    def public_phone(self) -> str:
        return self.phone if self.confirmed else ""


def packet_upload_to(instance, filename: str) -> str:
    return f"meetings/packets/{uuid.uuid4().hex}.pdf"


class PacketIssue(models.Model):
    """A meeting packet as issued: the staff and public PDFs stored and served unchanged afterwards."""

    meeting = models.ForeignKey(
        "meetings.Meeting", verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="packet_issues"
    )
    version = models.PositiveIntegerField(_("version"))
    staff_file = models.FileField(_("packet (staff)"), upload_to=packet_upload_to, max_length=200)
    public_file = models.FileField(_("packet (public)"), upload_to=packet_upload_to, max_length=200)
    page_count = models.PositiveIntegerField(_("pages"), default=0)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("issued packet")
        verbose_name_plural = _("issued packets")
        ordering = ["meeting", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "version"], name="packet_issue_unique_version"),
            models.CheckConstraint(condition=Q(version__gte=1), name="packet_issue_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} 資料 v{self.version}"
