"""Calendar conversions over wide ranges (hypothesis)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eclipse.dates import DateError, format_date, format_datetime, jd_from_calendar, parse_date


@given(st.integers(-4000, 9999), st.integers(1, 12), st.integers(1, 28))
def test_date_round_trip(year, month, day):
    if year == 1582 and month == 10 and 5 <= day <= 14:
        return  # the days the Gregorian reform skipped
    text = f"{year:04d}-{month:02d}-{day:02d}" if year >= 0 else f"-{-year:04d}-{month:02d}-{day:02d}"
    assert format_date(parse_date(text)) == text


@given(st.floats(0, 1, exclude_max=True))
def test_datetime_rounding_never_shows_sixty(fraction):
    text = format_datetime(jd_from_calendar(2024, 4, 8) + fraction, 0, "Z")
    hours, minutes, seconds = (int(v) for v in text[11:19].split(":"))
    assert hours < 24 and minutes < 60 and seconds < 60


def test_julian_calendar_before_the_reform():
    # 1582-10-04 (Julian) was followed by 1582-10-15 (Gregorian)
    assert parse_date("1582-10-15") - parse_date("1582-10-04") == 1


@pytest.mark.parametrize("text", ["abc", "2024-13-01", "2024-02-30", "2024/04/08", ""])
def test_bad_dates(text):
    with pytest.raises(DateError):
        parse_date(text)


def test_bare_years_true_minus_and_people_years():
    from eclipse.dates import people_year

    assert format_date(parse_date("2030")) == "2030-01-01" and format_date(parse_date("2030", end=True)) == "2030-12-31"
    assert parse_date("\u22120135-04-15") == parse_date("-0135-04-15")
    assert (people_year(-135), people_year(0), people_year(1), people_year(2024)) == ("136 BCE", "1 BCE", "1", "2024")
