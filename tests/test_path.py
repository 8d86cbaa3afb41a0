"""The path of the shadow: central line, limits, contacts, regions, exports.

Checked three ways: against the same code run on NASA's own Besselian
elements (tests/nasa.py), against an independent oracle (astropy's
topocentric Sun and Moon from the same DE421 file), and for consistency of
the path's quantities with each other and with local circumstances.
"""

from __future__ import annotations

import functools
import json
import warnings
import xml.etree.ElementTree as ET

import numpy as np
import pytest

import eclipse
from eclipse.besselian import K_PENUMBRA, K_UMBRA
from eclipse.earth import ECCENTRICITY_SQUARED, observer
from eclipse.ephemeris import EARTH_RADIUS_KM, default_ephemeris_path
from eclipse.local import shadow
from eclipse.path import SECOND_BRANCH, Path, outline_gap, path

import nasa

NASA_DATES = ["2017-08-21", "2024-04-08", "2023-04-20", "2021-12-04", "2026-08-12"]
GEOJSON_DATES = ["2012-05-20", "2012-11-13", "2021-12-04", "2023-04-20", "2014-04-29", "2025-03-29"]
LINES = ("central_line", "umbra_north_limit", "umbra_south_limit",
         "penumbra_north_limit", "penumbra_south_limit")


@functools.lru_cache(maxsize=None)
def ours(date: str, delta_t: float | None = None) -> Path:
    return eclipse.at(date, delta_t=delta_t).path()


#: NASA's published l1 is computed with k = 0.272488 (test below), where
#: DESIGN.md's convention (and ours) is k1 = 0.2725076: l1 differs by 2.3e-5
#: Earth radii (150 m on the fundamental plane), which moves the penumbral
#: limits, where the Sun is low, by up to 1.6 km.  To compare the path code
#: alone, the penumbral limits are compared with NASA's elements whose l1 is
#: moved to our k1; the central line and umbral limits with NASA's as published.
NASA_K1 = 0.272488


def nasa_elements_with_our_k1(date: str):
    from dataclasses import replace

    n = nasa.besselian(date)
    cos_f1 = np.cos(np.arctan(n.tan_f1))
    l1 = n.l1.copy()
    l1[0] += (K_PENUMBRA - NASA_K1) / cos_f1
    return replace(n, l1=l1)


@functools.lru_cache(maxsize=None)
def theirs(date: str, our_k1: bool = False) -> Path:
    return path(nasa_elements_with_our_k1(date) if our_k1 else nasa.besselian(date))


def ecef(lat_deg, lon_deg):
    """Points on the WGS84 ellipsoid, km."""
    lat, lon = np.radians(lat_deg), np.radians(lon_deg)
    n = EARTH_RADIUS_KM / np.sqrt(1 - ECCENTRICITY_SQUARED * np.sin(lat) ** 2)
    return np.stack([n * np.cos(lat) * np.cos(lon), n * np.cos(lat) * np.sin(lon),
                     n * (1 - ECCENTRICITY_SQUARED) * np.sin(lat)], -1)


def distance_to_curve(points, curve):
    """Distance (km, chord) from each point to the nearest segment of a curve."""
    best = np.full(len(points), np.inf)
    for index in curve.parts():
        vertices = ecef(curve.latitude[index], curve.longitude[index])
        if len(vertices) == 1:
            best = np.minimum(best, np.linalg.norm(points - vertices[0], axis=-1))
            continue
        a, b = vertices[:-1], vertices[1:]
        ab = b - a
        rel = points[:, None, :] - a[None]
        s = np.clip(np.sum(rel * ab, -1) / np.sum(ab * ab, -1), 0.0, 1.0)
        nearest = a[None] + s[..., None] * ab[None]
        best = np.minimum(best, np.linalg.norm(points[:, None, :] - nearest, axis=-1).min(axis=1))
    return best


# --- (a) the same code on NASA's elements -------------------------------------------


@pytest.mark.parametrize("date", NASA_DATES)
def test_curves_match_those_from_nasas_elements(date):
    # NASA's Delta T for both, so that only the elements differ.  1 km: the
    # issue's requirement.  Our x, y agree with NASA's to ~1e-5 Earth radii
    # (DESIGN.md), 64 m on the fundamental plane; more on the ground only
    # where the Sun is low and the shadow grazes the surface.
    theirs_path = theirs(date)
    ours_path = ours(date, float(theirs_path.delta_t))
    assert set(ours_path.lines) == set(theirs_path.lines)
    for name, curve in ours_path.lines.items():
        other = (theirs(date, our_k1=True) if name.startswith("penumbra") else theirs_path).lines[name]
        there = distance_to_curve(ecef(curve.latitude, curve.longitude), other)
        back = distance_to_curve(ecef(other.latitude, other.longitude), curve)
        assert max(there.max(), back.max()) < 1.0, (name, there.max(), back.max())


@pytest.mark.parametrize("date", NASA_DATES)
def test_contacts_match_those_from_nasas_elements(date):
    # P1/P4/U1/U4 instants within 1 s (NASA's elements give the same
    # geometry to ~1e-5 radii; the shadow moves 0.5 radii/h: 0.1 s).
    theirs_path = theirs(date)
    ours_path = ours(date, float(theirs_path.delta_t))
    for name in ("p1", "p4", "u1", "u4"):
        a, b = getattr(ours_path, name), getattr(theirs_path, name)
        assert (a is None) == (b is None)
        if a is not None:
            assert abs(a.jd_tt - b.jd_tt) * 86400 < 1.0, name


@pytest.mark.parametrize("date", NASA_DATES)
def test_nasas_l1_uses_another_lunar_radius(date):
    # The reason for nasa_elements_with_our_k1: NASA's l1 implies k = 0.272488
    # (within 3e-6, the rounding of their tan f1 to 7 decimals times z ~ 57),
    # while their l2 implies our k2 = 0.2722810.
    n = nasa.besselian(date)
    e = ours(date, float(n.delta_t)).elements.at(float(nasa_elements_with_our_k1(date).t0 - ours(date, float(n.delta_t)).elements.t0) * 24)
    b = n.at(0.0)
    z = (e.l1 - K_PENUMBRA / np.cos(np.arctan(e.tan_f1))) / e.tan_f1
    k1 = (b.l1 - z * b.tan_f1) * np.cos(np.arctan(b.tan_f1))
    k2 = -(b.l2 - z * b.tan_f2) * np.cos(np.arctan(b.tan_f2))
    assert abs(k1 - NASA_K1) < 3e-6
    assert abs(k2 - K_UMBRA) < 3e-6


# --- (b) the astropy oracle ------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def _astropy():
    from astropy.utils import iers

    iers.conf.auto_download = False
    iers.conf.iers_degraded_accuracy = "warn"  # polar motion beyond the bundled table: 0
    from astropy.coordinates import solar_system_ephemeris

    solar_system_ephemeris.set(default_ephemeris_path())


def topocentric(jd_tt, delta_t, lat_deg, lon_deg):
    """Separation of the Sun and Moon (arcsec) and the semi-diameters of the
    Sun and of the Moon with k1 and k2 (arcsec), seen from sea level."""
    _astropy()
    import astropy.units as u
    from astropy.coordinates import EarthLocation, get_body
    from astropy.time import Time

    t = Time(np.asarray(jd_tt), format="jd", scale="tt")
    tt_minus_utc = ((t.tt.jd1 - t.utc.jd1) + (t.tt.jd2 - t.utc.jd2)) * 86400.0
    t.delta_ut1_utc = tt_minus_utc - delta_t  # UT1 = TT - Delta T, as ours
    place = EarthLocation.from_geodetic(np.asarray(lon_deg) * u.deg, np.asarray(lat_deg) * u.deg, 0 * u.m)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sun = get_body("sun", t, location=place)
        moon = get_body("moon", t, location=place)
        separation = sun.separation(moon).arcsec
    arcsec = 180 / np.pi * 3600
    sun_sd = np.arcsin(696000.0 / sun.distance.to_value(u.km)) * arcsec
    moon_km = moon.distance.to_value(u.km)
    k1 = np.arcsin(0.2725076 * EARTH_RADIUS_KM / moon_km) * arcsec
    k2 = np.arcsin(0.2722810 * EARTH_RADIUS_KM / moon_km) * arcsec
    return separation, sun_sd, k1, k2


def _sample(curve, n):
    """n vertices spread along a curve, ends included."""
    return np.unique(np.linspace(0, len(curve) - 1, n).astype(int))


def _oracle_misses(p, expected):
    """Per curve named in ``expected``: astropy's topocentric Sun-Moon
    separation minus the expected one, expected(sun_sd, moon_sd_k1,
    moon_sd_k2), at 9 vertices (arcsec)."""
    misses = {}
    for name, expect in expected.items():
        curve = p.lines.get(name)
        if curve is None:
            continue
        i = _sample(curve, 9)
        separation, sun_sd, k1, k2 = topocentric(curve.jd_tt[i], p.delta_t,
                                                 curve.latitude[i], curve.longitude[i])
        misses[name] = separation - expect(sun_sd, k1, k2)
    return misses


@pytest.mark.parametrize("date", ["2024-04-08", "2023-04-20", "2021-12-04", "2014-04-29"])
def test_astropy_oracle_on_central_line_and_umbral_limits(date):
    # 1 arcsec: the requirement (the Moon moves 0.5 arcsec/s against
    # the Sun, 1 arcsec ~ 0.5 km on the ground).  The checks include the
    # solved ends, where the Sun is on the horizon.  On the central line the
    # centres coincide; on an umbral limit the discs touch from inside.
    def inside(sun_sd, k1, k2):
        return np.abs(sun_sd - k2)

    misses = _oracle_misses(ours(date), {"central_line": lambda sun_sd, k1, k2: 0.0,
                                         "umbra_north_limit": inside, "umbra_south_limit": inside})
    for name, miss in misses.items():
        assert np.max(np.abs(miss)) < 1.0, (name, miss)


@pytest.mark.parametrize("date", ["2024-04-08", "2025-03-29"])
def test_astropy_oracle_on_penumbral_limits(date):
    # On a penumbral limit the discs touch from outside: separation = sum of
    # the semi-diameters (Moon with k1); 1 arcsec as above.
    def outside(sun_sd, k1, k2):
        return sun_sd + k1

    misses = _oracle_misses(ours(date), {"penumbra_north_limit": outside, "penumbra_south_limit": outside})
    assert misses
    for name, miss in misses.items():
        assert np.max(np.abs(miss)) < 1.0, (name, miss)


# --- (c) consistency along the central line ---------------------------------------------


def _enu(lat_deg, lon_deg):
    lat, lon = np.radians(lat_deg), np.radians(lon_deg)
    east = np.array([-np.sin(lon), np.cos(lon), 0.0])
    north = np.array([-np.sin(lat) * np.cos(lon), -np.sin(lat) * np.sin(lon), np.cos(lat)])
    return east, north


def _crossing(origin, direction, vertices):
    """Smallest |s| where origin + s * direction (2-D) meets a polyline."""
    a, b = vertices[:-1], vertices[1:]
    ab = b - a
    det = direction[0] * (-ab[:, 1]) - direction[1] * (-ab[:, 0])
    rel = a - origin
    with np.errstate(divide="ignore", invalid="ignore"):
        s = (rel[:, 0] * (-ab[:, 1]) - rel[:, 1] * (-ab[:, 0])) / det
        r = (direction[0] * rel[:, 1] - direction[1] * rel[:, 0]) / det
    ok = (r >= 0) & (r <= 1) & np.isfinite(s)
    return np.min(np.abs(s[ok])) if ok.any() else np.nan


@pytest.mark.parametrize("date", ["2024-04-08", "2017-08-21", "2021-12-04", "2026-08-12", "2023-04-20"])
def test_width_is_the_distance_between_the_limits(date):
    p = ours(date)
    c = p.central_line
    north, south = p.umbra_north_limit, p.umbra_south_limit
    checked = 0
    for i in range(1, len(c) - 1, 7):
        if c.sun_altitude[i] < 15.0:
            continue
        origin = ecef(c.latitude[i], c.longitude[i])
        east, up_north = _enu(c.latitude[i], c.longitude[i])
        along = ecef(c.latitude[i + 1], c.longitude[i + 1]) - ecef(c.latitude[i - 1], c.longitude[i - 1])
        along2 = np.array([along @ east, along @ up_north])
        across = np.array([-along2[1], along2[0]]) / np.hypot(*along2)
        total = 0.0
        for limit in (north, south):
            pts = ecef(limit.latitude, limit.longitude) - origin
            total += _crossing(np.zeros(2), across, np.stack([pts @ east, pts @ up_north], -1))
        # The width formula works in the ground's tangent plane; the limits lie
        # on the curved surface, which falls s^2 / 2R below it at s = half the
        # width, so the shadow's edge meets it farther out by about
        # s^2 / (2 R tan h) (h the Sun's altitude): a relative error of
        # s / (4 R tan h) per side... bounded here by s / (2 R tan h) + 0.5 %
        # (the 0.5 % for the polylines' chords and the tangent from neighbours).
        half = c.width_km[i] / 2
        tolerance = half / (2 * EARTH_RADIUS_KM * np.tan(np.radians(c.sun_altitude[i]))) + 0.005
        assert abs(total / c.width_km[i] - 1) < tolerance, (i, total, c.width_km[i])
        checked += 1
    assert checked >= 3


def _contacts_by_sampling(elements, t_max, lat_deg, lon_deg):
    """C2 and C3 (hours from t0) found by sampling Delta - |L2| every 0.01 s
    and interpolating its sign changes: independent of Meeus's iteration."""
    place = observer(np.radians(lat_deg), np.radians(lon_deg))
    t = t_max + np.arange(-600.0, 600.0, 0.01) / 3600.0
    s = shadow(elements, t, place)
    f = s.distance - np.abs(s.umbra)
    k = np.flatnonzero(np.sign(f[:-1]) != np.sign(f[1:]))
    roots = t[k] - f[k] * (t[k + 1] - t[k]) / (f[k + 1] - f[k])
    return roots.min(), roots.max()


@pytest.mark.parametrize("date", ["2024-04-08", "2023-04-20", "2021-12-04"])
def test_duration_matches_local_circumstances(date):
    # 0.01 s: the sampling step of the independent contacts; linear
    # interpolation within it is far better than that.
    p = ours(date)
    c = p.central_line
    t0 = float(p.elements.t0)
    for i in _sample(c, 7)[1:-1]:
        second, third = _contacts_by_sampling(p.elements, (c.jd_tt[i] - t0) * 24, c.latitude[i], c.longitude[i])
        assert abs((third - second) * 3600 - c.duration_s[i]) < 0.01


def test_greatest_duration_is_the_largest_on_the_line():
    p = ours("2024-04-08")
    g = p.greatest_duration
    assert g.value >= np.nanmax(p.central_line.duration_s) - 1e-6
    # NASA's catalog: 268 s at greatest eclipse (4m28s); the greatest duration
    # is within a second of it for this eclipse.
    assert abs(g.value - 268.0) < 1.0


# --- the ends and the contacts -----------------------------------------------------------


@pytest.mark.parametrize("date", ["2024-04-08", "2021-12-04", "2023-04-20"])
def test_central_line_ends_on_the_horizon(date):
    c = ours(date).central_line
    # the ends are solved on the outline, where the Sun's altitude is zero
    # (1e-4 degree: solved to ~1e-10 h, the axis moves 0.5 radii/h)
    assert abs(c.sun_altitude[0]) < 1e-4 and abs(c.sun_altitude[-1]) < 1e-4
    assert np.all(c.sun_altitude[1:-1] > 0)


@pytest.mark.parametrize("date", ["2024-04-08", "2025-03-29", "2014-04-29"])
def test_contacts_touch_the_outline(date):
    p = ours(date)
    el = p.elements
    t0 = float(el.t0)
    second = 1.0 / 3600.0
    pairs = [(p.p1, p.p4, True)] + ([(p.u1, p.u4, False)] if p.u1 is not None else [])
    for first, last, penumbral in pairs:
        for instant, after in ((first, 1.0), (last, -1.0)):
            t = (instant.jd_tt - t0) * 24.0
            # tangent at the instant, apart one second outside, overlapping one
            # second inside.  1e-8 radii: the instant is stored as a TT Julian
            # date, whose float64 spacing near 2.46e6 is 4.7e-10 day (40 us),
            # in which the gap changes by up to 0.6 radii/h * 1.1e-8 h = 7e-9.
            assert abs(outline_gap(el.at(t), penumbral)) < 1e-8
            assert outline_gap(el.at(t - after * second), penumbral) > 0
            assert outline_gap(el.at(t + after * second), penumbral) < 0


def test_partial_and_non_central_eclipses():
    partial = ours("2025-03-29")
    assert partial.central_line is None and partial.u1 is None and partial.umbra is None
    assert set(partial.lines) == {"penumbra_south_limit"}
    noncentral = ours("2014-04-29")
    assert noncentral.central_line is None and noncentral.u1 is not None
    assert set(noncentral.lines) == {"umbra_north_limit", "penumbra_north_limit"}
    assert noncentral.umbra is not None and noncentral.umbra.area > 0


def test_eclipse_path_method_and_bad_step():
    e = eclipse.at("2024-04-08")
    p = e.path(step=300)
    assert isinstance(p, Path) and p.step == 300
    c = p.central_line
    times = np.round((c.jd_ut[c.on_step] % 1) * 86400, 3)
    assert np.all(times % 300 == 0)  # whole UTC steps
    assert not c.on_step[0] and not c.on_step[-1]  # the solved ends
    assert c.on_step.sum() >= 35  # 3 h 15 min of central line
    for step in (0, -5, float("nan")):
        with pytest.raises(eclipse.EclipseError):
            e.path(step=step)


@pytest.mark.parametrize("date", ["2021-12-04", "2024-04-08", "2023-04-20"])
def test_whole_steps_are_marked_on_every_curve(date):
    # on_step (the rows of the path table) marks exactly the vertices at
    # whole UTC steps, also on limits that have a second branch from a fold
    # (2021-12-04's northern and 2024-04-08's and 2023-04-20's penumbral
    # limits): the solved ends and the vertices added between steps are not
    # marked.  (Times to 1 ms: the JD round trip.)
    p = ours(date)
    assert any((c.part >= SECOND_BRANCH).any() for c in p.lines.values())
    for name, c in p.lines.items():
        seconds = (c.jd_ut % 1) * 86400
        whole = np.abs(seconds - np.round(seconds / p.step) * p.step) < 1e-3
        assert np.array_equal(c.on_step, whole), name
        assert c.on_step.sum() > 10, name


# --- (d) GeoJSON and KML ----------------------------------------------------------------


EXPECTED_FEATURES = {
    "2014-04-29": {"umbra_north_limit", "umbra", "penumbra_north_limit", "penumbra"},
    "2025-03-29": {"penumbra_south_limit", "penumbra"},
}


@pytest.mark.parametrize("date", GEOJSON_DATES)
def test_geojson_is_valid(date):
    from shapely.geometry import shape

    p = ours(date)
    collection = json.loads(p.to_geojson())
    assert collection["type"] == "FeatureCollection"
    names = [f["properties"]["feature"] for f in collection["features"]]
    assert len(names) == len(set(names))
    if date in EXPECTED_FEATURES:
        assert set(names) == EXPECTED_FEATURES[date]
    else:
        assert set(names) >= {"central_line", "umbra", "penumbra"}
    for feature in collection["features"]:
        geometry = feature["geometry"]
        g = shape(geometry)
        assert g.is_valid and not g.is_empty, feature["properties"]["feature"]
        if geometry["type"] in ("LineString", "MultiLineString"):
            lines = [geometry["coordinates"]] if geometry["type"] == "LineString" else geometry["coordinates"]
            times = feature["properties"]["times_utc"]
            times = [times] if geometry["type"] == "LineString" else times
            assert [len(t) for t in times] == [len(line) for line in lines]
            assert all(t == sorted(t) for t in times)
        else:
            polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
            lines = [ring for polygon in polygons for ring in polygon]
            for polygon in getattr(g, "geoms", [g]):
                assert polygon.exterior.is_ccw  # RFC 7946 3.1.6: exteriors counter-clockwise
        for line in lines:
            xy = np.array(line)
            assert np.all(np.abs(xy[:, 0]) <= 180) and np.all(np.abs(xy[:, 1]) <= 90)
            assert np.all(np.abs(np.diff(xy[:, 0])) <= 180)  # no jump across the map


def test_antimeridian_lines_are_split():
    collection = json.loads(ours("2012-11-13").to_geojson())
    central = next(f for f in collection["features"] if f["properties"]["feature"] == "central_line")
    assert central["geometry"]["type"] == "MultiLineString"
    ends = [line[-1][0] for line in central["geometry"]["coordinates"][:-1]]
    starts = [line[0][0] for line in central["geometry"]["coordinates"][1:]]
    assert all(abs(abs(x) - 180) < 1e-9 for x in ends + starts)


def test_polar_penumbra_covers_the_pole():
    import shapely

    # 2021-12-04: the partial phase is seen at the South Pole (Sun above the
    # horizon all day there in December, the umbra passes within 15 degrees).
    assert shapely.contains_xy(ours("2021-12-04").penumbra, 0.0, -89.9)
    assert not shapely.contains_xy(ours("2024-04-08").penumbra, 0.0, -89.9)


def test_kml_parses():
    text = ours("2024-04-08").to_kml()
    root = ET.fromstring(text)
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    names = [n.text for n in root.findall(".//k:Placemark/k:name", ns)]
    assert "central line" in names and "penumbra" in names and len(names) == 7


@pytest.mark.parametrize("date", ["2024-04-08", "2021-12-04", "2014-04-29"])
def test_lines_follow_the_curves_between_vertices(date):
    # The 1 km between vertices: at the middle instant of every
    # segment the true point is within 1 km of the drawn chord.
    from eclipse.earth import point_under
    from eclipse.path import SECOND_BRANCH, edge_points

    p = ours(date)
    el = p.elements
    t0 = float(el.t0)
    for name, curve in p.lines.items():
        t = (curve.jd_tt - t0) * 24
        same = curve.part[1:] == curve.part[:-1]
        middle = 0.5 * (t[1:] + t[:-1])[same]
        e = el.at(middle)
        if name == "central_line":
            lat, lon = point_under(e.x, e.y, e.d, e.mu)
        else:
            side = -1.0 if "north" in name else 1.0
            x, y, z = edge_points(e, side, name.startswith("penumbra"))
            # the second branch from a fold: the next solution down
            second = curve.part[1:][same] >= SECOND_BRANCH
            if second.any():
                x_low, y_low, _ = edge_points(e, side, name.startswith("penumbra"), below=z)
                x, y = np.where(second, x_low, x), np.where(second, y_low, y)
            lat, lon = point_under(x, y, e.d, e.mu)
        q = ecef(np.degrees(lat), np.degrees(lon))
        a = ecef(curve.latitude, curve.longitude)[:-1][same]
        b = ecef(curve.latitude, curve.longitude)[1:][same]
        ab = b - a
        s = np.clip(np.sum((q - a) * ab, -1) / np.sum(ab * ab, -1), 0, 1)
        stray = np.linalg.norm(q - a - s[:, None] * ab, axis=-1)
        assert np.nanmax(stray) < 1.0, (name, np.nanmax(stray))


def test_limits_from_interpolated_zeta_match_the_full_iteration(monkeypatch):
    # At 1-s steps the limits are computed from zeta interpolated on a
    # subgrid; they must equal those of the full iteration (to 1 m).
    import eclipse.path as path_module

    e = eclipse.at("2021-12-04")
    fast = path(e, step=2)
    monkeypatch.setattr(path_module, "COARSE_POINTS", 10**9)
    full = path(e, step=2)
    for name, curve in full.lines.items():
        other = fast.lines[name]
        assert len(other) == len(curve)
        km = np.linalg.norm(ecef(curve.latitude, curve.longitude) - ecef(other.latitude, other.longitude), axis=-1)
        assert km.max() < 1e-3, name
    # durations from interpolated contacts: 1e-3 s, a hundredth of the 0.1 s
    # shown (measured: 4e-5 s)
    assert np.max(np.abs(fast.central_line.duration_s - full.central_line.duration_s)) < 1e-3


@pytest.mark.parametrize("date", ["2015-03-20", "2024-04-08"])
def test_limit_ends_do_not_depend_on_the_subgrid(date, monkeypatch):
    # Where a limit ends near the horizon the crossing of the outline found
    # between two subgrid instants can belong to a second, lower branch of
    # the tangency condition; the limit then ends at a fold above the
    # horizon.  Whether the subgrid is 1 s or ~40 s apart, the same ends
    # must be found: the same vertices and parts (2015-03-20's southern
    # umbral limit once began on the lower branch's horizon point, 30 km
    # from its fold, on the subgrid only).  Vertices at whole steps within
    # 1 m; the others (ends, second branches, vertices added between steps)
    # depend on the folds, located by bisection to ~2 us where the limit
    # moves as the square root of time: within 0.2 km (measured: 85 m).
    import eclipse.path as path_module

    e = eclipse.at(date)
    fast = path(e, step=1)
    monkeypatch.setattr(path_module, "COARSE_POINTS", 10**9)
    full = path(e, step=1)
    assert any((c.part >= SECOND_BRANCH).any() for c in full.lines.values())
    for name, curve in full.lines.items():
        other = fast.lines[name]
        assert len(other) == len(curve) and np.array_equal(other.part, curve.part), name
        km = np.linalg.norm(ecef(curve.latitude, curve.longitude) - ecef(other.latitude, other.longitude), axis=-1)
        assert np.array_equal(curve.on_step, other.on_step), name
        assert km[curve.on_step].max() < 1e-3, name
        assert km.max() < 0.2, name


@pytest.mark.parametrize("date", ["2024-04-08", "2025-03-29", "2021-12-04"])
def test_rise_set_curves_are_on_the_penumbral_edge_at_the_horizon(date):
    # Every vertex sees a contact of the partial phase (Delta = L1) with the
    # Sun on the horizon (geodetic altitude 0).  1e-8 radii (6 cm) and 1e-5
    # degree: Newton's method converged to 1e-9 radii; the JD round trip of
    # the instants (40 us, shadow speed 0.6 radii/h) adds 7e-9.
    from eclipse.earth import sun_altitude_azimuth

    p = ours(date)
    c = p.rise_set
    assert c is not None and len(c) > 100
    el = p.elements
    t = (c.jd_tt - float(el.t0)) * 24
    lat, lon = np.radians(c.latitude), np.radians(c.longitude)
    s = shadow(el, t, observer(lat, lon))
    assert np.max(np.abs(s.distance - s.penumbra)) < 1e-8
    e = el.at(t)
    altitude, _ = sun_altitude_azimuth(lat, lon, e.d, e.mu)
    assert np.max(np.abs(np.degrees(altitude))) < 1e-5
    # P2 and P3 exist when the penumbra lies wholly on the Earth for a while
    assert (p.p2 is not None) == (date == "2024-04-08")


@pytest.mark.parametrize("date", ["2024-04-08", "2021-12-04", "2023-04-20", "2025-03-29", "2014-04-29"])
def test_limits_graze(date):
    # A limit point is on the shadow's edge (Delta = |L|) at the instant
    # where Delta - |L| is stationary (the edge moves along itself), checked
    # with local.shadow's u, v and rates a, b, independently of the closed
    # form in edge_points:  d/dt (Delta - |L|) = (u a + v b) / Delta
    # - sign(L) (l' - zeta' tan f).  1e-8 radii (6 cm) off the edge; and a
    # residual slope s turns the edge's normal by s / S (S the shadow's speed
    # against the ground), moving the limit along the edge by |L| s / S:
    # under 1e-6 radii (6 m).  A wrong tangency formula leaves s ~ 1e-4
    # radii/h (the rate of L; a copysign slip once made it 3e-4), i.e. 1e-4
    # radii on a penumbral limit.
    p = ours(date)
    el = p.elements
    for name, curve in p.lines.items():
        if name == "central_line":
            continue
        penumbral = name.startswith("penumbra")
        boundaries = np.flatnonzero(np.diff(curve.part))
        i = np.union1d(_sample(curve, 40), np.concatenate([boundaries, boundaries + 1]))
        t = (curve.jd_tt[i] - float(el.t0)) * 24
        place = observer(np.radians(curve.latitude[i]), np.radians(curve.longitude[i]))
        s = shadow(el, t, place)
        e = el.at(t)
        radius = s.penumbra if penumbral else s.umbra
        gap = s.distance - np.abs(radius)
        xi, eta = e.x - s.u, e.y - s.v
        zeta_rate = -e.dmu * xi * np.cos(e.d) + eta * e.dd
        radius_rate = (e.dl1 - zeta_rate * e.tan_f1) if penumbral else (e.dl2 - zeta_rate * e.tan_f2)
        slope = (s.u * s.a + s.v * s.b) / s.distance - np.sign(radius) * radius_rate
        # the ends of each part (on the horizon, or at a fold) apart
        part = curve.part[i]
        end = np.r_[True, part[1:] != part[:-1]] | np.r_[part[1:] != part[:-1], True]
        inner = ~end
        assert np.max(np.abs(gap[inner])) < 1e-8, name
        # an end where the limit folds (a cusp) is a double root of the
        # tangency condition, solved to ~ the square root of the tolerance,
        # and an end on the horizon is put on the outline by a move below
        # 1e-6 radii: 1e-6 radii (6 m)
        assert np.max(np.abs(gap[end])) < 1e-6, name
        # the ends stop on the horizon or at a fold
        shift = np.abs(radius * slope) / np.hypot(s.a, s.b)
        assert np.max(shift[inner]) < 1e-6, (name, np.max(shift[inner]))


@pytest.mark.parametrize("date", ["2024-04-08", "2025-03-29"])
def test_limits_bound_the_region(date):
    # Independent of the tangency: a point of a limit never sees the shadow
    # (Delta < |L| with the Sun up) at any instant of the eclipse, sampled
    # every 0.5 s.  -1e-7 radii (0.6 m): the ends on the horizon are put on
    # the outline by moves below 1e-6 radii on the plane (measured: -1.7e-8);
    # the tangency bug this guards against gave -5e-6.
    p = ours(date)
    el = p.elements
    t0 = float(el.t0)
    ts = np.arange((p.p1.jd_tt - t0) * 24, (p.p4.jd_tt - t0) * 24, 0.5 / 3600)
    for name, curve in p.lines.items():
        if name == "central_line":
            continue
        for i in _sample(curve, 8):
            s = shadow(el, ts, observer(np.radians(curve.latitude[i]), np.radians(curve.longitude[i])))
            radius = s.penumbra if name.startswith("penumbra") else np.abs(s.umbra)
            inside = np.where(s.zeta > 0, s.distance - radius, np.inf)
            assert inside.min() > -1e-7, (name, i, inside.min())


def test_split_line_property():
    # Any line wandering across the antimeridian: pieces stay in [-180, 180],
    # never step more than 180 degrees, meet at +-180 with the same latitude
    # and time, and keep every vertex.
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from eclipse.geometry import split_line

    steps = st.lists(st.floats(-170, 170), min_size=1, max_size=40)

    @settings(max_examples=200, deadline=None)
    @given(st.floats(-180, 180), steps)
    def check(start, moves):
        lon = start + np.concatenate([[0.0], np.cumsum(moves)])
        lat = np.linspace(-60, 60, len(lon))
        jd = np.arange(len(lon), dtype=float)
        pieces = split_line(np.mod(lon + 180, 360) - 180, lat, jd)
        for lo, la, t in pieces:
            assert np.all(np.abs(lo) <= 180 + 1e-9) and np.all(np.abs(np.diff(lo)) <= 180)
        for (lo1, la1, t1), (lo2, la2, t2) in zip(pieces, pieces[1:]):
            assert abs(abs(lo1[-1]) - 180) < 1e-9 and abs(abs(lo2[0]) - 180) < 1e-9
            assert la1[-1] == la2[0] and t1[-1] == t2[0]
        kept = np.concatenate([t for _, _, t in pieces])
        assert set(jd) <= set(kept)

    check()
