"""Find every solar eclipse in a span of time, the eclipse of a date, and the
next eclipses seen from a place: the one search every finder uses.

1. The sources serving the span (``sources.serving``: DE421 live over its
   years and the shipped canon around them, or a kernel given) give the
   Besselian elements of the eclipses that may fall in it
   (``Source.candidates``: for a kernel, the new moons near a node, Meeus
   ch. 49, and the elements fitted around each closest approach of the
   shadow axis; for the canon, the elements stored).
2. Those elements are characterised as one batch (``characterise``):
   greatest eclipse, kind, magnitude, point, width, duration and saros.
3. The eclipses whose greatest eclipse falls on the days asked (UT) are kept.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

import numpy as np

from ..constants import KINDS, KINDS_SEEN
from ..dates import DateLike, check_year, day_of, format_date, jd_from_calendar
from ..errors import EclipseError, NoEclipseError
from ..geometry.horizon import Horizon
from ..geometry.horizon import horizon as make_horizon
from ..geometry.local import check_location, local_circumstances
from ..sources import serving, widest
from ..sources.base import EphemerisError, Source
from ..sources.elements import stack_elements
from .characterise import characterise
from .results import Eclipse, SeenEclipse, Upcoming

#: Days either side of a date that ``at`` searches for the nearest eclipses
#: to name when the date has none: an eclipse season or two.
NEAREST_WINDOW_DAYS = 200.0
#: How far ahead next_eclipses looks by default, in years.
SEARCH_YEARS = 100


def find(year: int | None = None, start: DateLike | None = None, end: DateLike | None = None,
         kinds: str | Iterable[str] | None = None, ephemeris: str | Source | None = None,
         delta_t: float | None = None, delta_t_model: str | None = None) -> list[Eclipse]:
    """Every solar eclipse whose greatest eclipse falls in a year or a span.

    ``start`` and ``end`` are dates, both inclusive (``dates.day_of``: text
    such as '2020-01-01' or a bare year, date, datetime, numpy.datetime64,
    Skyfield or astropy Time, Julian date); ``year`` is short for a whole
    calendar year.  ``kinds`` keeps only some of 'partial', 'annular',
    'total', 'hybrid'.  By default DE421 (from skyfield-data) serves its
    span, 1899-07-30 to 2053-10-07, and the shipped canon of elements
    computed from DE422 the years -2999 to 2999 around it; ``ephemeris``,
    the path of a JPL SPK file (or a ``sources.Source``), computes
    everything from that instead.  ``delta_t_model`` names the Delta T model
    ("skyfield", the default, or "espenak-meeus", NASA's canon's);
    ``delta_t`` replaces it by a constant in seconds.

    Examples
    --------
    >>> import eclipse
    >>> [(e.date, e.kind) for e in eclipse.find(2024)]
    [('2024-04-08', 'total'), ('2024-10-02', 'annular')]
    >>> [e.date for e in eclipse.find(start="2020", end="2030", kinds="hybrid")]
    ['2023-04-20']
    """
    jd_start, jd_end = _span(year, start, end)
    wanted = _kinds_asked(kinds, KINDS)
    found: list[Eclipse] = []
    for source, a, b in serving(ephemeris, delta_t, delta_t_model, jd_start, jd_end, year):
        found += search(source, a, b)
    return [e for e in found if e.kind in wanted] if wanted else found


def at(date: DateLike, ephemeris: str | Source | None = None, delta_t: float | None = None,
       delta_t_model: str | None = None) -> Eclipse:
    """The eclipse of a date: greatest eclipse on that day in UT, or in TT
    (the date NASA's elements carry; they differ when greatest eclipse falls
    within a minute or so of midnight).  ``date`` is text ('2024-04-08'), a
    date or datetime, numpy.datetime64, a Skyfield or astropy Time, or a
    Julian date (``dates.day_of``); the other arguments as ``find``'s.

    Raises NoEclipseError naming the nearest eclipses before and after; a
    bare year ('2024', 2024) is not a day, and raises DateError.

    Examples
    --------
    >>> import eclipse
    >>> e = eclipse.at("2024-04-08")
    >>> e.kind, e.saros, round(e.duration_s)
    ('total', 139, 268)
    """
    jd = day_of(date, whole_day=True)
    serving(ephemeris, delta_t, delta_t_model, jd, jd + 1)  # the day itself is covered
    span = widest(ephemeris)  # the canon by default: the hint may name a day beyond DE421
    nearby: list[Eclipse] = []
    for source, a, b in serving(ephemeris, delta_t, delta_t_model, max(jd - NEAREST_WINDOW_DAYS, span.first_day),
                                min(jd + NEAREST_WINDOW_DAYS, span.last_day + 1)):
        nearby += search(source, a, b)
    for eclipse in nearby:
        if jd <= eclipse.jd_ut < jd + 1 or jd <= eclipse.jd_tt < jd + 1:
            return eclipse
    before = [e.date for e in nearby if e.jd_ut < jd][-1:]
    after = [e.date for e in nearby if e.jd_ut >= jd + 1][:1]
    hint = "; ".join(
        f"nearest {side}: {dates[0]}" for side, dates in (("before", before), ("after", after)) if dates
    )
    raise NoEclipseError(f"no solar eclipse on {format_date(jd)}" + (f" ({hint})" if hint else ""))


def search(source: Source, jd_start: float, jd_end: float) -> list[Eclipse]:
    """The eclipses of one source whose greatest eclipse falls on the days
    [jd_start, jd_end) (Julian dates of 0h UT)."""
    found = characterise(*source.candidates(jd_start, jd_end), source)
    days = [np.floor(e.jd_ut + 0.5) - 0.5 for e in found]
    return [e for e, day in zip(found, days) if jd_start <= day < jd_end]


def _span(year: int | None, start: DateLike | None, end: DateLike | None) -> tuple[float, float]:
    """TT Julian dates [start, end) of a year or of inclusive dates."""
    if year is not None:
        if start is not None or end is not None:
            raise EclipseError("give either a year or a start and end, not both")
        year = check_year(year)
        return jd_from_calendar(year, 1, 1), jd_from_calendar(year + 1, 1, 1)
    if start is None or end is None:
        raise EclipseError("give a year, or both a start and an end date")
    jd_start = day_of(start)
    jd_end = day_of(end, end=True) + 1.0
    if jd_end <= jd_start:
        raise EclipseError(f"the start {start} is after the end {end}")
    return jd_start, jd_end


def next_eclipses(lat: float, lon: float, count: int = 5, kinds: str | Iterable[str] | None = None,
                  seen: str | Iterable[str] | None = None, start: DateLike | None = None, elevation_m: float = 0.0,
                  years: float = SEARCH_YEARS, ephemeris: str | Source | None = None,
                  delta_t: float | None = None, delta_t_model: str | None = None, *,
                  horizon: str | Horizon = "apparent", temperature_c: float | None = None,
                  pressure_hpa: float | None = None) -> Upcoming:
    """The next ``count`` eclipses seen from a place (the Sun up for some part).

    ``kinds`` keeps only eclipses of some kinds ('partial', 'annular',
    'total', 'hybrid': the eclipse's kind, as ``find``); ``seen`` only those
    seen from the place as some kinds ('partial', 'annular', 'total').
    ``start`` is a date (``dates.day_of``: text, date, datetime, ...), today
    (UTC) by default.  Searches at most ``years`` years ahead and never
    beyond the ephemeris: ``Upcoming.ephemeris_end`` says when that cut the
    search short.  All eclipses of the span are searched at once and their
    elements evaluated as one batch.  ``horizon``, ``temperature_c`` and
    ``pressure_hpa``: the horizon the Sun is up above, as
    ``local_circumstances`` (the apparent one at 10 C and 1010 hPa unless
    said otherwise).

    Examples
    --------
    From Oviedo, the next total eclipse seen after 2024:

    >>> import eclipse
    >>> upcoming = eclipse.next_eclipses(43.36, -5.85, count=1, seen="total", start="2024-01-01")
    >>> [(s.eclipse.date, str(s.local.kind_seen)) for s in upcoming.eclipses]
    [('2026-08-12', 'total')]
    """
    lat, lon, elevation_m = (float(v) for v in check_location(lat, lon, elevation_m))
    seen_on = make_horizon(horizon, temperature_c, pressure_hpa)
    if int(count) != count or count < 1:
        raise EclipseError(f"count must be a whole number above 0, not {count}")
    wanted, seen = _kinds_asked(kinds, KINDS), _kinds_asked(seen, KINDS_SEEN[1:])
    if start is None:
        start = datetime.datetime.now(datetime.timezone.utc).date()
    jd_start = day_of(start)
    last = widest(ephemeris)
    jd_end = jd_start + years * 365.25 - 1
    ephemeris_end = jd_end > last.last_day
    jd_end = min(jd_end, last.last_day)
    if jd_end < jd_start:
        raise EphemerisError(f"{format_date(jd_start)} is at or past the end of the ephemeris: {last.range_text()}")
    found = find(start=jd_start, end=jd_end, ephemeris=ephemeris, delta_t=delta_t, delta_t_model=delta_t_model,
                 kinds=wanted)
    chosen: list[SeenEclipse] = []
    if found:
        batch = stack_elements([e.elements for e in found])
        local = local_circumstances(batch, lat, lon, elevation_m, horizon=seen_on)
        for i, e in enumerate(found):
            kind = str(local.kind_seen[i])
            if kind != "none" and (not seen or kind in seen):
                chosen.append(SeenEclipse(e, local[i]))
                if len(chosen) == count:
                    ephemeris_end = False
                    break
    return Upcoming(chosen, jd_start, jd_end, bool(ephemeris_end), last.name, seen_on)


def _kinds_asked(kinds: str | Iterable[str] | None, allowed: Sequence[str]) -> list[str] | None:
    """A kind or kinds asked for, checked against those allowed."""
    if not kinds:
        return None
    kinds = [kinds] if isinstance(kinds, str) else list(kinds)
    unknown = set(kinds) - set(allowed)
    if unknown:
        raise EclipseError(f"unknown kind {sorted(unknown)[0]!r}: choose from {', '.join(allowed)}")
    return kinds
