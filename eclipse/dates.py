"""Calendar dates <-> Julian dates, and the ISO strings shown to people.

Dates before 1582-10-15 are in the Julian calendar, as in NASA's canon;
years are astronomical (0 = 1 BCE, -1 = 2 BCE).  Skyfield's calendar
functions do the arithmetic.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any, Protocol, SupportsInt, TypeAlias, cast, overload

import numpy as np
import numpy.typing as npt

from .constants import SECONDS_PER_DAY
from .errors import EclipseError

_DATE = re.compile(r"^\s*([+\-\u2212]?\d{1,5})-(\d{1,2})-(\d{1,2})\s*$")
_YEAR = re.compile(r"^\s*([+\-\u2212]?\d{1,5})\s*$")
#: Whole numbers up to this are years where a date is taken (Julian dates
#: this small are in 4700 BCE and earlier).
MAX_YEAR = 9999
#: A date written with a leading minus sign (astronomical year <= 0).
NEGATIVE_DATE = re.compile(r"^-\d{1,5}-\d{1,2}-\d{1,2}$")
#: Julian date of 0h on 0001-01-01 (proleptic Gregorian) less its ordinal 1.
_ORDINAL_TO_JD = 1721424.5
UNIX_EPOCH_JD = 2440587.5
#: Julian dates of 0h on 1582-10-15, the first day of the Gregorian calendar,
#: and of 10000-01-01, past the last of Python's datetimes.
GREGORIAN_JD = 2299160.5
LAST_DATETIME_JD = 5373484.5


class DateError(EclipseError):
    """A date that cannot be read."""


class SkyfieldTime(Protocol):
    """A Skyfield ``Time``, as ``day_of`` reads it (Skyfield has no types)."""

    @property
    def ut1(self) -> float | npt.NDArray[np.float64]:
        """UT1 Julian date (a float or an array)."""

    @property
    def tt(self) -> float | npt.NDArray[np.float64]:
        """TT Julian date (a float or an array)."""


class AstropyTime(Protocol):
    """An astropy ``Time``, as ``day_of`` reads it."""

    @property
    def jd1(self) -> float | npt.NDArray[np.float64]:
        """The first part of its two-part Julian date."""

    @property
    def jd2(self) -> float | npt.NDArray[np.float64]:
        """The second part of its two-part Julian date."""

    @property
    def scale(self) -> str:
        """Its time scale: 'utc', 'ut1', 'tt', ..."""

    @property
    def utc(self) -> AstropyTime:
        """The same instant in UTC."""


#: A date as ``day_of`` reads it: text ('2024-04-08', '2024'), a date or
#: datetime, numpy.datetime64, a year or a Julian date (a number), or a
#: Skyfield or astropy Time.
DateLike: TypeAlias = (str | datetime.date | np.datetime64 | float | np.integer | np.floating | SkyfieldTime
                       | AstropyTime)


def _calendar() -> tuple[int, Callable[..., Any], Callable[..., Any]]:
    """Skyfield's calendar: GREGORIAN_START, compute_calendar_date, julian_day."""
    from skyfield.timelib import GREGORIAN_START, compute_calendar_date, julian_day

    return GREGORIAN_START, compute_calendar_date, julian_day


def jd_from_calendar(year: int, month: int = 1, day: int = 1) -> float:
    """Julian date of 0h on a calendar day."""
    gregorian_start, _, julian_day = _calendar()
    return julian_day(year, month, day, julian_before=gregorian_start) - 0.5


def calendar_from_jd(jd: float) -> tuple[int, int, int]:
    """(year, month, day) of the calendar day holding a Julian date."""
    gregorian_start, compute_calendar_date, _ = _calendar()
    year, month, day = compute_calendar_date(int(np.floor(jd + 0.5)), gregorian_start)
    return int(year), int(month), int(day)


#: A Julian date, or an array of them (float64).
JulianDates: TypeAlias = float | npt.NDArray[np.float64]


# (the first overloads: a float is never an array, though mypy cannot know that two classes never meet)
@overload
def ut_from_tt(jd_tt: float, delta_t_s: float) -> float: ...  # type: ignore[overload-overlap]
@overload
def ut_from_tt(jd_tt: JulianDates, delta_t_s: JulianDates) -> npt.NDArray[np.float64]: ...
def ut_from_tt(jd_tt: JulianDates, delta_t_s: JulianDates) -> JulianDates:
    """UT Julian dates from TT ones: UT = TT - Delta T."""
    return jd_tt - delta_t_s / SECONDS_PER_DAY


@overload
def tt_from_ut(jd_ut: float, delta_t_s: float) -> float: ...  # type: ignore[overload-overlap]
@overload
def tt_from_ut(jd_ut: JulianDates, delta_t_s: JulianDates) -> npt.NDArray[np.float64]: ...
def tt_from_ut(jd_ut: JulianDates, delta_t_s: JulianDates) -> JulianDates:
    """TT Julian dates from UT ones: TT = UT + Delta T."""
    return jd_ut + delta_t_s / SECONDS_PER_DAY


def datetime64_from_jd(jd: npt.ArrayLike) -> npt.NDArray[np.datetime64]:
    """numpy.datetime64 to the millisecond (proleptic Gregorian, as numpy's
    dates are) of Julian dates; NaT for NaN."""
    jd = np.asarray(jd, dtype=float)
    ms = np.round((jd - UNIX_EPOCH_JD) * (SECONDS_PER_DAY * 1000.0))
    out = np.where(np.isfinite(ms), ms, 0).astype(np.int64).astype("datetime64[ms]")
    return np.where(np.isfinite(ms), out, np.datetime64("NaT"))


def parse_date(text: str, end: bool = False, whole_day: bool = False) -> float:
    """Julian date of 0h on a date written YYYY-MM-DD, or on the first day
    of a bare year YYYY (its last day with ``end``; DateError with
    ``whole_day``, where a day is asked for); the year may be negative
    (astronomical numbering).  The ten days the Gregorian reform skipped,
    1582-10-05 to 1582-10-14, are refused."""
    text = str(text).replace("\u2212", "-")  # a true minus sign is a minus too
    year_only = _YEAR.match(text)
    if year_only and whole_day:
        raise DateError(f"{text.strip()} is a year, not a day: give the eclipse's date as YYYY-MM-DD "
                        f"(`eclipse find --year {text.strip()}` lists that year's eclipses)")
    if year_only:
        year = int(year_only.group(1))
        return jd_from_calendar(year + 1, 1, 1) - 1.0 if end else jd_from_calendar(year, 1, 1)
    match = _DATE.match(str(text))
    if not match:
        raise DateError(f"cannot read date {text!r}: expected YYYY-MM-DD or a year")
    year, month, day = (int(group) for group in match.groups())
    if not 1 <= month <= 12:
        raise DateError(f"cannot read date {text!r}: month {month} is not 1-12")
    if (year, month) == (1582, 10) and 5 <= day <= 14:
        raise DateError(f"there was no day {text.strip()}: the Gregorian reform went from Thursday "
                        "1582-10-04 (Julian calendar, used for earlier dates) to Friday 1582-10-15")
    jd = jd_from_calendar(year, month, day)
    if calendar_from_jd(jd) != (year, month, day):
        raise DateError(f"cannot read date {text!r}: no day {day} in that month")
    return jd


def check_year(year: str | SupportsInt) -> int:
    """A year as an int; DateError beyond +-MAX_YEAR."""
    try:
        value = int(year)
    except (TypeError, ValueError, OverflowError):
        raise DateError(f"cannot read year {str(year)[:20]!r}") from None
    if abs(value) > MAX_YEAR:
        shown = str(value) if len(str(value)) <= 12 else f"{str(value)[:6]}... ({len(str(abs(value)))} digits)"
        raise DateError(f"year {shown} is outside -{MAX_YEAR} to {MAX_YEAR}")
    return value


_DATETIME = re.compile(r"^\s*(\S+?)(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d*)?))?)?Z?\s*$")


def parse_datetime(text: str) -> float:
    """Julian date (UT) of a date and time written [-]YYYY-MM-DD[Thh:mm[:ss]]
    (a final Z allowed), in the package's calendar: Julian before
    1582-10-15, astronomical years."""
    match = _DATETIME.match(str(text).replace("\u2212", "-"))
    if not match or not _DATE.match(match.group(1)):
        raise DateError(f"cannot read time {text!r}: expected YYYY-MM-DDThh:mm:ss")
    day, hours, minutes, seconds = match.groups()
    clock = int(hours or 0) * 3600 + int(minutes or 0) * 60 + float(seconds or 0.0)
    if clock >= SECONDS_PER_DAY:
        raise DateError(f"cannot read time {text!r}: past 24 h")
    return parse_date(day) + clock / SECONDS_PER_DAY


def day_of(value: DateLike, end: bool = False, whole_day: bool = False) -> float:
    """Julian date of 0h UT on the calendar day of a date given as text
    (``parse_date``), a ``datetime.date`` or ``datetime.datetime`` (an aware
    one converted to UTC, a naive one taken as UTC), a ``numpy.datetime64``,
    a Skyfield ``Time`` (its UT1) or an astropy ``Time``; a whole number up
    to MAX_YEAR is a year (its first day, or last with ``end``), any other
    number a Julian date already.  Python's and NumPy's dates are proleptic
    Gregorian; text before 1582-10-15 is Julian calendar, as NASA's.  With
    ``whole_day`` a bare year is refused (where one day is asked for)."""
    if isinstance(value, str):
        return parse_date(value, end, whole_day)
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.timezone.utc)
        return value.date().toordinal() + _ORDINAL_TO_JD
    if isinstance(value, datetime.date):
        return value.toordinal() + _ORDINAL_TO_JD
    if isinstance(value, np.datetime64):
        days = value.astype("datetime64[D]").astype(np.int64)
        return float(days) + UNIX_EPOCH_JD
    if hasattr(value, "ut1") and hasattr(value, "tt") and not hasattr(value, "jd1"):  # Skyfield
        return float(np.floor(float(value.ut1) + 0.5) - 0.5)
    if hasattr(value, "jd1") and hasattr(value, "scale"):  # astropy
        time = cast(AstropyTime, value)  # (mypy narrows no union by hasattr)
        utc = time if time.scale in ("utc", "ut1") else time.utc
        return float(np.floor(float(utc.jd1) + float(utc.jd2) + 0.5) - 0.5)
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool) and abs(value) <= MAX_YEAR:
        return parse_date(str(int(value)), end, whole_day)  # a number this small is a year, not a Julian date
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return float(value)
    raise DateError(f"cannot read date {value!r}: expected YYYY-MM-DD, a year, a date, a datetime, "
                    "numpy.datetime64, or a Skyfield or astropy Time")


def format_date(jd: float) -> str:
    """'2024-04-08' for the calendar day of a Julian date."""
    year, month, day = calendar_from_jd(jd)
    return f"{_year(year)}-{month:02d}-{day:02d}"


def format_datetime(jd: float, decimals: int = 0, suffix: str = "") -> str:
    """ISO 8601 date and time of a Julian date, seconds rounded to ``decimals``."""
    scale = 10**decimals
    ticks = round(float(jd) * 86400 * scale + 43200 * scale)  # from noon to midnight
    days, rest = divmod(ticks, 86400 * scale)
    year, month, day = calendar_from_jd(days)
    hour, rest = divmod(rest, 3600 * scale)
    minute, second = divmod(rest, 60 * scale)
    seconds = f"{second // scale:02d}"
    if decimals:
        seconds += f".{second % scale:0{decimals}d}"
    return f"{_year(year)}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{seconds}{suffix}"


def people_year(year: int) -> str:
    """A year as people write it: '136 BCE' for the astronomical year -135
    (year 0 is 1 BCE), '585' for 585."""
    return f"{1 - year} BCE" if year <= 0 else f"{year}"


def format_time(jd: float, decimals: int = 0) -> str:
    """'18:17:16' for the time of day of a Julian date (any year)."""
    return format_datetime(jd, decimals).split("T")[1]


def _year(year: int) -> str:
    return f"{year:04d}" if year >= 0 else f"-{-year:04d}"
