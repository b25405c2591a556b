from django.urls import path

from subsidies import views

app_name = "subsidies"
urlpatterns = [
    path("", views.program_list, name="program_list"),
    path("simulator/", views.program_simulate, name="program_simulate"),
    path("staff/applications/<int:pk>/<slug:verb>/", views.application_transition, name="application_transition"),
    path("staff/decisions/<int:pk>/notice.pdf", views.decision_notice, name="decision_notice"),
    path("staff/settlements/<int:pk>/notice.pdf", views.settlement_notice, name="settlement_notice"),
    path("staff/attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("staff/budget/", views.program_budget, name="program_budget"),
    path("staff/export.csv", views.application_export, name="application_export"),
]
