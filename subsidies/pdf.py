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


def _notice_context(decision: Decision, *, breakdown: dict) -> dict:
    """What both notices print from the decision snapshot: year, rate, rounding, and the reasons of one computation."""
    return {
        "decision": decision,
        "fiscal_year_label": FiscalYear(decision.fiscal_year).label,
        "rate": f"{decision.rate_numerator}/{decision.rate_denominator}",
        "rounding_label": _rounding_label(decision.rounding),
        "reasons": _breakdown_rows(breakdown),
        "platform": site_profile_get(),
    }


def decision_notice_context(decision: Decision) -> dict:
    return _notice_context(decision, breakdown=decision.breakdown)


def render_decision_notice_pdf(decision: Decision) -> bytes:
    """交付決定通知書 as PDF bytes, from the decision snapshot."""
    # Official notices are issued in Japanese whatever the language of the staff member's session.
    with translation.override("ja"):
        return render_pdf("subsidies/pdf/decision_notice.html", decision_notice_context(decision))


def settlement_notice_context(settlement: Settlement) -> dict:
    return {"settlement": settlement, **_notice_context(settlement.decision, breakdown=settlement.breakdown)}


def render_settlement_notice_pdf(settlement: Settlement) -> bytes:
    """額の確定通知書 as PDF bytes, from the settlement and decision snapshots."""
    with translation.override("ja"):
        return render_pdf("subsidies/pdf/settlement_notice.html", settlement_notice_context(settlement))
