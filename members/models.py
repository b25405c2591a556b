"""Member organisations of the platform: steering members (幹事団体) and general members (一般団体)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from platform_portal.validators import validate_plain_text, validate_single_line


class OrderedLookup(models.Model):
    """A small list staff can edit and order (categories, types, municipalities, fields)."""

    name = models.CharField(_("name"), max_length=100, unique=True, validators=[validate_single_line])
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Municipality(OrderedLookup):
    """A municipality (市町村) of the prefecture; the reference's 19 for Tottori."""

    kana = models.CharField(_("kana reading"), max_length=100, blank=True)

    class Meta(OrderedLookup.Meta):
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")


class SteeringCategory(OrderedLookup):
    """Category of steering members: 民間支援機関等, 社会福祉法人, 行政."""

    class Meta(OrderedLookup.Meta):
        verbose_name = _("steering member category")
        verbose_name_plural = _("steering member categories")


class GeneralType(OrderedLookup):
    """Type of general members (団体種別): 福祉サービス事業所, ピアサポート・当事者団体, …."""

    class Meta(OrderedLookup.Meta):
        verbose_name = _("general member type")
        verbose_name_plural = _("general member types")


class ActivityField(OrderedLookup):
    """Field of activity: ひきこもり, ヤングケアラー, こども食堂, 居場所, …."""

    class Meta(OrderedLookup.Meta):
        verbose_name = _("activity field")
        verbose_name_plural = _("activity fields")


class Organization(models.Model):
    """A member organisation. Contact persons are personal data and live in ContactPerson."""

    class Tier(models.TextChoices):
        STEERING = "steering", _("Steering member")
        GENERAL = "general", _("General member")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    tier = models.CharField(_("tier"), max_length=20, choices=Tier.choices, default=Tier.GENERAL)
    steering_category = models.ForeignKey(
        SteeringCategory, verbose_name=_("steering member category"), null=True, blank=True, on_delete=models.PROTECT
    )
    general_type = models.ForeignKey(
        GeneralType, verbose_name=_("general member type"), null=True, blank=True, on_delete=models.PROTECT
    )
    name = models.CharField(_("organisation name"), max_length=200, validators=[validate_single_line])
    name_kana = models.CharField(_("kana reading"), max_length=200, blank=True, validators=[validate_single_line])
    # Normalised for duplicate detection (width, spaces, legal-form spellings); set by services.
    name_key = models.CharField(_("name key"), max_length=200, db_index=True, editable=False, default="")
    legal_form = models.CharField(_("legal form"), max_length=50, blank=True)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), null=True, blank=True, on_delete=models.PROTECT
    )
    address = models.CharField(_("address"), max_length=300, blank=True, validators=[validate_single_line])
    representative_title = models.CharField(
        _("representative's title"),
        max_length=100,
        blank=True,
        validators=[validate_single_line],
        help_text=_("e.g. 理事長, 代表理事, 会長. Printed on official notices."),
    )
    representative_name = models.CharField(
        _("representative's name"), max_length=100, blank=True, validators=[validate_single_line]
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("activities"), blank=True, validators=[validate_plain_text])
    display_order = models.PositiveIntegerField(
        _("display order"),
        null=True,
        blank=True,
        help_text=_("Order in the registry within its group; leave empty to sort by reading."),
    )
    activity_fields = models.ManyToManyField(ActivityField, verbose_name=_("activity fields"), blank=True)
    publish_consent = models.BooleanField(_("consents to publication"), default=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    status_reason = models.TextField(_("reason"), blank=True, validators=[validate_plain_text])
    applied_on = models.DateField(_("applied on"), null=True, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    rejected_on = models.DateField(_("rejected on"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    receipt_number = models.CharField(_("receipt number"), max_length=30, unique=True, null=True, blank=True)
    # One-time token of the self-registration confirm step: a resubmission finds this record (IO6).
    submission_token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("member organisation")
        verbose_name_plural = _("member organisations")
        ordering = [models.F("display_order").asc(nulls_last=True), "name_kana", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(tier="general") | Q(steering_category__isnull=False),
                name="organization_steering_has_category",
            ),
            models.CheckConstraint(
                condition=Q(tier="steering") | Q(general_type__isnull=False),
                name="organization_general_has_type",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_on__isnull=False),
                name="organization_approved_has_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "tier"])]
        permissions = [
            ("import_organization", _("Can import member organisations")),
            ("export_organization", _("Can export member organisations")),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("members:organization_detail", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.APPROVED and self.publish_consent

    @property
    def group_label(self) -> str:
        """The registry group: the steering category or the general type."""
        group = self.steering_category if self.tier == self.Tier.STEERING else self.general_type
        return str(group) if group else ""

    @property
    def status_changed_on(self):
        """The date of the current status."""
        return {
            self.Status.PENDING: self.applied_on,
            self.Status.APPROVED: self.approved_on,
            self.Status.REJECTED: self.rejected_on,
            self.Status.WITHDRAWN: self.withdrawn_on,
        }.get(self.status)


class OrganizationActivity(models.Model):
    """One activity of an organisation, for its activity introduction (活動紹介); staff edit the list."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="activities"
    )
    date = models.DateField(_("date"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200, validators=[validate_single_line])
    text = models.TextField(_("description"), blank=True, validators=[validate_plain_text])
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["organization", "order", "date", "pk"]

    def __str__(self) -> str:
        return self.title


class ContactPerson(models.Model):
    """A contact person of an organisation: personal data, never shown on a public page."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=100, validators=[validate_single_line])
    role = models.CharField(_("role"), max_length=100, blank=True, validators=[validate_single_line])
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=True)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["-is_primary", "pk"]
        permissions = [
            ("import_contactperson", _("Can import contact persons")),
            ("export_contactperson", _("Can export contact persons")),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organization})"


class Membership(models.Model):
    """A person's account acting for a member organisation (main contact or contact).

    One person may act for several groups and chooses which one on the member pages.
    """

    class Role(models.TextChoices):
        MAIN = "main", _("Main contact")
        CONTACT = "contact", _("Contact")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.CONTACT)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")
        ordering = ["organization", "role", "pk"]
        constraints = [models.UniqueConstraint(fields=["user", "organization"], name="membership_unique_person")]

    def __str__(self) -> str:
        return f"{self.user.email} ({self.organization})"


class ChangeRequest(models.Model):
    """A group's request to change its registry entry: the registry changes only when staff approve."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    FIELDS = ("name", "name_kana", "municipality", "address", "website", "description", "publish_consent")

    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="change_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # {field: [value before, value asked for]}; municipality by primary key.
    changes = models.JSONField(_("changes"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(_("reason"), blank=True, validators=[validate_plain_text])
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    class Meta:
        verbose_name = _("registry change request")
        verbose_name_plural = _("registry change requests")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.organization} ({self.created_at:%Y-%m-%d})" if self.created_at else str(self.organization)
