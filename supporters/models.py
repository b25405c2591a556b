"""とっとり孤独・孤立サポーター: the roster (personal data), trainings completed and appointments."""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from platform_portal.validators import validate_plain_text, validate_single_line


class TrainingCourse(models.Model):
    """A training course supporters take (共通研修, 基礎研修); staff mark which are required for appointment."""

    name = models.CharField(_("name"), max_length=100, unique=True, validators=[validate_single_line])
    required_for_appointment = models.BooleanField(_("required for appointment"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Appointment(models.Model):
    """An appointment as supporter (任命): number, date and fiscal year, deliberately without personal fields.

    It stays when the person is deleted on request (docs/quality.md P2), so the yearly totals
    (appointed that year, total after) stay right.
    """

    number = models.PositiveIntegerField(_("appointment number"), unique=True)
    appointed_on = models.DateField(_("appointed on"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"No. {self.number}"


class AppointmentSequence(models.Model):
    """One row holding the last appointment number given; locked while numbers are handed out."""

    last_number = models.PositiveIntegerField(_("last appointment number"), default=0)

    class Meta:
        verbose_name = _("appointment number sequence")
        verbose_name_plural = _("appointment number sequence")

    def __str__(self) -> str:
        return str(self.last_number)


class Supporter(models.Model):
    """A person on the supporter roster (personal data: never on a public page)."""

    class Status(models.TextChoices):
        IN_TRAINING = "in_training", _("In training")
        ACTIVE = "active", _("Supporter")
        PAUSED = "paused", _("Paused")
        RETIRED = "retired", _("Retired")

    roster_code = models.CharField(
        _("roster code"),
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^[A-Za-z0-9-]+$")],
        help_text=_("The secretariat's number for the person on the roster (名簿番号), e.g. S00123."),
    )
    name = models.CharField(_("name"), max_length=100, validators=[validate_single_line])
    kana = models.CharField(_("kana reading"), max_length=100, blank=True, validators=[validate_single_line])
    municipality = models.ForeignKey(
        "members.Municipality", verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="supporters"
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[validate_single_line])
    address = models.CharField(_("address"), max_length=300, blank=True, validators=[validate_single_line])
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True, validators=[validate_single_line])
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IN_TRAINING)
    appointment = models.OneToOneField(
        Appointment,
        verbose_name=_("appointment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supporter",
    )
    exchange_meetings = models.ManyToManyField(
        "meetings.Event",
        verbose_name=_("exchange meetings attended"),
        blank=True,
        related_name="supporters_attended",
        limit_choices_to={"kind": "supporter_exchange"},
    )
    consent_share_with_municipality = models.BooleanField(
        _("consents to sharing details with the municipality"), default=False
    )
    notes = models.TextField(_("notes"), blank=True, validators=[validate_plain_text])
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("supporter")
        verbose_name_plural = _("supporters")
        ordering = ["kana", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="in_training") | Q(appointment__isnull=False),
                name="supporter_appointed_unless_in_training",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "status"])]
        permissions = [
            ("import_supporter", _("Can import supporters")),
            ("export_supporter", _("Can export supporters")),
            ("share_supporter", _("Can export consenting supporters for their municipality")),
        ]

    def __str__(self) -> str:
        return self.name


class TrainingCompletion(models.Model):
    """A training course a supporter completed, linked to the training event where they took it."""

    supporter = models.ForeignKey(
        Supporter, verbose_name=_("supporter"), on_delete=models.CASCADE, related_name="trainings"
    )
    course = models.ForeignKey(TrainingCourse, verbose_name=_("training course"), on_delete=models.PROTECT)
    event = models.ForeignKey(
        "meetings.Event",
        verbose_name=_("training event"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_completions",
        limit_choices_to={"kind": "supporter_training"},
    )
    completed_on = models.DateField(_("completed on"))

    class Meta:
        verbose_name = _("training completed")
        verbose_name_plural = _("trainings completed")
        ordering = ["supporter", "course__order", "completed_on"]
        constraints = [
            models.UniqueConstraint(fields=["supporter", "course"], name="trainingcompletion_once_per_course"),
        ]

    def __str__(self) -> str:
        return f"{self.course} ({self.completed_on})"
