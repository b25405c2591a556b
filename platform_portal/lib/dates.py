"""Parsing the dates people type: ISO, slashes, full-width digits and 和暦."""

import datetime
import re
import unicodedata

from platform_portal.lib.wareki import WarekiError, parse_wareki


class DateInputError(ValueError):
    """Not a date, or a date that does not exist. `code` names the reason."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


_GREGORIAN = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def parse_date(text: str | datetime.date) -> datetime.date:
    """2026-01-27, 2026/01/27, ２０２６/０１/２７, 2026年1月27日, 令和8年1月27日, R8.1.27, 令和元年5月1日."""
    if isinstance(text, datetime.datetime):
        return text.date()
    if isinstance(text, datetime.date):
        return text
    value = unicodedata.normalize("NFKC", str(text)).strip().replace(" ", "")
    if not value:
        raise DateInputError("empty")
    try:
        era_date = parse_wareki(value)
    except WarekiError as exc:
        raise DateInputError("nonexistent") from exc
    if era_date is not None:
        return era_date
    match = _GREGORIAN.match(value)
    if not match:
        raise DateInputError("invalid")
    year, month, day = (int(part) for part in match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError as exc:
        raise DateInputError("nonexistent") from exc
