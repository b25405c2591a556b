"""Subsidies online for member groups (/my/<group>/subsidies/...): apply, fix what was sent back,
see the decision, report results, see the settlement.

Every step calls the same services as the staff screens (subsidies.services); the group comes
from the URL and is found only among the person's memberships, so another group's records
answer 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from members.member_views import member_required
from members.selectors import membership_get_for_user
from platform_portal.pdf import pdf_response
from subsidies import member_selectors, services
from subsidies.member_forms import ApplicationForm, AttachmentForm, ExpenseFormSet, IncomeFormSet
from subsidies.models import Application, ExpenseLine

S = Application.Status
PLANNED, ACTUAL = ExpenseLine.Stage.PLANNED, ExpenseLine.Stage.ACTUAL


def _group(request, organization_id: int):
    return membership_get_for_user(user=request.user, organization_id=organization_id).organization


def _application(request, organization_id: int, pk: int) -> Application:
    organization = _group(request, organization_id)
    return member_selectors.application_get_for_member(organization=organization, pk=pk)


def _detail(application: Application):
    return redirect("member:application_detail", application.organization_id, application.pk)


@member_required
@require_http_methods(["GET", "POST"])
def application_start(request, organization_id: int, program_id: int):
    """Start an application (下書き) for a programme open to the group this year."""
    organization = _group(request, organization_id)
    program = member_selectors.program_get_open(organization=organization, pk=program_id, today=timezone.localdate())
    form = ApplicationForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(
                actor=request.user, program=program, organization=organization, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The draft was saved. Add the expense lines and documents, then submit."))
            return redirect("member:application_edit", organization.pk, application.pk)
    return render(
        request, "member/application_start.html", {"organization": organization, "program": program, "form": form}
    )


@member_required
@require_safe
def application_detail(request, organization_id: int, pk: int):
    """Where the application stands: lines, amount by the rules, documents, decision and settlement."""
    application = _application(request, organization_id, pk)
    planned = services.application_compute(application=application)
    actual = None
    if application.status in (S.DECIDED, S.REPORTED, S.SETTLED, S.PAID):
        actual = services.application_compute(application=application, stage=ACTUAL)
    lines = list(application.expenses.all())
    incomes = list(application.incomes.all())
    context = {
        "organization": application.organization,
        "application": application,
        "planned_expenses": [line for line in lines if line.stage == PLANNED],
        "actual_expenses": [line for line in lines if line.stage == ACTUAL],
        "planned_incomes": [line for line in incomes if line.stage == PLANNED],
        "actual_incomes": [line for line in incomes if line.stage == ACTUAL],
        "planned": planned,
        "actual": actual,
        "decision": member_selectors.current_decision(application=application),
        "settlement": member_selectors.current_settlement(application=application),
        "attachment_form": AttachmentForm() if _may_attach(application) else None,
    }
    return render(request, "member/application_detail.html", context)


def _may_attach(application: Application) -> bool:
    return application.is_editable or application.status == S.DECIDED


def _formsets(request, application: Application, stage: str):
    data = request.POST if request.method == "POST" else None
    expenses = ExpenseFormSet(
        data, prefix="expense", queryset=application.expenses.filter(stage=stage).order_by("order", "pk")
    )
    incomes = IncomeFormSet(
        data, prefix="income", queryset=application.incomes.filter(stage=stage).order_by("order", "pk")
    )
    return expenses, incomes


def _save_lines(request, application: Application, stage: str, expenses, incomes) -> None:
    saved, deleted = [], []
    for formset in (expenses, incomes):
        for index, form in enumerate(formset.forms):
            if form in formset.deleted_forms:
                if form.instance.pk:
                    deleted.append(form.instance)
                continue
            if not form.has_changed() and not form.instance.pk:
                continue
            line = form.save(commit=False)
            line.stage = stage
            line.order = index
            saved.append(line)
    services.application_lines_save(actor=request.user, application=application, saved=saved, deleted=deleted)


@member_required
@require_http_methods(["GET", "POST"])
def application_edit(request, organization_id: int, pk: int):
    """Edit a draft or a returned application: the project and its planned expense and income lines."""
    application = _application(request, organization_id, pk)
    if not application.is_editable:
        messages.error(request, _("Only draft or returned applications can be changed."))
        return _detail(application)
    form = ApplicationForm(request.POST or None, instance=application, program=application.program)
    expenses, incomes = _formsets(request, application, PLANNED)
    if request.method == "POST" and form.is_valid() and expenses.is_valid() and incomes.is_valid():
        try:
            with transaction.atomic():
                services.application_update(
                    actor=request.user,
                    application=application,
                    **{name: form.cleaned_data[name] for name in ApplicationForm.Meta.fields},
                )
                _save_lines(request, application, PLANNED, expenses, incomes)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return _detail(application)
    return render(
        request,
        "member/application_edit.html",
        {
            "organization": application.organization,
            "application": application,
            "form": form,
            "expenses": expenses,
            "incomes": incomes,
            "stage": PLANNED,
        },
    )


@member_required
@require_POST
def application_attach(request, organization_id: int, pk: int):
    """Attach a document (checked like the staff uploads) while editing or, for receipts, before the report."""
    application = _application(request, organization_id, pk)
    if not _may_attach(application):
        raise Http404
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                actor=request.user,
                application=application,
                title=form.cleaned_data["title"],
                uploaded=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The document was attached."))
    else:
        messages.error(request, _("Give the document's name and choose a file."))
    return _detail(application)


@member_required
@require_http_methods(["GET", "POST"])
def application_submit(request, organization_id: int, pk: int):
    """申請 / 再申請: the confirm step shows the amount as the rules compute it; then one service call."""
    application = _application(request, organization_id, pk)
    verb = "resubmit" if application.status == S.RETURNED else "submit"
    error = None
    if request.method == "POST":
        try:
            if verb == "submit":
                services.application_submit(actor=request.user, application=application)
            else:
                services.application_resubmit(actor=request.user, application=application)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("The application was sent to the secretariat."))
            return _detail(application)
    else:
        try:
            services.transition_check(application=application, verb=verb)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    return render(
        request,
        "member/application_submit.html",
        {
            "organization": application.organization,
            "application": application,
            "verb": verb,
            "error": error,
            "result": services.application_compute(application=application),
        },
    )


@member_required
@require_http_methods(["GET", "POST"])
def application_report(request, organization_id: int, pk: int):
    """実績報告: the actual expense and income lines, then the report (receipts are attached on the page)."""
    application = _application(request, organization_id, pk)
    if application.status != S.DECIDED:
        messages.error(request, _("The results report is submitted after the grant decision."))
        return _detail(application)
    expenses, incomes = _formsets(request, application, ACTUAL)
    error = None
    if request.method == "POST" and expenses.is_valid() and incomes.is_valid():
        try:
            with transaction.atomic():
                _save_lines(request, application, ACTUAL, expenses, incomes)
                if request.POST.get("action") == "report":
                    services.application_report(actor=request.user, application=application)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            if request.POST.get("action") == "report":
                messages.success(request, _("The results report was sent to the secretariat."))
            else:
                messages.success(request, _("Saved."))
            return _detail(application)
    return render(
        request,
        "member/application_report.html",
        {
            "organization": application.organization,
            "application": application,
            "expenses": expenses,
            "incomes": incomes,
            "error": error,
            "stage": ACTUAL,
        },
    )


def _stream(record, kind: str):
    if record is None or not record.notice:
        raise Http404
    with record.notice.open("rb") as handle:
        content = handle.read()
    # A download: the group keeps the official notice as a file.
    response = pdf_response(content, filename=f"{kind}_{record.number}.pdf", inline=False)
    response["Cache-Control"] = "no-store"
    return response


@member_required
@require_safe
def decision_notice(request, organization_id: int, pk: int):
    """The stored 交付決定通知書 of the group's application."""
    application = _application(request, organization_id, pk)
    return _stream(member_selectors.current_decision(application=application), "交付決定通知書")


@member_required
@require_safe
def settlement_notice(request, organization_id: int, pk: int):
    """The stored 額の確定通知書 of the group's application."""
    application = _application(request, organization_id, pk)
    return _stream(member_selectors.current_settlement(application=application), "額の確定通知書")


@member_required
@require_safe
def attachment_download(request, organization_id: int, pk: int, attachment_id: int):
    application = _application(request, organization_id, pk)
    attachment = member_selectors.attachment_get_for_member(application=application, pk=attachment_id)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
