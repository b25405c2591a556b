"""Admin of events (with programme and results) and of event sign-ups (check-in, deletion on request)."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meetings.models import Event, EventSignup, ProgrammeItem
from meetings.services import event as services
from platform_portal.admin import LabelledTabularInline
from platform_portal.admin_fields import WarekiAdminMixin
from platform_portal.admin_site import AttentionItem, register_attention


class ProgrammeItemInline(LabelledTabularInline):
    model = ProgrammeItem
    fields = ["order", "title", "speaker", "affiliation"]
    extra = 0


@admin.register(Event)
class EventAdmin(WarekiAdminMixin, admin.ModelAdmin):
    list_display = [
        "title",
        "kind",
        "start_date",
        "planned_label",
        "venue",
        "status",
        "participants_total",
        "is_public",
    ]
    list_filter = ["kind", "status", "is_public", "signup_enabled"]
    search_fields = ["title", "series", "venue", "organizer"]
    date_hierarchy = "start_date"
    ordering = ["-start_date", "-planned_from"]
    inlines = [ProgrammeItemInline]
    autocomplete_fields = ["participating_organizations"]
    readonly_fields = ["checkin_link"]
    fieldsets = [
        (None, {"fields": ["kind", "title", "series", "number", "status", "is_public", "description", "notes"]}),
        (
            _("Date and place"),
            {
                "fields": [
                    ("start_date", "end_date"),
                    "extra_dates",
                    ("planned_from", "planned_until", "planned_label"),
                    ("start_time", "end_time"),
                    "venue",
                    "format",
                    "organizer",
                    "contractor",
                    "target_audience",
                ]
            },
        ),
        (_("Applications"), {"fields": ["signup_enabled", "capacity", "application_deadline", "checkin_link"]}),
        (
            pgettext_lazy("event", "Results"),
            {
                "fields": [
                    "participants_total",
                    "participants_venue",
                    "participants_online",
                    "organizations_count",
                    "participating_organizations",
                    "recording_requests",
                    "recording_requests_approximate",
                ]
            },
        ),
    ]

    @admin.display(description=_("check-in"))
    def checkin_link(self, obj):
        if obj is None or obj.pk is None or not obj.signup_enabled:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("events:event_checkin", args=[obj.pk]), _("Open the check-in page")
        )

    def save_model(self, request, obj, form, change):
        services.event_save(actor=request.user, event=obj)


@admin.register(EventSignup)
class EventSignupAdmin(WarekiAdminMixin, admin.ModelAdmin):
    list_display = ["name", "event", "status", "attendance", "checked_in_at", "created_at"]
    list_filter = ["status", "attendance", "event"]
    list_select_related = ["event"]
    search_fields = ["name", "kana", "email", "affiliation"]
    readonly_fields = [
        "event",
        "name",
        "kana",
        "email",
        "phone",
        "affiliation",
        "attendance",
        "message",
        "status",
        "checked_in_at",
        "created_at",
    ]
    fields = readonly_fields
    actions = ["check_in", "delete_on_request"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        if not request.user.has_perm("meetings.checkin_eventsignup"):
            actions.pop("check_in", None)
        if not request.user.has_perm("meetings.delete_eventsignup"):
            actions.pop("delete_on_request", None)
        return actions

    @admin.action(description=_("Check in the selected applicants"))
    def check_in(self, request, queryset):
        done = 0
        for signup in queryset:
            try:
                services.event_signup_check_in(actor=request.user, signup=signup)
                done += 1
            except ValidationError as exc:
                self.message_user(request, f"{signup}: {exc.messages[0]}", messages.WARNING)
        self.message_user(request, _("%(count)d applicants checked in.") % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Delete the selected applications on request (counts stay)"))
    def delete_on_request(self, request, queryset):
        count = 0
        for signup in queryset:
            services.event_signup_delete(actor=request.user, signup=signup)
            count += 1
        self.message_user(request, _("%(count)d applications deleted.") % {"count": count}, messages.SUCCESS)

    def delete_model(self, request, obj):
        services.event_signup_delete(actor=request.user, signup=obj)


def past_planned_events() -> Q:
    """Events still marked planned whose last day (or planned period) is over."""
    today = timezone.localdate()
    return Q(status=Event.Status.PLANNED) & (
        Q(end_date__lt=today)
        | Q(end_date__isnull=True, start_date__lt=today)
        | Q(start_date__isnull=True, planned_until__lt=today)
    )


@register_attention
def past_planned_events_attention(request) -> list[AttentionItem]:
    """Past events still shown to the public as planned: record them as held (with results) or cancelled."""
    if not request.user.has_perm("meetings.change_event"):
        return []
    count = Event.objects.filter(past_planned_events()).count()
    if not count:
        return []
    url = reverse("admin:meetings_event_changelist")
    return [AttentionItem(label=_("Past events still marked planned"), count=count, url=f"{url}?status__exact=planned")]
