"""Printed meeting documents (docs/house-style.md R21): the agenda (会議次第) and the whole meeting packet.

The packet lays out our own pages (agenda, attendance list, list of materials) and the
materials generated from records with WeasyPrint, then appends the uploaded material PDFs
with pypdf. Each material page gets its 「資料N」 stamp: a small WeasyPrint page per label
and page size (the same for every packet, so kept in memory once drawn), merged onto it.
The running page number "n / N" (digits only) is drawn directly into each page with the
PDF standard font Helvetica. Generated from the records every time, never edited by hand.
"""

import functools
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


@functools.lru_cache(maxsize=128)
def _stamp_page_pdf(stamp: str, width_pt: float, height_pt: float) -> bytes:
    """One overlay page with the 資料N stamp for a page of this size (pure: cached per process)."""
    return _overlay_pdf([OverlayPage(width_pt, height_pt, 0, stamp)], total=0)


def _number_page(width_pt: float, height_pt: float, text: str):
    """A transparent page carrying "n / N" centred 5 mm above the bottom, on a white patch."""
    from pypdf import PageObject
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    size = 9
    # Helvetica widths: digits 556, space and slash 278 (per 1000 em).
    text_width = sum(0.556 if ch.isdigit() else 0.278 for ch in text) * size
    x, y = (width_pt - text_width) / 2, 5 * PT_PER_MM
    pad = 2 * PT_PER_MM
    page = PageObject.create_blank_page(width=width_pt, height=height_pt)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
    )
    stream = DecodedStreamObject()
    stream.set_data(
        (
            f"q 1 g {x - pad:.2f} {y - 2.5:.2f} {text_width + 2 * pad:.2f} {size + 3.5:.2f} re f Q "
            f"BT 0 g /F1 {size} Tf {x:.2f} {y:.2f} Td ({text}) Tj ET"
        ).encode("ascii")
    )
    page[NameObject("/Contents")] = stream
    return page


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


class PacketTooLarge(Exception):
    """The materials have more pages than PACKET_MAX_PAGES: no request lays out a packet of unbounded size."""


def render_packet_pdf(meeting: Meeting, *, include_private: bool) -> bytes:
    """The whole packet; the public one (include_private=False) holds only public materials and no names.

    Our own pages and every generated material are laid out by WeasyPrint and written as one
    PDF (meetings/generated.py); pypdf then puts the uploaded materials in their 資料N order
    and merges the overlay of stamps and page numbers.

    Uploads are capped (MATERIAL_MAX_PAGES each, PACKET_MAX_PAGES per meeting); a packet that is
    over the cap all the same (older rows, files changed on disk) raises PacketTooLarge before
    any page is laid out.
    """
    from pypdf import PdfReader, PdfWriter

    from meetings.generated import material_html, render_documents, write_documents

    materials = list(material_list(meeting=meeting, public_only=not include_private))
    limit = settings.PACKET_MAX_PAGES
    if sum(material.page_count for material in materials) > limit:
        raise PacketTooLarge
    readers = {}
    pages = 0
    for material in materials:
        if material.is_generated:  # laid out below from records, bounded by them
            continue
        with material.file.open("rb") as handle:
            reader = PdfReader(io.BytesIO(handle.read()))
        pages += len(reader.pages)
        if pages > limit:
            raise PacketTooLarge
        readers[material.pk] = reader
    attendances = attendance_list(meeting=meeting)
    with translation.override(settings.LANGUAGE_CODE):
        own_html = render_to_string(
            "meetings/pdf/packet.html",
            {
                **_agenda_context(meeting),
                "attendances": attendances,
                "totals": attendance_totals(attendances),
                "materials": materials,
                "include_private": include_private,
            },
        )
        generated = [m for m in materials if m.is_generated]
        documents = render_documents([own_html] + [material_html(m, in_packet=True) for m in generated])
    spans = {}
    start = len(documents[0].pages)
    for material, document in zip(generated, documents[1:], strict=True):
        spans[material.pk] = (start, start + len(document.pages))
        start += len(document.pages)
    laid_out = PdfReader(io.BytesIO(write_documents(documents)))
    writer = PdfWriter()
    writer.append(laid_out, pages=(0, len(documents[0].pages)))
    stamps = [""] * len(writer.pages)
    for material in materials:
        before = len(writer.pages)
        if material.is_generated:
            writer.append(laid_out, pages=spans[material.pk], import_outline=False)
        else:
            writer.append(readers[material.pk], import_outline=False)
        stamps += [material.label] * (len(writer.pages) - before)
    total = len(writer.pages)
    for index, page in enumerate(writer.pages):
        if page.get("/Rotate"):
            page.transfer_rotation_to_content()
        box = page.mediabox
        width, height = round(float(box.width), 2), round(float(box.height), 2)
        overlays = [_number_page(width, height, f"{index + 1} / {total}")]
        if stamps[index]:
            overlays.insert(0, PdfReader(io.BytesIO(_stamp_page_pdf(stamps[index], width, height))).pages[0])
        for overlay in overlays:
            if box.left or box.bottom:
                from pypdf import Transformation

                page.merge_transformed_page(overlay, Transformation().translate(float(box.left), float(box.bottom)))
            else:
                page.merge_page(overlay)
    writer.add_metadata({"/Title": f"{meeting.title} 資料", "/Author": _author()})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _author() -> str:
    return site_profile_get().secretariat_name


def packet_filename(meeting: Meeting, *, kind: str) -> str:
    return f"{meeting.ordinal}{meeting.body.name}_{kind}.pdf"


__all__ = ["PacketTooLarge", "render_agenda_pdf", "render_packet_pdf", "packet_filename"]
