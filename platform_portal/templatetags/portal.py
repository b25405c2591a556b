"""Thin template filters over platform_portal.lib (loaded as a builtin in every template)."""

import datetime

from django import template
from django.utils import timezone

from platform_portal.lib.fiscal import fiscal_year_of
from platform_portal.lib.money import format_man_yen, format_yen
from platform_portal.lib.wareki import format_wareki, format_wareki_short

register = template.Library()

# Site chrome that depends only on the language (and, for the navigation, on which of its own
# links is the current page): rendered once per process and key instead of on every request.
_CHROME: dict[tuple, str] = {}


def _chrome(key: tuple, template_name: str, context: dict) -> str:
    html = _CHROME.get(key)
    if html is None:
        from django.template.loader import render_to_string

        html = _CHROME[key] = render_to_string(template_name, context)
    return html


@register.simple_tag(takes_context=True)
def site_navigation(context) -> str:
    """The main navigation (templates/includes/_site_navigation.html), aria-current on the current page."""
    import re

    from django.utils.safestring import mark_safe
    from django.utils.translation import get_language

    language = get_language()
    request = context.get("request")
    path = request.path if request is not None else ""
    plain = _chrome(("nav", language, ""), "includes/_site_navigation.html", {"current": ""})
    links = _CHROME.get(("nav-links", language))
    if links is None:  # the navigation's own links, read from its template
        links = _CHROME[("nav-links", language)] = frozenset(re.findall(r'href="([^"]+)"', plain))
    if path not in links:
        return mark_safe(plain)  # noqa: S308
    return mark_safe(_chrome(("nav", language, path), "includes/_site_navigation.html", {"current": path}))  # noqa: S308


@register.simple_tag
def language_options() -> str:
    """The language switcher's options (templates/includes/_language_options.html)."""
    from django.utils.safestring import mark_safe
    from django.utils.translation import get_language

    language = get_language()
    return mark_safe(_chrome(("languages", language), "includes/_language_options.html", {"LANGUAGE_CODE": language}))  # noqa: S308


def _as_local_date(value) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


@register.filter
def yen(amount: int) -> str:
    """200,000円; raises on anything but int."""
    return format_yen(amount)


@register.filter
def man_yen(amount: int) -> str:
    """20万円 for round amounts."""
    return format_man_yen(amount)


@register.filter
def wareki(value) -> str:
    """令和8年1月27日."""
    d = _as_local_date(value)
    return format_wareki(d) if d else ""


@register.filter
def wareki_weekday(value) -> str:
    """令和8年1月27日（火）."""
    d = _as_local_date(value)
    return format_wareki(d, weekday=True) if d else ""


@register.filter
def wareki_short(value) -> str:
    """R8.1.27."""
    d = _as_local_date(value)
    return format_wareki_short(d) if d else ""


@register.filter
def fiscal_year(value) -> str:
    """令和7年度 for a date."""
    d = _as_local_date(value)
    return fiscal_year_of(d).label if d else ""


@register.filter
def plain_markup(text: str):
    """Staff-edited page text with headings and lists, every character escaped."""
    from platform_portal.lib.markup import render_plain_markup

    return render_plain_markup(text)


@register.filter
def phrases(value) -> list[str]:
    """A long Japanese name in parts that may wrap between them, not inside a word (lib.text.phrases)."""
    from platform_portal.lib.text import phrases as split_phrases

    return split_phrases(str(value or ""))


@register.filter
def chart_svg(chart):
    """The chart drawn as inline SVG (platform_portal.charts.render_chart_svg)."""
    from platform_portal.charts import render_chart_svg

    return render_chart_svg(chart)
