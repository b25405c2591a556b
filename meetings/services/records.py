"""Writes of the records a packet reports on (docs/house-style.md R5): programmes of the year and council sessions.

Both are found by their natural key (fiscal year + title, name + date), so the demo loader
and an import can call them again without duplicates; each save writes one audit entry.
"""

import datetime

from django.db import transaction

from meetings.models import CouncilOpinion, CouncilRequest, CouncilSession, Event, Initiative
from platform_portal.audit import Actor, audit_log


@transaction.atomic
def initiative_save(
    *,
    actor: Actor,
    fiscal_year: int,
    title: str,
    purpose: str,
    group: str = "",
    order: int = 0,
    label: str = "",
    outcome_note: str = "",
    reports_supporters: bool = False,
    subsidy_programs=(),
) -> Initiative:
    """Create or update the programme `title` of `fiscal_year`."""
    initiative = Initiative.objects.filter(fiscal_year=fiscal_year, title=title).first() or Initiative(
        fiscal_year=fiscal_year, title=title
    )
    created = initiative.pk is None
    for name, value in {
        "purpose": purpose,
        "group": group,
        "order": order,
        "label": label,
        "outcome_note": outcome_note,
        "reports_supporters": reports_supporters,
    }.items():
        setattr(initiative, name, value)
    initiative.full_clean()
    initiative.save()
    initiative.subsidy_programs.set(subsidy_programs)
    audit_log(
        actor=actor,
        action="meetings.record.saved",
        target=initiative,
        data={"model": "initiative", "created": created},
    )
    return initiative


@transaction.atomic
def council_session_save(
    *,
    actor: Actor,
    name: str,
    date: datetime.date,
    opinions: list[str],
    requests: list[dict],
    event: Event | None = None,
    is_public: bool = True,
) -> CouncilSession:
    """Create or update a council session with its opinion summaries and requests (replaced as given)."""
    session = CouncilSession.objects.filter(name=name, date=date).first() or CouncilSession(name=name, date=date)
    created = session.pk is None
    session.event = event
    session.is_public = is_public
    session.full_clean(exclude=["event"])
    session.save()
    session.opinions.all().delete()
    session.requests.all().delete()
    rows = [CouncilOpinion(session=session, order=i, text=text) for i, text in enumerate(opinions, start=1)]
    for row in rows:
        row.full_clean(exclude=["session"])
    CouncilOpinion.objects.bulk_create(rows)
    request_rows = [
        CouncilRequest(session=session, order=i, title=r["title"], text=r["text"], notes=r.get("notes", ""))
        for i, r in enumerate(requests, start=1)
    ]
    for request_row in request_rows:
        request_row.full_clean(exclude=["session"])
    CouncilRequest.objects.bulk_create(request_rows)
    audit_log(
        actor=actor,
        action="meetings.record.saved",
        target=session,
        data={"model": "council_session", "created": created, "opinions": len(rows), "requests": len(request_rows)},
    )
    return session
