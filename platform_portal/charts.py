"""Charts as SVG drawn on the server: one plain function, data in, SVG string out.

`render_chart_svg(chart)` is used by web pages (through templates/includes/_chart.html, which
puts the data table beside the chart) and by WeasyPrint PDFs alike, so the same SVG appears
in both. Why not pygal: see docs/statistics.md ("Why the charts are not drawn by pygal"). In
short, pygal colours its bars only through an id-scoped `<style>` element and adds an inline
`<script>`; the portal's CSP (`style-src 'self'; script-src 'self'`) blocks both inside a page,
so the chart would lose its colours. This module uses presentation attributes only (`fill`,
`stroke`, `font-family`), which the CSP does not govern and WeasyPrint draws as they are.

Accessibility: the `<svg>` has role="img" and is labelled by its own `<title>` and `<desc>`;
every value is also in the table next to it. Each mark carries `data-series`, `data-category`
and `data-value`, so tests can read the numbers back and compare them with the selectors.
"""

from dataclasses import dataclass, field

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from platform_portal.lib.money import format_yen

FONT_FAMILY = "'Noto Sans CJK JP', 'Noto Sans JP', sans-serif"
# Colour-blind-safe palette (Okabe-Ito, darkened where needed for 3:1 against white, WCAG 1.4.11).
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8C6D00", "#56B4E9", "#7F7F7F", "#E69F00", "#000000"]
WIDTH = 640
BAR_HEIGHT = 320


class Kind:
    BAR = "bar"  # series side by side
    STACKED = "stacked"  # series stacked in one bar per category
    HBAR = "hbar"  # horizontal bars, one per category (long labels such as municipalities)


class Unit:
    COUNT = "count"
    YEN = "yen"


@dataclass(frozen=True)
class Series:
    label: str
    values: list[int | None]  # None: not shown (e.g. a suppressed small count)


@dataclass(frozen=True)
class ChartTable:
    corner: str
    headings: list[str]
    rows: list[tuple[str, list[str]]]


@dataclass
class Chart:
    """What a chart shows. `chart_id` must be unique on the page (it names the title and desc)."""

    chart_id: str
    title: str
    categories: list[str]
    series: list[Series]
    kind: str = Kind.BAR
    unit: str = Unit.COUNT
    description: str = ""
    category_heading: str = ""
    series_heading: str = ""
    note: str = ""
    hidden_label: str = field(default_factory=lambda: _("fewer than 5"))
    # Figures the demo data invents (joining dates, subsidy amounts, supporter counts): marked 見本
    # wherever the chart is shown while the site runs on demo data.
    invented_in_demo: bool = False

    def format_value(self, value: int | None) -> str:
        if value is None:
            return self.hidden_label
        return format_yen(value) if self.unit == Unit.YEN else f"{value:,}"

    @property
    def table_rows(self) -> list[tuple[str, list[str]]]:
        """The data table: one row per category, one cell per series (already formatted)."""
        return [
            (category, [self.format_value(series.values[index]) for series in self.series])
            for index, category in enumerate(self.categories)
        ]

    @property
    def table(self) -> "ChartTable":
        """The table beside the chart: categories down and series across, or the other way round
        when there are many series and few categories (so that a PDF page can hold it)."""
        if len(self.series) > 4 and len(self.series) > len(self.categories):
            return ChartTable(
                corner=self.series_heading,
                headings=list(self.categories),
                rows=[(series.label, [self.format_value(value) for value in series.values]) for series in self.series],
            )
        return ChartTable(
            corner=self.category_heading, headings=[series.label for series in self.series], rows=self.table_rows
        )

    @property
    def summary(self) -> str:
        """The text alternative: what is plotted against what, and where the values are."""
        if self.description:
            return self.description
        series = "、".join(s.label for s in self.series)
        if not self.categories:
            return _("%(series)s: no data yet.") % {"series": series}
        return _("%(series)s for %(first)s to %(last)s. The values are in the table next to the chart.") % {
            "series": series,
            "first": self.categories[0],
            "last": self.categories[-1],
        }


def _f(number: float) -> str:
    """A coordinate with one decimal (format_html escapes its arguments, so numbers are formatted first)."""
    return f"{number:.1f}"


def _nice_step(maximum: int, ticks: int = 5) -> int:
    """A round tick step (1, 2, 5 × 10^n) so that about `ticks` steps cover the maximum."""
    if maximum <= 0:
        return 1
    raw = maximum / ticks
    magnitude = 1
    while magnitude * 10 <= raw:
        magnitude *= 10
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= raw:
            return max(1, factor * magnitude)
    return 10 * magnitude


def _axis_label(value: int, unit: str) -> str:
    if unit == Unit.YEN:
        if value and value % 10_000 == 0:
            return f"{value // 10_000:,}万円"
        return f"{value:,}円"
    return f"{value:,}"


LEGEND_LINE = 18


def _legend(chart: Chart) -> tuple[SafeString, int]:
    """The legend across the top, wrapped onto more lines when the labels do not fit; returns its height."""
    items = []
    x, y = 12, 18
    for index, series in enumerate(chart.series):
        width = 16 + 12 * len(series.label) + 20
        if x > 12 and x + width > WIDTH:
            x, y = 12, y + LEGEND_LINE
        items.append(
            format_html(
                '<rect x="{}" y="{}" width="12" height="12" fill="{}"/><text x="{}" y="{}" font-size="12">{}</text>',
                x,
                y - 10,
                PALETTE[index % len(PALETTE)],
                x + 16,
                y,
                series.label,
            )
        )
        x += width
    return mark_safe("".join(items)), y  # noqa: S308 - every part was built by format_html (escaped)


def _vertical(chart: Chart) -> tuple[SafeString, int]:
    legend, legend_bottom = _legend(chart)
    left, right, top, bottom = 84, 12, legend_bottom + 18, 56
    n = max(1, len(chart.categories))
    plot_w = WIDTH - left - right
    label_size = 11 if n <= 8 else 9
    # Long category labels (programme names) are slanted instead of overlapping; the chart grows
    # downwards to make room. Japanese characters are about one em wide.
    longest = max((len(category) for category in chart.categories), default=0) * label_size
    slanted = longest > plot_w / n * 0.95
    if slanted:
        bottom = min(180, int(longest * 0.6) + 24)
    plot_h = BAR_HEIGHT - 36 - 56
    height = top + plot_h + bottom
    stacked = chart.kind == Kind.STACKED
    if stacked:
        maximum = max(
            (sum(s.values[i] or 0 for s in chart.series) for i in range(len(chart.categories))),
            default=0,
        )
    else:
        maximum = max((v or 0 for s in chart.series for v in s.values), default=0)
    step = _nice_step(maximum)
    top_value = step * max(1, -(-maximum // step))
    parts = [legend]
    # Grid and y axis labels.
    value = 0
    while value <= top_value:
        y = _f(top + plot_h - plot_h * value / top_value)
        y_text = _f(top + plot_h - plot_h * value / top_value + 4)
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#cccccc" stroke-width="1"/>'
                '<text x="{}" y="{}" font-size="11" text-anchor="end">{}</text>',
                left,
                y,
                left + plot_w,
                y,
                left - 6,
                y_text,
                _axis_label(value, chart.unit),
            )
        )
        value += step
    slot = plot_w / n
    groups = 1 if stacked else max(1, len(chart.series))
    bar_w = min(48.0, slot * 0.8 / groups)
    for i, category in enumerate(chart.categories):
        x0 = left + slot * i + (slot - bar_w * groups) / 2
        base = 0
        for s_index, series in enumerate(chart.series):
            v = series.values[i]
            if v is None:
                continue
            h = plot_h * v / top_value
            x = x0 if stacked else x0 + bar_w * s_index
            y = top + plot_h - plot_h * (base + v) / top_value if stacked else top + plot_h - h
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" '
                    'data-series="{}" data-category="{}" data-value="{}"><title>{} {}: {}</title></rect>',
                    _f(x),
                    _f(y),
                    _f(bar_w),
                    _f(h),
                    PALETTE[s_index % len(PALETTE)],
                    series.label,
                    category,
                    v,
                    category,
                    series.label,
                    chart.format_value(v),
                )
            )
            if stacked:
                base += v
        cx = left + slot * i + slot / 2
        if slanted:
            ly = top + plot_h + 12
            parts.append(
                format_html(
                    '<text x="{}" y="{}" font-size="{}" text-anchor="end" transform="rotate(-35 {} {})">{}</text>',
                    _f(cx),
                    ly,
                    label_size,
                    _f(cx),
                    ly,
                    category,
                )
            )
        else:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" font-size="{}" text-anchor="middle">{}</text>',
                    _f(cx),
                    top + plot_h + 16,
                    label_size,
                    category,
                )
            )
    parts.append(
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#333333" stroke-width="1"/>',
            left,
            top + plot_h,
            left + plot_w,
            top + plot_h,
        )
    )
    return mark_safe("".join(parts)), height  # noqa: S308 - parts come from format_html


def _horizontal(chart: Chart) -> tuple[SafeString, int]:
    legend, legend_bottom = _legend(chart)
    left, right, top, row = 120, 80, legend_bottom + 12, 22
    height = top + row * max(1, len(chart.categories)) + 12
    plot_w = WIDTH - left - right
    series = chart.series[0] if chart.series else Series("", [])
    maximum = max((v or 0 for v in series.values), default=0)
    top_value = max(1, maximum)
    parts = [legend]
    for i, category in enumerate(chart.categories):
        y = top + row * i
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="12" text-anchor="end">{}</text>', left - 6, y + row - 8, category
            )
        )
        v = series.values[i] if i < len(series.values) else None
        if v is None:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" font-size="11" fill="#333333">{}</text>',
                    left + 4,
                    y + row - 8,
                    chart.hidden_label,
                )
            )
            continue
        w = plot_w * v / top_value
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" data-series="{}" data-category="{}" '
                'data-value="{}"><title>{}: {}</title></rect>'
                '<text x="{}" y="{}" font-size="11">{}</text>',
                left,
                y + 3,
                _f(w),
                row - 6,
                PALETTE[0],
                series.label,
                category,
                v,
                category,
                chart.format_value(v),
                _f(left + w + 4),
                y + row - 8,
                chart.format_value(v),
            )
        )
    return mark_safe("".join(parts)), height  # noqa: S308 - parts come from format_html


def render_chart_svg(chart: Chart) -> SafeString:
    """The chart as an inline SVG element (escaped text, no script, no style element, no remote font)."""
    body, height = _horizontal(chart) if chart.kind == Kind.HBAR else _vertical(chart)
    title_id, desc_id = f"{chart.chart_id}-title", f"{chart.chart_id}-desc"
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" id="{}" role="img" aria-labelledby="{} {}" '
        'viewBox="0 0 {} {}" width="{}" height="{}" font-family="{}" fill="#1a1a1a">'
        '<title id="{}">{}</title><desc id="{}">{}</desc>'
        '<rect x="0" y="0" width="{}" height="{}" fill="#ffffff"/>{}</svg>',
        chart.chart_id,
        title_id,
        desc_id,
        WIDTH,
        height,
        WIDTH,
        height,
        FONT_FAMILY,
        title_id,
        chart.title,
        desc_id,
        chart.summary,
        WIDTH,
        height,
        body,
    )


def chart_values(svg: str) -> dict[tuple[str, str], int]:
    """The (series, category) -> value pairs drawn in an SVG from render_chart_svg (for checks and tests)."""
    import html
    import re

    pattern = re.compile(r'data-series="([^"]*)" data-category="([^"]*)" data-value="(-?\d+)"')
    return {(html.unescape(s), html.unescape(c)): int(v) for s, c, v in pattern.findall(svg)}
