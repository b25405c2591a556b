"""Public URLs of council sessions, municipal programmes and consultation windows."""

from django.urls import path

from meetings.views import records as views

app_name = "records"
urlpatterns = [
    path("councils/", views.council_list, name="council_list"),
    path("councils/<int:pk>/", views.council_detail, name="council_detail"),
    path("municipal-programmes/", views.municipal_programme_list, name="municipal_programme_list"),
    path("consultation-windows/", views.consultation_window_list, name="consultation_window_list"),
    path("consultation-windows/flyer.pdf", views.consultation_window_flyer, name="consultation_window_flyer"),
]
