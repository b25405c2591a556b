"""Staff back office for meetings: bodies, meetings with agenda/material/attendance inlines, minutes.

Writes with side effects go through meetings.services.meeting (docs/house-style.md R19): meetings,
materials (files) and minutes; the agenda and attendance inlines save plain rows and record
one audit entry for the meeting.
"""

import unicodedata

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from meetings.forms.meeting import MaterialAdminForm
from meetings.models import AgendaItem, Attendance, Material, Meeting, MeetingBody, Minutes
from meetings.selectors.attendance import previous_meeting, steering_members
from meetings.selectors.meeting import attendance_list, attendance_totals
from meetings.selectors.preparation import meeting_checklist
from meetings.services import attendance as attendance_services
from meetings.services import meeting as services
from platform_portal.admin import AuditedModelAdmin, LabelledTabularInline
from platform_portal.admin_fields import WarekiAdminMixin
from platform_portal.admin_site import AttentionItem, register_attention


@admin.register(MeetingBody)
class MeetingBodyAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "order", "is_public", "meeting_count"]
    list_filter = ["kind", "is_public"]
    search_fields = ["name", "formal_name"]
    prepopulated_fields = {}
    # "members" is a search-as-you-type chooser: filter_horizontal's tooltip icons fail axe (aria-prohibited-attr).
    fields = ["kind", "name", "slug", "formal_name", "purpose", "member_kinds", "members", "order", "is_public"]
    autocomplete_fields = ["members"]
    ordering = ["order", "name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(meeting_count=Count("meetings"))

    @admin.display(description=_("number of meetings"), ordering="meeting_count")
    def meeting_count(self, obj):
        return obj.meeting_count


class AgendaItemInline(LabelledTabularInline):
    model = AgendaItem
    fields = ["order", "section", "title", "presenter", "duration_minutes"]
    extra = 0


class MaterialInline(LabelledTabularInline):
    model = Material
    form = MaterialAdminForm
    fields = [
        "number",
        "title",
        "agenda_item",
        "file",
        "kind",
        "fiscal_year",
        "organization",
        "as_of",
        "council_session",
        "is_public",
        "members_only",
        "page_count",
    ]
    readonly_fields = ["page_count", "download"]
    raw_id_fields = ["organization"]
    extra = 0

    def get_fields(self, request, obj=None):
        if self.has_change_permission(request, obj):
            return self.fields
        # Read-only staff: a link to the checked download view instead of the storage URL.
        return [("download" if name == "file" else name) for name in self.fields]

    @admin.display(description=_("PDF file"))
    def download(self, obj):
        if not obj.pk:
            return ""
        return format_html(
            '<a href="{}">{}</a>', reverse("meetings:material_download", args=[obj.pk]), obj.original_name or obj.label
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agenda_item":
            meeting_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = (
                AgendaItem.objects.filter(meeting_id=meeting_id) if meeting_id else AgendaItem.objects.none()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class AttendanceInline(LabelledTabularInline):
    model = Attendance
    fields = ["order", "organization", "organization_label", "position", "person_name", "invited", "attended", "online"]
    autocomplete_fields = ["organization"]
    extra = 0


class MeetingAdminForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = services.MEETING_FIELDS + ["body"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "number" in self.fields:  # absent on the read-only view of an official
            self.fields["number"].required = False
            self.fields["number"].help_text = _("Leave empty to give the next number of the body.")
        if "fiscal_year" in self.fields:
            self.fields["fiscal_year"].required = False
            self.fields["fiscal_year"].help_text = _("Follows the date; give it only for a planned period.")

    def clean(self):
        # The services' scheduling and numbering rules, with their coded errors (docs/house-style.md R15).
        data = super().clean()
        date = data.get("date")
        if "date" not in self.errors:
            try:
                data["fiscal_year"] = services.meeting_fiscal_year(
                    date=date,
                    fiscal_year=None if date else data.get("fiscal_year"),  # the year follows the date
                    status=data.get("status") or Meeting.Status.SCHEDULED,
                )
            except ValidationError as exc:
                self.add_error("date" if exc.code == "held_without_date" else "fiscal_year", exc)
        body = data.get("body")
        if data.get("number") is None and body is not None:
            data["number"] = services.meeting_next_number(body=body)
        return data


@admin.register(Meeting)
class MeetingAdmin(WarekiAdminMixin, admin.ModelAdmin):
    form = MeetingAdminForm
    list_display = ["ordinal", "body", "date", "planned_period", "fiscal_year_label", "status", "is_public", "links"]
    list_display_links = ["ordinal"]
    list_filter = ["body", "status", "fiscal_year", "is_public"]
    search_fields = ["summary", "venue", "body__name"]
    list_select_related = ["body"]
    ordering = ["-fiscal_year", "-date", "-number"]
    fieldsets = [
        (None, {"fields": ["body", "number", "status", "is_public"]}),
        (
            _("Date and place"),
            {"fields": ["date", "start_time", "end_time", "planned_period", "fiscal_year", "format", "venue"]},
        ),
        (_("Topics"), {"fields": ["summary"]}),
    ]
    inlines = [AgendaItemInline, MaterialInline, AttendanceInline]
    actions = ["prepare_next_meeting", "issue_packet"]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        meeting = self.get_object(request, unquote(object_id))
        if meeting is not None and meeting.status == Meeting.Status.SCHEDULED:
            extra_context = {**(extra_context or {}), "checklist": meeting_checklist(meeting=meeting)}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        view = self.admin_site.admin_view(self.attendance_view)
        return [
            path("<path:object_id>/attendance/", view, name="meetings_meeting_attendance"),
            *super().get_urls(),
        ]

    def attendance_view(self, request, object_id):
        """The invitation list on one screen: invite in one step, copy the last list, tick who attended."""
        meeting = self.get_object(request, unquote(object_id))
        if meeting is None:
            raise Http404
        if not self.has_view_permission(request, meeting):
            raise PermissionDenied
        can_change = self.has_change_permission(request, meeting)
        if request.method == "POST":
            if not can_change:
                raise PermissionDenied
            self._attendance_post(request, meeting)
            return HttpResponseRedirect(request.path)
        rows = attendance_list(meeting=meeting)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Invitations and attendance: %(meeting)s") % {"meeting": meeting},
            "meeting": meeting,
            "rows": rows,
            "totals": attendance_totals(rows),
            "can_change": can_change,
            "bodies": MeetingBody.objects.filter(members__isnull=False).distinct().order_by("order", "name"),
            "previous": previous_meeting(meeting),
            "steering_count": len(steering_members()),
            "opts": self.model._meta,
            "original": meeting,
        }
        return TemplateResponse(request, "admin/meetings/meeting/attendance.html", context)

    def _attendance_post(self, request, meeting):
        operation = request.POST.get("operation")
        try:
            if operation == "invite_steering":
                added = attendance_services.attendance_invite_steering(actor=request.user, meeting=meeting)
            elif operation == "invite_body":
                body = MeetingBody.objects.filter(pk=request.POST.get("body") or 0).first()
                if body is None:
                    raise ValidationError(_("Choose a meeting body."), code="no_body")
                added = attendance_services.attendance_invite_body(actor=request.user, meeting=meeting, body=body)
            elif operation == "copy_previous":
                added = attendance_services.attendance_copy_previous(actor=request.user, meeting=meeting)
            elif operation == "record":
                marks = {
                    int(pk): attendance_services.AttendanceMark(
                        invited=f"invited-{pk}" in request.POST,
                        attended=f"attended-{pk}" in request.POST,
                        online=f"online-{pk}" in request.POST,
                    )
                    for pk in request.POST.getlist("row")
                    if pk.isdigit()
                }
                changed = attendance_services.attendance_record(actor=request.user, meeting=meeting, marks=marks)
                messages.success(
                    request,
                    ngettext(
                        "Attendance saved: %(count)d row changed.", "Attendance saved: %(count)d rows changed.", changed
                    )
                    % {"count": changed},
                )
                return
            else:
                raise ValidationError(_("Unknown operation."), code="unknown_operation")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return
        messages.success(
            request,
            ngettext("Invited %(count)d organisation.", "Invited %(count)d organisations.", added) % {"count": added},
        )

    def get_search_results(self, request, queryset, search_term):
        """「第8回」 or 「8」 finds the eighth meeting of every body, besides the words of the summary."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        number = unicodedata.normalize("NFKC", search_term).strip().removeprefix("第").removesuffix("回")
        if number.isdigit():
            results = results | queryset.filter(number=int(number))
        return results, may_have_duplicates

    @admin.display(description=_("number"), ordering="number")
    def ordinal(self, obj):
        return obj.ordinal

    @admin.display(description=_("fiscal year"), ordering="fiscal_year")
    def fiscal_year_label(self, obj):
        return obj.fiscal_year_obj.label

    @admin.display(description=_("documents"))
    def links(self, obj):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("meetings:meeting_detail", args=[obj.pk]),
            _("page"),
            reverse("meetings:meeting_agenda_pdf", args=[obj.pk]),
            _("agenda PDF"),
            reverse("meetings:meeting_packet_pdf", args=[obj.pk]),
            _("packet PDF"),
        )

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data.get(name) for name in services.MEETING_FIELDS}
        if change:
            services.meeting_update(actor=request.user, meeting=Meeting.objects.get(pk=obj.pk), **fields)
        else:
            meeting = services.meeting_create(actor=request.user, body=form.cleaned_data["body"], **fields)
            obj.pk = meeting.pk
            obj._state.adding = False

    def save_formset(self, request, form, formset, change):
        if formset.model is Material:
            self._save_materials(request, form.instance, formset)
            return
        formset.save()
        touched = len(formset.new_objects) + len(formset.changed_objects) + len(formset.deleted_objects)
        if touched and formset.model is AgendaItem:
            services.agenda_record_change(actor=request.user, meeting=form.instance, changed_items=touched)
        elif touched:
            services.attendance_record_change(actor=request.user, meeting=form.instance, changed_rows=touched)

    def _save_materials(self, request, meeting, formset):
        meeting = Meeting.objects.get(pk=meeting.pk)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for material_form in formset.deleted_forms:
            if material_form.instance.pk:
                formset.deleted_objects.append(material_form.instance)
                services.material_delete(
                    actor=request.user, material=Material.objects.get(pk=material_form.instance.pk)
                )
        for material_form in formset.forms:
            if material_form in formset.deleted_forms or not material_form.has_changed():
                continue
            data = material_form.cleaned_data
            parameters = {name: data.get(name) for name in services.GENERATED_PARAMETERS}
            if data.get("kind") and not material_form.instance.pk:
                material = services.material_generate(
                    actor=request.user,
                    meeting=meeting,
                    kind=data["kind"],
                    title=data["title"],
                    is_public=data["is_public"],
                    agenda_item=data["agenda_item"],
                    number=data["number"],
                    **parameters,
                )
                formset.new_objects.append(material)
            elif material_form.instance.pk and material_form.instance.kind:
                material = services.material_update(
                    actor=request.user,
                    material=Material.objects.get(pk=material_form.instance.pk),
                    title=data["title"],
                    is_public=data["is_public"],
                    number=data["number"] or material_form.initial.get("number"),
                    agenda_item=data["agenda_item"],
                    **parameters,
                )
                formset.changed_objects.append((material, material_form.changed_data))
            elif material_form.instance.pk:
                material = services.material_update(
                    actor=request.user,
                    material=Material.objects.get(pk=material_form.instance.pk),
                    title=data["title"],
                    is_public=data["is_public"],
                    number=data["number"] or material_form.initial.get("number"),
                    agenda_item=data["agenda_item"],
                    upload=data["file"] if "file" in material_form.changed_data else None,
                )
                formset.changed_objects.append((material, material_form.changed_data))
            else:
                material = services.material_add(
                    actor=request.user,
                    meeting=meeting,
                    title=data["title"],
                    upload=data["file"],
                    is_public=data["is_public"],
                    agenda_item=data["agenda_item"],
                    number=data["number"],
                )
                formset.new_objects.append(material)

    @admin.action(
        description=_("Prepare the next meeting (same body, next number, agenda copied)"), permissions=["add"]
    )
    def prepare_next_meeting(self, request, queryset):
        if not self.has_add_permission(request):
            messages.error(request, _("You may not add meetings."))
            return None
        prepared = [services.meeting_prepare_next(actor=request.user, previous=meeting) for meeting in queryset]
        if len(prepared) == 1:
            self.message_user(request, _("Prepared %(meeting)s.") % {"meeting": prepared[0]}, messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:meetings_meeting_change", args=[prepared[0].pk]))
        self.message_user(
            request,
            ngettext("Prepared %(count)d meeting.", "Prepared %(count)d meetings.", len(prepared))
            % {"count": len(prepared)},
            messages.SUCCESS,
        )
        return None

    @admin.action(description=_("Issue the meeting packet (stored and served unchanged)"), permissions=["change"])
    def issue_packet(self, request, queryset):
        for meeting in queryset:
            issue = services.packet_issue(actor=request.user, meeting=meeting)
            self.message_user(
                request,
                _("Issued %(meeting)s, version %(version)s (%(pages)s pages).")
                % {"meeting": meeting, "version": issue.version, "pages": issue.page_count},
                messages.SUCCESS,
            )


def _minutes_action(service, *, title, done):
    """An admin action with a confirm step (WCAG 3.3.4): the first POST shows what will happen."""

    def action(modeladmin, request, queryset):
        if not modeladmin.has_change_permission(request):
            messages.error(request, _("You may not change minutes."))
            return None
        if request.POST.get("confirm") != "yes":
            context = {
                **modeladmin.admin_site.each_context(request),
                "title": title,
                "objects": list(queryset.select_related("meeting", "meeting__body")),
                "action": request.POST.get("action"),
                "opts": modeladmin.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/meetings/minutes_confirm_action.html", context)
        count = 0
        for minutes in queryset:
            try:
                service(actor=request.user, minutes=minutes)
                count += 1
            except ValidationError as exc:
                messages.error(request, f"{minutes}: {' '.join(exc.messages)}")
        if count:
            messages.success(request, done % {"count": count})
        return None

    return action


class NewMinutesForm(forms.ModelForm):
    """New minutes: the service's rule (one set of minutes per meeting) with its coded error."""

    class Meta:
        model = Minutes
        fields = ["meeting", "text"]

    def clean(self):
        data = super().clean()
        if data.get("meeting") is not None:
            try:
                services.minutes_check_new(meeting=data["meeting"])
            except ValidationError as exc:
                self.add_error(None, exc)
        return data


@admin.register(Minutes)
class MinutesAdmin(WarekiAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "meeting", "version", "status", "confirmed_at", "published_at"]
    list_filter = ["status", "meeting__body"]
    list_select_related = ["meeting", "meeting__body"]
    search_fields = ["text", "meeting__body__name"]
    autocomplete_fields = ["meeting"]
    actions = ["confirm", "publish", "correct"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["meeting", "text"]
        return ["meeting", "version", "status", "text", "supersedes", "confirmed_at", "confirmed_by", "published_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        frozen = ["meeting", "version", "status", "supersedes", "confirmed_at", "confirmed_by", "published_at"]
        return [*frozen, "text"] if obj.is_frozen else frozen

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            if "text" in form.cleaned_data:  # absent when the minutes are frozen (read-only field)
                services.minutes_update(actor=request.user, minutes=obj, text=form.cleaned_data["text"])
        else:
            minutes = services.minutes_create(
                actor=request.user, meeting=form.cleaned_data["meeting"], text=form.cleaned_data["text"]
            )
            obj.pk = minutes.pk
            obj._state.adding = False

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = NewMinutesForm
        return super().get_form(request, obj, change, **kwargs)

    confirm = admin.action(description=_("Confirm the selected minutes (the text is frozen)"), permissions=["change"])(
        _minutes_action(
            services.minutes_confirm,
            title=_("Confirm minutes"),
            done=_("Confirmed %(count)d minutes."),
        )
    )
    publish = admin.action(description=_("Publish the selected minutes"), permissions=["change"])(
        _minutes_action(
            services.minutes_publish,
            title=_("Publish minutes"),
            done=_("Published %(count)d minutes."),
        )
    )
    correct = admin.action(description=_("Make a correction (a new draft version)"), permissions=["change"])(
        _minutes_action(
            services.minutes_correct,
            title=_("Correct minutes"),
            done=_("Created %(count)d correction drafts."),
        )
    )


@register_attention
def minutes_attention(request) -> list[AttentionItem]:
    """Draft minutes waiting for confirmation, and confirmed minutes not yet published."""
    if not request.user.has_perm("meetings.change_minutes"):
        return []
    url = reverse("admin:meetings_minutes_changelist")
    counts = Minutes.objects.aggregate(
        drafts=Count("pk", filter=Q(status=Minutes.Status.DRAFT)),
        confirmed=Count("pk", filter=Q(status=Minutes.Status.CONFIRMED)),
    )
    items = []
    if counts["drafts"]:
        items.append(
            AttentionItem(label=_("Draft minutes to confirm"), count=counts["drafts"], url=f"{url}?status__exact=draft")
        )
    if counts["confirmed"]:
        items.append(
            AttentionItem(
                label=_("Confirmed minutes to publish"), count=counts["confirmed"], url=f"{url}?status__exact=confirmed"
            )
        )
    return items
