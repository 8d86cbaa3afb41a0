"""Circumstances of an eclipse for observers on the Earth.

Everything is vectorised: elements of one eclipse with arrays of observers,
or a batch of eclipses with one observer each.  Contact instants are found
by Meeus's iteration (Elements of Solar Eclipses, 1989; Explanatory
Supplement 2013 section 11.4): with the shadow's motion relative to the
observer taken as linear over one step, solve

    (u + a tau)^2 + (v + b tau)^2 = L^2

for the step tau, and repeat until it vanishes.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import NamedTuple

import numpy as np

from .besselian import BesselianElements
from .dates import format_datetime
from .earth import (
    Observer,
    fundamental_coordinates,
    fundamental_rates,
    observer,
    sun_altitude_azimuth,
    wrap_longitude,
)
from .errors import EclipseError


class Shadow(NamedTuple):
    """The shadow relative to an observer at some instants (Earth radii, hours)."""

    u: np.ndarray  # x - xi
    v: np.ndarray  # y - eta
    a: np.ndarray  # du/dt
    b: np.ndarray  # dv/dt
    penumbra: np.ndarray  # L1, penumbral radius in the observer's plane
    umbra: np.ndarray  # L2, negative for a total eclipse
    zeta: np.ndarray  # > 0 when the Sun is above the horizon

    @property
    def distance(self):
        """Delta, distance of the observer from the shadow axis."""
        return np.hypot(self.u, self.v)


def shadow(elements: BesselianElements, t, obs: Observer) -> Shadow:
    """Shadow relative to observers at t hours from t0 (FORMULAS.md)."""
    e = elements.at(t)
    return shadow_at(e, *fundamental_coordinates(obs, e.d, e.mu))


def shadow_at(e, xi, eta, zeta) -> Shadow:
    """Shadow relative to the points of fundamental coordinates (xi, eta,
    zeta) at the instants of elements ``e`` (``BesselianElements.at``)."""
    dxi, deta = fundamental_rates(xi, eta, zeta, e.d, e.dd, e.dmu)
    return Shadow(
        u=e.x - xi,
        v=e.y - eta,
        a=e.dx - dxi,
        b=e.dy - deta,
        penumbra=e.l1 - zeta * e.tan_f1,
        umbra=e.l2 - zeta * e.tan_f2,
        zeta=zeta,
    )


def time_of_maximum(elements: BesselianElements, t, obs: Observer, iterations: int = 4):
    """Hours from t0 when the observer is nearest the axis (local maximum)."""
    t = np.asarray(t, dtype=float)
    for _ in range(iterations):
        s = shadow(elements, t, obs)
        t = t - (s.u * s.a + s.v * s.b) / (s.a * s.a + s.b * s.b)
    return t


def contact_time(elements: BesselianElements, t, obs: Observer, umbral: bool,
                 ending: bool, iterations: int = 5, clamp: bool = False):
    """Hours from t0 of a contact, iterated from a guess ``t`` (e.g. maximum).

    ``umbral`` picks Delta = |L2| (C2, C3) instead of Delta = L1 (C1, C4);
    ``ending`` picks the later root (C3, C4).  NaN where there is no contact,
    unless ``clamp``: then a negative discriminant counts as zero (the
    linear motion's closest approach), for observers known to be reached.
    """
    t = np.asarray(t, dtype=float)
    sign = 1.0 if ending else -1.0
    for _ in range(iterations):
        s = shadow(elements, t, obs)
        radius = np.abs(s.umbra) if umbral else s.penumbra
        n2 = s.a * s.a + s.b * s.b
        p = s.u * s.a + s.v * s.b
        discriminant = p * p - n2 * (s.u * s.u + s.v * s.v - radius * radius)
        if clamp:
            discriminant = np.maximum(discriminant, 0.0)
        with np.errstate(invalid="ignore"):
            t = t + (-p + sign * np.sqrt(discriminant)) / n2
    return t


# --- local circumstances for arrays of observers -----------------------------

#: The instants reported for an observer, in order.
CONTACTS = ("c1", "c2", "max", "c3", "c4")
LOCAL_KINDS = ("none", "partial", "annular", "total")

#: Hours from t0 of the coarse grid on which the maximum is first bracketed:
#: the penumbra stays on the Earth for at most about 6 h around greatest
#: eclipse, and an observer's distance from the axis has a single minimum
#: within it, so half-hour samples put the first guess within 15 min.
_GRID_HOURS = np.arange(-4.0, 4.0 + 1e-9, 0.5)
#: Beyond this the polynomial elements (fitted over +-3 h) mean nothing.
_VALID_HOURS = 5.0
#: Meeus's iteration for the maximum, from the grid: the step falls below
#: the tolerance within 5 iterations for 70-90% of observers spread over the
#: globe and within 17 for all (measured on 2024-04-08 and 2021-12-04); the
#: slow ones are far from the shadow, where the motion relative to them is
#: least linear.
_MAX_ITERATIONS = 30
#: Contacts from the maximum: within 4 iterations for nearly all observers,
#: 10 at most, the slowest being those the shadow barely grazes, where the
#: two roots merge.
_CONTACT_ITERATIONS = 30
_TOLERANCE_HOURS = 1e-7  # 0.36 ms


class LocationError(EclipseError):
    """A latitude, longitude or elevation that is not a place on the Earth."""


@dataclass(frozen=True, eq=False)
class LocalCircumstances:
    """What observers see of one eclipse (or of a batch, one observer each).

    Every field is an array of the observers' broadcast shape.  Times are TT
    Julian dates, NaN where the contact does not happen (no C2, C3 for a
    partial eclipse; nothing at all where the penumbra never reaches the
    observer).  Contacts, maximum, magnitude and obscuration are geometric:
    they are computed even when the Sun is below the horizon, and
    ``below_horizon`` says when it is (geometric centre of the Sun below the
    astronomical horizon, refraction ignored).  ``kind_seen`` takes the
    horizon into account: 'none' when the Sun is down during the whole
    eclipse, 'partial' when the central phase happens with the Sun down.
    When the eclipse rises or sets in progress, ``sunrise`` or ``sunset``
    gives the instant, and ``magnitude_visible`` and ``obscuration_visible``
    the most of the Sun seen covered with the Sun up (at maximum when the Sun
    is up then, else at sunrise or sunset; 0 when nothing is seen).
    ``magnitude`` is the fraction of the Sun's diameter covered at maximum,
    (L1 - Delta) / (L1 + L2), above 1 inside a path of totality, 0 where no
    eclipse reaches the observer; ``obscuration`` the fraction of its area.
    """

    latitude: np.ndarray  # geodetic, degrees
    longitude: np.ndarray  # east, degrees in [-180, 180)
    elevation_m: np.ndarray
    kind_seen: np.ndarray  # 'none' | 'partial' | 'annular' | 'total'
    visible: np.ndarray  # some part of the eclipse with the Sun up
    c1: np.ndarray
    c2: np.ndarray
    max: np.ndarray
    c3: np.ndarray
    c4: np.ndarray
    magnitude: np.ndarray
    obscuration: np.ndarray
    magnitude_visible: np.ndarray  # the greatest with the Sun up (at sunrise or sunset)
    obscuration_visible: np.ndarray
    sunrise: np.ndarray  # TT Julian date when the Sun rises during the eclipse, else NaN
    sunset: np.ndarray  # TT Julian date when the Sun sets during the eclipse, else NaN
    duration_s: np.ndarray  # C3 - C2, NaN without a central phase
    sun_altitude_deg: np.ndarray  # at maximum
    sun_azimuth_deg: np.ndarray  # at maximum, from north through east
    contact_altitude_deg: np.ndarray  # last axis: CONTACTS
    contact_azimuth_deg: np.ndarray  # last axis: CONTACTS
    below_horizon: np.ndarray  # last axis: CONTACTS; False where absent
    delta_t_s: np.ndarray  # TT - UT used to show times in UT

    @property
    def shape(self) -> tuple:
        return np.shape(self.magnitude)

    def __getitem__(self, index) -> "LocalCircumstances":
        """The circumstances of some observers (or of one)."""
        values = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in ("contact_altitude_deg", "contact_azimuth_deg", "below_horizon"):
                index_full = (index if isinstance(index, tuple) else (index,)) + (slice(None),)
                values[f.name] = value[index_full]
            else:
                values[f.name] = value[index]
        return LocalCircumstances(**values)

    def time_tt(self, name: str) -> np.ndarray:
        """TT Julian dates of one of CONTACTS."""
        if name not in CONTACTS + ("sunrise", "sunset"):
            raise ValueError(f"unknown instant {name!r}: choose from {', '.join(CONTACTS)}, sunrise, sunset")
        return getattr(self, name)

    def time_ut(self, name: str) -> np.ndarray:
        """UT Julian dates (TT - Delta T) of one of CONTACTS."""
        return self.time_tt(name) - self.delta_t_s / 86400.0

    def utc(self, name: str, index=()) -> str | None:
        """ISO 8601 UT of a contact of one observer, seconds; None if absent.

        As elsewhere in the package, UT1 is shown as UTC (they differ by less
        than 0.9 s).
        """
        jd = float(np.asarray(self.time_ut(name))[index])
        return format_datetime(jd, 0, "Z") if np.isfinite(jd) else None

    def to_dict(self, index=()) -> dict:
        """JSON of one observer (DESIGN.md): UT ISO times or null."""

        def number(array, decimals):
            value = float(np.asarray(array)[index])
            return round(value, decimals) + 0.0 if np.isfinite(value) else None

        out = {
            "kind_seen": str(np.asarray(self.kind_seen)[index]),
            "visible": bool(np.asarray(self.visible)[index]),
            "latitude": number(self.latitude, 5),
            "longitude": number(self.longitude, 5),
            "elevation_m": number(self.elevation_m, 1),
        }
        for name in CONTACTS:
            out[name] = self.utc(name, index)
        out.update(
            magnitude=number(self.magnitude, 5),
            obscuration=number(self.obscuration, 5),
            magnitude_visible=number(self.magnitude_visible, 5),
            obscuration_visible=number(self.obscuration_visible, 5),
            sunrise=self.utc("sunrise", index),
            sunset=self.utc("sunset", index),
            duration_s=number(self.duration_s, 1),
            sun_altitude_deg=number(self.sun_altitude_deg, 2),
            sun_azimuth_deg=number(self.sun_azimuth_deg, 2),
        )
        contacts = {}
        altitude = np.asarray(self.contact_altitude_deg)[index]
        azimuth = np.asarray(self.contact_azimuth_deg)[index]
        below = np.asarray(self.below_horizon)[index]
        for i, name in enumerate(CONTACTS):
            jd_tt = float(np.asarray(self.time_tt(name))[index])
            if not np.isfinite(jd_tt):
                contacts[name] = None
                continue
            contacts[name] = {
                "time_utc": self.utc(name, index),
                "time_tt": format_datetime(jd_tt, 1),
                "sun_altitude_deg": round(float(altitude[i]), 2) + 0.0,
                "sun_azimuth_deg": round(float(azimuth[i]), 2),
                "sun_below_horizon": bool(below[i]),
            }
        out["contacts"] = contacts
        out["delta_t_s"] = number(self.delta_t_s, 2)
        return out


def check_location(latitude, longitude, elevation_m=0.0):
    """Latitudes, longitudes (degrees) and elevations as float arrays.

    Raises LocationError for a latitude outside [-90, 90], a longitude outside
    [-180, 360) or anything not a finite number.
    """
    try:
        lat = np.asarray(latitude, dtype=float)
        lon = np.asarray(longitude, dtype=float)
        elev = np.asarray(elevation_m, dtype=float)
    except (TypeError, ValueError):
        raise LocationError("latitude, longitude and elevation must be numbers") from None
    for name, value in (("latitude", lat), ("longitude", lon), ("elevation", elev)):
        if not np.all(np.isfinite(value)):
            raise LocationError(f"{name} must be a finite number")
    bad = lat[(lat < -90) | (lat > 90)]
    if bad.size:
        raise LocationError(f"latitude {bad.flat[0]:g} is outside [-90, 90]")
    bad = lon[(lon < -180) | (lon >= 360)]
    if bad.size:
        raise LocationError(f"longitude {bad.flat[0]:g} is outside [-180, 360)")
    return lat, lon, elev


def local_circumstances(eclipse_or_elements, latitude, longitude, elevation_m=0.0) -> LocalCircumstances:
    """Local circumstances of an eclipse for observers (degrees, metres).

    ``eclipse_or_elements`` is an Eclipse (eclipse.at(...)) or Besselian
    elements; with a 1-D batch of elements, one observer each (or one for
    all).  Geodetic latitude and elevation on the WGS84 ellipsoid.
    Vectorised: arrays of observers in, arrays out.

    The maximum is bracketed on a half-hourly grid and refined by Meeus's
    iteration (time_of_maximum); each contact is iterated from the maximum
    (contact_time).  Only observers the penumbra reaches go past the maximum.
    """
    elements = getattr(eclipse_or_elements, "elements", eclipse_or_elements)
    lat, lon, elev = check_location(latitude, longitude, elevation_m)
    batch = np.shape(elements.t0)
    shape = np.broadcast_shapes(lat.shape, lon.shape, elev.shape, batch)
    if batch and (len(batch) != 1 or shape != batch):
        raise ValueError("a batch of elements takes one observer, or one observer per eclipse")
    rad = np.pi / 180.0
    lat, lon, elev = (np.broadcast_to(v, shape).ravel() for v in (lat, lon, elev))
    n = lat.size
    obs = observer(lat * rad, lon * rad, elev)
    delta_t = np.broadcast_to(np.asarray(elements.delta_t, dtype=float), shape).ravel()

    # maximum: the least distance from the axis, on the grid then refined
    e = elements.at(_GRID_HOURS[:, None])
    xi, eta, _ = fundamental_coordinates(obs, e.d, e.mu)
    t_max = _GRID_HOURS[np.argmin((e.x - xi) ** 2 + (e.y - eta) ** 2, axis=0)]
    t_max = _converge(_maximum_step, elements, bool(batch), t_max, obs, _MAX_ITERATIONS)
    s = shadow(elements, t_max, obs)
    delta, l1, l2 = s.distance, s.penumbra, s.umbra
    partial = (delta < l1) & (np.abs(t_max) < _VALID_HOURS)

    # from here on, only the observers who are in the penumbra at maximum
    seen = np.flatnonzero(partial)
    sub = elements[seen] if batch else elements
    so = Observer(*(v[seen] for v in obs))
    delta, l1, l2, tm = delta[seen], l1[seen], l2[seen], t_max[seen]
    central = delta < np.abs(l2)

    def contact(umbral, ending, where=None):
        t = _converge(_contact_step(umbral, ending), sub, bool(batch), tm, so, _CONTACT_ITERATIONS)
        return t if where is None else np.where(where, t, np.nan)

    t1, t4 = contact(False, False), contact(False, True)
    t2, t3 = contact(True, False, central), contact(True, True, central)
    hours = np.stack([t1, t2, tm, t3, t4])

    # the Sun's altitude and azimuth at each instant; visibility
    e = sub.at(hours)
    altitude, azimuth = sun_altitude_azimuth(so.latitude, so.longitude, e.d, e.mu)
    visible = _sun_up_between(so, e.d[0], e.mu[0], e.d[4], e.mu[4])
    with np.errstate(invalid="ignore"):
        central_visible = central & _sun_up_between(so, e.d[1], e.mu[1], e.d[3], e.mu[3])
    kind = np.where(central_visible, np.where(l2 < 0, "total", "annular"),
                    np.where(visible, "partial", "none"))

    # sunrise or sunset during the eclipse, and the most seen with the Sun up
    magnitude, obscured = (l1 - delta) / (l1 + l2), obscuration(delta, l1, l2)
    crossings = []
    for rising in (True, False):
        t = _horizon_crossing(sub, so, tm, rising)
        with np.errstate(invalid="ignore"):
            crossings.append(np.where((t >= t1) & (t <= t4), t, np.nan))
    sunrise, sunset = crossings
    with np.errstate(invalid="ignore"):
        max_up = altitude[2] >= 0.0
        # the Sun up only after the maximum (rises in progress) or before it (sets)
        best_seen = [np.where(sunrise > tm, sunrise, np.nan), np.where(sunset < tm, sunset, np.nan)]
    magnitude_visible, obscuration_visible = magnitude, obscured
    if not np.all(max_up):
        at_horizon = [shadow(sub, t, so) for t in best_seen]
        m = [(h.penumbra - h.distance) / (h.penumbra + h.umbra) for h in at_horizon]
        o = [obscuration(h.distance, h.penumbra, h.umbra) for h in at_horizon]
        magnitude_visible = np.where(max_up, magnitude, np.fmax(m[0], m[1]))
        obscuration_visible = np.where(max_up, obscured, np.fmax(o[0], o[1]))
    magnitude_visible = np.where(visible, magnitude_visible, 0.0)
    obscuration_visible = np.where(visible, obscuration_visible, 0.0)

    def full(values, fill, dtype=float):
        out = np.full((n,) + np.shape(values)[1:], fill, dtype=dtype)
        out[seen] = values
        return out.reshape(shape + np.shape(values)[1:])

    t0 = np.broadcast_to(elements.t0, shape).ravel()[seen]
    jd = (t0 + hours / 24.0).T  # (observers, CONTACTS)
    jd = full(jd, np.nan)
    sunrise, sunset = full(t0 + sunrise / 24.0, np.nan), full(t0 + sunset / 24.0, np.nan)
    altitude, azimuth = full(np.degrees(altitude).T, np.nan), full(np.degrees(azimuth).T, np.nan)
    with np.errstate(invalid="ignore"):
        below = altitude < 0.0
    return LocalCircumstances(
        latitude=lat.reshape(shape),
        longitude=np.degrees(wrap_longitude(lon * rad)).reshape(shape),
        elevation_m=elev.reshape(shape),
        kind_seen=full(kind, "none", dtype="<U7"),
        visible=full(visible, False, dtype=bool),
        c1=jd[..., 0], c2=jd[..., 1], max=jd[..., 2], c3=jd[..., 3], c4=jd[..., 4],
        magnitude=full(magnitude, 0.0),
        obscuration=full(obscured, 0.0),
        magnitude_visible=full(magnitude_visible, 0.0),
        obscuration_visible=full(obscuration_visible, 0.0),
        sunrise=sunrise,
        sunset=sunset,
        duration_s=full((t3 - t2) * 3600.0, np.nan),
        sun_altitude_deg=altitude[..., 2],
        sun_azimuth_deg=azimuth[..., 2],
        contact_altitude_deg=altitude,
        contact_azimuth_deg=azimuth,
        below_horizon=below,
        delta_t_s=delta_t.reshape(shape),
    )


def _converge(one_step, elements: BesselianElements, batch: bool, t, obs: Observer,
              iterations: int, tolerance: float = _TOLERANCE_HOURS):
    """Repeat ``one_step(elements, t, obs) -> t`` until every step is below
    ``tolerance`` hours, or ``iterations`` times; observers that have
    converged are left alone (NaN steps stop too).
    """
    t = np.array(t, dtype=float)
    active = np.arange(t.size)
    for _ in range(iterations):
        el = elements[active] if batch else elements
        step = one_step(el, t[active], Observer(*(v[active] for v in obs))) - t[active]
        t[active] += step
        active = active[~(np.abs(step) < tolerance)]
        if not active.size:
            break
    return t


def _maximum_step(elements, t, obs):
    return time_of_maximum(elements, t, obs, iterations=1)


def _contact_step(umbral: bool, ending: bool):
    # The discriminant is clamped at zero, so that an observer grazed by the
    # shadow gets the instant of tangency rather than NaN.
    def step(elements, t, obs):
        return contact_time(elements, t, obs, umbral=umbral, ending=ending, iterations=1, clamp=True)
    return step


def _horizon_crossing(elements: BesselianElements, obs: Observer, t, rising: bool):
    """Hours from t0 of the sunrise (or sunset) nearest ``t``; NaN where the
    Sun neither rises nor sets (polar day or night).

    The Sun's centre is on the horizon (no refraction) when
    cos H = -tan phi tan d; rising at H = -H0, setting at +H0.  H = mu + lon
    grows at mu' = 15 degrees an hour; d changes slowly, so three steps do.
    """
    sign = -1.0 if rising else 1.0
    t = np.array(t, dtype=float)
    for _ in range(3):
        e = elements.at(t)
        with np.errstate(invalid="ignore"):
            h0 = np.arccos(-np.tan(obs.latitude) * np.tan(e.d))
        miss = np.mod(sign * h0 - (e.mu + obs.longitude) + np.pi, 2 * np.pi) - np.pi
        t = t + miss / e.dmu
    return t


def _sun_up_between(obs: Observer, d_start, mu_start, d_end, mu_end):
    """Whether the Sun is above the horizon at some instant between two.

    sin h = sin phi sin d + cos phi cos d cos H, with H = mu + longitude
    growing steadily (15 degrees an hour): over an interval the altitude is
    greatest at one end, or at the upper culmination (H = 0 mod 2 pi) when
    the interval holds one.  d changes by less than 1' an hour: its mean
    serves at the culmination.
    """
    h_start = mu_start + obs.longitude
    h_end = mu_end + obs.longitude
    d = (d_start + d_end) / 2.0
    sin_lat, cos_lat = np.sin(obs.latitude), np.cos(obs.latitude)

    def sin_altitude(dd, cos_h):
        return sin_lat * np.sin(dd) + cos_lat * np.cos(dd) * cos_h

    culminates = np.floor(h_end / (2 * np.pi)) > np.floor(h_start / (2 * np.pi))
    return ((sin_altitude(d_start, np.cos(h_start)) > 0)
            | (sin_altitude(d_end, np.cos(h_end)) > 0)
            | (culminates & (sin_altitude(d, 1.0) > 0)))


def obscuration(delta, penumbra, umbra):
    """Fraction of the Sun's area covered by the Moon.

    In the observer's plane the Sun's disc has radius R = (L1 + L2) / 2 and the
    Moon's r = (L1 - L2) / 2, their centres Delta apart: the area of the
    lens where two circles overlap, over pi R^2.
    """
    delta, penumbra, umbra = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (delta, penumbra, umbra)))
    sun = (penumbra + umbra) / 2.0
    moon = (penumbra - umbra) / 2.0
    d = delta
    with np.errstate(invalid="ignore", divide="ignore"):
        cos_moon = np.clip((d * d + moon * moon - sun * sun) / (2 * d * moon), -1, 1)
        cos_sun = np.clip((d * d + sun * sun - moon * moon) / (2 * d * sun), -1, 1)
        kite = (-d + moon + sun) * (d + moon - sun) * (d - moon + sun) * (d + moon + sun)
        lens = (moon * moon * np.arccos(cos_moon) + sun * sun * np.arccos(cos_sun)
                - 0.5 * np.sqrt(np.maximum(kite, 0.0)))
        fraction = lens / (np.pi * sun * sun)
        inside = np.minimum(moon * moon / (sun * sun), 1.0)  # one disc within the other
    return np.where(d >= sun + moon, 0.0, np.where(d <= np.abs(sun - moon), inside, fraction))


# --- the next eclipses seen from a place ------------------------------------------

#: How far ahead next_eclipses looks by default, in years.
SEARCH_YEARS = 100


@dataclass(frozen=True)
class SeenEclipse:
    """One eclipse and what a single observer sees of it."""

    eclipse: object  # eclipse.search.Eclipse
    local: LocalCircumstances  # 0-d arrays


@dataclass(frozen=True)
class Upcoming:
    """The result of next_eclipses: what was found and how far it looked.

    ``ephemeris_end`` is True when the search stopped at the end of the
    ephemeris (DE421: October 2053) before ``years`` years or ``count``
    eclipses.
    """

    eclipses: list
    searched_from: str  # date
    searched_to: str  # date
    ephemeris_end: bool
    ephemeris: str  # file name, e.g. de421.bsp


def next_eclipses(lat, lon, count: int = 5, kinds=None, start=None, elevation_m: float = 0.0,
                  years: float = SEARCH_YEARS, ephemeris=None, delta_t=None) -> Upcoming:
    """The next ``count`` eclipses seen from a place (the Sun up for some part).

    ``kinds`` keeps only some kinds seen ('partial', 'annular', 'total');
    ``start`` is a date ('2026-01-01') or a TT Julian date, today (UTC) by
    default.  Searches at most ``years`` years ahead and never beyond the
    ephemeris (DE421 ends in October 2053): ``Upcoming.ephemeris_end`` says
    when that cut the search short.  All eclipses of the span are searched at
    once (eclipse.find) and their elements evaluated as one batch.
    """
    from . import ephemeris as ephemeris_module
    from .dates import format_date, parse_date
    from .search import _ephemeris, find

    lat, lon, elevation_m = (float(v) for v in check_location(lat, lon, elevation_m))
    if int(count) != count or count < 1:
        raise EclipseError(f"count must be a whole number above 0, not {count}")
    if kinds:
        kinds = [kinds] if isinstance(kinds, str) else list(kinds)
        unknown = set(kinds) - set(LOCAL_KINDS[1:])
        if unknown:
            raise EclipseError(f"unknown kind {sorted(unknown)[0]!r}: choose from partial, annular, total")
    eph = _ephemeris(ephemeris, delta_t)
    if start is None:
        import datetime

        start = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    jd_start = parse_date(start) if isinstance(start, str) else float(start)
    last_day = np.floor(eph.jd_last - 1.5) + 0.5  # the last whole day the search can cover
    jd_end = jd_start + years * 365.25 - 1
    ephemeris_end = jd_end > last_day
    jd_end = min(jd_end, last_day)
    if jd_end < jd_start:
        raise ephemeris_module.EphemerisError(
            f"{format_date(jd_start)} is at or past the end of the ephemeris: {eph.range_text()}")
    found = find(start=jd_start, end=jd_end, ephemeris=eph)
    seen = []
    if found:
        batch = stack_elements([e.elements for e in found])
        local = local_circumstances(batch, lat, lon, elevation_m)
        for i, e in enumerate(found):
            kind = str(local.kind_seen[i])
            if kind != "none" and (not kinds or kind in kinds):
                seen.append(SeenEclipse(e, local[i]))
                if len(seen) == count:
                    ephemeris_end = False
                    break
    return Upcoming(seen, format_date(jd_start), format_date(jd_end), bool(ephemeris_end), eph.name)


def stack_elements(elements: list[BesselianElements]) -> BesselianElements:
    """One batch of the elements of several eclipses."""
    names = [f.name for f in fields(BesselianElements)]
    return BesselianElements(**{name: np.stack([np.asarray(getattr(e, name)) for e in elements])
                                for name in names})
