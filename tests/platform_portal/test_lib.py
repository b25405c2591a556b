"""Table tests of the pure helpers in platform_portal.lib (no database)."""

import datetime

import pytest

from platform_portal.lib.dates import DateInputError, parse_date
from platform_portal.lib.fiscal import FiscalYear, fiscal_year_from_label, fiscal_year_of
from platform_portal.lib.money import YenError, floor_to_unit, format_man_yen, format_yen, parse_yen
from platform_portal.lib.wareki import WarekiError, format_wareki, format_wareki_short, parse_wareki

D = datetime.date


@pytest.mark.parametrize(
    ("day", "long", "short"),
    [
        (D(2026, 1, 27), "令和8年1月27日", "R8.1.27"),
        (D(2019, 4, 30), "平成31年4月30日", "H31.4.30"),
        (D(2019, 5, 1), "令和元年5月1日", "R1.5.1"),
        (D(1989, 1, 7), "昭和64年1月7日", "S64.1.7"),
        (D(1989, 1, 8), "平成元年1月8日", "H1.1.8"),
        (D(1926, 12, 25), "昭和元年12月25日", "S1.12.25"),
        (D(1912, 7, 30), "大正元年7月30日", "T1.7.30"),
        (D(2025, 4, 1), "令和7年4月1日", "R7.4.1"),
    ],
)
def test_format_wareki(day, long, short):
    assert format_wareki(day) == long
    assert format_wareki_short(day) == short


def test_format_wareki_with_weekday():
    assert format_wareki(D(2026, 1, 27), weekday=True) == "令和8年1月27日（火）"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("令和8年1月27日", D(2026, 1, 27)),
        ("令和元年5月1日", D(2019, 5, 1)),
        ("令和1年5月1日", D(2019, 5, 1)),
        ("R8.1.27", D(2026, 1, 27)),
        ("r8.1.27", D(2026, 1, 27)),
        ("Ｒ８．１．２７", D(2026, 1, 27)),
        ("令和８年１月２７日", D(2026, 1, 27)),
        ("令和8年1月27日（火）", D(2026, 1, 27)),
        ("平成31年4月30日", D(2019, 4, 30)),
        ("平成元年1月8日", D(1989, 1, 8)),
        ("昭和64年1月7日", D(1989, 1, 7)),
        ("2026-01-27", None),
    ],
)
def test_parse_wareki(text, expected):
    assert parse_wareki(text) == expected


@pytest.mark.parametrize(
    "text", ["平成31年5月1日", "令和元年4月30日", "昭和64年1月8日", "平成元年1月7日", "令和8年2月30日", "令和0年1月1日"]
)
def test_parse_wareki_refuses_dates_outside_the_era(text):
    with pytest.raises(WarekiError):
        parse_wareki(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-01-27", D(2026, 1, 27)),
        ("2026/01/27", D(2026, 1, 27)),
        ("2026/1/27", D(2026, 1, 27)),
        ("２０２６/０１/２７", D(2026, 1, 27)),
        ("2026年1月27日", D(2026, 1, 27)),
        ("令和8年1月27日", D(2026, 1, 27)),
        ("R8.1.27", D(2026, 1, 27)),
        ("令和元年5月1日", D(2019, 5, 1)),
        (" 2026-01-27 ", D(2026, 1, 27)),
    ],
)
def test_parse_date_accepts_what_people_type(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("01/02/2026", "invalid"),
        ("昨日", "invalid"),
        ("2026-02-30", "nonexistent"),
        ("平成31年5月1日", "nonexistent"),
    ],
)
def test_parse_date_refuses(text, code):
    with pytest.raises(DateInputError) as exc:
        parse_date(text)
    assert exc.value.code == code


@pytest.mark.parametrize(
    ("day", "start_year", "label"),
    [
        (D(2026, 3, 31), 2025, "令和7年度"),
        (D(2026, 4, 1), 2026, "令和8年度"),
        (D(2025, 4, 1), 2025, "令和7年度"),
        (D(2019, 4, 1), 2019, "平成31年度"),
        (D(2020, 3, 31), 2019, "平成31年度"),
        (D(2020, 4, 1), 2020, "令和2年度"),
    ],
)
def test_fiscal_year_of(day, start_year, label):
    fiscal_year = fiscal_year_of(day)
    assert fiscal_year == FiscalYear(start_year)
    assert fiscal_year.label == label
    assert fiscal_year.contains(day)


def test_fiscal_year_range():
    fy = FiscalYear(2025)
    assert (fy.first_day, fy.last_day) == (D(2025, 4, 1), D(2026, 3, 31))
    assert fy.short_label == "R7"
    assert not fy.contains(D(2026, 4, 1))


@pytest.mark.parametrize(
    ("label", "start_year"), [("R7", 2025), ("令和7年度", 2025), ("2025", 2025), ("R8", 2026), ("令和元年度", 2019)]
)
def test_fiscal_year_from_label(label, start_year):
    assert fiscal_year_from_label(label) == FiscalYear(start_year)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("200000", 200000),
        ("200,000", 200000),
        ("２００，０００", 200000),
        ("２０００００", 200000),
        ("¥200,000", 200000),
        ("￥200,000", 200000),
        ("200,000円", 200000),
        (" 0 ", 0),
        (1234, 1234),
    ],
)
def test_parse_yen_accepts(text, amount):
    assert parse_yen(text) == amount


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("20万円", "invalid"),
        ("1e6", "invalid"),
        ("199999.9", "decimal"),
        ("-1", "negative"),
        ("－1", "negative"),
        ("٢٠٠", "invalid"),
        ("2,00,000", "invalid"),
        ("", "empty"),
        ("円", "invalid"),
        (-5, "negative"),
    ],
)
def test_parse_yen_refuses(text, code):
    with pytest.raises(YenError) as exc:
        parse_yen(text)
    assert exc.value.code == code


@pytest.mark.parametrize(
    ("amount", "unit", "expected"), [(133333, 1000, 133000), (133333, 1, 133333), (999, 1000, 0), (2000, 1000, 2000)]
)
def test_floor_to_unit(amount, unit, expected):
    assert floor_to_unit(amount, unit) == expected


def test_format_yen():
    assert format_yen(200000) == "200,000円"
    assert format_yen(0) == "0円"
    assert format_man_yen(200000) == "20万円"
    assert format_man_yen(2000000) == "200万円"
    assert format_man_yen(123456) == "123,456円"


@pytest.mark.parametrize("value", [1.5, "100", None, True])
def test_format_yen_raises_on_non_int(value):
    with pytest.raises(TypeError):
        format_yen(value)
