"""Japanese era (和暦) display and parsing.

Dates are stored in the Gregorian calendar; the era is only a display and input format
(docs/house-style.md R17). The era table is local and small: 明治 to 令和.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Era:
    name: str
    letter: str
    first_day: datetime.date


# Newest first. The first day of each era is its first calendar day (改元日).
ERAS: tuple[Era, ...] = (
    Era("令和", "R", datetime.date(2019, 5, 1)),
    Era("平成", "H", datetime.date(1989, 1, 8)),
    Era("昭和", "S", datetime.date(1926, 12, 25)),
    Era("大正", "T", datetime.date(1912, 7, 30)),
    Era("明治", "M", datetime.date(1873, 1, 1)),  # Gregorian calendar adopted in Japan on 明治6年1月1日
)
ERA_BY_NAME = {era.name: era for era in ERAS} | {era.letter: era for era in ERAS}
WEEKDAYS_JA = "月火水木金土日"


class WarekiError(ValueError):
    """A date that does not exist in the era calendar (e.g. 平成31年5月1日)."""


def era_of(d: datetime.date) -> Era:
    """Return the era a Gregorian date falls in."""
    for era in ERAS:
        if d >= era.first_day:
            return era
    raise WarekiError(f"{d.isoformat()} is before the Meiji era table")


def era_year(d: datetime.date) -> tuple[Era, int]:
    """Return (era, year within the era) for a date."""
    era = era_of(d)
    return era, d.year - era.first_day.year + 1


def format_era_year(era: Era, year: int) -> str:
    """令和8年, with 元年 for the first year."""
    return f"{era.name}{'元' if year == 1 else year}年"


def format_wareki(d: datetime.date, *, weekday: bool = False) -> str:
    """令和8年1月27日, or 令和8年1月27日（火） with weekday=True."""
    if isinstance(d, datetime.datetime):
        d = d.date()
    era, year = era_year(d)
    text = f"{format_era_year(era, year)}{d.month}月{d.day}日"
    if weekday:
        text += f"（{WEEKDAYS_JA[d.weekday()]}）"
    return text


def format_wareki_short(d: datetime.date) -> str:
    """R8.1.27: the short form the reference uses in running text."""
    if isinstance(d, datetime.datetime):
        d = d.date()
    era, year = era_year(d)
    return f"{era.letter}{year}.{d.month}.{d.day}"


def to_gregorian(era: Era, year: int, month: int, day: int) -> datetime.date:
    """Convert an era date to the Gregorian date, refusing dates outside the era."""
    if year < 1:
        raise WarekiError("era year must be 1 or more")
    try:
        d = datetime.date(era.first_day.year + year - 1, month, day)
    except ValueError as exc:
        raise WarekiError(str(exc)) from exc
    if d < era.first_day:
        raise WarekiError(f"{era.name}{year}年{month}月{day}日 is before the era began")
    next_eras = [e for e in ERAS if e.first_day > era.first_day]
    if next_eras and d >= min(e.first_day for e in next_eras):
        raise WarekiError(f"{era.name}{year}年{month}月{day}日 is after the era ended")
    return d


_LONG = re.compile(r"^(明治|大正|昭和|平成|令和)(元|\d{1,2})年(\d{1,2})月(\d{1,2})日(?:[(（][月火水木金土日][)）])?$")
_SHORT = re.compile(r"^([MTSHR])(元|\d{1,2})[.\-/](\d{1,2})[.\-/](\d{1,2})$", re.IGNORECASE)


def parse_wareki(text: str) -> datetime.date | None:
    """Parse 令和8年1月27日, 令和元年5月1日 or R8.1.27; None when the text is not an era date.

    Raises WarekiError for an era date that does not exist (平成31年5月1日).
    """
    value = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    match = _LONG.match(value) or _SHORT.match(value)
    if not match:
        return None
    era_text, year_text, month, day = match.groups()
    era = ERA_BY_NAME[era_text.upper() if len(era_text) == 1 else era_text]
    year = 1 if year_text == "元" else int(year_text)
    return to_gregorian(era, year, int(month), int(day))
