"""iCal text (RFC 5545): escaping, folding at 75 octets, CRLF, time zones. Pure tables, no DB."""

import datetime

import pytest

from meetings.ical import CalendarEvent, build_calendar, escape_text, fold_line

STAMP = datetime.datetime(2025, 10, 1, 3, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("plain", "plain"),
        ("a,b", "a\\,b"),
        ("a;b", "a\\;b"),
        ("back\\slash", "back\\\\slash"),
        ("line1\nline2", "line1\\nline2"),
        ("line1\r\nline2", "line1\\nline2"),
        ("講演, ワークショップ; 交流", "講演\\, ワークショップ\\; 交流"),
    ],
)
def test_escape_text(raw, escaped):
    assert escape_text(raw) == escaped


@pytest.mark.parametrize(
    "line", ["A" * 74, "A" * 75, "A" * 76, "A" * 200, "あ" * 30, "x" + "あ" * 60, "SUMMARY:" + "福祉" * 40]
)
def test_fold_line_keeps_octets_and_characters(line):
    folded = fold_line(line)
    pieces = folded.split("\r\n")
    assert all(len(piece.encode("utf-8")) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert pieces[0] + "".join(piece[1:] for piece in pieces[1:]) == line
    if len(line.encode("utf-8")) <= 75:
        assert folded == line


def test_calendar_has_crlf_timezone_and_timed_and_all_day_events():
    events = [
        CalendarEvent(
            uid="event-1@example.jp",
            summary="福祉をひらくワークショップ, 第1回",
            start_date=datetime.date(2025, 10, 9),
            start_time=datetime.time(15, 0),
            end_time=datetime.time(17, 0),
            location="エキパル倉吉; 多目的ホール",
            url="https://example.jp/events/1/",
        ),
        CalendarEvent(
            uid="event-2@example.jp",
            summary="基礎研修",
            start_date=datetime.date(2025, 8, 18),
            end_date=datetime.date(2025, 8, 20),
        ),
    ]
    text = build_calendar(events, name="イベント", stamp=STAMP)
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    unfolded = text.replace("\r\n ", "")
    lines = unfolded.split("\r\n")
    assert "BEGIN:VTIMEZONE" in lines and "TZID:Asia/Tokyo" in lines
    assert "DTSTART;TZID=Asia/Tokyo:20251009T150000" in lines
    assert "DTEND;TZID=Asia/Tokyo:20251009T170000" in lines
    assert "SUMMARY:福祉をひらくワークショップ\\, 第1回" in lines
    assert "LOCATION:エキパル倉吉\\; 多目的ホール" in lines
    assert "DTSTART;VALUE=DATE:20250818" in lines
    assert "DTEND;VALUE=DATE:20250821" in lines  # exclusive end for all-day events
    assert "DTSTAMP:20251001T030000Z" in lines
    assert lines.count("BEGIN:VEVENT") == 2
