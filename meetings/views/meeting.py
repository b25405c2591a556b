"""Public pages of meetings: the history, a meeting, working groups, printed agenda and packet, materials."""

import functools

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django_ratelimit.core import is_ratelimited

from meetings.forms.meeting import MeetingFilterForm
from meetings.pdf import packet_filename, render_agenda_pdf, render_packet_pdf
from meetings.selectors import meeting as selectors
from platform_portal.pagecache import public_cache
from platform_portal.pdf import pdf_response
from platform_portal.pdfstore import pdf_stored_response
from platform_portal.selectors import site_profile_values

PDF_RATE = "20/m"


def pdf_rate_limited(view):
    """Generated PDFs are heavy (docs/quality.md R6): limited per user or client address, answered with 429."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        rate = getattr(settings, "MEETINGS_PDF_RATE", PDF_RATE)
        if is_ratelimited(request, group="meetings.pdf", key="user_or_ip", rate=rate, increment=True):
            return import_string(settings.RATELIMIT_VIEW)(request)
        return view(request, *args, **kwargs)

    return wrapper


@require_safe
@public_cache
def meeting_list(request):
    bodies = list(selectors.body_list(user=request.user))
    form = MeetingFilterForm(
        request.GET or None, bodies=bodies, fiscal_years=selectors.meeting_fiscal_years(user=request.user)
    )
    body = fiscal_year = None
    if form.is_valid():
        body, fiscal_year = form.cleaned_data["body"], form.cleaned_data["fiscal_year"]
    meetings = selectors.meeting_list(user=request.user, body=body, fiscal_year=fiscal_year)
    context = {"form": form, "meetings": meetings, "working_groups": [b for b in bodies if b.is_working_group]}
    return render(request, "meetings/meeting_list.html", context)


@require_safe
@public_cache
def meeting_detail(request, pk: int):
    meeting = selectors.meeting_get_for_user(request.user, pk)
    staff = selectors.user_is_meeting_staff(request.user)
    context = {
        "meeting": meeting,
        "outline": selectors.meeting_agenda_outline(meeting=meeting),
        "materials": selectors.material_list(meeting=meeting, public_only=not staff),
        "minutes_versions": selectors.minutes_for_user(request.user, meeting=meeting),
        "attendance": selectors.attendance_counts(meeting=meeting),
        "is_staff_view": staff,
    }
    return render(request, "meetings/meeting_detail.html", context)


@require_safe
@pdf_rate_limited
def meeting_agenda_pdf(request, pk: int):
    meeting = selectors.meeting_get_for_user(request.user, pk)
    filename = packet_filename(meeting, kind="会議次第")
    if selectors.user_is_meeting_staff(request.user):  # staff may print a meeting not yet public
        return pdf_response(render_agenda_pdf(meeting), filename=filename)
    return pdf_stored_response(
        request,
        kind="meeting-agenda",
        ident=str(meeting.pk),
        # The meeting is read again inside the render, so that its row is part of the fingerprint.
        render=lambda: render_agenda_pdf(selectors.meeting_get_for_user(request.user, pk)),
        filename=filename,
        extra=site_profile_values(),
    )


@require_safe
@pdf_rate_limited
def meeting_packet_pdf(request, pk: int):
    meeting = selectors.meeting_get_for_user(request.user, pk)
    filename = packet_filename(meeting, kind="会議資料")
    if selectors.user_is_meeting_staff(request.user):  # the staff packet holds private materials
        return pdf_response(render_packet_pdf(meeting, include_private=True), filename=filename)
    return pdf_stored_response(
        request,
        kind="meeting-packet",
        ident=str(meeting.pk),
        render=lambda: render_packet_pdf(selectors.meeting_get_for_user(request.user, pk), include_private=False),
        filename=filename,
        extra=site_profile_values(),
    )


@require_safe
def material_download(request, pk: int):
    """A material's PDF, only through this check (never from MEDIA_URL), as an attachment with nosniff."""
    material = selectors.material_get_for_user(request.user, pk)
    try:
        handle = material.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("No such material."))
    response = FileResponse(handle, as_attachment=True, filename=material.download_name, content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    if not material.is_public:
        response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@public_cache
def working_group_list(request):
    return render(
        request, "meetings/working_group_list.html", {"working_groups": selectors.working_group_list(user=request.user)}
    )


@require_safe
@public_cache
def working_group_detail(request, slug: str):
    group = selectors.working_group_get_for_user(request.user, slug)
    return render(request, "meetings/working_group_detail.html", {"group": group, "sessions": group.sessions})
