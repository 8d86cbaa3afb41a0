"""Find every solar eclipse in a span of time and characterise it.

1. Candidate new moons from the mean lunation with the main periodic terms
   (Meeus, *Astronomical Algorithms*, 2nd ed., ch. 49), dropping those whose
   Moon is far from a node (|sin F| > 0.40; Meeus ch. 54 uses 0.36).
2. The shadow axis's distance from the Earth's centre at three instants around
   each candidate (GCRS positions, no nutation needed), interpolated and
   minimised: greatest eclipse to a fraction of a second.
3. Besselian elements fitted around the TT hour nearest greatest eclipse, as
   NASA does; greatest eclipse refined on them; then kind, magnitude, the
   point of greatest eclipse, width, duration and saros, all vectorised over
   the eclipses found.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import numpy as np

from ..sources import canon
from ..sources import kernel as ephemeris_module
from ..sources.elements import BesselianElements, axis_offset, fit_elements, stack_elements
from ..constants import DEGREES_PER_DELTA_T_SECOND, EARTH_RADIUS_KM, KINDS, KINDS_SEEN, SECONDS_PER_DAY
from ..dates import check_year, day_of, format_date, format_datetime, jd_from_calendar, ut_from_tt
from ..geometry.earth import (
    fundamental_coordinates,
    nearest_outline_point,
    observer,
    outline_minor_axis,
    point_under,
    sun_altitude_azimuth,
    wrap_degrees,
)
from ..sources.kernel import Ephemeris, EphemerisError
from ..errors import EclipseError, NoEclipseError
from ..geometry.local import LocalCircumstances, check_location, local_circumstances
from ..geometry.path import Path, path
from ..geometry.shadow import (
    axis_meets_outline,
    axis_nearest,
    central_duration,
    diameter_ratio,
    magnitude,
    path_width,
    shadow,
)

#: Spacing of the places sampled by Eclipse.kinds_seen_within_sigma.
SIGMA_SAMPLE_DEG = 0.05
SYNODIC_MONTH = 29.530588861
NODE_LIMIT = 0.40  # |sin F| above which no eclipse is possible (Meeus: 0.36)


@dataclass(frozen=True)
class Eclipse:
    """A solar eclipse at greatest eclipse, with the fields of the JSON of
    ``eclipse find`` (docs/contracts.md), at full precision (``to_dict``
    rounds them as the JSON shows them).

    ``latitude`` and ``longitude`` (degrees, east positive) are the point of
    greatest eclipse; ``magnitude`` follows NASA's catalog (the Moon/Sun
    diameter ratio there for a central eclipse, the largest fraction of the
    Sun's diameter covered for the others).  ``elements`` are the Besselian
    elements, evaluable at arrays of times.
    """

    date: str
    kind: str
    central: bool
    time_utc: str
    time_tt: str
    latitude: float
    longitude: float
    gamma: float
    magnitude: float
    sun_altitude_deg: float
    sun_azimuth_deg: float
    duration_s: float | None
    path_width_km: float | None
    saros: int
    delta_t_s: float
    jd_tt: float = field(repr=False)
    lunation: int = field(repr=False)
    elements: BesselianElements = field(repr=False, compare=False)
    ephemeris: str = field(default="de421.bsp", repr=False)  # the source: a kernel's file name, or the canon
    delta_t_model: str = field(default="skyfield", repr=False)  # "skyfield", "espenak-meeus" or "fixed"
    delta_t_sigma_s: float = field(default=0.0, repr=False)  # one standard deviation of Delta T then

    @property
    def jd_ut(self) -> float:
        """UT Julian date of greatest eclipse."""
        return ut_from_tt(self.jd_tt, self.delta_t_s)

    def path(self, step: float = 60.0) -> Path:
        """The path on the Earth (``eclipse.path.Path``): central line, limits,
        P1, P4, U1, U4, shadow regions, GeoJSON and KML; vertices every
        ``step`` seconds of UTC."""
        return path(self, step)

    def to_dict(self) -> dict:
        """The JSON contract of ``eclipse find --format json``, rounded as
        shown: degrees to 4 decimals (10 m), gamma and magnitude to 5, the
        Sun's altitude and azimuth to 0.01 degree, durations and widths to
        0.1 s and 0.1 km, Delta T to 0.01 s."""
        def rounded(value, decimals):
            return None if value is None else round(value, decimals) + 0.0

        return {
            "date": self.date,
            "kind": self.kind,
            "central": self.central,
            "time_utc": self.time_utc,
            "time_tt": self.time_tt,
            "latitude": round(self.latitude, 4),
            "longitude": round(self.longitude, 4),
            "gamma": round(self.gamma, 5),
            "magnitude": round(self.magnitude, 5),
            "sun_altitude_deg": rounded(self.sun_altitude_deg, 2),
            "sun_azimuth_deg": round(self.sun_azimuth_deg, 2),
            "duration_s": rounded(self.duration_s, 1),
            "path_width_km": rounded(self.path_width_km, 1),
            "saros": self.saros,
            "lunation": self.lunation,
            "delta_t_s": round(self.delta_t_s, 2),
            "ephemeris": self.ephemeris,
            "jd_tt": round(self.jd_tt, 6),
            "delta_t_model": self.delta_t_model,
            "delta_t_sigma_s": round(self.delta_t_sigma_s, 1),
        }

    def local(self, lat, lon, elevation=0.0) -> LocalCircumstances:
        """Local circumstances for observers at geodetic latitudes, east
        longitudes (degrees) and elevations (m); numpy arrays welcome.
        See eclipse.local.local_circumstances."""
        return local_circumstances(self, lat, lon, elevation)

    @property
    def sigma_shift_deg(self) -> float:
        """How far (degrees of longitude) one standard deviation of Delta T
        turns the whole path: a later UT1 for the same TT, a less turned Earth."""
        return self.delta_t_sigma_s * DEGREES_PER_DELTA_T_SECOND

    @property
    def sigma_samples(self) -> int:
        """How many turns of the path, from -1 to +1 sigma, ``kinds_seen_within_sigma``
        samples: every SIGMA_SAMPLE_DEG, at least 3, at most 4001."""
        return int(min(max(3, 2 * np.ceil(self.sigma_shift_deg / SIGMA_SAMPLE_DEG) + 1), 4001))

    def kinds_seen_within_sigma(self, lat: float, lon: float, elevation: float = 0.0) -> tuple:
        """The kinds seen from a place as Delta T runs over +-1 sigma: the
        place's circumstances with the path turned by up to sigma_shift_deg
        either way (equivalently, the place moved the other way), sampled
        every SIGMA_SAMPLE_DEG (5 km at the equator; narrower paths than that
        are not central anywhere for long)."""
        shift = self.sigma_shift_deg
        offsets = np.linspace(-shift, shift, self.sigma_samples)
        seen = local_circumstances(self, np.full(len(offsets), float(lat)), wrap_degrees(float(lon) + offsets),
                                   elevation).kind_seen
        return tuple(k for k in KINDS_SEEN if k in set(seen))


def find(year: int | None = None, start=None, end=None, kinds=None, ephemeris: str | Ephemeris | None = None,
         delta_t: float | None = None, delta_t_model: str | None = None) -> list[Eclipse]:
    """Every solar eclipse whose greatest eclipse falls in a year or a span.

    ``start`` and ``end`` are dates, both inclusive (``dates.day_of``: text
    such as '2020-01-01' or a bare year, date, datetime, numpy.datetime64,
    Skyfield or astropy Time, Julian date); ``year`` is short for a whole
    calendar year.  ``kinds`` keeps only some of 'partial', 'annular',
    'total', 'hybrid'.  By default DE421 (from skyfield-data) serves its
    span, 1899-07-30 to 2053-10-07, and the shipped canon of elements
    computed from DE422 the years -2999 to 2999 around it; ``ephemeris``,
    the path of a JPL SPK file, computes everything from that file instead.
    ``delta_t_model`` names the Delta T model ("skyfield", the default, or
    "espenak-meeus", NASA's canon's); ``delta_t`` replaces it by a constant
    in seconds.
    """
    jd_start, jd_end = _span(year, start, end)
    kinds = _kinds_asked(kinds, KINDS)
    found = []
    for eph, a, b in _sources(ephemeris, delta_t, delta_t_model, jd_start, jd_end, year):
        found += _search(eph, a, b)
    return [e for e in found if e.kind in kinds] if kinds else found


def at(date, ephemeris: str | Ephemeris | None = None, delta_t: float | None = None,
       delta_t_model: str | None = None) -> Eclipse:
    """The eclipse of a date: greatest eclipse on that day in UT, or in TT
    (the date NASA's elements carry; they differ when greatest eclipse falls
    within a minute or so of midnight).  ``date`` is text ('2024-04-08'), a
    date or datetime, numpy.datetime64, a Skyfield or astropy Time, or a
    Julian date (``dates.day_of``); the other arguments as ``find``'s.

    Raises NoEclipseError naming the nearest eclipses before and after; a
    bare year ('2024', 2024) is not a day, and raises DateError.
    """
    jd = day_of(date, whole_day=True)
    _sources(ephemeris, delta_t, delta_t_model, jd, jd + 1, None)  # the day itself is covered
    widest = _latest_source(ephemeris)  # the canon by default: the hint may name a day beyond DE421
    window = 200.0  # days: an eclipse season or two either side
    nearby = []
    for eph, a, b in _sources(ephemeris, delta_t, delta_t_model, max(jd - window, widest.first_day),
                              min(jd + window, widest.last_day + 1), None):
        nearby += _search(eph, a, b)
    for eclipse in nearby:
        if jd <= eclipse.jd_ut < jd + 1 or jd <= eclipse.jd_tt < jd + 1:
            return eclipse
    before = [e.date for e in nearby if e.jd_ut < jd][-1:]
    after = [e.date for e in nearby if e.jd_ut >= jd + 1][:1]
    hint = "; ".join(
        f"nearest {side}: {dates[0]}" for side, dates in (("before", before), ("after", after)) if dates
    )
    raise NoEclipseError(f"no solar eclipse on {format_date(jd)}" + (f" ({hint})" if hint else ""))


def characterise(elements: BesselianElements, lunation, eph: Ephemeris) -> list[Eclipse]:
    """The eclipses of a batch of Besselian elements (the shipped canon's,
    NASA's, any): greatest eclipse, kind, magnitude, point, width, duration,
    saros from the lunation numbers; ``eph`` gives Delta T (its timescale)
    and the name in ``ephemeris``.  Elements whose penumbra misses the Earth
    give no eclipse."""
    return _characterise(elements, np.asarray(lunation, dtype=np.int64), eph)


def _sources(ephemeris, delta_t, delta_t_model, jd_start: float, jd_end: float, year) -> list:
    """Which source serves the days [jd_start, jd_end): (ephemeris, start,
    end) pieces in order.  A kernel given (a path or an Ephemeris) serves the
    whole span; by default DE421 its own span and the canon the rest."""
    if ephemeris is not None:
        if isinstance(ephemeris, Ephemeris):
            eph = ephemeris if delta_t is None and delta_t_model is None else (
                ephemeris.with_delta_t(delta_t, delta_t_model))
        else:
            eph = ephemeris_module.load(ephemeris, delta_t, delta_t_model)
        _check_span(eph, jd_start, jd_end, year)
        return [(eph, jd_start, jd_end)]
    live = ephemeris_module.load(None, delta_t, delta_t_model)
    stored = canon.source().with_delta_t(delta_t, delta_t_model)
    _check_span(stored, jd_start, jd_end, year, also=live)
    first, last = live.first_day, live.last_day + 1
    pieces = [(stored, jd_start, min(jd_end, first)), (live, max(jd_start, first), min(jd_end, last)),
              (stored, max(jd_start, last), jd_end)]
    return [(eph, a, b) for eph, a, b in pieces if b > a]


def _span(year, start, end) -> tuple[float, float]:
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


def _check_span(eph: Ephemeris, jd_start: float, jd_end: float, year, also: Ephemeris | None = None) -> None:
    """The days [jd_start, jd_end) must lie within the ephemeris's whole days
    (``also``: a second source named in the message)."""
    if jd_start >= eph.first_day and jd_end <= eph.last_day + 1:
        return
    if year is not None:
        asked = f"year {year}"
    elif jd_end - jd_start <= 1:
        asked = format_date(jd_start)
    else:
        asked = f"{format_date(jd_start)} to {format_date(jd_end - 1)}"
    live = f" ({also.range_text()}, live)" if also is not None else ""
    raise EphemerisError(
        f"{asked} is not within the ephemeris: {eph.range_text()}{live}; "
        "use --ephemeris PATH (ephemeris= in Python) with a JPL file that covers it, e.g. de441"
    )


# --- candidates ------------------------------------------------------------


def new_moons(k: np.ndarray):
    """TT Julian dates of new moons k (k = 0 at 2000 January 6) and the Moon's
    argument of latitude F (radians) then.

    Meeus, Astronomical Algorithms, ch. 49, with the terms above 0.0005 day:
    good to a few minutes, which is all the search needs.
    """
    k = np.asarray(k, dtype=float)
    t = k / 1236.85
    jde = 2451550.09766 + SYNODIC_MONTH * k + 0.00015437 * t**2
    rad = np.pi / 180.0
    m_sun = (2.5534 + 29.10535670 * k - 0.0000014 * t**2) * rad
    m_moon = (201.5643 + 385.81693528 * k + 0.0107582 * t**2) * rad
    f = (160.7108 + 390.67050284 * k - 0.0016118 * t**2) * rad
    omega = (124.7746 - 1.56375588 * k + 0.0020672 * t**2) * rad
    e = 1 - 0.002516 * t - 0.0000074 * t**2
    jde += (
        -0.40720 * np.sin(m_moon)
        + 0.17241 * e * np.sin(m_sun)
        + 0.01608 * np.sin(2 * m_moon)
        + 0.01039 * np.sin(2 * f)
        + 0.00739 * e * np.sin(m_moon - m_sun)
        - 0.00514 * e * np.sin(m_moon + m_sun)
        + 0.00208 * e * e * np.sin(2 * m_sun)
        - 0.00111 * np.sin(m_moon - 2 * f)
        - 0.00057 * np.sin(m_moon + 2 * f)
        + 0.00056 * e * np.sin(2 * m_moon + m_sun)
        - 0.00042 * np.sin(3 * m_moon)
    )
    f_corrected = f - 0.02665 * rad * np.sin(omega)
    return jde, f_corrected


def saros_number(lunation) -> np.ndarray:
    """Saros series from the lunation number (Meeus's k, as NASA's 'luna').

    Eclipses 223 lunations apart share a series; 358 lunations (an inex) lead
    to the next series.  Since 358 * 38 = 1 (mod 223), the series number is
    139 + 38 (k - 300) modulo 223 (2024 April 8: k = 300, saros 139); of the
    numbers that fit, take the one nearest the centre of the series active then,
    which drifts by one series per inex.
    """
    k = np.asarray(lunation, dtype=np.int64)
    offset = np.mod((k - 300) * 38, 223)
    centre = 139 + (k - 300) / 358.0
    return (139 + offset - 223 * np.round((139 + offset - centre) / 223.0)).astype(int)


# --- the search --------------------------------------------------------------


def _search(eph: Ephemeris, jd_start: float, jd_end: float) -> list[Eclipse]:
    """The eclipses whose greatest eclipse falls on the days [jd_start,
    jd_end) (UT), from a kernel or from the canon's stored elements."""
    if eph.kernel is None:
        # t0 is TT, within half an hour of greatest eclipse; the days asked are
        # UT: TT - UT is Delta T, up to 150,000 s (1.8 days) when given
        pad = 1.0 + abs(eph.delta_t or 0.0) / SECONDS_PER_DAY
        stored = canon.window(jd_start - pad, jd_end + pad, eph.delta_t_model, eph.delta_t)
        found = _characterise(stored.elements, stored.lunation, eph)
    else:
        found = _search_kernel(eph, jd_start, jd_end)
    days = [np.floor(e.jd_ut + 0.5) - 0.5 for e in found]
    return [e for e, day in zip(found, days) if jd_start <= day < jd_end]


def _search_kernel(eph: Ephemeris, jd_start: float, jd_end: float) -> list[Eclipse]:
    """Candidate new moons, the closest approach of each, the elements fitted
    around it, characterised."""
    margin = 0.5  # days kept clear of the ephemeris's ends
    k = np.arange(np.floor((jd_start - 2451550.1) / SYNODIC_MONTH) - 1,
                  np.ceil((jd_end - 2451550.1) / SYNODIC_MONTH) + 2)
    jd_new, f = new_moons(k)
    keep = (np.abs(np.sin(f)) < NODE_LIMIT) & (jd_new > eph.jd_first + margin) & (jd_new < eph.jd_last - margin)
    k, jd_new = k[keep], jd_new[keep]
    if not len(k):
        return []

    jd_greatest, distance = _closest_approach(eph, jd_new)
    keep = distance < 1.6  # the penumbra (l1 < 0.58) cannot reach the Earth beyond this
    t0 = np.round(jd_greatest[keep] * 24.0) / 24.0
    elements = fit_elements(eph, t0)
    return _characterise(elements, k[keep].astype(int), eph)


def _closest_approach(eph: Ephemeris, jd_guess: np.ndarray):
    """Instant and distance of the axis's closest approach to the Earth's centre.

    The perpendicular from the axis is sampled at -1.5, 0, +1.5 h, each of its
    components interpolated by a parabola, and |p(t)|^2 minimised by the
    fixed-point iteration t <- t - p.p' / p'.p'.
    """
    step = 1.5
    samples = axis_offset(eph, jd_guess[:, None] + np.array([-step, 0.0, step]) / 24.0)
    before, middle, after = samples[..., 0], samples[..., 1], samples[..., 2]
    slope = (after - before) / (2 * step)
    curve = (after - 2 * middle + before) / (2 * step * step)
    t = np.zeros(len(jd_guess))
    for _ in range(6):
        p = middle + t * slope + t * t * curve
        dp = slope + 2 * t * curve
        t = t - np.sum(p * dp, axis=0) / np.sum(dp * dp, axis=0)
    p = middle + t * slope + t * t * curve
    return jd_guess + t / 24.0, np.sqrt(np.sum(p * p, axis=0))


def _characterise(elements: BesselianElements, lunation: np.ndarray, eph: Ephemeris) -> list[Eclipse]:
    """Kind, magnitude, point of greatest eclipse, width and duration."""
    g = _greatest(elements)
    place = observer(g["latitude"], g["longitude"])
    s = shadow(elements, g["t_point"], place)
    ep = elements.at(g["t_point"])
    altitude, azimuth = sun_altitude_azimuth(g["latitude"], g["longitude"], ep.d, ep.mu)
    central, eo = g["central"], g["at_outline"]
    size = np.where(
        central,
        diameter_ratio(s.penumbra, s.umbra),  # Moon/Sun diameter ratio
        magnitude(g["limb_distance"], eo.l1, eo.l2),  # fraction of the Sun's diameter
    )
    kind = _kinds(elements, central, g["umbral"], eo.l2, g["t"])
    duration = central_duration(elements, place, g["t"]) * 3600.0
    width = path_width(s, ep) * EARTH_RADIUS_KM
    # With the axis this near the limb the umbra hangs over the Earth's edge:
    # one limit is missing and the path has no width (NASA's types An, As).
    one_limit = central & (-g["limb_distance"] < np.abs(eo.l2))

    jd_tt = elements.t0 + g["t"] / 24.0
    delta_t, sigma = eph.delta_t_seconds(jd_tt), eph.delta_t_sigma(jd_tt)
    saros = saros_number(lunation)
    rad = np.pi / 180.0
    eclipses = []
    for i in np.flatnonzero(g["penumbral"]):
        is_central = bool(central[i])
        jd_ut = ut_from_tt(jd_tt[i], delta_t[i])
        eclipses.append(Eclipse(
            date=format_date(jd_ut),
            kind=str(kind[i]),
            central=is_central,
            time_utc=format_datetime(jd_ut, 0, "Z"),
            time_tt=format_datetime(jd_tt[i], 1),
            latitude=float(g["latitude"][i] / rad),
            longitude=float(g["longitude"][i] / rad),
            gamma=float(g["gamma"][i]),
            magnitude=float(size[i]),
            sun_altitude_deg=float(altitude[i] / rad),
            sun_azimuth_deg=float(azimuth[i] / rad),
            duration_s=float(duration[i]) if is_central else None,
            path_width_km=float(width[i]) if is_central and not one_limit[i] else None,
            saros=int(saros[i]),
            delta_t_s=float(delta_t[i]),
            jd_tt=float(jd_tt[i]),
            lunation=int(lunation[i]),
            ephemeris=eph.name,
            elements=elements[i],
            delta_t_model=eph.delta_t_model,
            delta_t_sigma_s=float(sigma[i]),
        ))
    return eclipses


def _greatest(elements: BesselianElements) -> dict:
    """Greatest eclipse of each eclipse of a batch: the instant t (hours
    from t0) and gamma; where the axis comes nearest the Earth's outline (an
    ellipse on the plane), whether it crosses it (central), whether the
    penumbra and the umbra reach the Earth; and the point of greatest
    eclipse: under the axis at greatest eclipse for a central eclipse,
    otherwise the point of the outline nearest the axis at the instant it is
    nearest (NASA's points for partial eclipses are these, up to 22 s from
    the minimum of x^2 + y^2 along the limb)."""
    t = axis_nearest(elements, np.zeros(len(elements)), 4)
    e = elements.at(t)
    gamma = np.copysign(np.hypot(e.x, e.y), e.y)
    b = outline_minor_axis(e.d)
    t_outline = axis_nearest(elements, t, 4, scale_y=b)
    eo = elements.at(t_outline)
    central = eo.x**2 + (eo.y / b) ** 2 < 1.0
    limb_xi, limb_eta, limb_distance = nearest_outline_point(eo.x, eo.y, eo.d)
    t_point = np.where(central, t, t_outline)
    ep = elements.at(t_point)
    lat, lon = point_under(np.where(central, ep.x, limb_xi), np.where(central, ep.y, limb_eta), ep.d, ep.mu)
    return dict(t=t, gamma=gamma, at_outline=eo, central=central, limb_distance=limb_distance,
                penumbral=limb_distance < eo.l1, umbral=central | (limb_distance < np.abs(eo.l2)),
                t_point=t_point, latitude=lat, longitude=lon)


def _kinds(elements: BesselianElements, central, umbral, l2_nearest, t_greatest) -> np.ndarray:
    """partial, annular, total or hybrid.

    A non-central eclipse is total or annular by the sign of l2 where the
    umbra grazes the Earth.  A central one is hybrid when L2 = l2 - zeta tan f2
    changes sign along the central line: sampled from the instant the axis
    meets the Earth to the instant it leaves (where zeta = 0, L2 = l2).
    """
    kind = np.where(umbral, np.where(l2_nearest < 0, "total", "annular"), "partial")
    if not np.any(central):
        return kind
    sub = elements[np.flatnonzero(central)]
    tc = t_greatest[central]
    ends = [axis_meets_outline(sub, tc, side) for side in (-1.0, 1.0)]
    fractions = np.linspace(0.0, 1.0, 65)[:, None]
    samples = ends[0] + (ends[1] - ends[0]) * fractions
    e = sub.at(samples)
    lat, lon = point_under(e.x, e.y, e.d, e.mu)
    _, _, zeta = fundamental_coordinates(observer(lat, lon), e.d, e.mu)
    umbra = e.l2 - np.nan_to_num(zeta, nan=0.0) * e.tan_f2
    total_somewhere = np.any(umbra < 0, axis=0)
    annular_somewhere = np.any(umbra > 0, axis=0)
    kind_central = np.where(total_somewhere & annular_somewhere, "hybrid",
                            np.where(total_somewhere, "total", "annular"))
    kind[central] = kind_central
    return kind


# --- the next eclipses seen from a place ------------------------------------------

#: How far ahead next_eclipses looks by default, in years.
SEARCH_YEARS = 100


@dataclass(frozen=True)
class SeenEclipse:
    """One eclipse and what a single observer sees of it."""

    eclipse: Eclipse
    local: LocalCircumstances  # 0-d arrays


@dataclass(frozen=True)
class Upcoming:
    """The result of next_eclipses: what was found and how far it looked.

    ``ephemeris_end`` is True when the search stopped at the end of its
    source (by default the long-range canon: the end of 2999; a kernel
    given: the kernel's end) before ``years`` years or ``count`` eclipses.
    ``ephemeris`` names that source.
    """

    eclipses: list
    searched_from: str  # date
    searched_to: str  # date
    ephemeris_end: bool
    ephemeris: str  # the source's name: a kernel's file name, or the canon's


def next_eclipses(lat, lon, count: int = 5, kinds=None, seen=None, start=None, elevation_m: float = 0.0,
                  years: float = SEARCH_YEARS, ephemeris=None, delta_t=None, delta_t_model=None) -> Upcoming:
    """The next ``count`` eclipses seen from a place (the Sun up for some part).

    ``kinds`` keeps only eclipses of some kinds ('partial', 'annular',
    'total', 'hybrid': the eclipse's kind, as ``find``); ``seen`` only those
    seen from the place as some kinds ('partial', 'annular', 'total').
    ``start`` is a date (``dates.day_of``: text, date, datetime, ...), today
    (UTC) by default.  Searches at most ``years`` years ahead and never
    beyond the ephemeris: ``Upcoming.ephemeris_end`` says when that cut the
    search short.  All eclipses of the span are searched at once and their
    elements evaluated as one batch.
    """
    lat, lon, elevation_m = (float(v) for v in check_location(lat, lon, elevation_m))
    if int(count) != count or count < 1:
        raise EclipseError(f"count must be a whole number above 0, not {count}")
    kinds, seen = _kinds_asked(kinds, KINDS), _kinds_asked(seen, KINDS_SEEN[1:])
    if start is None:
        start = datetime.datetime.now(datetime.timezone.utc).date()
    jd_start = day_of(start)
    last = _latest_source(ephemeris)
    jd_end = jd_start + years * 365.25 - 1
    ephemeris_end = jd_end > last.last_day
    jd_end = min(jd_end, last.last_day)
    if jd_end < jd_start:
        raise EphemerisError(f"{format_date(jd_start)} is at or past the end of the ephemeris: {last.range_text()}")
    found = find(start=jd_start, end=jd_end, ephemeris=ephemeris, delta_t=delta_t, delta_t_model=delta_t_model,
                 kinds=kinds)
    chosen = []
    if found:
        batch = stack_elements([e.elements for e in found])
        local = local_circumstances(batch, lat, lon, elevation_m)
        for i, e in enumerate(found):
            kind = str(local.kind_seen[i])
            if kind != "none" and (not seen or kind in seen):
                chosen.append(SeenEclipse(e, local[i]))
                if len(chosen) == count:
                    ephemeris_end = False
                    break
    return Upcoming(chosen, format_date(jd_start), format_date(jd_end), bool(ephemeris_end), last.name)


def _latest_source(ephemeris) -> Ephemeris:
    """The source with the widest span: the kernel given, else the canon."""
    if isinstance(ephemeris, Ephemeris):
        return ephemeris
    return ephemeris_module.load(ephemeris) if ephemeris is not None else canon.source()


def _kinds_asked(kinds, allowed) -> list | None:
    """A kind or kinds asked for, checked against those allowed."""
    if not kinds:
        return None
    kinds = [kinds] if isinstance(kinds, str) else list(kinds)
    unknown = set(kinds) - set(allowed)
    if unknown:
        raise EclipseError(f"unknown kind {sorted(unknown)[0]!r}: choose from {', '.join(allowed)}")
    return kinds
