"""Public catalogue and simulator, and the staff views behind the admin (confirm steps, notices, export)."""

import csv
import io

from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited

from platform_portal.lib.fiscal import FiscalYear, fiscal_year_of
from platform_portal.lib.money import format_man_yen
from platform_portal.pagecache import public_cache
from platform_portal.pdf import pdf_response
from platform_portal.views import ratelimited
from subsidies import resources, rules, selectors, services
from subsidies.forms import SimulatorForm, TransitionForm
from subsidies.models import ProgramTier

SIMULATOR_RATE = "30/m"
PDF_RATE = "60/m"


def _limited(request, *, group: str, rate: str) -> bool:
    return is_ratelimited(request, group=group, key="ip", rate=rate, method=ALL, increment=True)


def rate_lines(program) -> list[str]:
    """補助率 2/3、上限額 20万円 / 補助率 新規 9/10・継続 1/2、上限額 50万円, in plain words."""
    tiers = list(program.tiers.all())
    if not tiers:
        return []
    caps = {tier.cap_yen for tier in tiers}
    if len(caps) == 1:
        rate = str(tiers[0].rate) if len(tiers) == 1 else "・".join(f"{tier.label} {tier.rate}" for tier in tiers)
        return [_("Subsidy rate %(rate)s, cap %(cap)s") % {"rate": rate, "cap": format_man_yen(tiers[0].cap_yen)}]
    return [
        (f"{tier.label}: " if tier.label else "")
        + _("Subsidy rate %(rate)s, cap %(cap)s") % {"rate": str(tier.rate), "cap": format_man_yen(tier.cap_yen)}
        for tier in tiers
    ]


def _window_state(program, today) -> str:
    if today < program.opens_on:
        return "upcoming"
    if today > program.closes_on:
        return "closed"
    return "open"


@require_safe
@public_cache
def program_list(request):
    """補助金の一覧: this fiscal year's programmes, past years, and the results of each year."""
    current = fiscal_year_of(timezone.localdate()).start_year
    today = timezone.localdate()
    programs = list(selectors.program_list_public())
    for program in programs:
        program.rate_lines = rate_lines(program)
        program.window_state = _window_state(program, today)
        program.first_tier = next(iter(program.tiers.all()), None)
    years: dict[int, list] = {}
    for program in programs:
        years.setdefault(program.fiscal_year, []).append(program)
    current_programs = years.pop(current, [])
    past_years = [(FiscalYear(year), items) for year, items in sorted(years.items(), reverse=True) if year < current]
    future_years = [(FiscalYear(year), items) for year, items in sorted(years.items()) if year > current]
    years_so_far = [year for year in {p.fiscal_year for p in programs} if year <= current]
    results = [row for row in selectors.results_by_program(fiscal_years=years_so_far) if row.groups]
    return render(
        request,
        "subsidies/program_list.html",
        {
            "current_year": FiscalYear(current),
            "current_programs": current_programs,
            "future_years": future_years,
            "past_years": past_years,
            "results": results,
            "today": today,
        },
    )


def _simulator_tiers():
    current = fiscal_year_of(timezone.localdate()).start_year
    return (
        ProgramTier.objects.filter(program__is_public=True, program__fiscal_year__gte=current - 1)
        .select_related("program")
        .order_by("-program__fiscal_year", "program__order", "program__pk", "order", "pk")
    )


@require_http_methods(["GET", "HEAD", "POST"])
@public_cache
def program_simulate(request):
    """補助金額シミュレーション: the amount for a cost, by the same rule code as the decisions."""
    tiers = _simulator_tiers()
    result = None
    if request.method == "POST":
        if _limited(request, group="subsidies.simulate", rate=SIMULATOR_RATE):
            return ratelimited(request)
        form = SimulatorForm(request.POST, tiers=tiers)
        if form.is_valid():
            tier = form.cleaned_data["tier"]
            result = rules.compute_for_cost(
                cost_yen=form.cleaned_data["cost"],
                rate=tier.rate,
                cap_yen=tier.cap_yen,
                rounding=tier.program.rounding,
                rule_version=tier.program.rule_version,
            )
    else:
        initial = {}
        tier_id = request.GET.get("tier", "")
        if tier_id.isdigit():
            initial["tier"] = int(tier_id)
        form = SimulatorForm(initial=initial, tiers=tiers)
    chosen = form.cleaned_data["tier"] if result is not None else None
    return render(request, "subsidies/program_simulate.html", {"form": form, "result": result, "tier": chosen})


# ------------------------------------------------------------------ staff


def _admin_change_url(application) -> str:
    return reverse("admin:subsidies_application_change", args=[application.pk])


@staff_member_required
@require_http_methods(["GET", "POST"])
def application_transition(request, pk: int, verb: str):
    """The confirm step of one transition (docs/quality.md A4), then one service call."""
    transition = services.TRANSITIONS.get(verb)
    if transition is None:
        raise Http404
    application = selectors.get_application_for_user(request.user, pk, write=True)
    form = TransitionForm(request.POST if request.method == "POST" else None, transition=transition)
    if request.method == "POST" and form.is_valid():
        try:
            transition.service(actor=request.user, application=application, **form.service_kwargs())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("%(number)s: %(action)s done.") % {"number": application.number, "action": transition.label}
            )
            return redirect(_admin_change_url(application))
    blocked = None
    if request.method == "GET":
        # A stale page or a typed URL: say at once that this step does not apply, rather than
        # offering a confirm button that can only fail.
        try:
            services.transition_check(application=application, verb=verb)
        except ValidationError as exc:
            blocked = exc.messages
    preview = transition.preview(application) if transition.preview and not blocked else None
    return render(
        request,
        "subsidies/application_transition.html",
        {
            **admin.site.each_context(request),
            "application": application,
            "transition": transition,
            "form": form,
            "blocked": blocked,
            "preview": preview,
            "back_url": _admin_change_url(application),
            "title": transition.label,
            "committed": selectors.program_committed_yen(program=application.program)
            if transition.shows_budget
            else None,
        },
    )


def _stream_notice(request, record, *, kind: str):
    if _limited(request, group="subsidies.notice", rate=PDF_RATE):
        return ratelimited(request)
    if not record.notice:
        raise Http404
    with record.notice.open("rb") as handle:
        content = handle.read()
    response = pdf_response(content, filename=f"{kind}_{record.number}.pdf")
    response["Cache-Control"] = "no-store"
    return response


@staff_member_required
@require_safe
def decision_notice(request, pk: int):
    """The stored 交付決定通知書 (never re-rendered; served from storage, not MEDIA_URL)."""
    return _stream_notice(request, selectors.get_decision_for_user(request.user, pk), kind="交付決定通知書")


@staff_member_required
@require_safe
def settlement_notice(request, pk: int):
    """The stored 額の確定通知書."""
    return _stream_notice(request, selectors.get_settlement_for_user(request.user, pk), kind="額の確定通知書")


@staff_member_required
@require_safe
def attachment_download(request, pk: int):
    """An application's attachment, as a download with nosniff (docs/quality.md IO5)."""
    attachment = selectors.get_attachment_for_user(request.user, pk)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@staff_member_required
@require_safe
def program_budget(request):
    """予算の執行状況: budget, decided, settled and remaining per programme and fiscal year."""
    if not request.user.has_perm("subsidies.view_program"):
        raise PermissionDenied
    rows = selectors.program_budget_rows()
    context = {**admin.site.each_context(request), "rows": rows, "title": _("Budget by programme")}
    return render(request, "subsidies/program_budget.html", context)


@staff_member_required
@require_safe
def application_export(request):
    """Decided and settled amounts for accounting: CSV, UTF-8 with BOM, formula-safe (docs/quality.md IE4/IE5)."""
    if not request.user.has_perm("subsidies.export_application"):
        raise PermissionDenied
    if _limited(request, group="subsidies.export", rate=PDF_RATE):
        return ratelimited(request)
    year_text = request.GET.get("fiscal_year", "")
    fiscal_year = int(year_text) if year_text.isdigit() else None
    applications = selectors.application_list_for_export(fiscal_year=fiscal_year)
    headers, rows = resources.accounting_rows(applications)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    services.accounting_export_log(actor=request.user, fiscal_year=fiscal_year, rows=len(rows))
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    suffix = f"_{fiscal_year}" if fiscal_year else ""
    response["Content-Disposition"] = f'attachment; filename="subsidies_accounting{suffix}.csv"'
    response["Cache-Control"] = "no-store"
    return response
