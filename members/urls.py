from django.urls import path

from members import views

app_name = "members"
urlpatterns = [
    path("", views.organization_list, name="organization_list"),
    path("<int:pk>/", views.organization_detail, name="organization_detail"),
    path("export.<str:fmt>", views.organization_export, name="organization_export"),
    path("list.pdf", views.organization_pdf, name="organization_pdf"),
    path("join/", views.organization_join, name="organization_join"),
    path("join/confirm/", views.organization_join_confirm, name="organization_join_confirm"),
    path("join/done/", views.organization_join_done, name="organization_join_done"),
    path("staff/change-requests/<int:pk>/", views.change_request_decide, name="change_request_decide"),
]
