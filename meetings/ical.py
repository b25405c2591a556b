"""iCalendar (RFC 5545) text for the feed of upcoming public events, written by hand.

Pure functions: lines end in CRLF, are folded at 75 octets without splitting a UTF-8
character, and TEXT values escape backslash, semicolon, comma and newlines. Times are in
Asia/Tokyo with a VTIMEZONE (JST has had no daylight saving time since 1951).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

CRLF = "\r\n"
MAX_OCTETS = 75
TZID = "Asia/Tokyo"
VTIMEZONE = [
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    "BEGIN:STANDARD",
    "DTSTART:19700101T000000",
    "TZOFFSETFROM:+0900",
    "TZOFFSETTO:+0900",
    "TZNAME:JST",
    "END:STANDARD",
    "END:VTIMEZONE",
]


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    summary: str
    start_date: datetime.date
    end_date: datetime.date | None = None
    start_time: datetime.time | None = None
    end_time: datetime.time | None = None
    location: str = ""
    description: str = ""
    url: str = ""


def escape_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 3.3.11)."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold_line(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets, continuation lines starting with a space."""
    pieces: list[str] = []
    current = ""
    current_octets = 0
    limit = MAX_OCTETS
    for char in line:
        size = len(char.encode("utf-8"))
        if current_octets + size > limit:
            pieces.append(current)
            current, current_octets = "", 0
            limit = MAX_OCTETS - 1  # the leading space of a continuation line counts
        current += char
        current_octets += size
    pieces.append(current)
    return (CRLF + " ").join(pieces)


def _date(value: datetime.date) -> str:
    return value.strftime("%Y%m%d")


def _local(day: datetime.date, time: datetime.time) -> str:
    return f"{_date(day)}T{time.strftime('%H%M%S')}"


def event_lines(event: CalendarEvent, *, stamp: datetime.datetime) -> list[str]:
    lines = ["BEGIN:VEVENT", f"UID:{event.uid}", f"DTSTAMP:{stamp.astimezone(datetime.UTC).strftime('%Y%m%dT%H%M%SZ')}"]
    last_day = event.end_date or event.start_date
    if event.start_time is not None:
        lines.append(f"DTSTART;TZID={TZID}:{_local(event.start_date, event.start_time)}")
        end_time = event.end_time or event.start_time
        lines.append(f"DTEND;TZID={TZID}:{_local(last_day, end_time)}")
    else:
        lines.append(f"DTSTART;VALUE=DATE:{_date(event.start_date)}")
        lines.append(f"DTEND;VALUE=DATE:{_date(last_day + datetime.timedelta(days=1))}")
    lines.append(f"SUMMARY:{escape_text(event.summary)}")
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.url:
        lines.append(f"URL:{event.url}")
    lines.append("END:VEVENT")
    return lines


def build_calendar(events: Iterable[CalendarEvent], *, name: str, stamp: datetime.datetime) -> str:
    """The whole VCALENDAR as text with CRLF line endings and folded lines."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//platform_portal//events//JA",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        f"X-WR-TIMEZONE:{TZID}",
        *VTIMEZONE,
    ]
    for event in events:
        lines.extend(event_lines(event, stamp=stamp))
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) + CRLF for line in lines)
