from django.urls import path

from supporters import views

app_name = "supporters"
urlpatterns = [
    path("", views.supporter_overview, name="supporter_overview"),
    path("staff/roster/", views.supporter_roster, name="supporter_roster"),
    path("staff/appoint/", views.supporter_appoint, name="supporter_appoint"),
    path("staff/totals/", views.supporter_totals, name="supporter_totals"),
    path("staff/share/", views.supporter_share, name="supporter_share"),
]
