"""Admin for the platform's identity, pages and the audit trail, and the shared admin base class."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from platform_portal import accounts, services
from platform_portal.admin_fields import WarekiAdminMixin
from platform_portal.admin_site import AttentionItem, register_attention
from platform_portal.audit import action_label, audit_entries_visible_to, audit_log
from platform_portal.forms import EmailField, PhoneField, WebsiteField, YenField
from platform_portal.mail import mail_resend
from platform_portal.models import AuditLogEntry, NewsItem, OutgoingMail, Page, SiteProfile, StaffAccount
from platform_portal.roles import ROLE_LABELS


class LabelledListEditableMixin:
    """Give the inputs of `list_editable` columns an accessible name (axe: label, WCAG 1.3.1/4.1.2).

    Django renders them without a <label>; the name says which column and which row.
    """

    def get_changelist_form(self, request, **kwargs):
        base = super().get_changelist_form(request, **kwargs)

        class LabelledChangelistForm(base):
            def __init__(self, *args, **form_kwargs):
                super().__init__(*args, **form_kwargs)
                for field in self.fields.values():
                    field.widget.attrs.setdefault("aria-label", f"{field.label}（{self.instance}）")

        return LabelledChangelistForm


class PortalFieldsMixin(WarekiAdminMixin):
    """The shared form fields in every admin form: one normalisation for the admin, public forms and imports (IO3).

    Extend `formfield_overrides` (by model field class) for more: the date fields add themselves
    there. Amounts are found by name (`*_yen`), phone numbers by the name `phone`.
    """

    formfield_overrides = {
        **WarekiAdminMixin.formfield_overrides,
        models.URLField: {"form_class": WebsiteField},
        models.EmailField: {"form_class": EmailField},
    }

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name.endswith("_yen") and isinstance(db_field, models.IntegerField) and not db_field.choices:
            return YenField(
                label=capfirst(db_field.verbose_name), required=not db_field.blank, help_text=db_field.help_text
            )
        if db_field.name == "phone" and isinstance(db_field, models.CharField):
            kwargs.setdefault("form_class", PhoneField)
        return super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]


class ReadOnlyAdminMixin:
    """Rows nobody adds, changes or deletes in the admin: snapshots, issued documents, the audit trail (R4, R19).

    For a ModelAdmin and an inline alike (the inline's permission methods also take `obj`).
    """

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LabelledTabularInline(PortalFieldsMixin, admin.TabularInline):
    """A tabular inline whose inputs have accessible names (axe: label).

    Django shows the field names only as column headings, so each input is named by its
    column and row: 「金額（2行目）」.
    """

    def get_formset(self, request, obj=None, **kwargs):
        base_formset = super().get_formset(request, obj, **kwargs)

        class LabelledFormSet(base_formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)  # adds the DELETE checkbox after the form's own fields
                row_label = str(index + 1) if index is not None else "__prefix__"
                for field in form.fields.values():
                    field.widget.attrs.setdefault("aria-label", f"{field.label}（{row_label}）")

        return LabelledFormSet


class AuditedModelAdmin(PortalFieldsMixin, LabelledListEditableMixin, admin.ModelAdmin):
    """Base for reference-data admins without side effects: every save and delete is audited.

    Models with side effects override save_model/delete_model to call their service instead
    (docs/house-style.md R19); those services write their own audit entry.
    """

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_log(
            actor=request.user,
            action="admin.changed" if change else "admin.created",
            target=obj,
            data={"fields": sorted(form.changed_data)},
        )

    def delete_model(self, request, obj):
        audit_log(actor=request.user, action="admin.deleted", target=obj, data={"repr": str(obj)})
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(SiteProfile)
class SiteProfileAdmin(WarekiAdminMixin, admin.ModelAdmin):
    list_display = ["name", "secretariat_name", "phone", "email", "updated_at"]
    fields = [
        "name",
        "short_name",
        "jurisdiction",
        "secretariat_name",
        "postal_code",
        "address",
        "phone",
        "fax",
        "email",
        "supporter_programme_name",
    ]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not SiteProfile.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in self.fields}
        saved = services.site_profile_update(actor=request.user, profile=obj if change else None, **fields)
        obj.pk = saved.pk


@admin.register(Page)
class PageAdmin(WarekiAdminMixin, admin.ModelAdmin):
    list_display = ["title", "slug", "updated_at"]
    fields = ["slug", "title", "lead", "body"]

    def get_readonly_fields(self, request, obj=None):
        return ["slug"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = services.page_update(
            actor=request.user, slug=obj.slug, title=data["title"], lead=data["lead"], body=data["body"]
        )
        obj.pk = saved.pk


class ActionListFilter(admin.SimpleListFilter):
    """The actions recorded so far, by their Japanese labels rather than their codes."""

    title = _("action")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        entries = audit_entries_visible_to(request.user, AuditLogEntry.objects.all())
        codes = entries.order_by().values_list("action", flat=True).distinct()
        return sorted(((code, action_label(code)) for code in codes), key=lambda item: str(item[1]))

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditLogEntry)
class AuditLogEntryAdmin(ReadOnlyAdminMixin, WarekiAdminMixin, admin.ModelAdmin):
    """The audit trail, read-only for everyone."""

    list_display = ["created_at", "actor_label", "action_display", "content_type", "object_repr"]
    # Only the kinds of record that have entries (not every content type, such as django-axes' own).
    list_filter = [ActionListFilter, ("content_type", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["object_repr", "actor_label", "action"]
    date_hierarchy = "created_at"
    list_select_related = ["content_type"]
    readonly_fields = ["created_at", "actor_label", "action", "content_type", "object_id", "object_repr", "data"]
    fields = readonly_fields

    @admin.display(description=_("action"), ordering="action")
    def action_display(self, obj):
        return obj.action_label

    def get_queryset(self, request):
        # Who exported personal data is for the secretariat only (view_personal_data_exports).
        return audit_entries_visible_to(request.user, super().get_queryset(request))


class StaffAccountForm(forms.ModelForm):
    """What the secretariat gives a staff account: login name, name, address, role, active."""

    name = forms.CharField(label=_("name"), max_length=150, help_text=_("Family name, a space, then given name."))
    role = forms.ChoiceField(label=_("role"), choices=list(ROLE_LABELS.items()))

    class Meta:
        model = StaffAccount
        fields = ["username", "email", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "email" not in self.fields:  # the read-only view of an official
            return
        self.fields["email"].required = True
        if self.instance.pk:
            self.fields["username"].disabled = True
            self.fields["name"].initial = f"{self.instance.last_name} {self.instance.first_name}".strip()
            role = self.instance.groups.filter(name__in=ROLE_LABELS).values_list("name", flat=True).first()
            self.fields["role"].initial = role
        else:
            self.fields["is_active"].disabled = True


@admin.register(StaffAccount)
class StaffAccountAdmin(WarekiAdminMixin, admin.ModelAdmin):
    """Staff and read-only official accounts, managed by the secretariat without a superuser.

    Superusers are not listed; accounts are deactivated, never deleted (the audit trail names them).
    """

    form = StaffAccountForm
    list_display = ["username", "full_name", "email", "role_label", "is_active", "last_login"]
    list_filter = ["is_active", "groups"]
    search_fields = ["username", "last_name", "first_name", "email"]
    fields = ["username", "name", "email", "role", "is_active", "last_login"]
    readonly_fields = ["last_login"]
    actions = ["deactivate", "send_password_link"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(is_staff=True, is_superuser=False).prefetch_related("groups")

    @admin.display(description=_("name"), ordering="last_name")
    def full_name(self, obj):
        return f"{obj.last_name} {obj.first_name}".strip()

    @admin.display(description=_("role"))
    def role_label(self, obj):
        names = [group.name for group in obj.groups.all() if group.name in ROLE_LABELS]
        return "、".join(str(ROLE_LABELS[name]) for name in names)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        base_url = request.build_absolute_uri("/")
        if change:
            accounts.staff_account_update(
                actor=request.user,
                user=StaffAccount.objects.get(pk=obj.pk),
                role=data["role"],
                is_active=data["is_active"],
                email=data["email"],
                name=data["name"],
            )
        else:
            user = accounts.staff_account_create(
                actor=request.user,
                username=data["username"],
                name=data["name"],
                email=data["email"],
                role=data["role"],
                base_url=base_url,
            )
            obj.pk = user.pk
            obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        pass  # the role (groups) is set by the service

    @admin.action(description=_("Deactivate the selected accounts"), permissions=["change"])
    def deactivate(self, request, queryset):
        for user in queryset:
            try:
                accounts.staff_account_deactivate(actor=request.user, user=user)
            except ValidationError as exc:
                messages.error(request, f"{user.username}: {' '.join(exc.messages)}")
        messages.success(request, _("The selected accounts can no longer log in."))

    @admin.action(description=_("Mail a password link to the selected accounts"), permissions=["change"])
    def send_password_link(self, request, queryset):
        for user in queryset:
            try:
                accounts.staff_password_mail(user=user, base_url=request.build_absolute_uri("/"))
            except ValidationError as exc:
                messages.error(request, f"{user.username}: {' '.join(exc.messages)}")
        messages.success(request, _("Password links were mailed."))


@admin.register(OutgoingMail)
class OutgoingMailAdmin(WarekiAdminMixin, admin.ModelAdmin):
    """Every queued message with its delivery state; failed and unknown ones can be sent again."""

    list_display = [
        "created_at",
        "status",
        "template",
        "recipients",
        "subject",
        "attempts",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = ["status", "template"]
    search_fields = ["subject", "template"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "created_at",
        "status",
        "template",
        "to",
        "reply_to",
        "subject",
        "body",
        "attempts",
        "next_attempt_at",
        "claimed_at",
        "sent_at",
        "last_error",
    ]
    fields = readonly_fields
    actions = ["resend"]

    @admin.display(description=_("to"))
    def recipients(self, obj):
        return ", ".join(obj.to)

    @admin.action(description=_("Send the selected failed or unknown mails again"), permissions=["change"])
    def resend(self, request, queryset):
        sent = 0
        for mail in queryset.filter(status__in=[OutgoingMail.Status.FAILED, OutgoingMail.Status.UNKNOWN]):
            try:
                mail_resend(actor=request.user, mail=mail)
            except ValidationError as exc:  # changed meanwhile by another member of staff
                self.message_user(request, exc.messages[0], messages.WARNING)
            else:
                sent += 1
        self.message_user(
            request,
            ngettext("%(count)d mail queued again.", "%(count)d mails queued again.", sent) % {"count": sent},
            messages.SUCCESS if sent else messages.WARNING,
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Messages are records of what was sent: only the resend action changes them.
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


@register_attention
def failed_mail_attention(request):
    """The admin index shows mails that finally failed or whose delivery is unknown."""
    if not request.user.has_perm("platform_portal.view_outgoingmail"):
        return []
    count = OutgoingMail.objects.filter(status__in=[OutgoingMail.Status.FAILED, OutgoingMail.Status.UNKNOWN]).count()
    if not count:
        return []
    url = reverse("admin:platform_portal_outgoingmail_changelist") + "?status__in=failed,unknown"
    return [AttentionItem(label=str(_("Mails not delivered")), count=count, url=url)]


@admin.register(NewsItem)
class NewsItemAdmin(AuditedModelAdmin):
    list_display = ["title", "published_at", "is_public"]
    list_filter = ["is_public"]
    search_fields = ["title", "body"]
    date_hierarchy = "published_at"
    ordering = ["-published_at", "-pk"]
    fields = ["title", "published_at", "is_public", "body"]
