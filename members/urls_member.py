"""The member pages (/my/): every URL here takes the group from the path and answers 404 for a
group the person does not belong to (tests/members/test_member_privacy.py walks them all)."""

from django.urls import path

from members import member_views
from subsidies import member_views as subsidy_views

app_name = "member"
G = "<int:organization_id>/"
A = G + "subsidies/<int:pk>/"
urlpatterns = [
    path("", member_views.member_home, name="home"),
    path(G, member_views.organization_page, name="organization"),
    path(G + "change/", member_views.change_request_create, name="change_request"),
    path(G + "contacts/invite/", member_views.contact_invite, name="contact_invite"),
    path(G + "materials/<int:material_id>/", member_views.material_download, name="material_download"),
    path(G + "subsidies/new/<int:program_id>/", subsidy_views.application_start, name="application_start"),
    path(A, subsidy_views.application_detail, name="application_detail"),
    path(A + "edit/", subsidy_views.application_edit, name="application_edit"),
    path(A + "attach/", subsidy_views.application_attach, name="application_attach"),
    path(A + "submit/", subsidy_views.application_submit, name="application_submit"),
    path(A + "report/", subsidy_views.application_report, name="application_report"),
    path(A + "decision.pdf", subsidy_views.decision_notice, name="decision_notice"),
    path(A + "settlement.pdf", subsidy_views.settlement_notice, name="settlement_notice"),
    path(A + "attachments/<int:attachment_id>/", subsidy_views.attachment_download, name="attachment_download"),
]
