"""Reads for the member pages: a group's applications, the programmes open to it, its to-do list."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from members.models import ChangeRequest, Organization
from subsidies.models import Application, Attachment, Decision, Program, ProgramTier, Settlement
from subsidies.selectors import organization_eligibility_problem

S = Application.Status


def application_list_for_organization(*, organization: Organization) -> QuerySet[Application]:
    return Application.objects.filter(organization=organization).select_related("program", "tier").order_by("-pk")


def application_get_for_member(*, organization: Organization, pk: int) -> Application:
    """One of the group's own applications; any other answers 404."""
    try:
        return (
            Application.objects.select_related("program", "tier", "organization")
            .prefetch_related("expenses", "incomes", "attachments")
            .get(pk=pk, organization=organization)
        )
    except Application.DoesNotExist as exc:
        raise Http404 from exc


def attachment_get_for_member(*, application: Application, pk: int) -> Attachment:
    try:
        return Attachment.objects.get(pk=pk, application=application)
    except Attachment.DoesNotExist as exc:
        raise Http404 from exc


def current_decision(*, application: Application) -> Decision | None:
    return application.decisions.filter(replaced_by__isnull=True).order_by("-pk").first()


def current_settlement(*, application: Application) -> Settlement | None:
    return application.settlements.filter(replaced_by__isnull=True).order_by("-pk").first()


def program_list_open(*, organization: Organization, today: datetime.date) -> list[Program]:
    """Programmes taking applications today that this kind of group may apply to."""
    programs = (
        Program.objects.filter(opens_on__lte=today, closes_on__gte=today)
        .prefetch_related(
            Prefetch("tiers", queryset=ProgramTier.objects.order_by("order", "pk")),
            "eligible_general_types",
            "eligible_steering_categories",
        )
        .order_by("order", "pk")
    )
    if organization.status != Organization.Status.APPROVED:
        return []
    return [p for p in programs if organization_eligibility_problem(program=p, organization=organization) is None]


def program_get_open(*, organization: Organization, pk: int, today: datetime.date) -> Program:
    for program in program_list_open(organization=organization, today=today):
        if program.pk == pk:
            return program
    raise Http404


@dataclass(frozen=True)
class Todo:
    label: str
    url: str
    due: datetime.date | None = None
    urgent: bool = False


def todo_list(
    *,
    organization: Organization,
    applications: list[Application],
    programs: list[Program],
    change_requests: list[ChangeRequest],
    today: datetime.date,
) -> list[Todo]:
    """What the group has to do: returned and draft applications, results reports, open programmes."""

    def url(application):
        return reverse("member:application_detail", args=[organization.pk, application.pk])

    todos = []
    for application in applications:
        if application.status == S.RETURNED:
            todos.append(
                Todo(
                    _("Sent back for correction: fix and resubmit %(number)s") % {"number": application.number},
                    url(application),
                    application.program.closes_on,
                    urgent=True,
                )
            )
        elif application.status == S.DRAFT:
            todos.append(
                Todo(
                    _("Draft: complete and submit %(number)s") % {"number": application.number},
                    url(application),
                    application.program.closes_on,
                )
            )
        elif application.status == S.DECIDED:
            todos.append(
                Todo(
                    _("Grant decided: submit the results report of %(number)s after the project")
                    % {"number": application.number},
                    url(application),
                    application.period_end,
                )
            )
    applied = {a.program_id for a in applications if a.status != S.WITHDRAWN}
    for program in programs:
        if program.pk not in applied:
            todos.append(
                Todo(
                    _("Applications open: %(program)s") % {"program": program.name},
                    reverse("member:application_start", args=[organization.pk, program.pk]),
                    program.closes_on,
                )
            )
    if any(c.status == ChangeRequest.Status.PENDING for c in change_requests):
        todos.append(Todo(_("Your change of the registry entry awaits the secretariat's decision."), "", None))
    return todos
