"""Text for people: local times (with local mean time where no zone rule
existed), fractions never rounded across 1."""

import pytest

from eclipse.dates import jd_from_calendar
from eclipse.io.places import local_iso
from eclipse.io.text import angle_text, fraction_text, percent_text, place_time_text


def test_local_mean_time_before_the_zones_first_rule():
    # Kathmandu kept local mean time until 1920 (tz database: +5:41:16 LMT);
    # a place at 85.3240E is 4 min per degree ahead of Greenwich: +5:41:17.8
    jd_ut = jd_from_calendar(1901, 5, 18) + 0.25
    assert place_time_text(jd_ut, "Asia/Kathmandu", 85.3240) == "1901-05-18 11:41:18 LMT"
    assert local_iso(jd_ut, "Asia/Kathmandu", 85.3240) == "1901-05-18T11:41:18+05:41:18"
    # with a zone rule, the zone's time (Nepal: UTC+5:45 since 1986)
    assert place_time_text(jd_ut + 36500, "Asia/Kathmandu", 85.3240).endswith(":45:00 +0545")
    assert place_time_text(jd_from_calendar(2024, 4, 8) + 0.75, "America/Chicago", -96.8) == "2024-04-08 13:00:00 CDT"


def test_local_mean_time_for_any_year():
    # 136 BCE (astronomical -135), Babylon at 44.42E: 2 h 57 min 41 s ahead;
    # the date in the Julian calendar, as the rest of the package
    jd_ut = jd_from_calendar(-135, 4, 15) + 8.0 / 24
    assert place_time_text(jd_ut, "Asia/Baghdad", 44.42) == "-0135-04-15 10:57:41 LMT"
    assert local_iso(jd_ut, "Asia/Baghdad", 44.42) == "-0135-04-15T10:57:41+02:57:41"


@pytest.mark.parametrize("value, kind, text", [
    (0.99959, "partial", "99.96%"), (0.999996, "partial", "99.9996%"), (1.0, "total", "100.0%"),
    (0.5, "partial", "50.0%"), (0.99949, "annular", "99.9%")])
def test_percent_never_rounds_a_partial_up_to_100(value, kind, text):
    assert percent_text(value, kind) == text


@pytest.mark.parametrize("value, text", [(0.99996, "0.9999"), (1.0146, "1.0146"), (0.5, "0.5000")])
def test_magnitude_never_rounds_up_to_one(value, text):
    assert fraction_text(value) == text


@pytest.mark.parametrize("value, text", [(359.96, "0.0"), (359.94, "359.9"), (0.0, "0.0"), (226.25, "226.2"),
                                         (18.7, "18.7")])
def test_position_angle_in_zero_to_360(value, text):
    assert angle_text(value) == text
