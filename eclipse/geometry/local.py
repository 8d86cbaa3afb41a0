"""Circumstances of an eclipse for observers on the Earth.

Everything is vectorised: elements of one eclipse with arrays of observers,
or a batch of eclipses with one observer each.  The maximum (least distance
from the shadow axis) is bracketed on a coarse grid, then each instant is
found by Meeus's iteration (Elements of Solar Eclipses, 1989; Explanatory
Supplement 2013 section 11.4; shadow.py): with the shadow's motion relative
to the observer taken as linear over one step, solve

    (u + a tau)^2 + (v + b tau)^2 = L^2

for the step tau, and repeat until it vanishes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import numpy.typing as npt

from ..constants import EARTH_RADIUS_KM
from ..dates import datetime64_from_jd, ut_from_tt
from ..errors import EclipseError
from ..sources.elements import BesselianElements, ElementsAt, HasElements, Index
from .arrays import BoolArray, FloatArray, IndexArray
from .distances import MAX_DISTANCE_KM, PathDistances, path_distances
from .earth import (
    Observer,
    fundamental_coordinates,
    horizon_hour_angle,
    observer,
    parallactic_angle,
    sun_altitude_azimuth,
    sun_up_between,
    wrap_longitude,
)
from .horizon import APPARENT, Horizon, sun_semidiameter
from .horizon import horizon as make_horizon
from .shadow import contact_time, magnitude, obscuration, position_angle, shadow, time_of_maximum
from .solvers import converge

#: The instants reported for an observer, in order.
CONTACTS = ("c1", "c2", "max", "c3", "c4")
INSTANTS = CONTACTS + ("sunrise", "sunset")
#: The internal contacts: where the Moon's disc is larger than the Sun's
#: (a total eclipse), the point of contact is opposite the Moon's centre.
INTERNAL_CONTACTS = ("c2", "c3")
#: The fields of LocalCircumstances with a last axis of CONTACTS.
PER_CONTACT = ("contact_altitude_deg", "contact_azimuth_deg", "below_horizon", "contact_position_angle_p_deg",
               "contact_position_angle_v_deg")

#: Hours from t0 of the coarse grid on which the maximum is first bracketed:
#: the penumbra stays on the Earth for at most about 6 h around greatest
#: eclipse, and an observer's distance from the axis has a single minimum
#: within it, so half-hour samples put the first guess within 15 min.
GRID_HOURS = np.arange(-4.0, 4.0 + 1e-9, 0.5)
#: The polynomial elements are fitted over t0 +- 3 h; local circumstances
#: and fields use them out to VALID_HOURS, past the end of any penumbral
#: phase; beyond, they mean nothing.
VALID_HOURS = 5.0
#: Meeus's iteration for the maximum, from the grid: the step falls below
#: the tolerance within 5 iterations for 70-90% of observers spread over the
#: globe and within 17 for all (measured on 2024-04-08 and 2021-12-04); the
#: slow ones are far from the shadow, where the motion relative to them is
#: least linear.
MAX_ITERATIONS = 30
#: Contacts from the maximum: within 4 iterations for nearly all observers,
#: 10 at most, the slowest being those the shadow barely grazes, where the
#: two roots merge.
CONTACT_ITERATIONS = 30
TOLERANCE_HOURS = 1e-7  # 0.36 ms
#: Steps of the sunrise or sunset instant (``_horizon_crossing``).
HORIZON_STEPS = 3


#: Elevations above the WGS84 ellipsoid accepted for an observer, metres:
#: from below the Dead Sea's shore (430 m below sea level) to 100 km up.
#: The horizon (geometry.horizon) does not count the dip seen from high up
#: (eclipse.fields counts it for altitudes).
ELEVATION_RANGE_M = (-1000.0, 100000.0)


class LocationError(EclipseError):
    """A latitude, longitude or elevation that is not a place on the Earth."""


@dataclass(frozen=True, eq=False)
class LocalCircumstances:
    """What observers see of one eclipse (or of a batch, one observer each).

    Every field is an array of the observers' broadcast shape.  The instants
    ``c1``, ``c2``, ``max``, ``c3``, ``c4``, ``sunrise`` and ``sunset`` are
    UTC (UT1, within 0.9 s of UTC) as numpy.datetime64 to the millisecond,
    NaT where the contact does not happen (no C2, C3 for a partial eclipse;
    nothing at all where the penumbra never reaches the observer); the same
    instants as TT Julian dates are ``c1_jd_tt`` ... ``sunset_jd_tt`` (NaN
    where absent).  numpy's dates are proleptic Gregorian; the text outputs
    use the Julian calendar before 1582-10-15.  Contacts, maximum, magnitude
    and obscuration are geometric: they are computed even when the Sun is
    below the horizon, and ``below_horizon`` says when it is.  The horizon
    is ``horizon`` (geometry.horizon): by default the apparent one, the
    Sun's altitudes as seen (refraction) and the Sun down when its upper
    limb is below the apparent horizon; or the geometric one (no
    refraction, the Sun's centre on the astronomical horizon).
    ``kind_seen`` takes the horizon into account: 'none' when the Sun is
    down during the whole eclipse, 'partial' when the central phase happens
    with the Sun down.  When the eclipse rises or sets in progress,
    ``sunrise`` or ``sunset`` gives the instant (the upper limb on the
    apparent horizon, as almanacs), and ``magnitude_visible`` and
    ``obscuration_visible`` the most of the Sun seen covered with the Sun up
    (at maximum when the Sun is up then, else at sunrise or sunset; 0 when
    nothing is seen).  ``contact_position_angle_p_deg`` and
    ``contact_position_angle_v_deg`` say where on the Sun's disc each contact
    happens (NaN where it does not), degrees in [0, 360) from the north point
    of the disc (P) and from its zenith point (V) towards east,
    counter-clockwise on the sky as seen; at C1, C4 (and at maximum, where
    the disc is most covered) the direction of the Moon's centre, at C2 and
    C3 the same for an annular eclipse and the opposite direction for a
    total one, as NASA's local tables.  ``magnitude`` is the fraction of the Sun's diameter
    covered at maximum, (L1 - Delta) / (L1 + L2), above 1 inside a path of
    totality, 0 where no eclipse reaches the observer; ``obscuration`` the
    fraction of its area.
    ``distances`` holds the signed distances (km) to the central line and
    to the limits of the umbra (``PathDistances``), or None where they were
    not asked for (``local_circumstances(..., distances=True)``; by default
    with ``Eclipse.local``).
    """

    latitude: FloatArray  # geodetic, degrees
    longitude: FloatArray  # east, degrees in [-180, 180)
    elevation_m: FloatArray
    kind_seen: npt.NDArray[np.str_]  # 'none' | 'partial' | 'annular' | 'total'
    visible: BoolArray  # some part of the eclipse with the Sun up
    c1_jd_tt: FloatArray
    c2_jd_tt: FloatArray
    max_jd_tt: FloatArray
    c3_jd_tt: FloatArray
    c4_jd_tt: FloatArray
    magnitude: FloatArray
    obscuration: FloatArray
    magnitude_visible: FloatArray  # the greatest with the Sun up (at sunrise or sunset)
    obscuration_visible: FloatArray
    sunrise_jd_tt: FloatArray  # when the Sun rises during the eclipse, else NaN
    sunset_jd_tt: FloatArray  # when the Sun sets during the eclipse, else NaN
    duration_s: FloatArray  # C3 - C2, NaN without a central phase
    sun_altitude_deg: FloatArray  # at maximum, on the horizon's terms (apparent: as seen)
    sun_azimuth_deg: FloatArray  # at maximum, from north through east
    contact_altitude_deg: FloatArray  # last axis: CONTACTS
    contact_azimuth_deg: FloatArray  # last axis: CONTACTS
    below_horizon: BoolArray  # last axis: CONTACTS; False where absent
    contact_position_angle_p_deg: FloatArray  # last axis: CONTACTS; from the disc's north point
    contact_position_angle_v_deg: FloatArray  # last axis: CONTACTS; from the disc's zenith point
    delta_t_s: FloatArray  # TT - UT used to show times in UT
    horizon: Horizon = APPARENT  # one for all the observers
    distances: PathDistances | None = None

    @property
    def shape(self) -> tuple[int, ...]:
        """The observers' broadcast shape."""
        return np.shape(self.magnitude)

    def __getitem__(self, index: Index | tuple[Index, ...]) -> LocalCircumstances:
        """The circumstances of some observers (or of one)."""
        values: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "horizon":
                values[f.name] = value
            elif value is None:  # distances not asked for
                values[f.name] = None
            elif f.name in PER_CONTACT:
                index_full = (index if isinstance(index, tuple) else (index,)) + (slice(None),)
                values[f.name] = value[index_full]
            else:
                values[f.name] = value[index]
        return LocalCircumstances(**values)

    def time_tt(self, name: str) -> FloatArray:
        """TT Julian dates of one of CONTACTS, sunrise or sunset."""
        if name not in INSTANTS:
            raise ValueError(f"unknown instant {name!r}: choose from {', '.join(INSTANTS)}")
        return getattr(self, f"{name}_jd_tt")

    def datetime_utc(self, name: str) -> npt.NDArray[np.datetime64]:
        """numpy.datetime64 (UTC, ms) of one of CONTACTS, sunrise or sunset."""
        return datetime64_from_jd(self.time_ut(name))

    c1 = property(lambda self: self.datetime_utc("c1"), doc="First contact, UTC (datetime64).")
    c2 = property(lambda self: self.datetime_utc("c2"), doc="Second contact, UTC (datetime64).")
    max = property(lambda self: self.datetime_utc("max"), doc="Maximum, UTC (datetime64).")
    c3 = property(lambda self: self.datetime_utc("c3"), doc="Third contact, UTC (datetime64).")
    c4 = property(lambda self: self.datetime_utc("c4"), doc="Fourth contact, UTC (datetime64).")
    sunrise = property(lambda self: self.datetime_utc("sunrise"), doc="Sunrise during the eclipse, UTC.")
    sunset = property(lambda self: self.datetime_utc("sunset"), doc="Sunset during the eclipse, UTC.")

    def time_ut(self, name: str) -> FloatArray:
        """UT Julian dates (TT - Delta T) of one of CONTACTS."""
        return ut_from_tt(self.time_tt(name), self.delta_t_s)


def check_location(lat: npt.ArrayLike, lon: npt.ArrayLike, elevation_m: npt.ArrayLike = 0.0) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Latitudes, longitudes (degrees) and elevations as float arrays.

    Raises LocationError for a latitude outside [-90, 90], a longitude outside
    [-180, 360), an elevation outside ELEVATION_RANGE_M or anything not a
    finite number.
    """
    try:
        lat = np.asarray(lat, dtype=float)
        lon = np.asarray(lon, dtype=float)
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
    low, high = ELEVATION_RANGE_M
    bad = elev[(elev < low) | (elev > high)]
    if bad.size:
        raise LocationError(f"elevation {bad.flat[0]:g} m is outside [{low:g}, {high:g}] m")
    return lat, lon, elev


def local_circumstances(eclipse_or_elements: HasElements | BesselianElements, lat: npt.ArrayLike, lon: npt.ArrayLike,
                        elevation_m: npt.ArrayLike = 0.0, *, horizon: str | Horizon = "apparent",
                        temperature_c: float | None = None, pressure_hpa: float | None = None,
                        distances: bool = False) -> LocalCircumstances:
    """Local circumstances of an eclipse for observers (degrees, metres).

    ``eclipse_or_elements`` is an Eclipse (eclipse.at(...)) or Besselian
    elements; with a 1-D batch of elements, one observer each (or one for
    all).  Geodetic latitude and elevation on the WGS84 ellipsoid.
    Vectorised: arrays of observers in, arrays out.

    ``horizon`` is "apparent" (the default: refraction at ``temperature_c``
    degrees C and ``pressure_hpa`` hPa, 10 and 1010 unless given) or
    "geometric" (no refraction: the numbers of the package before 0.3.0);
    geometry.horizon says what each means.  HorizonError for any other, or
    a temperature or pressure out of range.

    The maximum is bracketed on a half-hourly grid and refined by Meeus's
    iteration (time_of_maximum); each contact is iterated from the maximum
    (contact_time).  Only observers the penumbra reaches go past the maximum.

    With ``distances`` (one eclipse only, not a batch), the signed distances
    to the central line and the umbral limits (``distances.path_distances``,
    the path's curves at distances.STEP_S), searched from each observer's
    maximum; observers whose distance from the shadow's axis then, less the
    umbra's radius and a margin for its variation with the height of the
    point (tan f2 < 0.0047 radii) and over the eclipse (0.02 radii in all,
    128 km), exceeds MAX_DISTANCE_KM are farther than that from every curve
    (a distance on the ground is never shorter than its projection on the
    fundamental plane, and the axis is nowhere nearer the observer than at
    its maximum), and get NaN without a search.
    """
    if isinstance(eclipse_or_elements, BesselianElements):
        elements = eclipse_or_elements
    else:
        elements = eclipse_or_elements.elements
    lat, lon, elev = check_location(lat, lon, elevation_m)
    seen_on = make_horizon(horizon, temperature_c, pressure_hpa)
    batch = np.shape(elements.t0)
    shape = np.broadcast_shapes(lat.shape, lon.shape, elev.shape, batch)
    if batch and (len(batch) != 1 or shape != batch):
        raise ValueError("a batch of elements takes one observer, or one observer per eclipse")
    if batch and distances:
        raise ValueError("distances to the path are computed for one eclipse, not a batch")
    rad = np.pi / 180.0
    lat, lon, elev = (np.broadcast_to(v, shape).ravel() for v in (lat, lon, elev))
    obs = observer(lat * rad, lon * rad, elev)

    t_max = _maximum(elements, bool(batch), obs)
    s = shadow(elements, t_max, obs)
    # from here on, only the observers who are in the penumbra at maximum
    seen = np.flatnonzero((s.distance < s.penumbra) & (np.abs(t_max) < VALID_HOURS))
    sub = elements[seen] if batch else elements
    seen_obs = Observer(*(v[seen] for v in obs))
    # the Sun's centre at sunrise and sunset (true altitude, radians)
    rise_set = seen_on.rise_set_altitude(sun_semidiameter(sub.l1[..., 0], sub.tan_f1, sub.tan_f2))
    phases = _phases(sub, bool(batch), seen_obs, t_max[seen], s.distance[seen], s.penumbra[seen], s.umbra[seen],
                     rise_set)

    def full(values: npt.ArrayLike, fill: float | str | bool, dtype: npt.DTypeLike = float) -> npt.NDArray[Any]:
        out = np.full((lat.size,) + np.shape(values)[1:], fill, dtype=dtype)
        out[seen] = values
        return out.reshape(shape + np.shape(values)[1:])

    measured = None
    if distances:
        with np.errstate(invalid="ignore"):
            near = (s.distance - np.abs(s.umbra) - 0.02) * EARTH_RADIUS_KM <= MAX_DISTANCE_KM
        measured = path_distances(elements, lat, lon, np.where(near, t_max, np.nan))
        measured = PathDistances(*(np.reshape(v, shape) for v in
                                   (measured.central_line_km, measured.north_limit_km, measured.south_limit_km)))
    t0 = np.broadcast_to(elements.t0, shape).ravel()[seen]
    jd = full((t0 + phases["hours"] / 24.0).T, np.nan)  # (observers, CONTACTS)
    altitude = full(np.degrees(seen_on.apparent(phases["altitude"])).T, np.nan)
    angles = {name: full(_degrees_in_turn(phases[name]).T, np.nan) for name in ("position_angle", "vertex_angle")}
    return LocalCircumstances(
        latitude=lat.reshape(shape),
        longitude=np.degrees(wrap_longitude(lon * rad)).reshape(shape),
        elevation_m=elev.reshape(shape),
        kind_seen=full(phases["kind"], "none", dtype="<U7"),
        visible=full(phases["visible"], False, dtype=bool),
        c1_jd_tt=jd[..., 0], c2_jd_tt=jd[..., 1], max_jd_tt=jd[..., 2], c3_jd_tt=jd[..., 3], c4_jd_tt=jd[..., 4],
        magnitude=full(phases["magnitude"], 0.0),
        obscuration=full(phases["obscuration"], 0.0),
        magnitude_visible=full(phases["magnitude_visible"], 0.0),
        obscuration_visible=full(phases["obscuration_visible"], 0.0),
        sunrise_jd_tt=full(t0 + phases["sunrise"] / 24.0, np.nan),
        sunset_jd_tt=full(t0 + phases["sunset"] / 24.0, np.nan),
        duration_s=full(phases["duration_s"], np.nan),
        sun_altitude_deg=altitude[..., 2],
        sun_azimuth_deg=full(np.degrees(phases["azimuth"][2]), np.nan),
        contact_altitude_deg=altitude,
        contact_azimuth_deg=full(np.degrees(phases["azimuth"]).T, np.nan),
        below_horizon=full(phases["below"].T, False, dtype=bool),
        contact_position_angle_p_deg=angles["position_angle"],
        contact_position_angle_v_deg=angles["vertex_angle"],
        delta_t_s=np.broadcast_to(np.asarray(elements.delta_t, dtype=float), shape).ravel().reshape(shape),
        horizon=seen_on,
        distances=measured,
    )


#: One step of an iteration per observer: ``one_step(elements, t, obs) -> t``.
_Step = Callable[[BesselianElements, FloatArray, Observer], FloatArray]


def _iterate(one_step: _Step, elements: BesselianElements, batch: bool, t: FloatArray, obs: Observer,
             iterations: int) -> FloatArray:
    """``one_step(elements, t, obs) -> t`` repeated per observer until its
    step is below TOLERANCE_HOURS (solvers.converge)."""
    def step(active: IndexArray, t_active: FloatArray) -> FloatArray:
        el = elements[active] if batch else elements
        return one_step(el, t_active, Observer(*(v[active] for v in obs))) - t_active
    return converge(step, t, iterations, TOLERANCE_HOURS)


def _maximum(elements: BesselianElements, batch: bool, obs: Observer) -> FloatArray:
    """Hours from t0 of each observer's maximum: the least distance from the
    axis, on the coarse grid, then refined."""
    e = elements.at(GRID_HOURS[:, None])
    xi, eta, _ = fundamental_coordinates(obs, e.d, e.mu)
    t_max = GRID_HOURS[np.argmin((e.x - xi) ** 2 + (e.y - eta) ** 2, axis=0)]

    def one_step(el: BesselianElements, t: FloatArray, o: Observer) -> FloatArray:
        return time_of_maximum(el, t, o, iterations=1)

    return _iterate(one_step, elements, batch, t_max, obs, MAX_ITERATIONS)


def _phases(elements: BesselianElements, batch: bool, obs: Observer, t_max: FloatArray, delta: FloatArray, l1: FloatArray,
            l2: FloatArray, rise_set: FloatArray) -> dict[str, npt.NDArray[Any]]:
    """Contacts, the Sun at each (true altitudes), what is seen, for
    observers in the penumbra at maximum (``delta``, ``l1``, ``l2`` then),
    the Sun up when its centre is above the true altitude ``rise_set``."""
    central = delta < np.abs(l2)

    def contact(umbral: bool, ending: bool, where: BoolArray | None = None) -> FloatArray:
        # the discriminant clamped at zero: an observer grazed by the shadow
        # gets the instant of tangency rather than NaN
        def one_step(el: BesselianElements, t: FloatArray, o: Observer) -> FloatArray:
            return contact_time(el, t, o, umbral=umbral, ending=ending, iterations=1, clamp=True)
        t = _iterate(one_step, elements, batch, t_max, obs, CONTACT_ITERATIONS)
        return t if where is None else np.where(where, t, np.nan)

    t1, t4 = contact(False, False), contact(False, True)
    t2, t3 = contact(True, False, central), contact(True, True, central)
    hours = np.stack([t1, t2, t_max, t3, t4])

    # the Sun's altitude and azimuth at each instant; visibility
    e = elements.at(hours)
    altitude, azimuth = sun_altitude_azimuth(obs.latitude, obs.longitude, e.d, e.mu)
    visible = sun_up_between(obs, e.d[0], e.mu[0], e.d[4], e.mu[4], rise_set)
    with np.errstate(invalid="ignore"):
        central_visible = central & sun_up_between(obs, e.d[1], e.mu[1], e.d[3], e.mu[3], rise_set)
        below = altitude < rise_set  # False where absent (NaN)
    p, v = _position_angles(obs, e, total=l2 < 0)
    kind = np.where(central_visible, np.where(l2 < 0, "total", "annular"),
                    np.where(visible, "partial", "none"))
    seen = _seen_with_the_sun_up(elements, obs, hours, altitude[2] >= rise_set, visible,
                                 magnitude(delta, l1, l2), obscuration(delta, l1, l2), rise_set)
    return dict(hours=hours, altitude=altitude, azimuth=azimuth, below=below, visible=visible, kind=kind,
                duration_s=(t3 - t2) * 3600.0, position_angle=p, vertex_angle=v, **seen)

#: Whether each of CONTACTS is internal (INTERNAL_CONTACTS), as a column.
_INTERNAL = np.array([name in INTERNAL_CONTACTS for name in CONTACTS])[:, None]


def _position_angles(obs: Observer, e: ElementsAt, total: BoolArray) -> tuple[FloatArray, FloatArray]:
    """Position angles P and V (radians) of the point of contact on the
    Sun's disc at each of CONTACTS (the elements ``e`` then):

        P = atan2(u, v)  (+ pi at C2, C3 of a total eclipse: ``total``),   V = P - q

    with q the parallactic angle (earth.parallactic_angle).  At C1 and C4
    the discs touch externally, on the line from the Sun's centre to the
    Moon's; at C2 and C3 internally, on the same side when the Moon is the
    smaller (annular) and on the far side of the Sun's centre when it is the
    larger (total): the convention of NASA's local circumstances
    (Explanatory Supplement 1961 ch. 9, where u = L sin P, v = L cos P with
    L = L2 < 0 for a total eclipse; O'Byrne and Espenak's Javascript Solar
    Eclipse Explorer).  docs/formulas.md, "Position angles"."""
    xi, eta, _ = fundamental_coordinates(obs, e.d, e.mu)
    p = position_angle(e.x - xi, e.y - eta) + np.where(_INTERNAL & total, np.pi, 0.0)
    return p, p - parallactic_angle(obs.latitude, obs.longitude, e.d, e.mu)


def _degrees_in_turn(angle: FloatArray) -> FloatArray:
    """Radians as degrees in [0, 360) (NaN stays NaN)."""
    degrees = np.mod(np.degrees(angle), 360.0)
    return np.where(degrees >= 360.0, 0.0, degrees)  # a tiny negative angle's mod is 360.0


def _seen_with_the_sun_up(elements: BesselianElements, obs: Observer, hours: FloatArray, max_up: BoolArray, visible: BoolArray,
                          magnitude_max: FloatArray, obscuration_max: FloatArray,
                          rise_set: FloatArray) -> dict[str, FloatArray]:
    """Sunrise or sunset during the eclipse (hours, NaN if none), and the
    most seen with the Sun up: at maximum when the Sun is up then, else at
    sunrise (the Sun up only after the maximum) or sunset (only before)."""
    t1, t_max, t4 = hours[0], hours[2], hours[4]
    horizon = []
    for rising in (True, False):
        t = _horizon_crossing(elements, obs, t_max, rising, rise_set)
        with np.errstate(invalid="ignore"):
            horizon.append(np.where((t >= t1) & (t <= t4), t, np.nan))
    sunrise, sunset = horizon
    magnitude_visible, obscuration_visible = magnitude_max, obscuration_max
    with np.errstate(invalid="ignore"):
        max_up = np.asarray(max_up)
        best_seen = [np.where(sunrise > t_max, sunrise, np.nan), np.where(sunset < t_max, sunset, np.nan)]
    if not np.all(max_up):
        at_horizon = [shadow(elements, t, obs) for t in best_seen]
        m = [magnitude(h.distance, h.penumbra, h.umbra) for h in at_horizon]
        o = [obscuration(h.distance, h.penumbra, h.umbra) for h in at_horizon]
        magnitude_visible = np.where(max_up, magnitude_max, np.fmax(m[0], m[1]))
        obscuration_visible = np.where(max_up, obscuration_max, np.fmax(o[0], o[1]))
    return {"sunrise": sunrise, "sunset": sunset, "magnitude": magnitude_max, "obscuration": obscuration_max,
                "magnitude_visible": np.where(visible, magnitude_visible, 0.0),
                "obscuration_visible": np.where(visible, obscuration_visible, 0.0)}


def _horizon_crossing(elements: BesselianElements, obs: Observer, t: npt.ArrayLike, rising: bool,
                      altitude: npt.ArrayLike = 0.0) -> FloatArray:
    """Hours from t0 of the sunrise (or sunset) nearest ``t``: the Sun's
    centre at the true ``altitude`` (radians); NaN where the Sun neither
    rises nor sets (polar day or night).

    Rising at H = -H0, setting at +H0 (earth.horizon_hour_angle).
    H = mu + lon grows at mu' = 15 degrees an hour; d changes slowly, so
    three steps do.
    """
    sign = -1.0 if rising else 1.0
    t = np.array(t, dtype=float)
    for _ in range(HORIZON_STEPS):
        e = elements.at(t)
        h0 = horizon_hour_angle(obs.latitude, e.d, altitude)
        miss = np.mod(sign * h0 - (e.mu + obs.longitude) + np.pi, 2 * np.pi) - np.pi
        t = t + miss / e.dmu
    return t
