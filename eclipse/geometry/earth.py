"""The WGS84 Earth seen from the fundamental plane.

Observers on the ellipsoid in fundamental-plane coordinates (xi, eta, zeta),
the point under the shadow axis (the central line), the nearest point of the
Earth's outline (greatest eclipse of a partial eclipse) and the Sun's altitude
and azimuth.  Angles in radians, lengths in equatorial Earth radii.

Formulas: Explanatory Supplement (2013) ch. 11; Meeus, *Elements of Solar
Eclipses 1951-2200* (1989); docs/formulas.md ("An observer", "The central
line", "The ellipsoid on the fundamental plane").
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from ..constants import EARTH_RADIUS_KM, ECCENTRICITY_SQUARED, FLATTENING
from .arrays import BoolArray, FloatArray

#: k = 1 / (1 - f)^2: the ellipsoid is X^2 + Y^2 + k Z^2 = 1 (equatorial radii).
POLAR_STRETCH = 1.0 / (1.0 - FLATTENING) ** 2


#: Arrays of angles spanning less than this (radians) get their sines and
#: cosines from a Taylor expansion about one of them (``sin_cos``).
NARROW_SPAN = 0.01


def sin_cos(angle: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    """sin and cos of an array of angles, fast when the angles span less than
    NARROW_SPAN radians, as a declination does over one eclipse's hours
    (NumPy's float64 sin and cos cost ~11 ns an element here; this ~2 ns).

    With a = a0 + delta: sin a = sin a0 cos delta + cos a0 sin delta, and
    likewise cos a, the series of sin delta and cos delta cut after delta^7
    and delta^8: the first term left out is below 3e-24 for |delta| < 0.01.
    """
    angle = np.asarray(angle, dtype=float)
    if angle.size < 64:
        return np.sin(angle), np.cos(angle)
    a0 = float(angle.flat[0])
    delta = angle - a0
    if not np.abs(delta).max() < NARROW_SPAN:  # (NaN too: elementwise then)
        return np.sin(angle), np.cos(angle)
    d2 = delta * delta
    sin_delta = ((-d2 / 5040.0 + 1.0 / 120.0) * d2 - 1.0 / 6.0) * d2 * delta + delta
    cos_delta = (((d2 / 40320.0 - 1.0 / 720.0) * d2 + 1.0 / 24.0) * d2 - 0.5) * d2 + 1.0
    s0, c0 = np.sin(a0), np.cos(a0)
    return s0 * cos_delta + c0 * sin_delta, c0 * cos_delta - s0 * sin_delta


class Observer(NamedTuple):
    """Geocentric coordinates of a place: rho sin phi', rho cos phi', longitude."""

    rho_sin: FloatArray
    rho_cos: FloatArray
    longitude: FloatArray  # east positive, radians
    latitude: FloatArray  # geodetic, radians


def observer(latitude: npt.ArrayLike, longitude: npt.ArrayLike, elevation_m: npt.ArrayLike = 0.0) -> Observer:
    """An observer at geodetic latitude, east longitude (radians), height (m).

    tan u = (1 - f) tan phi; rho sin phi' = (1 - f) sin u + (h/a) sin phi;
    rho cos phi' = cos u + (h/a) cos phi (docs/formulas.md, "An observer").
    """
    latitude = np.asarray(latitude, dtype=float)
    u = np.arctan((1 - FLATTENING) * np.tan(latitude))
    h = np.asarray(elevation_m, dtype=float) / (EARTH_RADIUS_KM * 1000.0)
    rho_sin = (1 - FLATTENING) * np.sin(u) + h * np.sin(latitude)
    rho_cos = np.cos(u) + h * np.cos(latitude)
    return Observer(rho_sin, rho_cos, np.asarray(longitude, dtype=float), latitude)


def fundamental_coordinates(obs: Observer, d: FloatArray, mu: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(xi, eta, zeta) of an observer when the axis has declination d and
    Greenwich hour angle mu.  H = mu + longitude is the axis's local hour angle
    (docs/formulas.md, "An observer").
    """
    hour_angle = mu + obs.longitude
    sin_d, cos_d = sin_cos(d)
    cos_h = np.cos(hour_angle)
    xi = obs.rho_cos * np.sin(hour_angle)
    eta = obs.rho_sin * cos_d - obs.rho_cos * cos_h * sin_d
    zeta = obs.rho_sin * sin_d + obs.rho_cos * cos_h * cos_d
    return xi, eta, zeta


def fundamental_rates(xi: FloatArray, eta: FloatArray, zeta: FloatArray, d: FloatArray, dd: FloatArray,
                      dmu: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Hourly rates (xi', eta') of an observer carried by the Earth's rotation,
    from its fundamental coordinates.

    xi' = mu' rho cos phi' cos H = mu' (zeta cos d - eta sin d);
    eta' = mu' xi sin d - zeta d' (Meeus 1989; Explanatory Supplement 2013 ch. 11).
    """
    sin_d, cos_d = sin_cos(d)
    return dmu * (zeta * cos_d - eta * sin_d), dmu * xi * sin_d - zeta * dd


def outline_minor_axis(d: npt.ArrayLike) -> FloatArray:
    """Semi-minor axis of the Earth's outline on the fundamental plane.

    The ellipsoid seen along the axis is an ellipse of semi-axes 1 (along x)
    and sqrt(1 - e^2 cos^2 d) (along y) (docs/formulas.md, "The ellipsoid on
    the fundamental plane").
    """
    cos_d = sin_cos(d)[1]
    return np.sqrt(1 - ECCENTRICITY_SQUARED * cos_d * cos_d)


def outline_excess(xi: FloatArray, eta: FloatArray, d: npt.ArrayLike) -> FloatArray:
    """x^2 + (y / b)^2 - 1: negative inside the Earth's outline."""
    return xi * xi + (eta / outline_minor_axis(d)) ** 2 - 1.0


class Quadric(NamedTuple):
    """The ellipsoid above a point (xi, eta) of the fundamental plane, as a
    quadratic in zeta: a zeta^2 + 2 b eta zeta + (c eta^2 + xi^2 - 1) = 0
    (``inverse_a`` = 1 / a, for speed).  Coefficients per instant."""

    a: FloatArray
    b: FloatArray
    c: FloatArray
    inverse_a: FloatArray


def ellipsoid_quadric(d: npt.ArrayLike, sin_d: FloatArray | None = None, cos_d: FloatArray | None = None) -> Quadric:
    """The ellipsoid X^2 + Y^2 + k Z^2 = 1 (k = 1 / (1 - f)^2) in fundamental
    coordinates: Z = eta cos d + zeta sin d and X^2 + Y^2 = xi^2 +
    (zeta cos d - eta sin d)^2 give a = cos^2 d + k sin^2 d,
    b = (k - 1) sin d cos d, c = sin^2 d + k cos^2 d (docs/formulas.md, "The
    ellipsoid on the fundamental plane").  (``sin_d``, ``cos_d``: sin d and
    cos d when the caller has them.)"""
    if sin_d is None or cos_d is None:
        sin_d, cos_d = sin_cos(d)
    k = POLAR_STRETCH
    a = cos_d * cos_d + k * sin_d * sin_d
    return Quadric(a, sin_d * cos_d * (k - 1.0), sin_d * sin_d + k * cos_d * cos_d, 1.0 / a)


def surface_zeta(quadric: Quadric, xi: FloatArray, eta: FloatArray) -> FloatArray:
    """zeta of the ellipsoid's point on the Sun's side above (xi, eta): the
    larger root of ``quadric``.  Outside the outline (negative discriminant)
    the value on the outline (the double root -b eta / a) is returned, so
    that curves stay continuous across it."""
    half_b = eta * quadric.b
    discriminant = half_b * half_b - (eta * eta * quadric.c + xi * xi - 1.0) * quadric.a
    return (np.sqrt(np.maximum(discriminant, 0.0)) - half_b) * quadric.inverse_a


def outline_zeta(quadric: Quadric, eta: FloatArray) -> FloatArray:
    """zeta of the Earth's outline point with ordinate eta (the double root
    -b eta / a of ``surface_zeta``'s quadratic)."""
    return -(eta * quadric.b) * quadric.inverse_a


def quadric_residual(quadric: Quadric, xi: FloatArray, eta: FloatArray, zeta: FloatArray) -> FloatArray:
    """The ellipsoid's equation at (xi, eta, zeta): zero on the surface,
    negative inside."""
    return (quadric.a * zeta + 2.0 * eta * quadric.b) * zeta + eta * eta * quadric.c + xi * xi - 1.0


def ellipsoid_points(lat: npt.ArrayLike, lon: npt.ArrayLike) -> FloatArray:
    """Cartesian points (km) of the WGS84 ellipsoid at geodetic lat, lon (radians)."""
    sin_lat = np.sin(lat)
    n = EARTH_RADIUS_KM / np.sqrt(1 - ECCENTRICITY_SQUARED * sin_lat * sin_lat)
    return np.stack([n * np.cos(lat) * np.cos(lon), n * np.cos(lat) * np.sin(lon),
                     n * (1 - ECCENTRICITY_SQUARED) * sin_lat], -1)


def point_under(x: FloatArray, y: FloatArray, d: FloatArray, mu: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Geodetic latitude and east longitude of the ellipsoid point whose
    fundamental coordinates are (x, y, zeta > 0): the central line when (x, y)
    is the shadow axis.  NaN where the axis misses the Earth.

    w = 1 / sqrt(1 - e^2 cos^2 d); y1 = w y; b1 = w sin d; b2 = (1 - f) w cos d;
    B2 = 1 - x^2 - y1^2; phi1 = asin(sqrt(B2) b1 + y1 b2);
    H = atan2(x, sqrt(B2) b2 - y1 b1); latitude = atan(tan phi1 / (1 - f));
    longitude = H - mu (docs/formulas.md, "The central line at a time t").
    """
    under = observer_under(x, y, d, mu)
    return under.latitude, under.longitude


def observer_under(x: FloatArray, y: FloatArray, d: FloatArray, mu: FloatArray) -> Observer:
    """The observer at sea level at ``point_under(x, y, d, mu)``.

    phi1 there is its reduced latitude u (tan u = (1 - f) tan latitude), so
    rho sin phi' = (1 - f) sin phi1 and rho cos phi' = cos phi1 come without
    further trigonometry (``observer`` with h = 0).
    """
    sin_d, cos_d = sin_cos(d)
    w = 1.0 / np.sqrt(1 - ECCENTRICITY_SQUARED * cos_d * cos_d)  # 1 / outline_minor_axis(d)
    y1 = w * y
    b1 = w * sin_d
    b2 = (1 - FLATTENING) * w * cos_d
    b_squared = 1 - x * x - y1 * y1
    with np.errstate(invalid="ignore"):
        # points on the outline itself (B2 = 0 up to rounding) are kept
        root = np.where(b_squared >= -1e-9, np.sqrt(np.maximum(b_squared, 0)), np.nan)
        sin_phi1 = np.clip(root * b1 + y1 * b2, -1, 1)
    cos_phi1 = np.sqrt(1.0 - sin_phi1 * sin_phi1)
    hour_angle = np.arctan2(x, root * b2 - y1 * b1)
    latitude = np.arctan2(sin_phi1, (1 - FLATTENING) * cos_phi1)  # atan(tan phi1 / (1 - f))
    longitude = wrap_longitude(hour_angle - mu)
    return Observer((1 - FLATTENING) * sin_phi1, cos_phi1, longitude, latitude)


def nearest_outline_point(x: FloatArray, y: FloatArray, d: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """The point of the Earth's outline nearest to (x, y), and its distance.

    Newton iterations on the ellipse (cos t, b sin t), starting from the
    direction of (x, y / b).  Returns (xi, eta, distance); the distance is
    negative when (x, y) lies inside the outline.
    """
    b = outline_minor_axis(d)
    t = np.arctan2(y / b, x)
    for _ in range(3):
        cos_t, sin_t = np.cos(t), np.sin(t)
        dx, dy = cos_t - x, b * sin_t - y
        # f(t) = d/dt of half the squared distance
        f = -dx * sin_t + dy * b * cos_t
        df = sin_t**2 + b * b * cos_t**2 - dx * cos_t - dy * b * sin_t
        t = t - f / df
    xi, eta = np.cos(t), b * np.sin(t)
    distance = np.hypot(x - xi, y - eta)
    inside = x * x + (y / b) ** 2 < 1
    return xi, eta, np.where(inside, -distance, distance)


def _sin_altitude(sin_lat: FloatArray, cos_lat: FloatArray, sin_d: FloatArray, cos_d: FloatArray, cos_h: FloatArray | float) -> FloatArray:
    """Sine of the altitude of a direction of declination d and local hour
    angle H: sin h = sin phi sin d + cos phi cos d cos H (geodetic latitude
    phi; true altitudes: refraction is geometry.horizon's)."""
    return sin_lat * sin_d + cos_lat * cos_d * cos_h


def sun_altitude_azimuth(latitude: FloatArray, longitude: FloatArray, d: FloatArray, mu: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Altitude and azimuth (from north through east) of the shadow axis's
    direction, which is the Sun's as seen from the central line; in radians.

    sin h = sin phi sin d + cos phi cos d cos H; tan A = -cos d sin H / (sin d cos phi - cos d cos H sin phi).
    """
    hour_angle = mu + longitude
    sin_lat, cos_lat = np.sin(latitude), np.cos(latitude)
    sin_d, cos_d = sin_cos(d)
    cos_h = np.cos(hour_angle)
    altitude = np.arcsin(np.clip(_sin_altitude(sin_lat, cos_lat, sin_d, cos_d, cos_h), -1, 1))
    azimuth = np.arctan2(-cos_d * np.sin(hour_angle), sin_d * cos_lat - cos_d * cos_h * sin_lat)
    return altitude, np.mod(azimuth, 2 * np.pi)


def parallactic_angle(latitude: FloatArray, longitude: FloatArray, d: FloatArray, mu: FloatArray) -> FloatArray:
    """Parallactic angle q of the shadow axis's direction (the Sun's, as in
    ``sun_altitude_azimuth``) for observers at geodetic latitude phi: the
    position angle of the zenith seen from the Sun's centre, from the north
    point of its disc towards east, in radians (Meeus, *Astronomical
    Algorithms*, 2nd ed., ch. 14; docs/formulas.md, "Position angles"):

        tan q = cos phi sin H / (sin phi cos d - cos phi sin d cos H),   H = mu + longitude.

    0 at the north pole, pi at the south (the zenith is the celestial pole
    there); undefined with the Sun at the zenith.
    """
    hour_angle = mu + longitude
    sin_lat, cos_lat = np.sin(latitude), np.cos(latitude)
    sin_d, cos_d = sin_cos(d)
    return np.arctan2(cos_lat * np.sin(hour_angle), sin_lat * cos_d - cos_lat * sin_d * np.cos(hour_angle))


def horizon_hour_angle(latitude: FloatArray, d: FloatArray, altitude: npt.ArrayLike = 0.0) -> FloatArray:
    """Hour angle H0 at which a direction of declination d sets at a given
    altitude (radians; 0, the astronomical horizon, by default), rising at
    -H0: sin h = sin phi sin d + cos phi cos d cos H0 gives
    cos H0 = sin h / (cos phi cos d) - tan phi tan d.  NaN where it never
    sets or never rises (polar day or night)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.arccos(np.sin(altitude) / (np.cos(latitude) * np.cos(d)) - np.tan(latitude) * np.tan(d))


def sun_up_between(obs: Observer, d_start: FloatArray, mu_start: FloatArray, d_end: FloatArray, mu_end: FloatArray,
                   altitude: npt.ArrayLike = 0.0) -> BoolArray:
    """Whether the Sun is above a given altitude (radians; 0, the
    astronomical horizon, by default) at some instant between two.

    With H = mu + longitude growing steadily (15 degrees an hour), the
    altitude over an interval is greatest at one end, or at the upper
    culmination (H = 0 mod 2 pi) when the interval holds one.  d changes by
    less than 1' an hour: its mean serves at the culmination.
    """
    h_start = mu_start + obs.longitude
    h_end = mu_end + obs.longitude
    d = (d_start + d_end) / 2.0
    sin_lat, cos_lat = np.sin(obs.latitude), np.cos(obs.latitude)
    sin_horizon = np.sin(altitude)

    def up(dd: FloatArray, cos_h: FloatArray | float) -> BoolArray:
        return _sin_altitude(sin_lat, cos_lat, *sin_cos(dd), cos_h) > sin_horizon

    culminates = np.floor(h_end / (2 * np.pi)) > np.floor(h_start / (2 * np.pi))
    return up(d_start, np.cos(h_start)) | up(d_end, np.cos(h_end)) | (culminates & up(d, 1.0))


def wrap_degrees(longitude: npt.ArrayLike) -> FloatArray:
    """Longitudes in degrees, any turn, as east longitudes in [-180, 180)."""
    return (np.asarray(longitude, dtype=float) + 180.0) % 360.0 - 180.0


def wrap_longitude(longitude: npt.ArrayLike) -> FloatArray:
    """Longitude in radians wrapped to [-pi, pi).

    (By the nearest whole turn: NumPy's float mod costs ~9 ns an element
    here, this ~1.5 ns.)
    """
    longitude = np.asarray(longitude, dtype=float)
    wrapped = longitude - 2 * np.pi * np.round(longitude * (0.5 / np.pi))
    return np.where(wrapped >= np.pi, wrapped - 2 * np.pi, wrapped)
