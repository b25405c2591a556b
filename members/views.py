"""Public pages of the member registry and the self-registration (入会申込) flow."""

import hashlib
import secrets

import tablib
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from members import services
from members.forms import OrganizationJoinForm, RegistryFilterForm
from members.models import ActivityField, GeneralType, Municipality
from members.pdf import render_registry_pdf
from members.selectors import organization_by_token, organization_get_public, registry_cache_key, registry_get
from platform_portal.importexport import JapaneseCSV, SafeXLSX, neutralize_formula
from platform_portal.pagecache import public_cache
from platform_portal.pdfstore import pdf_stored_response
from platform_portal.ratelimit import rate_limit
from platform_portal.selectors import site_profile_values

JOIN_SESSION_KEY = "members_join"
DONE_SESSION_KEY = "members_join_done"


def _registry(request):
    form = RegistryFilterForm(request.GET or None)
    return form, registry_get(**form.filters()) if request.GET else registry_get()


@require_safe
@public_cache
def organization_list(request):
    """The registry. Without filters the rendered registry is cached until a record changes."""
    if request.GET:
        form, registry = _registry(request)
        cache_key = None
    else:
        form = RegistryFilterForm()
        registry = SimpleLazyObject(registry_get)  # queried only when the cache misses
        cache_key = f"{registry_cache_key()}:{get_language()}"
    context = {"form": form, "registry": registry, "cache_key": cache_key}
    return render(request, "members/organization_list.html", context)


@require_safe
@public_cache
def organization_detail(request, pk: int):
    organization = organization_get_public(pk=pk)
    return render(request, "members/organization_detail.html", {"organization": organization})


EXPORT_HEADERS = [
    "区分",
    "団体種別・区分",
    "団体名",
    "よみがな",
    "法人格",
    "市町村",
    "ウェブサイト",
    "活動分野",
    "活動内容",
]


def _export_dataset(registry) -> tablib.Dataset:
    """Only public fields of approved, publication-consenting organisations (AC3)."""
    dataset = tablib.Dataset(headers=EXPORT_HEADERS)
    for tier_label, groups in ((_("General member"), registry.general), (_("Steering member"), registry.steering)):
        for group in groups:
            for org in group.organizations:
                row = [
                    tier_label,
                    group.label,
                    org.name,
                    org.name_kana,
                    org.legal_form,
                    org.municipality.name if org.municipality else "",
                    org.website,
                    "、".join(f.name for f in org.activity_fields.all()),
                    org.description,
                ]
                dataset.append([neutralize_formula(value) for value in row])
    return dataset


@require_safe
@public_cache
@rate_limit("MEMBERS_EXPORT_RATE", methods=None)
def organization_export(request, fmt: str):
    _form, registry = _registry(request)
    organizations = [org for group in registry.general + registry.steering for org in group.organizations]
    prefetch_related_objects(organizations, "activity_fields")
    dataset = _export_dataset(registry)
    if fmt == "csv":
        content, content_type = JapaneseCSV().export_data(dataset), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        content = SafeXLSX().export_data(dataset)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="members.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
@rate_limit("MEMBERS_PDF_RATE", methods=None)
def organization_pdf(request):
    query = request.GET.urlencode()
    return pdf_stored_response(
        request,
        kind="members-registry",
        ident=hashlib.sha256(query.encode()).hexdigest()[:16] if query else "all",
        render=lambda: render_registry_pdf(_registry(request)[1]),  # read inside: part of the fingerprint
        filename="会員団体一覧.pdf",
        extra=site_profile_values(),
    )


def _confirm_context(data: dict) -> dict:
    return {
        "data": data,
        "general_type": GeneralType.objects.filter(pk=data["general_type"]).first(),
        "municipality": Municipality.objects.filter(pk=data["municipality"]).first(),
        "activity_fields": list(ActivityField.objects.filter(pk__in=data["activity_fields"])),
    }


@require_http_methods(["GET", "HEAD", "POST"])
@public_cache
@rate_limit("MEMBERS_JOIN_RATE", group="members.join")
def organization_join(request):
    """Step 1: the form. POST validates and shows the confirm step (WCAG 3.3.4)."""
    stored = request.session.get(JOIN_SESSION_KEY)
    if request.method == "POST":
        form = OrganizationJoinForm(request.POST)
        if form.is_valid():
            token = stored["token"] if stored and stored.get("token") else secrets.token_urlsafe(24)
            request.session[JOIN_SESSION_KEY] = {"token": token, "data": form.to_session()}
            return render(
                request,
                "members/organization_join_confirm.html",
                {**_confirm_context(form.to_session()), "token": token},
            )
    else:
        initial = stored["data"] if stored and request.GET.get("edit") else None
        form = OrganizationJoinForm(initial=initial)
    response = render(request, "members/organization_join.html", {"form": form})
    response.personal_data = True  # Cache-Control: no-store (docs/quality.md P3)
    return response


@require_http_methods(["POST"])
@rate_limit("MEMBERS_JOIN_RATE", group="members.join_confirm")
def organization_join_confirm(request):
    """Step 2: submit the confirmed application once, or go back to correct it."""
    token = request.POST.get("token", "")
    done = request.session.get(DONE_SESSION_KEY) or {}
    if token and token in done:
        # Back + resend, or a double click: the application exists; show the same done page.
        return redirect("members:organization_join_done")
    stored = request.session.get(JOIN_SESSION_KEY)
    if not stored or not token or not secrets.compare_digest(stored["token"], token):
        existing = organization_by_token(token=token) if token else None
        if existing is None:
            messages.error(request, _("Your session has expired. Please fill in the form again."))
            return redirect("members:organization_join")
        request.session[DONE_SESSION_KEY] = {token: existing.receipt_number}
        return redirect("members:organization_join_done")
    if "back" in request.POST:
        return redirect(reverse("members:organization_join") + "?edit=1")
    form = OrganizationJoinForm(
        data={**stored["data"], "publish_consent": "on" if stored["data"]["publish_consent"] else ""}
    )
    if not form.is_valid():
        return render(request, "members/organization_join.html", {"form": form})
    data = form.cleaned_data
    try:
        organization = services.organization_register(
            submission_token=token,
            general_type=data["general_type"],
            name=data["name"],
            name_kana=data["name_kana"],
            municipality=data["municipality"],
            address=data["address"],
            website=data["website"],
            description=data["description"],
            activity_fields=data["activity_fields"],
            publish_consent=data["publish_consent"],
            contact_name=data["contact_name"],
            contact_role=data["contact_role"],
            contact_email=data["contact_email"],
            contact_phone=data["contact_phone"],
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return render(request, "members/organization_join.html", {"form": form})
    request.session.pop(JOIN_SESSION_KEY, None)
    request.session[DONE_SESSION_KEY] = {token: organization.receipt_number}
    return redirect("members:organization_join_done")


@require_safe
def organization_join_done(request):
    """Step 3: the receipt number."""
    done = request.session.get(DONE_SESSION_KEY)
    if not done:
        return redirect("members:organization_join")
    response = render(request, "members/organization_join_done.html", {"receipt_number": next(iter(done.values()))})
    response.personal_data = True
    return response


# ------------------------------------------------------------------ staff: registry change requests


def _change_rows(change_request) -> list[tuple[str, str, str]]:
    """(field label, before, after) of a change request, for the staff's comparison."""
    from members.models import Organization

    rows = []
    for name, (old, new) in change_request.changes.items():
        field = Organization._meta.get_field(name)
        if name == "municipality":
            names = dict(Municipality.objects.filter(pk__in=[v for v in (old, new) if v]).values_list("pk", "name"))
            old, new = names.get(old, ""), names.get(new, "")
        elif isinstance(old, bool) or isinstance(new, bool):
            old, new = (_("Yes") if old else _("No")), (_("Yes") if new else _("No"))
        rows.append((str(field.verbose_name), old or "", new or ""))
    return rows


@staff_member_required
@require_http_methods(["GET", "POST"])
def change_request_decide(request, pk: int):
    """Compare a group's requested registry change with the entry (a diff), then approve or refuse."""
    from django.contrib import admin

    from members.forms import ReasonForm
    from members.models import ChangeRequest

    if not request.user.has_perm("members.view_changerequest"):
        raise Http404
    try:
        change_request = ChangeRequest.objects.select_related("organization", "requested_by").get(pk=pk)
    except ChangeRequest.DoesNotExist:
        raise Http404 from None
    form = ReasonForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("members.change_organization"):
            raise PermissionDenied
        if form.is_valid():
            try:
                if request.POST.get("decision") == "approve":
                    services.change_request_approve(actor=request.user, change_request=change_request)
                else:
                    services.change_request_refuse(
                        actor=request.user, change_request=change_request, reason=form.cleaned_data["reason"]
                    )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The change request was decided."))
                return redirect("admin:members_changerequest_changelist")
    context = {
        **admin.site.each_context(request),
        "title": _("Registry change request"),
        "change_request": change_request,
        "rows": _change_rows(change_request),
        "form": form,
    }
    return render(request, "admin/members/change_request_decide.html", context)
