"""Export of decided and settled amounts for accounting (docs/quality.md IE4): formula-safe cells.

Numbers stay numbers (ints) and dates ISO dates; a text cell that a spreadsheet would read
as a formula gets a leading apostrophe (the shared platform_portal.importexport helper).
The rows join each application with its current decision and settlement, so they are built
here rather than by a ModelResource; there is no import (decisions come only from services).
"""

import datetime

from django.utils.translation import gettext as _

from platform_portal.importexport import neutralize_formula


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return neutralize_formula(value)


def accounting_rows(applications) -> tuple[list[str], list[list]]:
    """Header and rows: one row per decided or settled application."""
    headers = [
        _("Application number"),
        _("Fiscal year"),
        _("Programme"),
        _("Tier"),
        _("Applicant organisation"),
        _("Status"),
        _("Decision number"),
        _("Decision date"),
        _("Decided amount (yen)"),
        _("Settlement number"),
        _("Settlement date"),
        _("Settled amount (yen)"),
        _("Paid on"),
    ]
    rows = []
    for application in applications:
        decision = application.current_decisions[-1] if application.current_decisions else None
        settlement = application.current_settlements[-1] if application.current_settlements else None
        rows.append(
            [
                _cell(application.number),
                _cell(application.program.fiscal_year_obj.label),
                _cell(application.program.name),
                _cell(application.tier.label),
                _cell(application.organization.name),
                _cell(application.get_status_display()),
                _cell(decision.number if decision else None),
                _cell(decision.decided_on if decision else None),
                application.decided_yen if application.decided_yen is not None else "",
                _cell(settlement.number if settlement else None),
                _cell(settlement.settled_on if settlement else None),
                application.final_yen if application.final_yen is not None else "",
                _cell(application.paid_on),
            ]
        )
    return headers, rows
