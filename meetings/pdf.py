"""Printed meeting documents (docs/house-style.md R21): the agenda (会議次第) and the whole meeting packet.

The packet lays out only our own pages with WeasyPrint (agenda, attendance list, list of
materials), then appends the uploaded material PDFs with pypdf. A second, small WeasyPrint
document holds one overlay page per packet page, sized like that page, carrying the
「資料N」 stamp (on material pages) and the running page number "n / N"; each overlay page
is merged onto its packet page. Generated from the records every time, never edited by hand.
"""

import io
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from meetings.models import Meeting
from meetings.selectors.meeting import (
    attendance_list,
    attendance_totals,
    material_list,
    meeting_agenda_outline,
)
from platform_portal.pdf import render_pdf
from platform_portal.selectors import site_profile_get

PT_PER_MM = 72 / 25.4


def _agenda_context(meeting: Meeting) -> dict:
    return {"meeting": meeting, "outline": meeting_agenda_outline(meeting=meeting), "platform": site_profile_get()}


def render_agenda_pdf(meeting: Meeting) -> bytes:
    """The 会議次第 on one A4 page."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf("meetings/pdf/agenda.html", _agenda_context(meeting))


@dataclass(frozen=True)
class OverlayPage:
    width_pt: float
    height_pt: float
    number: int
    stamp: str


def _overlay_pdf(pages: list[OverlayPage], *, total: int) -> bytes:
    from weasyprint import HTML

    sizes = {}
    for page in pages:
        sizes.setdefault((round(page.width_pt, 2), round(page.height_pt, 2)), f"s{len(sizes)}")
    html = render_to_string(
        "meetings/pdf/overlay.html",
        {
            "sizes": [{"name": name, "width": w, "height": h} for (w, h), name in sizes.items()],
            "pages": [
                {
                    "size": sizes[(round(p.width_pt, 2), round(p.height_pt, 2))],
                    "width": round(p.width_pt, 2),
                    "height": round(p.height_pt, 2),
                    "number": p.number,
                    "stamp": p.stamp,
                }
                for p in pages
            ],
            "total": total,
        },
    )
    return HTML(string=html).write_pdf()


def render_packet_pdf(meeting: Meeting, *, include_private: bool) -> bytes:
    """The whole packet; the public one (include_private=False) holds only public materials and no names."""
    from pypdf import PdfReader, PdfWriter

    materials = list(material_list(meeting=meeting, public_only=not include_private))
    attendances = attendance_list(meeting=meeting)
    with translation.override(settings.LANGUAGE_CODE):
        own = render_pdf(
            "meetings/pdf/packet.html",
            {
                **_agenda_context(meeting),
                "attendances": attendances,
                "totals": attendance_totals(attendances),
                "materials": materials,
                "include_private": include_private,
            },
        )
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(own)))
    stamps = [""] * len(writer.pages)
    for material in materials:
        with material.file.open("rb") as handle:
            reader = PdfReader(io.BytesIO(handle.read()))
        before = len(writer.pages)
        writer.append(reader, import_outline=False)
        stamps += [material.label] * (len(writer.pages) - before)
    overlay_pages = []
    for index, page in enumerate(writer.pages):
        if page.get("/Rotate"):
            page.transfer_rotation_to_content()
        box = page.mediabox
        overlay_pages.append(
            OverlayPage(width_pt=float(box.width), height_pt=float(box.height), number=index + 1, stamp=stamps[index])
        )
    overlay = PdfReader(io.BytesIO(_overlay_pdf(overlay_pages, total=len(overlay_pages))))
    for page, stamp_page in zip(writer.pages, overlay.pages, strict=True):
        box = page.mediabox
        if box.left or box.bottom:
            from pypdf import Transformation

            page.merge_transformed_page(stamp_page, Transformation().translate(float(box.left), float(box.bottom)))
        else:
            page.merge_page(stamp_page)
    writer.add_metadata({"/Title": f"{meeting.title} 資料", "/Author": _author()})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _author() -> str:
    return site_profile_get().secretariat_name


def packet_filename(meeting: Meeting, *, kind: str) -> str:
    return f"{meeting.ordinal}{meeting.body.name}_{kind}.pdf"


__all__ = ["render_agenda_pdf", "render_packet_pdf", "packet_filename"]
