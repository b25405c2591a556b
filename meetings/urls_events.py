"""Public URLs of events: /events/… (events live in the meetings app; the URL namespace is `events`)."""

from django.urls import path

from meetings.views import event as views

app_name = "events"
urlpatterns = [path("", views.event_list, name="event_list")]
