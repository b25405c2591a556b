from django.urls import path

from members import views

app_name = "members"
urlpatterns = [
    path("", views.organization_list, name="organization_list"),
    path("join/", views.organization_list, name="organization_join"),
]
