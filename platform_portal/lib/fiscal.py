"""Fiscal years (年度): April to March, named by the calendar year they start in."""

import datetime
import unicodedata
from dataclasses import dataclass

from platform_portal.lib.wareki import era_year, format_era_year

FISCAL_YEAR_START_MONTH = 4


@dataclass(frozen=True, order=True)
class FiscalYear:
    """A Japanese fiscal year; `start_year` 2025 is 令和7年度 (2025-04-01 to 2026-03-31)."""

    start_year: int

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.start_year, FISCAL_YEAR_START_MONTH, 1)

    @property
    def last_day(self) -> datetime.date:
        return datetime.date(self.start_year + 1, FISCAL_YEAR_START_MONTH, 1) - datetime.timedelta(days=1)

    def contains(self, d: datetime.date) -> bool:
        return self.first_day <= d <= self.last_day

    @property
    def label(self) -> str:
        """令和7年度 (the era of the fiscal year's first day, as official documents write it)."""
        era, year = era_year(self.first_day)
        return f"{format_era_year(era, year)}度"

    @property
    def short_label(self) -> str:
        """R7."""
        era, year = era_year(self.first_day)
        return f"{era.letter}{year}"

    def __str__(self) -> str:
        return self.label


def fiscal_year_of(d: datetime.date) -> FiscalYear:
    """The fiscal year a date falls in: 2026-03-31 is 令和7年度, 2026-04-01 is 令和8年度."""
    if isinstance(d, datetime.datetime):
        d = d.date()
    return FiscalYear(d.year if d.month >= FISCAL_YEAR_START_MONTH else d.year - 1)


def fiscal_year_from_label(label: str) -> FiscalYear:
    """Parse R7, 令和7年度 or 2025 into a FiscalYear."""
    from platform_portal.lib.wareki import ERA_BY_NAME

    text = unicodedata.normalize("NFKC", label).strip().removesuffix("年度").removesuffix("度")
    if text.isdigit() and len(text) == 4:
        return FiscalYear(int(text))
    for prefix in sorted(ERA_BY_NAME, key=len, reverse=True):
        if text.upper().startswith(prefix):
            rest = text[len(prefix) :].removesuffix("年")
            year = 1 if rest == "元" else int(rest)
            # 令和元年度 is in common use for FY2019 although 2019-04-01 was still 平成.
            return FiscalYear(ERA_BY_NAME[prefix].first_day.year + year - 1)
    raise ValueError(f"not a fiscal year: {label!r}")
