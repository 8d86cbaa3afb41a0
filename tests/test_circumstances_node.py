"""circumstances.js, the page's port of `eclipse local`, under Node against the
Python it ports: no browser needed.

A small driver (written to the test's folder) evaluates the script in a
``vm`` context as the page's inline script is evaluated (no ``window``: it
takes the context's global), configures it with the constants of the data the
page inlines (``eclipse.web.document.computation_data``, which both pages
carry), and for each observer computes what the page's ``local()`` computes:
``circumstances`` and its JSON.  Node runs once for all the eclipses.

Python computes the same observers with ``Eclipse.local``.  The two must see
the same kind, with every instant equal to the millisecond (TT and UT Julian
dates compared as numbers), magnitude and obscuration within 1e-9, the
position angles P and V of each contact within what 1 ms moves them; the JSON
they write must be one writer's: Python's numbers written by the script give
Python's JSON, value for value.

Without Node these tests skip, except under CI (CI set), where they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import numpy as np
import pytest

import eclipse
from eclipse.dates import format_datetime
from eclipse.geometry.earth import observer, outline_minor_axis, point_under
from eclipse.geometry.horizon import GEOMETRIC
from eclipse.geometry.local import CONTACTS
from eclipse.geometry.shadow import shadow
from eclipse.io.records import CONTACT_FORMAT, LOCAL_FORMAT, local_record, local_values, written
from eclipse.web import document

#: Total, annular, hybrid, partial-only, polar total, and 136 BCE (the shipped
#: canon: a negative year, the Julian calendar, Delta T of 3.3 hours).
ECLIPSES = ("2024-04-08", "2023-10-14", "2023-04-20", "2025-03-29", "2021-12-04", "-0135-04-15")
OBSERVERS = 400  # each: 2,400 in all
#: Both run the same iterations on the same double-precision numbers, stopped
#: at the same tolerance (local.TOLERANCE_HOURS, 0.36 ms); what can differ is
#: the last bits of sin, cos and acos (V8's and the C library's) and of
#: NumPy's Taylor sines over long arrays (earth.sin_cos).  The issue's bounds:
MILLISECOND_DAYS = 1e-3 / 86400.0
FRACTION = 1e-9  # magnitude and obscuration
#: The Sun turns 15 degrees an hour about the pole, 4.2e-6 degrees in 1 ms:
#: its altitude and azimuth at instants equal to the millisecond.
SUN_DEGREES = 1e-5
#: Duration, C3 - C2: two instants each to the millisecond.
DURATION_S = 2e-3
#: The place and Delta T pass through the same operations in both.
PLACE = 1e-12
#: The position angles P and V (kind "angle") give the direction of the
#: point of contact from the Sun's centre, Delta (sin P, cos P) on the
#: fundamental plane: instants 1 ms apart move the shadow by its speed
#: relative to the observer, |(a, b)|, times 1 ms, which turns P by that
#: over Delta (2.6e-5 degree at C1 and C4; at maximum near the central line
#: Delta nears 0 and the direction means nothing); V = P - q turns with q as
#: well: dq/dt = cos phi cos A / sin z dH/dt, the Sun's SUN_DEGREES over sin z
#: at most (``_angle_bounds``).
MILLISECOND_HOURS = 1e-3 / 3600.0

DRIVER = r"""
// node driver.js circumstances.js input.js: what the page's local() computes
// for each observer of each eclipse, as JSON on standard output.
"use strict";
const fs = require("fs"), vm = require("vm");
const [script, inputFile] = process.argv.slice(2);
const context = vm.createContext({});
vm.runInContext(fs.readFileSync(script, "utf8"), context, { filename: script });
// a JavaScript expression: Python's values hold NaN where an instant is absent
const input = vm.runInContext("(" + fs.readFileSync(inputFile, "utf8") + ")", context);
const M = context.EclipseMath;
const out = input.eclipses.map(function (one) {
  M.configure(one.data.constants);
  const el = new M.Elements(one.data.eclipses[0].elements);
  const seen = one.observers.map(function (p) {
    const c = M.circumstances(el, p[0], p[1], p[2]);
    return { values: M.values(c), json: M.toJSON(c) };
  });
  return { seen: seen, written: one.python_values.map(M.writeLocal) };
});
out.push({
  round: input.round.map(function (p) { return M.round(p[0], p[1]); }),
  datetime: input.datetime.map(function (p) { return M.formatDatetime(p[0], p[1], p[2]); }),
  angle: input.angle.map(function (v) { return M.written(["angle", 1], v); })
});
process.stdout.write(JSON.stringify(out));
"""


def require_node() -> str:
    """The node command; skip (or, under CI, fail) when there is none."""
    node = shutil.which("node")
    if node:
        return node
    message = "no Node.js (node) on PATH: apt-get install nodejs"
    if os.environ.get("CI"):
        pytest.fail(message + " (CI is set: the port's checks must run)")
    pytest.skip(message)


def test_missing_node_fails_under_ci(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        require_node()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        require_node()


# --- observers ------------------------------------------------------------------------


def observers(e, rng, n: int = OBSERVERS):
    """``n`` observers of eclipse ``e`` (latitudes, longitudes in degrees,
    elevations in metres), most of whom see something: under the penumbra at
    a random instant of the eclipse, on the Earth's rim under it (the Sun
    within a few degrees of the horizon) and a degree or so around, near the
    limits and the curve of sunrise and sunset, near the central line;
    anywhere on the globe (the night side too); near and at the poles.  A
    quarter at elevations up to 4 km, a few below sea level; some longitudes
    given in [180, 360)."""
    path = e.path()
    hours = (np.array([path.p1.jd_tt, path.p4.jd_tt]) - e.elements.t0) * 24.0
    inside = _under_the_penumbra(e, rng, hours, 170)
    rim = _under_the_penumbra(e, rng, hours, 60, rim=True)
    lat = [inside[0], rim[0] + rng.normal(0, 1.0, 60)]
    lon = [inside[1], rim[1] + rng.normal(0, 1.0, 60)]
    curves = [c for c in (path.umbra_north_limit, path.umbra_south_limit, path.penumbra_north_limit,
                          path.penumbra_south_limit, path.rise_set) if c is not None]
    for k in range(60):  # within a few km of a limit
        curve = curves[k % len(curves)]
        i = rng.integers(len(curve.latitude))
        lat.append([curve.latitude[i] + rng.normal(0, 0.02)])
        lon.append([curve.longitude[i] + rng.normal(0, 0.02)])
    central = path.central_line
    if central is not None:  # and at its ends (annular there for the hybrid)
        i = np.r_[rng.integers(len(central.latitude), size=24), 0:3, -3:0]
        spread = np.r_[np.full(24, 0.1), np.full(6, 0.005)]
        lat.append(central.latitude[i] + rng.normal(0, spread))
        lon.append(central.longitude[i] + rng.normal(0, spread))
    lat, lon = np.concatenate(lat), np.concatenate(lon)
    poles = 20
    rest = n - len(lat) - poles
    lat = np.r_[lat, np.degrees(np.arcsin(rng.uniform(-1, 1, rest))),
                rng.choice([-1.0, 1.0], poles - 2) * rng.uniform(80.0, 90.0, poles - 2), 90.0, -90.0]
    lon = np.r_[lon, rng.uniform(-180, 180, rest + poles)]
    lat, lon = np.clip(lat, -90.0, 90.0), (lon + 180.0) % 360.0 - 180.0
    lon = np.where(rng.uniform(size=n) < 0.05, lon % 360.0, lon)
    elevation = np.where(rng.uniform(size=n) < 0.25, rng.uniform(0.0, 4000.0, n), 0.0)
    elevation[rng.choice(n, 5, replace=False)] = -400.0  # the Dead Sea's shore
    return lat, lon, elevation


def _under_the_penumbra(e, rng, hours, count: int, rim: bool = False):
    """Places under the penumbra at random instants within ``hours`` (P1,
    P4): points of the fundamental plane within L1 of the axis and inside the
    Earth's outline (``rim``: within 0.4% of the outline's edge), taken to
    the ground (earth.point_under)."""
    lat, lon = [], []
    while sum(map(len, lat)) < count:
        t = rng.uniform(*hours, 4 * count)
        el = e.elements.at(t)
        b = outline_minor_axis(el.d)
        if rim:
            phi, scale = rng.uniform(0, 2 * np.pi, t.size), 1.0 - rng.uniform(0, 0.004, t.size)
            x, y = scale * np.cos(phi), scale * b * np.sin(phi)
        else:
            radius, theta = el.l1 * np.sqrt(rng.uniform(size=t.size)), rng.uniform(0, 2 * np.pi, t.size)
            x, y = el.x + radius * np.cos(theta), el.y + radius * np.sin(theta)
        keep = (np.hypot(x - el.x, y - el.y) < el.l1) & (x * x + (y / b) ** 2 < 1.0)
        phi, lam = point_under(x[keep], y[keep], el.d[keep], el.mu[keep])
        lat.append(np.degrees(phi))
        lon.append(np.degrees(lam))
    return np.concatenate(lat)[:count], np.concatenate(lon)[:count]


# --- the run ----------------------------------------------------------------------------


#: Numbers to round as the JSON does: exact halves (12.25 to 0.1 is 12.2 in
#: Python, halves to even), numbers just either side of a half in decimal but
#: not in binary (2.675 is 2.67499999...; 4.35 is 4.34999..., although 4.35 x
#: 10 rounds to 43.5), tiny negatives (never -0.0).
ROUNDING = ([(12.25, 1), (0.125, 2), (0.375, 2), (-2.5, 0), (3.5, 0), (0.015625, 5), (2.675, 2), (4.35, 1),
             (1.0000050000000001, 5), (-1e-9, 5), (-0.004, 2), (1e-300, 5), (359.995, 2)]
            + [(float(v), int(d)) for v, d in zip(np.random.default_rng(5).uniform(-400, 400, 300),
                                                   np.random.default_rng(6).integers(0, 6, 300))])
#: Julian dates whose seconds fall on an exact half (of a second, with
#: decimals 0; of a tenth, with 1), in the era and before: the ticks round
#: halves to even; and some others.
DATETIMES = ([(jd + k / 256.0, 0, "Z") for jd in (2460409.0, 1671853.0) for k in range(1, 20, 2)]
             + [(jd + k / 512.0, 1, "") for jd in (2460409.0, 1671853.0) for k in range(1, 20, 2)]
             + [(float(jd), 0, "Z") for jd in np.random.default_rng(7).uniform(1.6e6, 2.5e6, 100)])


#: Position angles in [0, 360) written to 0.1 degree: those that round to
#: 360 are written 0 (records.written, kind "angle"); NaN is null.
ANGLES = [0.0, 0.04, 359.94, 359.95, 359.96, 359.999999, 180.05, 12.25, float("nan")]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Each eclipse's observers, Python's circumstances and the script's,
    from one run of Node."""
    node = require_node()
    folder = tmp_path_factory.mktemp("node")
    rng = np.random.default_rng(2024)
    cases, payload = {}, []
    for date in ECLIPSES:
        e = eclipse.at(date)
        lat, lon, elevation = observers(e, rng)
        lc = e.local(lat, lon, elevation)
        values = [local_values(lc, i) for i in range(len(lat))]
        cases[date] = {"eclipse": e, "lat": lat, "lon": lon, "elevation": elevation, "lc": lc, "values": values,
                       "angle_bounds": _angle_bounds(e, lat, lon, elevation, lc)}
        payload.append({"data": document.computation_data([e]),
                        "observers": np.stack([lat, lon, elevation], -1).tolist(),
                        "python_values": [_plain(v) for v in values]})
    (folder / "driver.js").write_text(DRIVER, encoding="utf-8")
    # NaN is a JavaScript expression, not JSON: json.dumps writes it as NaN
    (folder / "input.js").write_text(json.dumps({"eclipses": payload, "round": ROUNDING, "datetime": DATETIMES,
                                                 "angle": ANGLES}), encoding="utf-8")
    script = document.WEB.joinpath("circumstances.js")
    result = subprocess.run([node, str(folder / "driver.js"), str(script), str(folder / "input.js")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    for date, one in zip(ECLIPSES, out):
        cases[date].update(js=one["seen"], written=one["written"])
    cases["writer"] = out[-1]
    return cases


def test_geometric_horizon_as_python(tmp_path):
    """The page given the geometric horizon (page_constants(GEOMETRIC))
    computes what ``e.local(..., horizon="geometric")`` does, to the same
    bounds; its altitudes, sunrises and sunsets differ from the apparent
    horizon's (the default, checked above)."""
    node = require_node()
    e = eclipse.at("2024-04-08")
    lat, lon, elevation = observers(e, np.random.default_rng(18))
    lc = e.local(lat, lon, elevation, horizon="geometric")
    values = [local_values(lc, i) for i in range(len(lat))]
    data = document.computation_data([e])
    data["constants"] = document.page_constants(GEOMETRIC)
    payload = {"eclipses": [{"data": data, "observers": np.stack([lat, lon, elevation], -1).tolist(),
                             "python_values": [_plain(v) for v in values]}], "round": [], "datetime": [], "angle": []}
    (tmp_path / "driver.js").write_text(DRIVER, encoding="utf-8")
    (tmp_path / "input.js").write_text(json.dumps(payload), encoding="utf-8")
    result = subprocess.run([node, str(tmp_path / "driver.js"), str(document.WEB.joinpath("circumstances.js")),
                             str(tmp_path / "input.js")], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)[0]["seen"]
    bounds = _angle_bounds(e, lat, lon, elevation, lc)
    for i, (py, one) in enumerate(zip(values, seen)):
        where = ("geometric", float(lat[i]), float(lon[i]))
        assert one["values"]["kind_seen"] == py["kind_seen"], where
        _assert_values_alike(py, one["values"], LOCAL_FORMAT, where)
        for name, contact in py["contacts"].items():
            if contact is not None:
                _assert_values_alike(contact, one["values"]["contacts"][name], CONTACT_FORMAT, (where, name),
                                     bounds[i][name])
    apparent = e.local(lat, lon, elevation)
    assert np.sum(np.isfinite(lc.sunrise_jd_tt) | np.isfinite(lc.sunset_jd_tt)) >= 5
    assert not np.array_equal(apparent.sun_altitude_deg, lc.sun_altitude_deg, equal_nan=True)


def _angle_bounds(e, lat, lon, elevation, lc):
    """Per observer and contact, the bounds of P and V (MILLISECOND_HOURS):
    a list of {contact: {"position_angle_p_deg": ..., "position_angle_v_deg": ...}}."""
    obs = observer(np.radians(lat), np.radians(lon), elevation)
    s = shadow(e.elements, e.elements.hours(np.stack([lc.time_tt(n) for n in CONTACTS])), obs)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.degrees(np.hypot(s.a, s.b) * MILLISECOND_HOURS / s.distance).T
        v = p + SUN_DEGREES / np.cos(np.radians(lc.contact_altitude_deg))
    return [{name: {"position_angle_p_deg": p[i, k], "position_angle_v_deg": v[i, k]}
             for k, name in enumerate(CONTACTS)} for i in range(len(lat))]


def _plain(values):
    """local_values with plain floats, bools and strings for JSON."""
    if isinstance(values, dict):
        return {k: _plain(v) for k, v in values.items()}
    if values is None or isinstance(values, (bool, str)):
        return values
    value = np.asarray(values).item()
    return value if isinstance(value, (bool, str)) else float(value)


def _number(value):
    """JSON's null (an absent instant, a NaN) as NaN."""
    return np.nan if value is None else float(value)


# --- what is seen -----------------------------------------------------------------------


@pytest.mark.parametrize("date", ECLIPSES)
def test_same_kind_instants_and_fractions(runs, date):
    case = runs[date]
    kinds = set()
    for i, (py, seen) in enumerate(zip(case["values"], case["js"])):
        where = (date, float(case["lat"][i]), float(case["lon"][i]), float(case["elevation"][i]))
        js = seen["values"]
        assert js["kind_seen"] == py["kind_seen"] and js["visible"] == py["visible"], where
        kinds.add(str(py["kind_seen"]))
        _assert_values_alike(py, js, LOCAL_FORMAT, where)
        for name, contact in py["contacts"].items():
            assert (js["contacts"][name] is None) == (contact is None), (where, name)
            if contact is not None:
                _assert_values_alike(contact, js["contacts"][name], CONTACT_FORMAT, (where, name),
                                     case["angle_bounds"][i][name])
    expected = {"none", "partial"} | {"2024-04-08": {"total"}, "2023-10-14": {"annular"},
                                      "2023-04-20": {"total", "annular"}, "2021-12-04": {"total"},
                                      "-0135-04-15": {"total"}}.get(date, set())
    assert kinds == expected, kinds
    # most of them see something, some with the Sun rising or setting
    assert np.mean(case["lc"].visible) > 0.6
    assert np.sum(np.isfinite(case["lc"].sunrise_jd_tt) | np.isfinite(case["lc"].sunset_jd_tt)) >= 20


def _assert_values_alike(py, js, table, where, angle_bounds=None):
    """Python's and the script's values of one record (or one contact),
    each by its kind: instants to the millisecond, fractions to 1e-9, the
    Sun's place to SUN_DEGREES, position angles to ``angle_bounds`` (by
    name), text and flags equal."""
    for name, (kind, _) in table.items():
        if kind == "contacts":
            continue
        a, b = py[name], js[name]
        if kind in ("text", "flag"):
            assert a == b, (where, name)
            continue
        a, b = _number(a), _number(b)
        assert np.isnan(a) == np.isnan(b), (where, name, a, b)
        if np.isnan(a):
            continue
        difference = abs(a - b)
        if name == "sun_azimuth_deg" or kind == "angle":
            difference = min(difference, 360.0 - difference)
        bound = angle_bounds[name] if kind == "angle" else _tolerance(name, kind)
        assert difference <= bound, (where, name, a, b)


def _tolerance(name: str, kind: str) -> float:
    if kind in ("utc", "tt"):
        return MILLISECOND_DAYS
    if name in ("magnitude", "obscuration", "magnitude_visible", "obscuration_visible"):
        return FRACTION
    if name.startswith("sun_"):
        return SUN_DEGREES
    return DURATION_S if name == "duration_s" else PLACE


def test_largest_differences_are_rounding(runs, record_property):
    """The largest differences over all observers (shown with -rP, and in
    the junit XML): far inside the bounds (for the position angles, the
    largest fraction of an observer's bound, ``angle_of_bound``)."""
    worst = {"observers": 0, "instant_ms": 0.0, "fraction": 0.0, "sun_deg": 0.0, "angle_deg": 0.0,
             "angle_of_bound": 0.0}
    for date in ECLIPSES:
        for py, seen, bounds in zip(runs[date]["values"], runs[date]["js"], runs[date]["angle_bounds"]):
            pairs = [(py, seen["values"], LOCAL_FORMAT, None)] + [
                (c, seen["values"]["contacts"][n], CONTACT_FORMAT, bounds[n])
                for n, c in py["contacts"].items() if c is not None]
            for a, b, table, angle_bounds in pairs:
                for name, (kind, _) in table.items():
                    if kind in ("utc", "tt") and np.isfinite(a[name]):
                        worst["instant_ms"] = max(worst["instant_ms"], abs(a[name] - b[name]) * 86400e3)
                    elif kind == "number" and _tolerance(name, kind) == FRACTION:
                        worst["fraction"] = max(worst["fraction"], abs(a[name] - b[name]))
                    elif name.startswith("sun_") and kind == "number" and np.isfinite(a[name]):
                        difference = abs(a[name] - b[name])
                        worst["sun_deg"] = max(worst["sun_deg"], min(difference, 360.0 - difference))
                    elif kind == "angle":
                        difference = abs(a[name] - b[name])
                        difference = min(difference, 360.0 - difference)
                        worst["angle_deg"] = max(worst["angle_deg"], difference)
                        worst["angle_of_bound"] = max(worst["angle_of_bound"], difference / angle_bounds[name])
        worst["observers"] += len(runs[date]["js"])
    worst = {k: float(v) for k, v in worst.items()}
    record_property("largest_differences", worst)
    print(worst)
    assert worst["observers"] >= 2000
    assert worst["instant_ms"] <= 1.0 and worst["fraction"] <= FRACTION and worst["sun_deg"] <= SUN_DEGREES
    assert worst["angle_of_bound"] <= 1.0


# --- one JSON writer ----------------------------------------------------------------------


@pytest.mark.parametrize("date", ECLIPSES)
def test_script_writes_pythons_json(runs, date):
    """Python's values written by the script are Python's JSON, exactly; the
    script's own values written by it are too, but where a value and
    Python's (equal to the bounds above) lie either side of a rounding
    boundary: there the two differ by one unit of the last decimal."""
    case = runs[date]
    for i, (values, js_written, js) in enumerate(zip(case["values"], case["written"], case["js"])):
        py = local_record(case["lc"], i)
        assert js_written == py, (date, i)
        _assert_written_alike(py, js["json"], values, LOCAL_FORMAT, (date, i))
        for name, contact in py["contacts"].items():
            if contact is not None:
                _assert_written_alike(contact, js["json"]["contacts"][name], values["contacts"][name],
                                      CONTACT_FORMAT, (date, i, name), case["angle_bounds"][i][name])
        assert list(js["json"]) == list(py) and list(js["json"]["contacts"]) == list(py["contacts"])


def _assert_written_alike(py, js, raw, table, where, angle_bounds=None):
    for name, how in table.items():
        if how[0] == "contacts" or js[name] == py[name]:
            continue
        assert how[0] not in ("text", "flag"), (where, name)
        # on a rounding boundary: Python's value moved by the bound is written both ways
        value = _number(raw[name])
        step = angle_bounds[name] if how[0] == "angle" else _tolerance(name, how[0])
        assert {written(how, value - step), written(how, value + step)} == {py[name], js[name]}, (where, name)


def test_script_rounds_as_python(runs):
    js = runs["writer"]
    assert js["round"] == [round(v, d) + 0.0 for v, d in ROUNDING]
    assert js["datetime"] == [format_datetime(jd, d, s) for jd, d, s in DATETIMES]
    assert js["angle"] == [written(("angle", 1), v) for v in ANGLES]
    assert js["angle"][4:6] == [0.0, 0.0] and js["angle"][-1] is None


# --- constants from one place -------------------------------------------------------------


def test_the_script_holds_no_copy_of_pythons_constants():
    """The Earth, the iterations and tolerances, the horizon (refraction
    formula, standard atmosphere, lunar radii), the vertex counts and the
    rounding come from the page's data (document.page_constants): none of
    them is written in the script."""
    source = document.WEB.joinpath("circumstances.js").read_text(encoding="utf-8")
    code = "\n".join(line.split("//")[0] for line in source.splitlines() if not line.lstrip().startswith("*"))
    for literal in ("298.257", "6378137", "0.0033528", "1e-7", "1e-300", "1440", "720", "= 30", "1e-12",
                    '"c1", "c2"', "round(c.", "4.0 + ", "1.02", "10.3", "5.11", "0.0019", "0.2725", "34", "1010"):
        assert literal not in code, literal
