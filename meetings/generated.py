"""Materials generated from records: one registry of kinds, one rendering path (docs/house-style.md R21).

Each kind names the parameters it needs, a context builder (reads through selectors) and one
template under templates/meetings/pdf/ that extends templates/pdf/base.html. Every generated
material, alone or in a packet, goes through `render_documents`: WeasyPrint lays the HTML
out, and the packet writes all generated pages in one PDF before pypdf merges the uploads.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from meetings.models import AgendaItem, GeneratedKind, Material
from meetings.selectors import packet as selectors
from platform_portal.lib.fiscal import FiscalYear
from platform_portal.selectors import site_profile_get

PARAMETERS = ("fiscal_year", "organization", "as_of", "council_session")


@dataclass(frozen=True)
class KindSpec:
    kind: str
    template: str
    needs: tuple[str, ...]
    build: Callable[[Material], dict]


def _page_sections(slug: str) -> dict[str, list[str]]:
    """A staff-edited page split at its `## ` headings: heading → lines (list markers removed)."""
    from platform_portal.models import Page

    page = Page.objects.filter(slug=slug).first()
    sections: dict[str, list[str]] = {}
    current = ""
    for raw in (page.body if page else "").splitlines():
        line = raw.strip()
        if line.startswith("## "):
            current = line[3:].strip()
            sections[current] = []
        elif line:
            sections.setdefault(current, []).append(line.removeprefix("- "))
    return sections


def _day(material: Material) -> datetime.date | None:
    return material.as_of or material.meeting.date


def _overview(material: Material) -> dict:
    from members.selectors import registry_get

    sections = _page_sections("home")
    named = list(sections.items())
    registry = registry_get(as_of=_day(material))
    return {
        "sections": named,
        "steering": registry.steering,
        "general_total": registry.general_total,
        "as_of": _day(material),
        "history": list(selectors.platform_history(meeting=material.meeting)),
    }


def _registry(material: Material) -> dict:
    from members.selectors import registry_get

    return {"registry": registry_get(as_of=_day(material))}


def _results(material: Material) -> dict:
    reports = selectors.initiative_reports(fiscal_year=material.fiscal_year, with_results=True)
    return {"groups": selectors.initiative_groups(reports), "fiscal_year": material.fiscal_year}


def _council(material: Material) -> dict:
    session = selectors.council_session_detail(pk=material.council_session_id, public_only=False)
    return {"session": session, "opinions": list(session.opinions.all()), "requests": list(session.requests.all())}


def _member_activity(material: Material) -> dict:
    organization = material.organization
    return {
        "organization": organization,
        "description": selectors.lines(organization.description),
        "activities": list(organization.activities.order_by("order", "date", "pk")),
        "presenter": material.agenda_item.presenter if material.agenda_item_id else "",
    }


def _next_year_plan(material: Material) -> dict:
    reports = selectors.initiative_reports(fiscal_year=material.fiscal_year, with_results=False)
    return {
        "groups": selectors.initiative_groups(reports),
        "working_groups": selectors.working_groups_planned(fiscal_year=material.fiscal_year),
        "fiscal_year": material.fiscal_year,
    }


def _municipal_programmes(material: Material) -> dict:
    return {
        "municipalities": selectors.municipal_programmes(fiscal_year=material.fiscal_year, public_only=False),
        "fiscal_year": material.fiscal_year,
        "fiscal_year_label": FiscalYear(material.fiscal_year).label,
    }


KINDS: dict[str, KindSpec] = {
    spec.kind: spec
    for spec in [
        KindSpec(GeneratedKind.OVERVIEW, "meetings/pdf/gen_overview.html", (), _overview),
        KindSpec(GeneratedKind.REGISTRY, "meetings/pdf/gen_registry.html", (), _registry),
        KindSpec(GeneratedKind.RESULTS, "meetings/pdf/gen_results.html", ("fiscal_year",), _results),
        KindSpec(GeneratedKind.COUNCIL, "meetings/pdf/gen_council.html", ("council_session",), _council),
        KindSpec(
            GeneratedKind.MEMBER_ACTIVITY, "meetings/pdf/gen_member_activity.html", ("organization",), _member_activity
        ),
        KindSpec(GeneratedKind.NEXT_YEAR_PLAN, "meetings/pdf/gen_plan.html", ("fiscal_year",), _next_year_plan),
        KindSpec(
            GeneratedKind.MUNICIPAL_PROGRAMMES,
            "meetings/pdf/gen_municipal.html",
            ("fiscal_year",),
            _municipal_programmes,
        ),
    ]
}


def check_parameters(*, kind: str, values: dict) -> None:
    """A generated kind must have the parameters it needs (ValidationError per missing field)."""
    spec = KINDS.get(kind)
    if spec is None:
        raise ValidationError({"kind": _("Unknown kind of generated material.")}, code="unknown_kind")
    missing = {name: _("This kind of material needs this.") for name in spec.needs if not values.get(name)}
    if missing:
        raise ValidationError(missing, code="parameter_missing")


def material_heading(material: Material) -> str:
    """【報告事項1】 for the first of several report items, 【意見交換】 for a single one."""
    item = material.agenda_item
    if item is None:
        return ""
    label = str(AgendaItem.Section(item.section).label)
    siblings = list(AgendaItem.objects.filter(meeting_id=item.meeting_id, section=item.section).order_by("order", "pk"))
    if len(siblings) > 1:
        return f"【{label}{siblings.index(item) + 1}】"
    return f"【{label}】"


def material_html(material: Material, *, in_packet: bool = False) -> str:
    spec = KINDS[material.kind]
    context = {
        "in_packet": in_packet,
        **spec.build(material),
        "material": material,
        "heading": material_heading(material),
        "platform": site_profile_get(),
    }
    return render_to_string(spec.template, context)


def render_documents(htmls: list[str]) -> list:
    """Lay out each HTML document with WeasyPrint; returns the documents (pages not yet written)."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    base_url = str(settings.BASE_DIR / "static")
    fonts = FontConfiguration()  # one for all documents: fonts are looked up once
    return [HTML(string=html, base_url=base_url).render(font_config=fonts) for html in htmls]


def write_documents(documents: list) -> bytes:
    """All pages of the laid-out documents in one PDF (fonts embedded once)."""
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()


def render_material_pdf(material: Material) -> bytes:
    """One generated material on its own (its download), through the same path as the packet."""
    with translation.override(settings.LANGUAGE_CODE):
        return write_documents(render_documents([material_html(material)]))


__all__ = ["KINDS", "PARAMETERS", "check_parameters", "render_material_pdf", "render_documents", "write_documents"]
