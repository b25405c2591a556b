from django.urls import path

from supporters import views

app_name = "supporters"
urlpatterns = [path("", views.supporter_overview, name="supporter_overview")]
