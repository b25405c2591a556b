"""Official notices (交付決定通知書, 額の確定通知書), built only from the stored snapshots (docs/house-style.md R21).

The services render each notice once, at the transition, and keep the bytes in storage; the
views only stream what was stored.
"""

from django.utils import translation

from platform_portal.lib.fiscal import FiscalYear
from platform_portal.pdf import render_pdf
from platform_portal.selectors import site_profile_get
from subsidies import rules
from subsidies.models import Decision, Settlement


def _breakdown_rows(breakdown: dict) -> list[str]:
    return [rules.reason_text(reason["code"], reason["params"]) for reason in breakdown.get("reasons", [])]


def _rounding_label(rounding: str) -> str:
    return {rules.FLOOR_1: "1円未満切り捨て", rules.FLOOR_1000: "千円未満切り捨て"}.get(rounding, rounding)


def _notice_parties(decision: Decision) -> dict:
    """Issuer, addressee and the application cited, as they stand when the notice is issued.

    The notice is rendered once and kept as a file, so later edits of the programme or the
    organisation never change an issued notice.
    """
    application = decision.application
    program = application.program
    organization = application.organization
    platform = site_profile_get()
    return {
        "issuer_title": program.issuer_title or platform.secretariat_name or platform.name,
        "issuer_name": program.issuer_name,
        "representative": " ".join(
            part for part in (organization.representative_title, organization.representative_name) if part
        ),
        "application": application,
        "conditions": program.grant_condition_list,
        "appeal_notice": program.appeal_notice.strip(),
    }


def decision_notice_context(decision: Decision) -> dict:
    return {
        **_notice_parties(decision),
        "decision": decision,
        "fiscal_year_label": FiscalYear(decision.fiscal_year).label,
        "rate": f"{decision.rate_numerator}/{decision.rate_denominator}",
        "rounding_label": _rounding_label(decision.rounding),
        "reasons": _breakdown_rows(decision.breakdown),
        "platform": site_profile_get(),
    }


def render_decision_notice_pdf(decision: Decision) -> bytes:
    """交付決定通知書 as PDF bytes, from the decision snapshot."""
    # Official notices are issued in Japanese whatever the language of the staff member's session.
    with translation.override("ja"):
        return render_pdf("subsidies/pdf/decision_notice.html", decision_notice_context(decision))


def settlement_notice_context(settlement: Settlement) -> dict:
    decision = settlement.decision
    return {
        **_notice_parties(decision),
        "settlement": settlement,
        "decision": decision,
        "fiscal_year_label": FiscalYear(decision.fiscal_year).label,
        "rate": f"{decision.rate_numerator}/{decision.rate_denominator}",
        "rounding_label": _rounding_label(decision.rounding),
        "reasons": _breakdown_rows(settlement.breakdown),
        "platform": site_profile_get(),
    }


def render_settlement_notice_pdf(settlement: Settlement) -> bytes:
    """額の確定通知書 as PDF bytes, from the settlement and decision snapshots."""
    with translation.override("ja"):
        return render_pdf("subsidies/pdf/settlement_notice.html", settlement_notice_context(settlement))
