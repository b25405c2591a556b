"""Public URLs of events: /events/… (events live in the meetings app; the URL namespace is `events`)."""

from django.urls import path

from meetings.views import event as views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("feed.ics", views.event_feed, name="event_feed"),
    path("<int:pk>/", views.event_detail, name="event_detail"),
    path("<int:pk>/signup/", views.event_signup, name="event_signup"),
    path("<int:pk>/checkin/", views.event_checkin, name="event_checkin"),
    path("signups/<uuid:token>/", views.event_signup_detail, name="event_signup_detail"),
    path("signups/<uuid:token>/cancel/", views.event_signup_cancel, name="event_signup_cancel"),
]
