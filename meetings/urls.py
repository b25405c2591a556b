"""Public URLs of meetings: /meetings/…"""

from django.urls import path

from meetings.views import meeting as views

app_name = "meetings"
urlpatterns = [path("", views.meeting_list, name="meeting_list")]
