"""The staff back office: Django's admin with the platform's identity and a 'needs attention' panel.

Apps contribute attention items by registering a callable with `register_attention`; each
returns a list of `AttentionItem`s for the user (e.g. members awaiting approval).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import admin
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class AttentionItem:
    label: str
    count: int
    url: str


ATTENTION_PROVIDERS: list[Callable] = []


def register_attention(provider: Callable) -> Callable:
    """Decorator: `provider(request) -> list[AttentionItem]` shown on the admin index."""
    ATTENTION_PROVIDERS.append(provider)
    return provider


class PortalAdminSite(admin.AdminSite):
    site_title = _("Secretariat back office")
    index_title = _("Secretariat back office")
    index_template = "admin/portal_index.html"
    login_template = "admin/portal_login.html"

    @property
    def login_form(self):
        from platform_portal.forms import StaffLoginForm

        return StaffLoginForm

    def each_context(self, request):
        from platform_portal.selectors import site_profile_get

        context = super().each_context(request)
        profile = site_profile_get()
        context["site_header"] = _("%(name)s back office") % {"name": profile.short_name or profile.name}
        return context

    # The admin home lists the daily work in its order; apps not named here come last.
    APP_ORDER = ["members", "meetings", "subsidies", "supporters", "platform_portal", "auth"]

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        rank = {label: index for index, label in enumerate(self.APP_ORDER)}
        return sorted(apps, key=lambda app: rank.get(app["app_label"], len(rank)))

    def index(self, request, extra_context=None):
        items = []
        for provider in ATTENTION_PROVIDERS:
            items.extend(item for item in provider(request) if item is not None)
        extra_context = {**(extra_context or {}), "attention_items": items}
        return super().index(request, extra_context)
