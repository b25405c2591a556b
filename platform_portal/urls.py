"""URL configuration. Every pattern is either public or staff-only; tests/test_url_inventory.py checks."""

from django.contrib import admin
from django.urls import include, path, reverse_lazy
from django.views.i18n import set_language

from platform_portal import accounts, dashboard_views, views

urlpatterns = [
    path("", views.page_home, name="page_home"),
    path("privacy/", views.page_privacy, name="page_privacy"),
    path("accessibility/", views.page_accessibility, name="page_accessibility"),
    path("healthz/", views.healthz, name="healthz"),
    path("news/", views.news_list, name="news_list"),
    path("news/feed.atom", views.news_feed, name="news_feed"),
    path("news/<int:pk>/", views.news_detail, name="news_detail"),
    path("statistics/", views.statistics, name="statistics"),
    path("opendata/", views.opendata_catalogue, name="opendata_catalogue"),
    path("opendata/<slug:slug>.<str:fmt>", views.opendata_download, name="opendata_download"),
    path("staff/dashboard/", dashboard_views.staff_dashboard, name="staff_dashboard"),
    path("staff/dashboard/statistics.pdf", dashboard_views.staff_dashboard_pdf, name="staff_dashboard_pdf"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("members/", include("members.urls")),
    path("meetings/", include("meetings.urls")),
    path("events/", include("meetings.urls_events")),
    path("", include("meetings.urls_records")),
    path("subsidies/", include("subsidies.urls")),
    path("supporters/", include("supporters.urls")),
    path("accounts/", include("allauth.urls")),
    path("my/", include("members.urls_member")),
    # Staff passwords: "forgotten your password?" on the login page, and the mailed link (platform_portal.accounts).
    path(
        "admin/password_reset/",
        accounts.StaffPasswordResetView.as_view(),
        name="admin_password_reset",
    ),
    path("admin/password_reset/done/", accounts.StaffPasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "staff/password/<uidb64>/<token>/",
        accounts.StaffPasswordSetView.as_view(success_url=reverse_lazy("staff_password_done")),
        name="staff_password_set",
    ),
    path("staff/password/done/", accounts.StaffPasswordDoneView.as_view(), name="staff_password_done"),
    path("admin/", admin.site.urls),
]

handler500 = "platform_portal.views.server_error"
