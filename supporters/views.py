"""Public supporter page (/supporters/) and the secretariat's roster, appointment, totals and sharing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_ratelimit.decorators import ratelimit

from platform_portal.pagecache import public_cache
from platform_portal.views import ratelimited
from supporters import selectors, services
from supporters.forms import AppointForm, RosterFilterForm, ShareForm
from supporters.models import Supporter


@require_safe
@public_cache
def supporter_overview(request):
    totals = selectors.supporter_year_totals()
    context = {
        "latest": totals[-1] if totals else None,
        "totals": totals,
        "counts": selectors.supporter_counts_by_municipality(),
    }
    return render(request, "supporters/supporter_overview.html", context)


@login_required
@require_safe
def supporter_roster(request):
    """The roster with filters (staff): municipality, status, fiscal year of appointment."""
    selectors.check_staff_permission(request.user, "supporters.view_supporter")
    years = [total.fiscal_year for total in selectors.supporter_year_totals()]
    form = RosterFilterForm(request.GET or None, years=years)
    filters = form.cleaned_data if form.is_valid() else {}
    supporters = selectors.supporter_list(
        municipality=filters.get("municipality"), status=filters.get("status", ""), fiscal_year=filters.get("year")
    )
    page = Paginator(supporters, 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_appoint": request.user.has_perm("supporters.change_supporter"),
        "appoint_form": AppointForm(),
    }
    return render(request, "supporters/supporter_roster.html", context)


@login_required
@require_POST
def supporter_appoint(request):
    """Appoint the selected people in bulk (任命); refused when someone lacks the required trainings."""
    selectors.check_staff_permission(request.user, "supporters.change_supporter")
    form = AppointForm(request.POST)
    if form.is_valid():
        try:
            appointed = services.supporter_appoint(
                actor=request.user,
                supporters=list(form.cleaned_data["supporters"]),
                appointed_on=form.cleaned_data["appointed_on"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("%(count)d people appointed.") % {"count": len(appointed)})
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    # Back to the roster as it was filtered, so that a refused appointment can be corrected there.
    filters = QueryDict(request.POST.get("filters", "")).urlencode()
    return redirect(f"{reverse('supporters:supporter_roster')}{'?' + filters if filters else ''}")


@login_required
@require_safe
def supporter_totals(request):
    """Appointed per fiscal year and the total after it (staff)."""
    selectors.check_staff_permission(request.user, "supporters.view_supporter")
    return render(request, "supporters/supporter_totals.html", {"totals": selectors.supporter_year_totals()})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit(key="user", rate="30/h", method="POST", block=False)
def supporter_share(request):
    """Export the consenting supporters of one municipality (share_supporter permission; audited)."""
    selectors.check_staff_permission(request.user, "supporters.share_supporter")
    if getattr(request, "limited", False):
        return ratelimited(request)
    form = ShareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        municipality = form.cleaned_data["municipality"]
        content = services.supporter_share_export(actor=request.user, municipality=municipality)
        filename = f"supporters-{municipality.pk}-{timezone.localdate():%Y%m%d}.csv"
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return render(request, "supporters/supporter_share.html", {"form": form, "statuses": Supporter.Status})
