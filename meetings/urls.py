"""Public URLs of meetings: /meetings/…"""

from django.urls import path

from meetings.views import meeting as views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/agenda.pdf", views.meeting_agenda_pdf, name="meeting_agenda_pdf"),
    path("<int:pk>/packet.pdf", views.meeting_packet_pdf, name="meeting_packet_pdf"),
    path("materials/<int:pk>/", views.material_download, name="material_download"),
    path("working-groups/", views.working_group_list, name="working_group_list"),
    path("working-groups/<slug:slug>/", views.working_group_detail, name="working_group_detail"),
]
