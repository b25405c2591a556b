"""Cross-cutting models: the platform's identity, its editable pages, and the one audit trail."""

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from platform_portal.audit_labels import action_label
from platform_portal.validators import validate_plain_text, validate_single_line


class SiteProfile(models.Model):
    """The platform's identity: staff edit it, so another prefecture or municipality can run the same code."""

    name = models.CharField(_("platform name"), max_length=200, validators=[validate_single_line])
    short_name = models.CharField(_("short name"), max_length=100, validators=[validate_single_line])
    jurisdiction = models.CharField(_("prefecture or municipality"), max_length=100, validators=[validate_single_line])
    secretariat_name = models.CharField(_("secretariat"), max_length=200, validators=[validate_single_line])
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True, validators=[validate_single_line])
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    fax = models.CharField(_("fax"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    supporter_programme_name = models.CharField(
        _("name of the supporter programme"),
        max_length=100,
        blank=True,
        validators=[validate_single_line],
        help_text=_("As the public pages title it. Empty: “Loneliness and isolation supporters”."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("platform profile")
        verbose_name_plural = _("platform profile")

    def __str__(self) -> str:
        return self.name

    @property
    def supporter_programme_label(self) -> str:
        return self.supporter_programme_name or str(_("Loneliness and isolation supporters"))


class Page(models.Model):
    """A public page whose text staff edit: the overview, the privacy notice, the accessibility policy."""

    class Slug(models.TextChoices):
        HOME = "home", _("Home (platform overview)")
        PRIVACY = "privacy", _("Privacy notice")
        ACCESSIBILITY = "accessibility", _("Accessibility policy")

    slug = models.CharField(_("page"), max_length=40, choices=Slug.choices, unique=True)
    title = models.CharField(_("title"), max_length=200, validators=[validate_single_line])
    lead = models.TextField(_("lead"), blank=True, validators=[validate_plain_text])
    body = models.TextField(
        _("body"),
        blank=True,
        validators=[validate_plain_text],
        help_text=_("Plain text. A line starting with '## ' is a heading; a line starting with '- ' is a list item."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("page_home" if self.slug == self.Slug.HOME else f"page_{self.slug}")


class AuditLogEntry(models.Model):
    """One row per change of domain state: who, when, what (dotted action code), and details."""

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("actor"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("record type"), null=True, blank=True, on_delete=models.SET_NULL
    )
    object_id = models.CharField(_("record id"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("record"), max_length=200, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    data = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        permissions = [("view_personal_data_exports", _("Can see who exported personal data"))]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    @property
    def action_label(self) -> str:
        return action_label(self.action)


class StaffAccount(User):
    """The secretariat's view of staff accounts (a proxy of Django's user): roles, active or not."""

    class Meta:
        proxy = True
        verbose_name = _("staff account")
        verbose_name_plural = _("staff accounts")


class OutgoingMail(models.Model):
    """One e-mail message, stored when it is queued and sent by a background job (platform_portal.mail).

    The status is the delivery protocol: a job claims a queued message (sending), crosses the
    point of no return just before the SMTP server is asked to accept it (delivering), and
    records the outcome (sent, or queued again for a retry, or failed). A message left in
    "delivering" by a worker that died may or may not have reached the server, so it is never
    sent again by itself (at most once): it becomes "unknown" and staff decide.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        DELIVERING = "delivering", _("Handing over to the mail server")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        UNKNOWN = "unknown", _("Unknown (the worker stopped while handing it over)")

    created_at = models.DateTimeField(_("queued at"), auto_now_add=True, db_index=True)
    template = models.CharField(_("template"), max_length=100)
    to = models.JSONField(_("to"), default=list)
    reply_to = models.CharField(_("reply-to"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=500)
    body = models.TextField(_("body"))
    key = models.CharField(
        _("key"), max_length=100, null=True, blank=True, unique=True, help_text=_("Sends a scheduled mail only once.")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mail")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "claimed_at"], name="outgoingmail_status_claimed")]

    def __str__(self) -> str:
        return self.subject


class NewsItem(models.Model):
    """A news item (お知らせ) that staff post; public from its publication time on."""

    title = models.CharField(_("title"), max_length=200, validators=[validate_single_line])
    body = models.TextField(
        _("body"),
        blank=True,
        validators=[validate_plain_text],
        help_text=_("Plain text. A line starting with '## ' is a heading; a line starting with '- ' is a list item."),
    )
    published_at = models.DateTimeField(
        _("publication date"), help_text=_("Shown on the public pages and in the feed from this time on.")
    )
    is_public = models.BooleanField(_("public"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["is_public", "-published_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("news_detail", args=[self.pk])
