"""Public event pages (/events/), the sign-up with its confirm step, the iCal feed, and staff check-in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_ratelimit.decorators import ratelimit

from meetings import ical
from meetings.forms.event import CheckInForm, EventSignupForm
from meetings.selectors import event as selectors
from meetings.services import event as services
from platform_portal.lib.fiscal import FiscalYear
from platform_portal.pagecache import public_cache
from platform_portal.selectors import site_profile_get
from platform_portal.views import ratelimited

SIGNUP_RATE = "30/h"


def _personal(response):
    """Mark a response as personal, so NoStoreForPersonalPagesMiddleware adds no-store (docs/quality.md P3)."""
    response.personal_data = True
    return response


@require_safe
@public_cache
def event_list(request):
    today = timezone.localdate()
    years = selectors.event_fiscal_years(today=today)
    selected = None
    year_param = request.GET.get("year", "")
    if year_param:
        if not year_param.isdigit() or FiscalYear(int(year_param)) not in years:
            raise Http404
        selected = FiscalYear(int(year_param))
    upcoming = list(selectors.event_list_upcoming(today=today))
    past = selectors.group_by_fiscal_year(selectors.event_list_past(today=today, fiscal_year=selected))
    context = {"upcoming": upcoming, "past": past, "years": years, "selected": selected}
    return render(request, "events/event_list.html", context)


@require_safe
@public_cache
def event_detail(request, pk: int):
    event = selectors.get_event_for_public(pk)
    today = timezone.localdate()
    context = {
        "event": event,
        "signup_open": services.signup_is_open(event, today=today),
        "organizations": selectors.event_organization_links(event),
    }
    if event.signup_enabled:
        context["counts"] = selectors.event_signup_counts(event)
    return render(request, "events/event_detail.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit(key="ip", rate=SIGNUP_RATE, method="POST", block=False)
def event_signup(request, pk: int):
    """Sign-up: form -> confirm page (hidden fields, a way back) -> one service call -> the applicant's page."""
    if getattr(request, "limited", False):
        return ratelimited(request)
    event = selectors.get_event_for_public(pk)
    if not event.signup_enabled:
        raise Http404
    signup_open = services.signup_is_open(event, today=timezone.localdate())
    form = EventSignupForm(request.POST or None, event=event)
    template = "events/event_signup_form.html"
    if request.method == "POST" and signup_open and form.is_valid() and "back" not in request.POST:
        if "confirm" not in request.POST:
            template = "events/event_signup_confirm.html"
        else:
            try:
                signup = services.event_signup_create(
                    event_id=event.pk, site_url=request.build_absolute_uri("/").rstrip("/"), **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Your application has been received."))
                return redirect("events:event_signup_detail", token=signup.token)
    elif request.method == "POST" and "back" in request.POST:
        form = EventSignupForm(initial=request.POST.dict(), event=event)
    return _personal(render(request, template, {"event": event, "form": form, "signup_open": signup_open}))


@require_safe
def event_signup_detail(request, token):
    """The applicant's own page, reached through the secret token in the confirmation mail."""
    signup = selectors.get_signup_by_token(token)
    return _personal(render(request, "events/event_signup_detail.html", {"signup": signup, "event": signup.event}))


@require_POST
def event_signup_cancel(request, token):
    signup = selectors.get_signup_by_token(token)
    try:
        services.event_signup_cancel(actor=None, signup=signup)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Your application has been cancelled."))
    return redirect("events:event_signup_detail", token=token)


@require_safe
@public_cache
def event_feed(request):
    """iCal feed of upcoming public events (text/calendar, RFC 5545)."""
    now = timezone.now()
    events = [
        ical.CalendarEvent(
            uid=f"event-{event.pk}@{request.get_host().split(':')[0]}",
            summary=event.title,
            start_date=event.start_date,
            end_date=event.end_date,
            start_time=event.start_time,
            end_time=event.end_time,
            location=event.venue,
            description=event.description,
            url=request.build_absolute_uri(event.get_absolute_url()),
        )
        for event in selectors.event_list_upcoming(today=timezone.localdate()).filter(start_date__isnull=False)
    ]
    profile = site_profile_get()
    # The name a calendar app shows for the subscription: "イベント" alone says nothing among others.
    name = _("%(platform)s events") % {"platform": profile.short_name or profile.name}
    body = ical.build_calendar(events, name=name, stamp=now)
    response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="events.ics"'
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_checkin(request, pk: int):
    """Staff check people in at the venue; the event's participant counts follow."""
    event = selectors.get_event_for_staff(request.user, pk)
    if request.method == "POST":
        form = CheckInForm(request.POST)
        if form.is_valid():
            signup = selectors.get_signup_for_event(event, form.cleaned_data["signup"])
            try:
                services.event_signup_check_in(
                    actor=request.user, signup=signup, checked_in=form.cleaned_data["checked_in"]
                )
            except ValidationError as exc:
                messages.error(request, exc.messages[0])
            else:
                messages.success(request, _("Check-in saved."))
        return redirect(reverse("events:event_checkin", args=[event.pk]) + f"#signup-{form.data.get('signup', '')}")
    context = {
        "event": event,
        "signups": selectors.event_signup_list(event),
        "counts": selectors.event_signup_counts(event),
    }
    return render(request, "events/event_checkin.html", context)
