"""Distances from observers to the central line and the umbral limits
(eclipse.geometry.distances, ``e.local(...).distances``), against the path's
own curves measured by pyproj's Geod (Karney's geodesics) on the curves
densified to 10 m; against the true central line (computed from the
elements, not from the path's vertices); against observers placed at known
distances; against what local circumstances see (inside both limits is
where the central phase is); and the page's port (distances.js) under Node
against Python.
"""

from __future__ import annotations

import json
import subprocess

import numpy as np
import pytest
from pyproj import Geod
from test_circumstances_node import require_node

import eclipse
from eclipse.geometry import PathDistances, local_circumstances
from eclipse.geometry.distances import MAX_DISTANCE_KM, STEP_S, geodesic_chord_km, path_distances
from eclipse.geometry.earth import ellipsoid_points, point_under
from eclipse.geometry.path import path
from eclipse.io.records import local_json
from eclipse.io.tables import local_table
from eclipse.io.text import path_distance_text
from eclipse.sources.elements import stack_elements
from eclipse.web import document
from support.cli import run

GEOD = Geod(ellps="WGS84")
#: Total (2024, 2017), annular, polar total, a total ending in Spain at
#: sunset, and one whose path crosses the antimeridian (2012-11-13).
ECLIPSES = ("2024-04-08", "2017-08-21", "2023-10-14", "2021-12-04", "2026-08-12", "2012-11-13")
CURVES = ("central_line", "umbra_north_limit", "umbra_south_limit")
FIELDS = ("central_line_km", "north_limit_km", "south_limit_km")
#: The reference's points along the curves (m): at a distance D from the
#: nearest, spacing h puts it at most (h/2)^2 / 2D above the true least
#: distance: 0.05 m at 1.5 km, the nearest the placed observers are.
SPACING_M = 25.0
#: Ours against pyproj's on the same curves: Lambert's formula is within
#: 2.8 m of Karney's geodesic up to 2000 km (test below), the reference's
#: spacing costs a few centimetres, and a chord between 1-s vertices (under
#: a kilometre mid-path) departs from the geodesic between them by
#: millimetres.
SAME_CURVES_KM = 0.01
#: The issue's bar, for what depends on the curves' sampling (the 1-s
#: path's chords against the true central line).
BAR_KM = 0.1
#: Offsets (km) of observers placed perpendicular to the central line.
OFFSETS_KM = (3.0, 40.0, 90.0, 300.0, 1000.0)
#: Placed observers whose distance equals their offset: the geodesic leaving
#: a curve at a right angle meets it nearest there while the offset is well
#: under the curve's radius of curvature (thousands of km mid-path).
KNOWN_UP_TO_KM = 90.0
#: Fractions of a curve's vertices where observers are placed: mid-path.
FRACTIONS = (0.15, 0.3, 0.5, 0.7, 0.85)
#: Observers this close to a limit are not used to tell inside from outside:
#: the limits are solved to 1e-11 radii, the contacts to 0.36 ms (metres).
LIMIT_MARGIN_KM = 0.1


def _inv(lon1, lat1, lon2, lat2):
    """Geod.inv: forward azimuth, back azimuth, distance (m)."""
    return GEOD.inv(lon1, lat1, lon2, lat2, return_back_azimuth=True)


def _azimuth(curve, i):
    """The curve's direction (degrees from north) at vertex i."""
    a, b = max(i - 1, 0), min(i + 1, len(curve) - 1)
    return _inv(curve.longitude[a], curve.latitude[a], curve.longitude[b], curve.latitude[b])[0]


def _placed(p, date):
    """Observers placed at known offsets: perpendicular to the central line
    (left of its direction: positive), either side of each limit by 1.5 km,
    where the central line crosses the antimeridian, and for 2024-04-08
    Dallas, Carbondale and Buffalo.  Returns lat, lon and, per observer, the
    offset from the central line (NaN when placed from a limit) and the
    curve it was placed from with its side (+1 left, -1 right)."""
    lat, lon, offset, origin = [], [], [], []
    central = p.central_line
    picks = [int(f * (len(central) - 1)) for f in FRACTIONS]
    if date == "2012-11-13":  # where the line crosses 180 degrees
        picks.append(int(np.argmax(np.abs(central.longitude))))
    for i in picks:
        az = _azimuth(central, i)
        for side in (1.0, -1.0):
            for km in OFFSETS_KM:
                lo, la, _ = GEOD.fwd(central.longitude[i], central.latitude[i], az - 90.0 * side, km * 1e3)
                lat.append(la)
                lon.append(lo)
                offset.append(side * km)
                origin.append(("central_line", side))
    for name in ("umbra_north_limit", "umbra_south_limit"):
        curve = p.lines[name]
        main = curve.parts()[0]
        for f in FRACTIONS:
            i = int(main[int(f * (len(main) - 1))])
            az = _azimuth(curve, i)
            for side in (1.0, -1.0):
                lo, la, _ = GEOD.fwd(curve.longitude[i], curve.latitude[i], az - 90.0 * side, 1.5e3)
                lat.append(la)
                lon.append(lo)
                offset.append(np.nan)
                origin.append((name, side))
    if date == "2024-04-08":
        for la, lo in ((32.78, -96.80), (37.73, -89.22), (42.89, -78.88)):
            lat.append(la)
            lon.append(lo)
            offset.append(np.nan)
            origin.append(("city", 0.0))
    return np.array(lat), (np.array(lon) + 180.0) % 360.0 - 180.0, np.array(offset), origin


_VERTICES: dict[int, list] = {}


def _vertices(curve):
    """A curve's parts: their indices and Cartesian vertices (kept)."""
    if id(curve) not in _VERTICES:
        _VERTICES[id(curve)] = [(part, ellipsoid_points(np.radians(curve.latitude[part]),
                                                       np.radians(curve.longitude[part])))
                                for part in curve.parts()]
    return _VERTICES[id(curve)]


def _reference(curve, lat, lon):
    """pyproj's least geodesic distance (km) from a place to a curve, on the
    geodesics between its vertices around the one nearest the place (three
    either side; they are about a kilometre apart) at points every
    SPACING_M, and whether that point is an end of a part (the place not
    abeam of the curve)."""
    best, at_end = np.inf, False
    place = ellipsoid_points(np.radians(lat), np.radians(lon))
    for part, vertices in _vertices(curve):
        clon, clat = curve.longitude[part], curve.latitude[part]
        j = int(np.argmin(((vertices - place) ** 2).sum(axis=1)))
        k = np.arange(max(j - 3, 0), min(j + 3, len(part) - 1))
        az, _, length = _inv(clon[k], clat[k], clon[k + 1], clat[k + 1])
        n = np.maximum(np.ceil(length / SPACING_M), 1).astype(int)
        segment = np.repeat(np.arange(len(k)), n + 1)
        fraction = (np.arange(len(segment)) - np.repeat(np.cumsum(n + 1) - (n + 1), n + 1)) / n[segment]
        plon, plat, _ = GEOD.fwd(clon[k][segment], clat[k][segment], az[segment], fraction * length[segment])
        dd = _inv(np.full(len(plon), lon), np.full(len(plon), lat), plon, plat)[2] / 1e3
        m = int(np.argmin(dd))
        if dd[m] < best:
            first, last = k[segment[m]] == 0 and fraction[m] == 0, k[segment[m]] + 1 == len(part) - 1 and fraction[m] == 1
            best, at_end = float(dd[m]), bool(first or last)
    return best, at_end


@pytest.fixture(scope="module")
def cases():
    """Each eclipse: its path at distances.STEP_S (the curves measured to),
    the placed observers, their circumstances and distances (e.local)."""
    out = {}
    for date in ECLIPSES:
        e = eclipse.at(date)
        p = path(e, STEP_S)
        lat, lon, offset, origin = _placed(p, date)
        lc = e.local(lat, lon)
        out[date] = {"e": e, "path": p, "lat": lat, "lon": lon, "offset": offset, "origin": origin, "lc": lc}
    return out


@pytest.mark.parametrize("date", ECLIPSES)
def test_distances_are_pyprojs_to_the_paths_curves(cases, date):
    case = cases[date]
    d = case["lc"].distances
    worst, measured = 0.0, 0
    for name, field in zip(CURVES, FIELDS):
        curve = case["path"].lines[name]
        ours = getattr(d, field)
        for i, (la, lo) in enumerate(zip(case["lat"], case["lon"])):
            ref, at_end = _reference(curve, la, lo)
            where = (date, name, float(la), float(lo), float(ours[i]), ref)
            if at_end or ref > MAX_DISTANCE_KM + SAME_CURVES_KM:
                assert np.isnan(ours[i]), where
                continue
            if ref > MAX_DISTANCE_KM - SAME_CURVES_KM:  # at the edge of what is measured
                continue
            assert np.isfinite(ours[i]), where
            assert abs(abs(ours[i]) - ref) <= SAME_CURVES_KM, where
            worst = max(worst, abs(abs(ours[i]) - ref))
            measured += 1
    print(date, f"{measured} distances, the largest difference {worst * 1e3:.2f} m")
    assert measured >= 2 * len(case["lat"])


@pytest.mark.parametrize("date", ECLIPSES)
def test_sides_and_placed_distances(cases, date):
    """Left of the central line's direction is north of it (positive), the
    side of the northern limit; inside a limit is positive; observers placed
    perpendicular are at their offset."""
    case = cases[date]
    d = case["lc"].distances
    for i, ((name, side), offset) in enumerate(zip(case["origin"], case["offset"])):
        where = (date, name, side, float(case["lat"][i]), float(case["lon"][i]))
        if name == "central_line":
            if abs(offset) >= MAX_DISTANCE_KM:
                continue
            assert np.sign(d.central_line_km[i]) == np.sign(offset), where
            if abs(offset) <= KNOWN_UP_TO_KM:
                assert abs(d.central_line_km[i] - offset) <= SAME_CURVES_KM, where
        elif name == "umbra_north_limit":  # left of it is outside
            assert abs(d.north_limit_km[i] + 1.5 * side) <= SAME_CURVES_KM, where
            assert d.central_line_km[i] > 0, where
        elif name == "umbra_south_limit":  # right of it is outside
            assert abs(d.south_limit_km[i] - 1.5 * side) <= SAME_CURVES_KM, where
            assert d.central_line_km[i] < 0, where


@pytest.mark.parametrize("date", ECLIPSES)
def test_inside_both_limits_is_where_the_central_phase_is(cases, date):
    case = cases[date]
    lc, d = case["lc"], case["lc"].distances
    north, south = d.north_limit_km, d.south_limit_km
    known = np.isfinite(north) & np.isfinite(south)
    clear = known & (np.abs(north) > LIMIT_MARGIN_KM) & (np.abs(south) > LIMIT_MARGIN_KM)
    inside = clear & (north > 0) & (south > 0)
    central = np.isfinite(lc.c2_jd_tt)  # geometric, as the sea-level limits
    assert np.array_equal(inside[clear], central[clear])
    up = clear & (lc.sun_altitude_deg > 1.0)
    seen = np.isin(lc.kind_seen, ("total", "annular"))
    assert np.array_equal(inside[up], seen[up])
    assert inside.sum() >= 10 and (clear & ~inside).sum() >= 10


def test_the_true_central_line(cases):
    """The 1-s path's chords stand for the central line within the issue's
    bar: the distances against the true line, its points computed from the
    elements every 10 ms within 3 s of the vertex nearest the place
    (earth.point_under; the vertices are 1 s apart)."""
    worst = 0.0
    for date in ("2024-04-08", "2021-12-04", "2026-08-12"):
        case = cases[date]
        e, p = case["e"], case["path"]
        central = p.central_line
        t0 = float(e.elements.t0)
        ours = case["lc"].distances.central_line_km
        vertices = ellipsoid_points(np.radians(central.latitude), np.radians(central.longitude))
        for i in np.flatnonzero(np.isfinite(ours) & (np.abs(ours) <= 300.0)):
            # the vertex nearest the foot, by pyproj, then the true line around it
            la, lo = case["lat"][i], case["lon"][i]
            place = ellipsoid_points(np.radians(la), np.radians(lo))
            j = int(np.argmin(((vertices - place) ** 2).sum(axis=1)))
            hours = (central.jd_tt[j] - t0) * 24.0 + np.arange(-300, 301) * 0.01 / 3600.0
            el = e.elements.at(hours)
            tlat, tlon = point_under(el.x, el.y, el.d, el.mu)
            true = _inv(np.full(len(hours), lo), np.full(len(hours), la), np.degrees(tlon),
                            np.degrees(tlat))[2].min() / 1e3
            assert abs(abs(ours[i]) - true) <= BAR_KM, (date, float(la), float(lo), float(ours[i]), true)
            worst = max(worst, abs(abs(ours[i]) - true))
    print(f"the largest difference from the true central line: {worst * 1e3:.1f} m")


def _every_chord(curve, lat, lon):
    """The signed distance (km) to a curve by the nearest point of every
    chord between its vertices (Cartesian, each point clamped to its chord),
    as distances.js finds it: NaN where that point is an end of a part or
    beyond MAX_DISTANCE_KM, positive to the left of the curve."""
    places = ellipsoid_points(np.radians(lat), np.radians(lon))
    best = np.full(len(lat), np.inf)
    foot, vector = np.zeros((len(lat), 3)), np.zeros((len(lat), 3))
    interior = np.zeros(len(lat), bool)
    for _, vertices in _vertices(curve):
        start, chord = vertices[:-1], np.diff(vertices, axis=0)
        s = np.clip(np.einsum("ijk,jk->ij", places[:, None, :] - start, chord) / (chord * chord).sum(1), 0, 1)
        points = start + s[..., None] * chord
        d2 = ((places[:, None, :] - points) ** 2).sum(-1)
        k = d2.argmin(1)
        rows = np.arange(len(k))
        better = d2[rows, k] < best
        best[better], foot[better], vector[better] = d2[rows, k][better], points[rows, k][better], chord[k][better]
        end = ((k == 0) & (s[rows, k] <= 0)) | ((k == len(chord) - 1) & (s[rows, k] >= 1))
        interior[better] = ~end[better]
    km = geodesic_chord_km(places.T, foot.T)
    left = (np.cross(vector, places - foot) * foot).sum(1) > 0
    return np.where(interior & (km <= MAX_DISTANCE_KM), np.where(left, km, -km), np.nan)


@pytest.mark.parametrize("date", ("2021-12-04", "2023-04-20", "2014-04-29"))
def test_the_search_finds_the_nearest_chord(date):
    """The search from each observer's maximum finds the point a search of
    every chord finds, out to MAX_DISTANCE_KM, on the polar path (curved
    all along), the hybrid (whose limits bend back near their ends) and a
    non-central annular (one limit, no central line)."""
    e = eclipse.at(date)
    p = path(e, STEP_S)
    along = p.central_line or p.umbra_north_limit or p.umbra_south_limit
    rng = np.random.default_rng(7)
    i = rng.integers(len(along), size=400)
    lat = np.clip(along.latitude[i] + rng.uniform(-20, 20, 400), -90, 90)
    lon = (along.longitude[i] + rng.uniform(-25, 25, 400) + 180) % 360 - 180
    d = e.local(lat, lon).distances
    compared = 0
    for name, field, sign in zip(CURVES, FIELDS, (1, -1, 1)):
        ours = getattr(d, field)
        if name not in p.lines:
            assert np.isnan(ours).all()
            continue
        every = sign * _every_chord(p.lines[name], lat, lon)
        assert np.array_equal(np.isnan(ours), np.isnan(every)), (date, name)
        both = np.isfinite(ours)
        assert np.allclose(ours[both], every[both], rtol=0, atol=1e-6), (date, name)
        compared += int(both.sum())
    assert compared >= 150


def test_cities_2024(cases):
    """Dallas, Carbondale and Buffalo, as a chaser reads them."""
    case = cases["2024-04-08"]
    cities = [i for i, (name, _) in enumerate(case["origin"]) if name == "city"]
    d = case["lc"].distances[np.array(cities)]
    texts = [path_distance_text(*(float(getattr(d, f)[k]) for f in FIELDS)) for k in range(3)]
    # all three are inside, north of the central line, nearer the northern limit
    assert all(t is not None and " km north of the central line; " in t and "inside the northern limit" in t
               for t in texts), texts
    assert 40 < d.central_line_km[0] < 50 and d.central_line_km[1] < 10 and d.central_line_km[2] < 10


def test_far_beyond_the_ends_partial_and_batches():
    e = eclipse.at("2024-04-08")
    p = e.path()
    central = p.central_line
    # 300 km before the start of the central line, along it: not abeam of it
    az = _azimuth(central, 0)
    lo, la, _ = GEOD.fwd(central.longitude[0], central.latitude[0], az + 180.0, 300e3)
    # 2500 km north of the middle of the path, and Paris
    i = len(central) // 2
    lo2, la2, _ = GEOD.fwd(central.longitude[i], central.latitude[i], _azimuth(central, i) - 90.0, 2500e3)
    lc = e.local([la, la2, 48.85], [lo, lo2, 2.35])
    assert np.isnan(lc.distances.central_line_km).all()
    assert np.isnan(lc.distances[1:].north_limit_km).all()
    assert path_distance_text(np.nan, np.nan, np.nan) is None
    # a partial eclipse has no such curves: nothing said
    partial = eclipse.at("2025-03-29")
    seen = partial.local(48.85, 2.35)
    assert all(np.isnan(getattr(seen.distances, f)) for f in FIELDS)
    data = local_json(partial, seen)
    assert [data[k] for k in ("central_line_distance_km", "north_limit_distance_km", "south_limit_distance_km")] \
        == [None] * 3
    assert "central line" not in local_table(partial, seen)
    # without distances (as the maps' grids ask): None, and the keys null
    plain = e.local(32.78, -96.80, distances=False)
    assert plain.distances is None and plain[()].distances is None
    assert local_json(e, plain)["central_line_distance_km"] is None
    # one observer of many, by index
    many = e.local(np.array([[32.78, 37.73]]), np.array([[-96.80, -89.22]]))
    assert isinstance(many[0, 1].distances, PathDistances) and many.distances.central_line_km.shape == (1, 2)
    assert many[0, 1].distances.central_line_km == many.distances.central_line_km[0, 1]
    batch = stack_elements([x.elements for x in eclipse.find(year=2024)])
    with pytest.raises(ValueError, match="one eclipse"):
        local_circumstances(batch, [0.0, 0.0], [0.0, 0.0], distances=True)


def test_lamberts_formula_against_karney():
    """geodesic_chord_km against pyproj's geodesics, 20,000 random pairs
    up to 2000 km apart anywhere (the poles, the antimeridian): within
    3 m (Lambert's formula is first order in the flattening)."""
    rng = np.random.default_rng(0)
    n = 20000
    lat1 = np.degrees(np.arcsin(rng.uniform(-1, 1, n)))
    lon1 = rng.uniform(-180, 180, n)
    distance = rng.uniform(0, 2000e3, n)
    lon2, lat2, _ = GEOD.fwd(lon1, lat1, rng.uniform(0, 360, n), distance)
    km = geodesic_chord_km(ellipsoid_points(np.radians(lat1), np.radians(lon1)).T,
                           ellipsoid_points(np.radians(lat2), np.radians(lon2)).T)
    assert np.max(np.abs(km - distance / 1e3)) <= 0.003


def test_cli_local_line_json_and_csv():
    code, out, err = run("local", "2024-04-08", "--place", "Carbondale")
    assert code == 0 and err == ""
    line = out.splitlines()[2]
    assert line.endswith("inside the northern limit") and " km north of the central line; " in line
    code, out, _ = run("local", "2024-04-08", "--lat", "32.78", "--lon", "-96.80", "--format", "json")
    data = json.loads(out)
    e = eclipse.at("2024-04-08")
    d = e.local(32.78, -96.80).distances
    assert data["central_line_distance_km"] == round(float(d.central_line_km), 2)
    assert data["north_limit_distance_km"] == round(float(d.north_limit_km), 2)
    assert data["south_limit_distance_km"] == round(float(d.south_limit_km), 2)
    code, out, _ = run("local", "2024-04-08", "--lat", "32.78", "--lon", "-96.80", "--format", "csv")
    header, row = out.splitlines()
    values = dict(zip(header.split(","), row.split(",")))
    assert float(values["central_line_distance_km"]) == data["central_line_distance_km"]
    code, out, _ = run("local", "2025-03-29", "--place", "Paris")
    assert code == 0 and "central line" not in out


# --- the page's port ----------------------------------------------------------------------

DRIVER = r"""
// node driver.js distances.js input.json: the page's distances for each place
"use strict";
const fs = require("fs"), vm = require("vm");
const [script, inputFile] = process.argv.slice(2);
const context = vm.createContext({});
vm.runInContext(fs.readFileSync(script, "utf8"), context, { filename: script });
const input = JSON.parse(fs.readFileSync(inputFile, "utf8"));
const D = context.EclipseDistances;
const out = input.map(function (one) {
  return one.places.map(function (p) {
    const d = D.pathDistances(one.constants, one.lines, p[0], p[1]);
    return [d.central_line_km, d.north_limit_km, d.south_limit_km].map(function (v) { return isFinite(v) ? v : null; });
  });
});
process.stdout.write(JSON.stringify(out));
"""
#: The page's curves are the path's at STEP_S with the vertices that keep
#: the chords within document.DISTANCE_TOLERANCE_KM (2 m), written to 1e-5
#: degree (0.8 m at most): its distances are Python's within a few metres.
PAGE_KM = 0.005


def test_page_distances_are_pythons(cases, tmp_path):
    node = require_node()
    dates = ("2024-04-08", "2023-10-14", "2021-12-04", "2012-11-13")
    payload, python = [], []
    rng = np.random.default_rng(18)
    for date in dates:
        case = cases[date]
        e, central = case["e"], case["path"].central_line
        # the placed observers and some scattered within 600 km of the central line
        i = rng.integers(len(central), size=150)
        lat = np.r_[case["lat"], central.latitude[i] + rng.normal(0, 3.0, 150)].clip(-90, 90)
        lon = (np.r_[case["lon"], central.longitude[i] + rng.normal(0, 3.0, 150)] + 180) % 360 - 180
        # e.local's distances, on the path the fixture has at STEP_S already
        hint = (local_circumstances(e, lat, lon).max_jd_tt - e.elements.t0) * 24.0
        d = path_distances(case["path"], lat, lon, hint)
        python.append(np.stack([getattr(d, f) for f in FIELDS], -1))
        payload.append({"constants": document.page_constants(), "lines": document.distance_lines(case["path"]),
                        "places": np.stack([lat, lon], -1).tolist()})
    (tmp_path / "driver.js").write_text(DRIVER, encoding="utf-8")
    (tmp_path / "input.json").write_text(json.dumps(payload), encoding="utf-8")
    result = subprocess.run([node, str(tmp_path / "driver.js"), str(document.WEB.joinpath("distances.js")),
                             str(tmp_path / "input.json")], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    worst, compared = 0.0, 0
    for date, py, js in zip(dates, python, json.loads(result.stdout)):
        js = np.array(js, dtype=float)
        # where Python's is within the page's difference of the greatest, either may be NaN
        edge = np.abs(np.abs(py) - MAX_DISTANCE_KM) <= PAGE_KM
        assert np.array_equal(np.isnan(py)[~edge], np.isnan(js)[~edge]), date
        both = np.isfinite(py) & np.isfinite(js)
        worst = max(worst, float(np.abs(py - js)[both].max()))
        compared += int(both.sum())
        assert np.all(np.abs(py - js)[both] <= PAGE_KM), date
    print(f"{compared} distances, the largest difference {worst * 1e3:.2f} m")
    assert compared >= 1000


def test_the_panel_says_it(tmp_path):
    """The page's panel shows the line `eclipse local` writes, from the
    distances its local() gives (Python's within PAGE_KM, then rounded)."""
    import browser

    browser.require()
    e = eclipse.at("2024-04-08")
    page = eclipse.web.page(e).save(str(tmp_path / "2024-04-08.html"))
    # Dallas (inside, north of the line), Nebraska (outside the northern
    # limit), Mexico south of the line, Paris (no distance: beyond 2000 km)
    places = [(32.78, -96.80), (40.0, -100.0), (24.0, -104.0), (48.85, 2.35)]
    driver = browser.browser()
    try:
        browser.open_page(driver, page)
        for lat, lon in places:
            driver.execute_script("eclipseMap.select(arguments[0], arguments[1])", lat, lon)
            shown = driver.execute_script(
                "const n = document.querySelector('#local-panel .distances'); return n ? n.textContent : null")
            js = driver.execute_script("return eclipseMap.local(arguments[0], arguments[1], 0)", lat, lon)
            py = local_json(e, e.local(lat, lon))
            values = [js[k] for k in ("central_line_distance_km", "north_limit_distance_km", "south_limit_distance_km")]
            for key, value in zip(("central_line_distance_km", "north_limit_distance_km", "south_limit_distance_km"),
                                  values):
                assert (value is None) == (py[key] is None), (lat, lon, key)
                if value is not None:  # each rounded to 0.01 km from values within PAGE_KM
                    assert abs(value - py[key]) <= 0.01 + PAGE_KM, (lat, lon, key)
            assert shown == path_distance_text(*(np.nan if v is None else v for v in values)), (lat, lon, shown)
        assert browser.console_errors(driver) == []
    finally:
        browser.close(driver)
