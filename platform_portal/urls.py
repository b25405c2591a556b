"""URL configuration. Every pattern is either public or staff-only; tests/test_url_inventory.py checks."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy
from django.views.i18n import set_language

from platform_portal import views
from platform_portal.accounts import StaffPasswordResetForm

urlpatterns = [
    path("", views.page_home, name="page_home"),
    path("privacy/", views.page_privacy, name="page_privacy"),
    path("accessibility/", views.page_accessibility, name="page_accessibility"),
    path("healthz/", views.healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("members/", include("members.urls")),
    path("meetings/", include("meetings.urls")),
    path("events/", include("meetings.urls_events")),
    path("subsidies/", include("subsidies.urls")),
    path("supporters/", include("supporters.urls")),
    # Staff passwords: "forgotten your password?" on the login page, and the mailed link (platform_portal.accounts).
    path(
        "admin/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=StaffPasswordResetForm),
        name="admin_password_reset",
    ),
    path("admin/password_reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "staff/password/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(success_url=reverse_lazy("staff_password_done")),
        name="staff_password_set",
    ),
    path("staff/password/done/", auth_views.PasswordResetCompleteView.as_view(), name="staff_password_done"),
    path("admin/", admin.site.urls),
]

handler500 = "platform_portal.views.server_error"
