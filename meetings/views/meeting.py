"""Public pages of meetings: the history, a meeting, working groups, printed agenda and packet, materials."""

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from meetings.forms.meeting import MeetingFilterForm
from meetings.pdf import PacketTooLarge, packet_filename, render_agenda_pdf, render_packet_pdf
from meetings.selectors import meeting as selectors
from platform_portal.pdf import RenderBusy, pdf_render_slot, pdf_response
from platform_portal.ratelimit import rate_limit

# Generated PDFs are heavy (QUALITY R6): limited per user or client address, answered with 429.
pdf_rate_limited = rate_limit("MEETINGS_PDF_RATE", key="user_or_ip", methods=None)


@require_safe
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
    return pdf_response(render_agenda_pdf(meeting), filename=packet_filename(meeting, kind="会議次第"))


@require_safe
@pdf_rate_limited
def meeting_packet_pdf(request, pk: int):
    meeting = selectors.meeting_get_for_user(request.user, pk)
    try:
        with pdf_render_slot():
            content = render_packet_pdf(meeting, include_private=selectors.user_is_meeting_staff(request.user))
    except RenderBusy:
        response = render(request, "meetings/packet_busy.html", {"meeting": meeting}, status=503)
        response["Retry-After"] = str(settings.PDF_RENDER_RETRY_SECONDS)
        return response
    except PacketTooLarge:
        context = {"meeting": meeting, "limit": settings.PACKET_MAX_PAGES}
        return render(request, "meetings/packet_too_large.html", context, status=422)
    return pdf_response(content, filename=packet_filename(meeting, kind="会議資料"))


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
def working_group_list(request):
    return render(
        request, "meetings/working_group_list.html", {"working_groups": selectors.working_group_list(user=request.user)}
    )


@require_safe
def working_group_detail(request, slug: str):
    group = selectors.working_group_get_for_user(request.user, slug)
    return render(request, "meetings/working_group_detail.html", {"group": group, "sessions": group.sessions})
