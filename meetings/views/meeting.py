"""Public pages of meetings: the history, a meeting, working groups, printed agenda and packet, materials."""

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from meetings.forms.meeting import MeetingFilterForm
from meetings.pdf import PacketTooLarge, packet_filename, render_agenda_pdf, render_packet_pdf
from meetings.selectors import meeting as selectors
from platform_portal.pagecache import public_cache
from platform_portal.pdf import RenderBusy, pdf_render_slot, pdf_response
from platform_portal.pdfstore import pdf_stored_response
from platform_portal.ratelimit import rate_limit
from platform_portal.selectors import site_profile_values

# Generated PDFs are heavy (docs/quality.md R6): limited per user or client address, answered with 429.
pdf_rate_limited = rate_limit("MEETINGS_PDF_RATE", key="user_or_ip", methods=None)


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
    """The packet as issued (stored, unchanged) once staff have issued it; before that, generated now."""
    meeting = selectors.meeting_get_for_user(request.user, pk)
    staff = selectors.user_is_meeting_staff(request.user)
    filename = packet_filename(meeting, kind="会議資料")
    issue = selectors.packet_issue_latest(meeting=meeting)
    if issue is not None:  # issued: the stored file, unchanged by later edits
        stored = issue.staff_file if staff else issue.public_file
        try:
            with stored.open("rb") as handle:
                content = handle.read()
        except FileNotFoundError:
            raise Http404(_("No such material."))
        response = pdf_response(content, filename=filename)
        if staff:
            response["Cache-Control"] = "private, no-store"
        return response

    def render_in_slot() -> bytes:
        # One packet is laid out at a time per server, so a flood of packets cannot hold every worker.
        with pdf_render_slot():
            return render_packet_pdf(meeting, include_private=staff)

    try:
        if staff:  # the staff packet holds private materials: never stored for the public
            response = pdf_response(render_in_slot(), filename=filename)
            response["Cache-Control"] = "private, no-store"
            return response
        return pdf_stored_response(
            request,
            kind="meeting-packet",
            ident=str(meeting.pk),
            render=render_in_slot,
            filename=filename,
            extra=site_profile_values(),
        )
    except RenderBusy:
        response = render(request, "meetings/packet_busy.html", {"meeting": meeting}, status=503)
        response["Retry-After"] = str(settings.PDF_RENDER_RETRY_SECONDS)
        return response
    except PacketTooLarge:
        context = {"meeting": meeting, "limit": settings.PACKET_MAX_PAGES}
        return render(request, "meetings/packet_too_large.html", context, status=422)


@require_safe
def material_download(request, pk: int):
    """A material's PDF, only through this check (never from MEDIA_URL), as an attachment with nosniff."""
    material = selectors.material_get_for_user(request.user, pk)
    if material.is_generated:
        return _generated_material(request, material)
    try:
        handle = material.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("No such material."))
    response = FileResponse(handle, as_attachment=True, filename=material.download_name, content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    if not material.is_public:
        response["Cache-Control"] = "private, no-store"
    return response


@pdf_rate_limited
def _generated_material(request, material):
    from meetings.generated import render_material_pdf

    response = pdf_response(render_material_pdf(material), filename=material.download_name, inline=False)
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
