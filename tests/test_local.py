"""Local circumstances: what is seen from a place, and when.

Three kinds of check:
(a) against the same formulas applied to NASA's Besselian elements, with
    NASA's Delta T: that tests our elements where observers use them;
(b) an independent oracle, astropy with the same DE421 file: the topocentric
    Sun-Moon separation at the contacts and at maximum (tests/support/oracle.py);
(c) consistency: limits of the central path, the hard cases (South Pole,
    an eclipse rising or setting in progress), places seeing nothing.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import pytest

import eclipse
from eclipse.errors import EclipseError, NoEclipseError
from eclipse.geometry.earth import observer, point_under, sun_altitude_azimuth
from eclipse.geometry.horizon import sun_semidiameter
from eclipse.geometry.local import CONTACTS, LocationError, local_circumstances
from eclipse.geometry.shadow import shadow
from eclipse.io.records import contact_utc, local_record
from support import nasa
from support.cache import with_nasa_delta_t as ours
from support.curves import bearing, destination
from support.oracle import position_angles, topocentric

DATES = ("2017-08-21", "2024-04-08", "2024-10-02")


SECOND = 1.0 / 86400.0




def central_line_point_and_direction(e):
    """The point of greatest eclipse and the central line's bearing there,
    from the central line one minute either side (docs/formulas.md)."""
    t = e.elements.hours(e.jd_tt) + np.array([-1.0, 1.0]) / 60.0
    el = e.elements.at(t)
    lat, lon = np.degrees(point_under(el.x, el.y, el.d, el.mu))
    return e.latitude, e.longitude, bearing(lat[0], lon[0], lat[1], lon[1])


def central(e, lat, lon):
    """Whether an observer is inside the central path (geometrically)."""
    return bool(np.isfinite(local_circumstances(e, lat, lon).c2_jd_tt))


@functools.cache
def limits(date: str):
    """Distances (km) from the point of greatest eclipse, square to the
    central line, to the two limits of the central path; found by bisection
    on whether C2 exists, to 1 m.  Returns ((lat0, lon0, bearing), left, right)
    with the bearing of the perpendicular taken 90 degrees to each side."""
    e = ours(date)
    lat0, lon0, along = central_line_point_and_direction(e)
    found = []
    for side in (-90.0, 90.0):
        inside, outside = 0.0, 600.0
        assert central(e, lat0, lon0) and not central(e, *destination(lat0, lon0, along + side, outside))
        while outside - inside > 0.001:
            mid = (inside + outside) / 2
            if central(e, *destination(lat0, lon0, along + side, mid)):
                inside = mid
            else:
                outside = mid
        found.append((along + side, (inside + outside) / 2))
    return (lat0, lon0), found


def near_limit_points(date: str, km: float):
    """Points ``km`` inside and outside each limit (4 points)."""
    (lat0, lon0), found = limits(date)
    points = []
    for direction, distance in found:
        points.append(destination(lat0, lon0, direction, distance - km))
        points.append(destination(lat0, lon0, direction, distance + km))
    return points


#: Places inside, outside and far from each path: (latitude, longitude).
PLACES = {
    "2017-08-21": [
        (37.7273, -89.2168),  # Carbondale: inside, near the longest duration
        (44.9429, -123.0351),  # Salem, Oregon: inside
        (40.7143, -74.0060),  # New York: partial
        (34.0522, -118.2437),  # Los Angeles: partial
        (-12.0432, -77.0282),  # Lima: a small partial
        (-33.8679, 151.2073),  # Sydney: nothing
    ],
    "2024-04-08": [
        (32.7831, -96.8067),  # Dallas: inside
        (23.2216, -106.4189),  # Mazatlan: inside
        (41.4995, -81.6954),  # Cleveland: inside
        (40.7143, -74.0060),  # New York: partial
        (34.0522, -118.2437),  # Los Angeles: partial
        (21.3069, -157.8583),  # Honolulu: partial
        (53.3498, -6.2603),  # Dublin: partial, sets in progress
        (35.6895, 139.6917),  # Tokyo: nothing (a partial eclipse below its horizon)
    ],
    "2024-10-02": [
        (-27.1127, -109.3497),  # Easter Island: annular
        (-49.3075, -67.7283),  # Puerto San Julian: annular
        (-34.6037, -58.3816),  # Buenos Aires: partial
        (-33.4489, -70.6693),  # Santiago: partial
        (-34.9033, -56.1882),  # Montevideo: partial
        (-31.4135, -64.1811),  # Cordoba, Argentina: partial
        (40.4168, -3.7038),  # Madrid: nothing
    ],
}


@pytest.mark.parametrize("date", DATES)
def test_matches_nasa_elements(date):
    """Contacts within 1 s and magnitude within 0.0005 of the same formulas
    applied to NASA's elements (the issue's requirements).

    Why they can be met: our x, y agree with NASA's to about 1e-5 Earth radii
    (docs/formulas.md: elements to 1e-5 radii), 64 m; the shadow moves at 0.5 km/s or more over the ground,
    so contacts move by a fraction of a second, and the magnitude, a distance
    over the Sun's diameter in the observer's plane (about 1.1 Earth radii),
    by about 1e-5.  Points 5 km from the limits are the hardest kept: C2 and
    C3 move by (duration / 2) x (64 m / (2 x 5 km)), under 0.3 s.

    Measured: NASA's l1 is smaller than ours by 2.4e-5 Earth radii (150 m)
    in all three eclipses, which moves C1 later and C4 earlier by 0.15-0.35 s
    here.  Where the penumbra's edge merely grazes an observer the shift is
    divided by the small rate at which it crosses him: on 2024-10-02 La Paz
    (magnitude 0.06) gets 0.97 s and Lima (0.03) 1.5 s.  Such grazing
    points (magnitude below 0.1) are not used here;
    the astropy oracle below decides between the two at Lima, and it sides
    with ours (0.005 arcsec at our C1, 0.1 arcsec at NASA's).
    """
    e = ours(date)
    theirs_elements = nasa.besselian(date)
    points = PLACES[date] + [(e.latitude, e.longitude)] + near_limit_points(date, 5.0)
    lat, lon = np.array(points).T
    a = local_circumstances(e, lat, lon)
    b = local_circumstances(theirs_elements, lat, lon)
    assert list(a.kind_seen) == list(b.kind_seen)
    assert set(a.kind_seen) >= {"partial", "none"}
    for name in CONTACTS:
        ta, tb = a.time_tt(name), b.time_tt(name)
        assert np.array_equal(np.isnan(ta), np.isnan(tb)), name
        assert np.nanmax(np.abs(ta - tb)) / SECOND < 1.0, name
    assert np.max(np.abs(a.magnitude - b.magnitude)) < 0.0005
    # the obscuration follows the magnitude: same bound on an area fraction,
    # whose derivative with respect to the magnitude is below 2
    assert np.max(np.abs(a.obscuration - b.obscuration)) < 0.001


#: (date, latitude, longitude, elevation m): total, annular, partial, near a
#: limit, high up, the South Pole, a total rising in progress.
ORACLE_CASES = [
    ("2024-04-08", 32.7831, -96.8067, 150.0),  # Dallas, total
    ("2024-04-08", 25.2896, -104.1479, 2000.0),  # near greatest eclipse, 2 km up
    ("2024-04-08", 40.7143, -74.0060, 10.0),  # New York, partial
    ("2024-04-08", -8.0, -157.0, 0.0),  # total, rises in progress
    ("2017-08-21", 37.7273, -89.2168, 120.0),  # Carbondale, total
    ("2024-10-02", -27.1127, -109.3497, 50.0),  # Easter Island, annular
    ("2024-10-02", -12.0432, -77.0282, 150.0),  # Lima, a grazing partial (magnitude 0.03)
    ("2021-12-04", -90.0, 0.0, 2835.0),  # the South Pole, partial
    ("2021-12-04", -79.7667, -83.2667, 700.0),  # Union Glacier, total
]


@pytest.mark.parametrize("date,lat,lon,elevation", ORACLE_CASES)
def test_contacts_against_astropy(date, lat, lon, elevation):
    """At C1 and C4 the topocentric separation equals the sum of the apparent
    semi-diameters, at C2 and C3 their difference (lunar radius k2 there), at
    maximum it is least.

    1 arcsec is the issue's bound; the Moon moves 0.3 to 0.5 arcsec a second
    relative to the Sun, so it is 2 to 3 s of time.  Both sides use DE421, the
    same Delta T and the same constants; what remains is the polynomial fit
    of the elements, the nutation series and astropy's polar motion, each of
    the order of 0.01 arcsec.
    """
    e = eclipse.at(date, delta_t=69.0)
    lc = e.local(lat, lon, elevation)
    assert lc.kind_seen != "none"
    names = [n for n in CONTACTS if np.isfinite(lc.time_tt(n))]
    jd = np.array([float(lc.time_tt(n)) for n in names])
    separation, sun_sd, moon_sd_1, moon_sd_2 = topocentric(jd, lat, lon, elevation, delta_t=69.0)[:4]
    for i, name in enumerate(names):
        if name in ("c1", "c4"):
            assert abs(separation[i] - (sun_sd[i] + moon_sd_1[i])) < 1.0, name
        elif name in ("c2", "c3"):
            assert abs(separation[i] - abs(sun_sd[i] - moon_sd_2[i])) < 1.0, name

    # Maximum: the least distance Delta of the observer from the shadow axis.
    # Seen from the observer, the Moon's and the Sun's centres lie on that
    # axis at distances D_moon and D_sun, so their separation is
    # Delta (1/D_moon - 1/D_sun) to first order in these tiny angles: astropy's
    # Delta is separation / (1/D_moon - 1/D_sun).  A parabola through it every
    # 5 s within 30 s of our maximum has its vertex within 1 s of it.
    offsets = np.arange(-30.0, 31.0, 5.0)
    sky = topocentric(float(lc.max_jd_tt) + offsets * SECOND, lat, lon, elevation, delta_t=69.0)
    separation, sun_km, moon_km = sky.separation, sky.sun_km, sky.moon_km
    delta = separation / (1.0 / moon_km - 1.0 / sun_km)
    curve = np.polyfit(offsets, delta / delta.mean(), 2)
    assert curve[0] > 0
    assert abs(-curve[1] / (2 * curve[0])) < 1.0
    # The bare separation is least at nearly the same instant when it is small
    # (a central phase): its minimum moves by sep^2 (dD_moon/dt) / (D_moon v^2),
    # v ~ 0.4 arcsec/s the Moon's relative motion, dD_moon/dt < 0.5 km/s:
    # 0.01 s at 30 arcsec.  (For Lima, grazed by the penumbra at 1900 arcsec,
    # the bare separation's flat minimum is tens of seconds away.)
    if np.isfinite(lc.c2_jd_tt):
        curve = np.polyfit(offsets, separation, 2)
        assert curve[0] > 0 and abs(-curve[1] / (2 * curve[0])) < 1.0


#: (date, latitude, longitude, elevation m): totals (Dallas, Carbondale,
#: the polar one at Union Glacier with the Sun 13 degrees high, one rising
#: in progress), annulars (Albuquerque, Easter Island), the hybrid near its
#: greatest (Exmouth, Moon and Sun within 11 arcsec at C2 and C3), partials.
POSITION_ANGLE_CASES = [
    ("2024-04-08", 32.7831, -96.8067, 150.0),
    ("2017-08-21", 37.7273, -89.2168, 120.0),
    ("2021-12-04", -79.7667, -83.2667, 700.0),
    ("2024-04-08", -8.0, -157.0, 0.0),
    ("2023-10-14", 35.0844, -106.6504, 1500.0),
    ("2024-10-02", -27.1127, -109.3497, 50.0),
    ("2023-04-20", -21.93, 114.13, 10.0),
    ("2025-03-29", 51.5072, -0.1276, 20.0),
    ("2024-04-08", 40.7143, -74.0060, 10.0),
]
#: The issue's bound on P and V at the contacts, degrees.
POSITION_ANGLE_DEG = 0.1
#: Where the Moon's centre is seen from the Sun's: both sides agree to
#: 0.01-0.02 arcsec (the elements' fit, the nutation series, polar motion;
#: as at the contacts above).  Across a separation s that turns the
#: direction by 0.02 / s radians: 1e-5 degree at C1 and C4 (s ~ 1900
#: arcsec), 0.02 degree at the C2 and C3 of a total (s = 30-60 arcsec), 0.1
#: degree when s = 11 arcsec (a hybrid's).  At maximum near the central line
#: s is a few arcsec and the direction means little: there the offset across
#: it is what is compared, within this (arcsec).
ACROSS_ARCSEC = 0.05
#: The parallactic angle is taken for the shadow axis's direction, which
#: stands for the Sun's: seen from an observer Delta Earth radii off the
#: axis (0.55 at most at C1 and C4) the Sun is Delta x 8.8 arcsec (its
#: parallax) away from it, turning q by that over sin z, z the Sun's zenith
#: distance: at z >= 23 degrees (all the cases) under 12.4 arcsec, 0.0034
#: degree.  (V is undefined with the Sun at the zenith.)
PARALLACTIC_DEG = 0.005


@pytest.mark.parametrize("date,lat,lon,elevation", POSITION_ANGLE_CASES)
def test_position_angles_against_astropy(date, lat, lon, elevation):
    """P and V of each contact against astropy's topocentric Sun and Moon
    (tests/support/oracle.py): P is the position angle of the Moon's centre
    seen from the Sun's, from the true pole of date, at C1, C4 and maximum,
    and at C2 and C3 of an annular eclipse; its opposite at C2 and C3 of a
    total one, where the Moon's disc is the larger and the discs touch on
    the far side of the Sun's centre.  V is the same point from the zenith
    point, counter-clockwise as seen: from astropy's altitude and azimuth,
    independently of our parallactic angle q (V = P - q): the two q agree
    within PARALLACTIC_DEG."""
    e = eclipse.at(date, delta_t=69.0)
    lc = e.local(lat, lon, elevation)
    names = [n for n in CONTACTS if np.isfinite(lc.time_tt(n))]
    index = [CONTACTS.index(n) for n in names]
    jd = np.array([float(lc.time_tt(n)) for n in names])
    p, v = position_angles(jd, lat, lon, elevation, delta_t=69.0)
    separation = topocentric(jd, lat, lon, elevation, delta_t=69.0).separation
    total = str(lc.kind_seen) == "total"
    opposite = np.array([180.0 if total and n in ("c2", "c3") else 0.0 for n in names])
    assert np.all(lc.contact_altitude_deg[index] < 67.0)
    contact = np.array([n != "max" for n in names])
    differences = []
    for computed, theirs in ((lc.contact_position_angle_p_deg[index], p), (lc.contact_position_angle_v_deg[index], v)):
        assert np.all((computed >= 0.0) & (computed < 360.0))
        difference = (computed - theirs - opposite + 180.0) % 360.0 - 180.0
        assert np.all(np.abs(difference[contact]) < POSITION_ANGLE_DEG), (names, difference)
        differences.append(difference)
    assert np.all(np.abs(separation * np.radians(differences[0])) < ACROSS_ARCSEC), (names, differences[0], separation)
    assert np.all(np.abs(differences[1] - differences[0]) < PARALLACTIC_DEG), (names, differences)


@pytest.mark.parametrize("date", ["2024-04-08", "2017-08-21", "2024-10-02"])
def test_limits_of_the_central_path(date):
    """5 km inside a limit the central phase is seen, 5 km outside it is not;
    the duration falls to zero at the limit; the path's width between the
    limits agrees with the width from the search."""
    e = ours(date)
    kind = "annular" if e.kind == "annular" else "total"
    (lat0, lon0), found = limits(date)
    durations = []
    for direction, distance in found:
        inside = local_circumstances(e, *destination(lat0, lon0, direction, distance - 5.0))
        outside = local_circumstances(e, *destination(lat0, lon0, direction, distance + 5.0))
        assert inside.kind_seen == kind
        assert outside.kind_seen == "partial"
        # just outside, the Sun is all but covered: the magnitude is within
        # the shadow's 5 km over the Sun's diameter (~1.1 Earth radii) of 1
        # (or of the annular eclipse's Moon/Sun ratio)
        ratio = 1.0 if kind == "total" else float(e.magnitude)
        assert abs(float(outside.magnitude) - ratio) < 0.002
        seconds = [float(local_circumstances(e, *destination(lat0, lon0, direction, distance - km)).duration_s)
                   for km in (20.0, 5.0, 1.0, 0.05)]
        durations.append(seconds)
        assert seconds == sorted(seconds, reverse=True)
        # near a limit the duration goes as sqrt(distance from it): 50 m into
        # a path ~100 km wide leaves sqrt(2 x 0.05 / 100), 3%, of the
        # central duration
        assert seconds[-1] < 0.05 * e.duration_s
    width = found[0][1] + found[1][1]
    # measured on a sphere square to the central line (well under 1%) vs the
    # local-plane width of the search (DESIGN: exact on the central line)
    assert abs(width - e.path_width_km) < 0.01 * e.path_width_km


def test_limit_matches_astropy_grazing():
    """On a limit, at maximum, the Sun and Moon are internally tangent: the
    separation equals the difference of the semi-diameters (the package's
    oracle), within 1 arcsec (as above)."""
    date = "2024-04-08"
    e = ours(date)
    (lat0, lon0), found = limits(date)
    for direction, distance in found:
        lat, lon = destination(lat0, lon0, direction, distance)
        lc = local_circumstances(e, lat, lon)
        separation, sun_sd, _, moon_sd_2 = topocentric(
            float(lc.max_jd_tt), lat, lon, 0.0, delta_t=float(nasa.besselian(date).delta_t))[:4]
        assert abs(separation[0] - abs(sun_sd[0] - moon_sd_2[0])) < 1.0


def test_south_pole_2021():
    """The polar eclipse of 2021-12-04: at the pole itself (where the
    longitude means nothing) a deep partial phase with the Sun up all day;
    at Union Glacier camp, where it was watched, totality."""
    e = eclipse.at("2021-12-04")
    pole = e.local(-90.0, 0.0, 2835.0)
    assert pole.kind_seen == "partial"
    assert 0.8 < float(pole.magnitude) < 1.0
    assert not np.any(pole.below_horizon)
    # the longitude is meaningless at the pole: same answer for any
    other = e.local(-90.0, 123.0, 2835.0)
    assert abs(float(other.max_jd_tt - pole.max_jd_tt)) < 1e-3 * SECOND
    assert abs(float(other.magnitude - pole.magnitude)) < 1e-9
    glacier = e.local(-79.7667, -83.2667, 700.0)
    assert glacier.kind_seen == "total"
    assert 0 < float(glacier.duration_s) < 120


@pytest.mark.parametrize("horizon", ["apparent", "geometric"])
def test_rises_in_progress(horizon):
    """2024-04-08 at the path's sunrise end in the Pacific: C1 happens with
    the Sun below the horizon, totality with it up; sunrise is reported
    between C1 and maximum, where the Sun's centre is at the true altitude
    of the horizon: -(34' + its semidiameter) for the apparent one (the
    upper limb on it), 0 for the geometric one."""
    e = eclipse.at("2024-04-08")
    lc = e.local(-8.0, -157.0, horizon=horizon)
    assert lc.kind_seen == "total"
    below = dict(zip(CONTACTS, lc.below_horizon))
    assert below["c1"] and not below["c2"] and not below["max"]
    assert lc.c1_jd_tt < lc.sunrise_jd_tt < lc.c2_jd_tt
    assert np.isnan(lc.sunset_jd_tt)
    el = e.elements.at(e.elements.hours(float(lc.sunrise_jd_tt)))
    altitude, _ = sun_altitude_azimuth(math.radians(-8.0), math.radians(-157.0), el.d, el.mu)
    semidiameter = math.degrees(sun_semidiameter(e.elements.l1[0], e.elements.tan_f1, e.elements.tan_f2))
    expected = -(34.0 / 60.0 + semidiameter) if horizon == "apparent" else 0.0
    assert abs(math.degrees(altitude) - expected) < 0.001  # the horizon crossing's iteration converged
    assert lc.magnitude_visible == lc.magnitude


def test_sets_in_progress_and_below_horizon():
    """2024-04-08 from Ireland and England: Dublin sees the start before
    sunset (maximum below the horizon: the magnitude seen is the one at
    sunset, smaller than the geometric one); London's Sun sets before C1:
    nothing seen, though the geometry alone has a deep partial eclipse."""
    e = eclipse.at("2024-04-08")
    dublin = e.local(53.3498, -6.2603)
    assert dublin.kind_seen == "partial"
    assert bool(dublin.below_horizon[2]) and not bool(dublin.below_horizon[0])
    assert dublin.c1_jd_tt < dublin.sunset_jd_tt < dublin.max_jd_tt
    assert 0 < dublin.magnitude_visible < dublin.magnitude
    london = e.local(51.5085, -0.1257)
    assert london.kind_seen == "none" and not london.visible
    assert london.magnitude > 0.5 and london.magnitude_visible == 0.0
    assert np.all(london.below_horizon[[0, 2, 4]])


def test_never_in_the_penumbra():
    """Cape Town on 2024-04-08: not even on the night side does the
    penumbra's projection reach it (Tokyo, by contrast, has a geometric
    partial eclipse with the Sun 28 degrees below its horizon)."""
    lc = eclipse.at("2024-04-08").local(-33.9249, 18.4241)
    assert lc.kind_seen == "none"
    assert all(np.isnan(lc.time_tt(n)) for n in CONTACTS)
    assert lc.magnitude == 0.0 and lc.obscuration == 0.0
    d = local_record(lc)
    assert d["c1"] is None and d["max"] is None and d["duration_s"] is None


@pytest.mark.parametrize("date", ["2024-04-08", "2023-04-20", "2014-04-29", "2021-12-04", "2025-03-29"])
def test_invariants_over_the_globe(date):
    """20,000 random observers (total, hybrid, non-central annular, polar,
    partial-only eclipses): contacts in order and on their circles, magnitude
    and kind consistent, obscuration in [0, 1]."""
    e = eclipse.at(date)
    rng = np.random.default_rng(5)
    lat = np.degrees(np.arcsin(rng.uniform(-1, 1, 20000)))
    lon = rng.uniform(-180, 360, 20000)
    elevation = rng.uniform(0, 4000, 20000)
    lc = e.local(lat, lon, elevation)
    seen = np.isfinite(lc.max_jd_tt)
    central = np.isfinite(lc.c2_jd_tt)
    assert seen.sum() > 1000
    assert np.all(lc.c1_jd_tt[seen] < lc.max_jd_tt[seen]) and np.all(lc.max_jd_tt[seen] < lc.c4_jd_tt[seen])
    assert np.all(lc.c1_jd_tt[central] < lc.c2_jd_tt[central]) and np.all(lc.c2_jd_tt[central] <= lc.max_jd_tt[central])
    assert np.all(lc.max_jd_tt[central] <= lc.c3_jd_tt[central]) and np.all(lc.c3_jd_tt[central] < lc.c4_jd_tt[central])
    # each contact lies on its circle: |Delta - L| below 1e-7 Earth radii
    # (0.6 m, the iteration's 0.36 ms tolerance times the shadow's speed)
    obs = observer(np.radians(lat), np.radians(lon), elevation)
    for name, umbral in (("c1", False), ("c4", False), ("c2", True), ("c3", True)):
        t = e.elements.hours(lc.time_tt(name))
        ok = np.isfinite(t)
        sh = shadow(e.elements, t[ok], obs._replace(**{k: v[ok] for k, v in obs._asdict().items()}))
        radius = np.abs(sh.umbra) if umbral else sh.penumbra
        assert np.all(np.abs(sh.distance - radius) < 1e-7), name
    kinds = lc.kind_seen
    assert np.all(lc.magnitude[kinds == "total"] > 1.0)
    assert np.all(lc.magnitude[kinds == "annular"] < 1.0)
    assert np.all(np.isfinite(lc.duration_s[np.isin(kinds, ["total", "annular"])]))
    assert np.all((lc.obscuration >= 0) & (lc.obscuration <= 1))
    # the magnitude (L1 - Delta) / (L1 + L2) peaks a little off the least
    # Delta, L1 and L2 changing with zeta (by ~1e-3 an hour): a sunrise just
    # after the maximum can see up to (1e-3/h)^2 (L1 + L2) / (2 Delta''), about
    # 1e-7, more (measured: 1.3e-8, 2025-03-29, sunrise 57 ms after maximum)
    assert np.all(lc.magnitude_visible <= lc.magnitude + 1e-6)
    assert np.all(lc.visible == (kinds != "none"))
    # position angles in [0, 360) at each contact that happens, NaN at the others
    for angles in (lc.contact_position_angle_p_deg, lc.contact_position_angle_v_deg):
        happens = np.stack([np.isfinite(lc.time_tt(n)) for n in CONTACTS], -1)
        assert np.array_equal(np.isfinite(angles), happens)
        assert np.all((angles[happens] >= 0.0) & (angles[happens] < 360.0))
    # one eclipse's kinds: never total where the eclipse is annular everywhere
    if e.kind == "annular":
        assert "total" not in set(kinds)
    if e.kind == "partial":
        assert set(kinds) <= {"none", "partial"}


def test_vectorised_matches_one_by_one():
    e = eclipse.at("2024-04-08")
    lat = np.array([[32.78, 40.71], [35.69, -8.0]])
    lon = np.array([[-96.80, -74.01], [139.69, -157.0]])
    many = e.local(lat, lon, 100.0)
    assert many.shape == (2, 2) and many.contact_altitude_deg.shape == (2, 2, 5)
    assert many.contact_position_angle_p_deg.shape == many.contact_position_angle_v_deg.shape == (2, 2, 5)
    for i in np.ndindex(2, 2):
        one = e.local(lat[i], lon[i], 100.0)
        assert many.kind_seen[i] == one.kind_seen
        for name in CONTACTS:
            assert np.allclose(many.time_tt(name)[i], one.time_tt(name), rtol=0, atol=1e-9, equal_nan=True)
        assert local_record(many[i]) == local_record(one)


def test_longitude_conventions():
    """Longitudes in [-180, 360) are accepted; 263.2 is -96.8."""
    e = eclipse.at("2024-04-08")
    a, b = e.local(32.78, -96.8), e.local(32.78, 263.2)
    assert abs(float(a.c2_jd_tt - b.c2_jd_tt)) < 1e-6 * SECOND
    assert local_record(b)["longitude"] == -96.8


def test_json_keys_and_utc():
    lc = eclipse.at("2024-04-08").local(32.7831, -96.8067, 150)
    d = local_record(lc)
    for key in ("kind_seen", "c1", "c2", "max", "c3", "c4", "magnitude", "obscuration",
                "duration_s", "sun_altitude_deg", "sun_azimuth_deg"):
        assert key in d
    assert d["kind_seen"] == "total"
    assert d["c2"].endswith("Z") and d["c2"].startswith("2024-04-08T18:40:")
    # UT = TT - Delta T
    assert d["contacts"]["c2"]["time_tt"].startswith("2024-04-08T18:41:")


def test_bad_locations():
    e = eclipse.at("2024-04-08")
    for lat, lon in ((91.0, 0.0), (-90.5, 0.0), (0.0, 360.0), (0.0, -180.5), (np.nan, 0.0)):
        with pytest.raises(LocationError):
            e.local(lat, lon)
    assert issubclass(LocationError, EclipseError)
    e.local(90.0, -180.0)  # the edges are fine
    with pytest.raises(NoEclipseError):
        eclipse.at("2024-05-01")


def test_contacts_are_utc_datetimes():
    """c1 ... c4, max, sunrise, sunset are UTC numpy.datetime64 (NaT where
    absent); the TT Julian dates are kept under *_jd_tt."""
    e = eclipse.at("2024-04-08")
    lc = e.local([32.7831, -33.9249], [-96.8067, 18.4241])
    assert lc.c2.dtype == np.dtype("datetime64[ms]")
    assert str(lc.c2[0]).startswith("2024-04-08T18:40:4") and np.isnat(lc.c2[1])
    seconds = (lc.c2[0] - np.datetime64("2024-04-08T00:00")) / np.timedelta64(1, "s")
    expected = (float(lc.c2_jd_tt[0]) - float(lc.delta_t_s[0]) / 86400.0 - 2460408.5) * 86400.0
    assert abs(seconds - expected) < 0.001
    assert np.isnat(lc.sunrise[0]) and local_record(lc[0])["c2"] == contact_utc(lc, "c2", 0)
