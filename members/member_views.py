"""The member pages (/my/): a person's groups, the group's page, change requests, contact persons.

Every view takes the group from the URL and finds it only among the person's own memberships
(members.selectors.membership_get_for_user): another group's pages answer 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from members import selectors, services
from members.member_forms import ChangeRequestForm, InviteForm
from members.models import ChangeRequest, Membership

member_required = login_required(login_url="account_login")


@member_required
@require_safe
def member_home(request):
    """マイページ: the groups the person acts for; with one group, straight to its page."""
    memberships = list(selectors.membership_list_for_user(user=request.user))
    if len(memberships) == 1:
        return redirect("member:organization", memberships[0].organization_id)
    return render(request, "member/home.html", {"memberships": memberships})


@member_required
@require_safe
def organization_page(request, organization_id: int):
    """The group's own page: to-do list, registry entry, contact persons, applications, sign-ups."""
    from meetings.selectors.member import member_materials, signups_for_emails
    from subsidies import member_selectors

    membership = selectors.membership_get_for_user(user=request.user, organization_id=organization_id)
    organization = membership.organization
    today = timezone.localdate()
    memberships = list(organization.memberships.select_related("user").order_by("role", "pk"))
    applications = list(member_selectors.application_list_for_organization(organization=organization))
    programs = member_selectors.program_list_open(organization=organization, today=today)
    change_requests = list(organization.change_requests.all()[:5])
    emails = [m.user.email for m in memberships]
    context = {
        "membership": membership,
        "organization": organization,
        "memberships": memberships,
        "contacts": list(organization.contacts.all()),
        "applications": applications,
        "programs": programs,
        "change_requests": change_requests,
        "signups": signups_for_emails(emails=emails),
        "materials": member_materials(),
        "todos": member_selectors.todo_list(
            organization=organization,
            applications=applications,
            programs=programs,
            change_requests=change_requests,
            today=today,
        ),
        "all_memberships": list(selectors.membership_list_for_user(user=request.user)),
    }
    return render(request, "member/organization.html", context)


@member_required
@require_http_methods(["GET", "POST"])
def change_request_create(request, organization_id: int):
    """Ask for a change of the registry entry; the public registry changes only when staff approve."""
    membership = selectors.membership_get_for_user(user=request.user, organization_id=organization_id)
    organization = membership.organization
    pending = organization.change_requests.filter(status=ChangeRequest.Status.PENDING).exists()
    form = ChangeRequestForm(request.POST or None, instance=_copy(organization))
    if request.method == "POST" and not pending and form.is_valid():
        try:
            services.change_request_submit(
                actor=request.user,
                organization=organization,
                values={name: form.cleaned_data[name] for name in ChangeRequest.FIELDS},
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Your request was sent to the secretariat. The registry changes when it is approved.")
            )
            return redirect("member:organization", organization.pk)
    return render(
        request, "member/change_request.html", {"organization": organization, "form": form, "pending": pending}
    )


def _copy(organization):
    """A detached copy, so that the form never touches the registry's own record."""
    from members.models import Organization

    return Organization.objects.get(pk=organization.pk)


@member_required
@require_http_methods(["GET", "POST"])
def contact_invite(request, organization_id: int):
    """The group's main contact invites another contact person (an account by e-mail)."""
    membership = selectors.membership_get_for_user(user=request.user, organization_id=organization_id)
    if membership.role != Membership.Role.MAIN:
        raise PermissionDenied
    organization = membership.organization
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_invite(
                actor=request.user,
                organization=organization,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The invitation was sent."))
            return redirect("member:organization", organization.pk)
    return render(request, "member/contact_invite.html", {"organization": organization, "form": form})


@member_required
@require_safe
def material_download(request, organization_id: int, material_id: int):
    """A meeting material marked for members only, for a person acting for one of their groups."""
    from django.http import FileResponse, Http404

    from meetings.selectors.member import member_material_get

    selectors.membership_get_for_user(user=request.user, organization_id=organization_id)
    material = member_material_get(pk=material_id)
    try:
        handle = material.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=material.download_name, content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
