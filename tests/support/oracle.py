"""An independent oracle: the Sun and the Moon seen from a place, by astropy.

The package computes everything from Besselian elements; astropy computes
topocentric apparent positions of the Sun and the Moon from the same DE421
file by its own route (its own precession-nutation, Earth rotation, polar
motion, light time and aberration).  At a contact the topocentric Sun-Moon
separation equals the sum (C1, C4) or the difference (C2, C3, the umbral
limits) of the apparent semi-diameters; on the central line it is zero.

Same Earth rotation as the package: its mu is the Greenwich sidereal time at
UT1 = TT - Delta T, so astropy must use that UT1 and not its IERS table's:
astropy derives UT1 from UTC + (UT1 - UTC), and UT1 - UTC is set to
(TT - UTC) - Delta T on each Time.  One second of UT1 would turn the Earth
by 15 arcsec, moving the observer 0.46 km.  Polar motion, which astropy
applies from its bundled IERS tables and the package ignores, moves the
observer by at most 15 m.  IERS auto-download is off: only the tables shipped
with astropy are used (beyond them, polar motion 0, with a warning silenced).
"""

from __future__ import annotations

import functools
import math
import warnings
from typing import NamedTuple

import numpy as np

from eclipse.constants import EARTH_RADIUS_KM, K_PENUMBRA, K_UMBRA
from eclipse.sources.kernel import default_ephemeris_path

SUN_RADIUS_KM = 696000.0
ARCSEC = 180.0 / math.pi * 3600.0


class Topocentric(NamedTuple):
    """The Sun and the Moon seen from a place: their separation and apparent
    semi-diameters (the Moon's with k1 and with k2), arcsec; distances, km."""

    separation: np.ndarray
    sun_sd: np.ndarray
    moon_sd_penumbra: np.ndarray
    moon_sd_umbra: np.ndarray
    sun_km: np.ndarray
    moon_km: np.ndarray


@functools.cache
def _offline_astropy():
    from astropy.utils import iers

    iers.conf.auto_download = False
    iers.conf.iers_degraded_accuracy = "warn"  # polar motion beyond the bundled table: 0


def times(jd_tt, delta_t: float):
    """astropy Times at TT Julian dates whose UT1 is TT - ``delta_t`` seconds."""
    _offline_astropy()
    from astropy.time import Time

    t = Time(np.atleast_1d(np.asarray(jd_tt, dtype=float)), format="jd", scale="tt")
    tt_minus_utc = ((t.tt.jd1 - t.utc.jd1) + (t.tt.jd2 - t.utc.jd2)) * 86400.0
    t.delta_ut1_utc = tt_minus_utc - delta_t
    return t


def topocentric(jd_tt, lat_deg, lon_deg, elevation_m=0.0, *, delta_t: float) -> Topocentric:
    """The Sun and the Moon from geodetic places (degrees, metres above the
    WGS84 ellipsoid) at TT Julian dates, with UT1 = TT - ``delta_t``."""
    import astropy.units as u
    from astropy.coordinates import EarthLocation, get_body, solar_system_ephemeris

    t = times(jd_tt, delta_t)
    place = EarthLocation.from_geodetic(np.asarray(lon_deg) * u.deg, np.asarray(lat_deg) * u.deg,
                                        np.asarray(elevation_m) * u.m)
    with warnings.catch_warnings(), solar_system_ephemeris.set(default_ephemeris_path()):
        warnings.simplefilter("ignore")
        sun = get_body("sun", t, location=place)
        moon = get_body("moon", t, location=place)
        separation = sun.separation(moon).arcsec
    sun_km, moon_km = sun.distance.to_value(u.km), moon.distance.to_value(u.km)
    return Topocentric(
        separation=separation,
        sun_sd=np.arcsin(SUN_RADIUS_KM / sun_km) * ARCSEC,
        moon_sd_penumbra=np.arcsin(K_PENUMBRA * EARTH_RADIUS_KM / moon_km) * ARCSEC,
        moon_sd_umbra=np.arcsin(K_UMBRA * EARTH_RADIUS_KM / moon_km) * ARCSEC,
        sun_km=sun_km,
        moon_km=moon_km,
    )


def brute_force_central_point(jd_tt: float, delta_t: float, guess):
    """The central line's point at one instant by brute force: the latitude
    and longitude (degrees) minimising astropy's topocentric separation
    (scipy's Nelder-Mead).  Returns the point, the separation there (arcsec)
    and the number of evaluations."""
    from scipy.optimize import minimize

    def separation(p):
        return float(topocentric(jd_tt, p[0], p[1], 0.0, delta_t=delta_t).separation[0])

    result = minimize(separation, guess, method="Nelder-Mead",
                      options={"xatol": 1e-5, "fatol": 1e-3, "maxiter": 400})
    return result.x, result.fun, result.nfev


def position_angles(jd_tt, lat_deg, lon_deg, elevation_m=0.0, *, delta_t: float):
    """The Moon's centre seen from the Sun's centre from a geodetic place at
    TT Julian dates (UT1 = TT - ``delta_t``), as two position angles in
    degrees, [0, 360): from the north point of the Sun's disc towards east
    (the true pole of date: topocentric CIRS, whose pole is the CIP), and
    from its zenith point, counter-clockwise as seen (topocentric AltAz
    without refraction, where astropy's position angle runs from the zenith
    towards growing azimuth, clockwise as seen: its opposite)."""
    import astropy.units as u
    from astropy.coordinates import CIRS, AltAz, EarthLocation, get_body, solar_system_ephemeris

    t = times(jd_tt, delta_t)
    place = EarthLocation.from_geodetic(np.asarray(lon_deg) * u.deg, np.asarray(lat_deg) * u.deg,
                                        np.asarray(elevation_m) * u.m)
    with warnings.catch_warnings(), solar_system_ephemeris.set(default_ephemeris_path()):
        warnings.simplefilter("ignore")
        sun = get_body("sun", t, location=place)
        moon = get_body("moon", t, location=place)
        angles = []
        for frame, sense in ((CIRS(obstime=t, location=place), 1.0), (AltAz(obstime=t, location=place), -1.0)):
            angles.append(np.mod(sense * sun.transform_to(frame).position_angle(moon.transform_to(frame)).deg, 360.0))
    return angles[0], angles[1]


class SunAltAz(NamedTuple):
    """The Sun's centre seen from a place: altitude and azimuth (degrees),
    topocentric distance (km)."""

    altitude: np.ndarray
    azimuth: np.ndarray
    distance_km: np.ndarray


def sun_altaz(jd_tt, lat_deg, lon_deg, elevation_m=0.0, *, delta_t: float, pressure_hpa: float = 0.0,
              temperature_c: float = 10.0, wavelength_um: float = 0.55) -> SunAltAz:
    """astropy's altitude and azimuth of the Sun from geodetic places at TT
    Julian dates (UT1 = TT - ``delta_t``): refracted by ERFA's model
    (eraRefco: dry air, relative humidity 0, at ``wavelength_um``) for a
    ``pressure_hpa`` above 0, geometric (topocentric, no refraction) at 0."""
    import astropy.units as u
    from astropy.coordinates import AltAz, EarthLocation, get_body, solar_system_ephemeris

    t = times(jd_tt, delta_t)
    place = EarthLocation.from_geodetic(np.asarray(lon_deg) * u.deg, np.asarray(lat_deg) * u.deg,
                                        np.asarray(elevation_m) * u.m)
    frame = AltAz(obstime=t, location=place, pressure=pressure_hpa * u.hPa, temperature=temperature_c * u.deg_C,
                  relative_humidity=0.0, obswl=wavelength_um * u.micron)
    with warnings.catch_warnings(), solar_system_ephemeris.set(default_ephemeris_path()):
        warnings.simplefilter("ignore")
        seen = get_body("sun", t, location=place).transform_to(frame)
    return SunAltAz(seen.alt.to_value(u.deg), seen.az.to_value(u.deg), seen.distance.to_value(u.km))


def sun_geocentric_km(jd_tt, *, delta_t: float) -> np.ndarray:
    """astropy's geocentric distance of the Sun (km) at TT Julian dates."""
    import astropy.units as u
    from astropy.coordinates import get_body, solar_system_ephemeris

    with warnings.catch_warnings(), solar_system_ephemeris.set(default_ephemeris_path()):
        warnings.simplefilter("ignore")
        return get_body("sun", times(jd_tt, delta_t)).distance.to_value(u.km)
