"""Build the list of the portal's URLs from the code: the resolver, walked recursively.

Used by the URL inventory (docs/quality.md AC1), the CSRF check (AC5) and "GET never writes". Each
pattern gets a sample path: converters and regex groups are filled with values that match
them, and the path is resolved back to the same view to prove the sample is right.
"""

import re
import uuid
from dataclasses import dataclass

from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

# Pages anyone may open (docs/quality.md AC1). Everything else must refuse anonymous users; the
# browser run (D3, A1) opens each of these that takes no arguments.
PUBLIC_URL_NAMES = {
    "page_home",
    "page_privacy",
    "page_accessibility",
    "healthz",
    "set_language",
    "news_list",
    "news_detail",
    "news_feed",
    "statistics",
    "opendata_catalogue",
    "opendata_download",
    "admin:login",
    "admin_password_reset",
    "password_reset_done",
    "staff_password_set",
    "staff_password_done",
    "members:organization_list",
    "members:organization_detail",
    "members:organization_export",
    "members:organization_pdf",
    "members:organization_join",
    "members:organization_join_confirm",
    "members:organization_join_done",
    "meetings:meeting_list",
    "meetings:meeting_detail",
    "meetings:meeting_agenda_pdf",
    "meetings:meeting_packet_pdf",
    "meetings:material_download",
    "meetings:working_group_list",
    "meetings:working_group_detail",
    "events:event_list",
    "events:event_feed",
    "events:event_detail",
    "events:event_signup",
    "events:event_signup_detail",
    "events:event_signup_cancel",
    "subsidies:program_list",
    "subsidies:program_simulate",
    "supporters:supporter_overview",
    "records:council_list",
    "records:council_detail",
    "records:municipal_programme_list",
    "records:consultation_window_list",
    "records:consultation_window_flyer",
    # Account pages (django-allauth): log-in, log-in by code, password reset, e-mail confirmation.
    # Sign-up is closed (accounts come by invitation) and shows the closed page.
    "account_login",
    "account_logout",
    "account_inactive",
    "account_signup",
    "account_email_verification_sent",
    "account_confirm_email",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_request_login_code",
}

# Later steps of a public form: without the step before they redirect back or refuse GET.
FORM_STEP_URL_NAMES = {
    "members:organization_join_confirm",
    "members:organization_join_done",
    "events:event_signup_cancel",
    "account_logout",
}

CONVERTER_SAMPLES = {
    "int": "1",
    "str": "x",
    "slug": "x",
    "path": "1",
    "uuid": str(uuid.UUID(int=1)),
}
REGEX_CANDIDATES = ["1", "x", "x-1", "2026", str(uuid.UUID(int=1))]
ROUTE_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class UrlEntry:
    name: str | None
    route: str
    path: str
    callback: object

    @property
    def label(self) -> str:
        return self.name or f"(unnamed) {self.route}"


def _regex_group_body(regex: str, start: int) -> int:
    """Index just after the group that starts at regex[start] == '('."""
    depth = 0
    i = start
    while i < len(regex):
        char = regex[i]
        if char == "\\":
            i += 2
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError(f"unbalanced regex {regex!r}")


def _sample_regex(regex: str) -> str:
    candidates = REGEX_CANDIDATES + [config.label for config in _admin_app_configs()]
    out = []
    i = 0
    while i < len(regex):
        if regex.startswith("(?P<", i):
            end = _regex_group_body(regex, i)
            body = regex[regex.index(">", i) + 1 : end - 1]
            value = next((c for c in candidates if re.fullmatch(body, c)), None)
            if value is None:
                raise ValueError(f"no sample value for {body!r} in {regex!r}")
            out.append(value)
            i = end
            continue
        char = regex[i]
        if char in "^$":
            i += 1
            continue
        if char == "\\" and i + 1 < len(regex):
            out.append(regex[i + 1])
            i += 2
            continue
        out.append(char)
        i += 1
    return "".join(out)


def _sample_route(route: str) -> str:
    def replace(match):
        return CONVERTER_SAMPLES.get(match.group("converter") or "str", "1")

    return ROUTE_PARAM.sub(replace, route)


def _sample(pattern) -> str:
    if pattern.__class__.__name__ == "RegexPattern":
        return _sample_regex(pattern._regex)
    return _sample_route(str(pattern))


def _admin_app_configs():
    from django.apps import apps

    labels = {model._meta.app_label for model in admin.site._registry}
    return [apps.get_app_config(label) for label in sorted(labels)]


def walk_urls(resolver=None, prefix: str = "", sample: str = "/", namespace: str = "") -> list[UrlEntry]:
    """Every URL pattern of the project with a sample path that resolves to it."""
    resolver = resolver or get_resolver()
    entries = []
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        path = sample + _sample(pattern.pattern)
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            entries.extend(walk_urls(pattern, route, path, ns))
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            entries.append(UrlEntry(name=name, route=route, path=path, callback=pattern.callback))
    return entries


def check_samples(entries: list[UrlEntry]) -> list[str]:
    """Entries whose sample path does not resolve back to their own view (the walk would be wrong)."""
    problems = []
    for entry in entries:
        try:
            match = resolve(entry.path)
        except Resolver404:
            problems.append(f"{entry.label}: sample {entry.path} does not resolve")
            continue
        if match.func is not entry.callback:
            problems.append(f"{entry.label}: sample {entry.path} resolves to {match.view_name or match.func}")
    return problems
