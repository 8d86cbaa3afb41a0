"""sky.js and link.js under Node, against the Python: no browser needed.

sky.js draws the Sun and the Moon seen from a place at the slider's instant
and shades the night on the map; link.js writes and reads the URL fragment
of a link to a view.  One run of Node (the scripts evaluated in a ``vm``
context as the page's inline scripts are, after circumstances.js, configured
with the page's constants) computes, for random places and instants of a
total eclipse, a polar one and 136 BCE (the Julian calendar, Delta T of 3.3
hours): the sky (sky.js ``at``), the night test (``night``, ``isNight``) and
the waits the panel writes; and the links of random states read back.

Python computes the sky with eclipse.geometry (shadow, magnitude,
obscuration, position_angle, parallactic_angle, sun_altitude_azimuth and the
apparent horizon) on the same elements: the same formulas in double
precision, equal to SAME (the last bits of V8's and NumPy's sin, cos and
atan2).  The night is where the Sun's true altitude is below the altitude of
sunrise and sunset (Horizon.rise_set_altitude with the Sun's semidiameter
from the elements, as `eclipse local`): the same test, equal away from a
1e-9 degree band.
"""

from __future__ import annotations

import json
import subprocess

import numpy as np
import pytest
from test_circumstances_node import require_node

import eclipse
from eclipse.geometry.earth import observer, parallactic_angle, point_under, sun_altitude_azimuth
from eclipse.geometry.horizon import APPARENT, sun_semidiameter
from eclipse.geometry.local import ELEVATION_RANGE_M
from eclipse.geometry.shadow import magnitude, obscuration, position_angle, shadow
from eclipse.web import document

ECLIPSES = ("2024-04-08", "2021-12-04", "-0135-04-15")
PLACES = 300
SAME = 1e-9

DRIVER = r"""
"use strict";
const fs = require("fs"), vm = require("vm");
const [input, ...scripts] = process.argv.slice(2);
const context = vm.createContext({});
scripts.forEach(s => vm.runInContext(fs.readFileSync(s, "utf8"), context, { filename: s }));
const data = JSON.parse(fs.readFileSync(input, "utf8"));
const M = context.EclipseMath, S = context.EclipseSky, L = context.EclipseLink;
const out = data.eclipses.map(function (one) {
  M.configure(one.constants);
  const el = new M.Elements(one.elements);
  const sky = one.places.map(p => S.at(el, p[0], p[1], p[2], p[3]));
  const night = one.instants.map(function (t) {
    const n = S.night(el, t);
    return { circle: n, shaded: one.places.map(p => S.isNight(n, p[0], p[1])) };
  });
  return { sky: sky, night: night };
});
const limits = { elevation: data.elevations, zoom: [0.5, 400], modes: ["globe", "flat"] };
const links = data.states.map(function (state) {
  const text = L.format(state);
  return { text: text, read: L.parse(text, limits) };
});
const waits = data.waits.map(h => S.waitText(h));
process.stdout.write(JSON.stringify({ eclipses: out, links: links, waits: waits }));
"""


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    node = require_node()
    folder = tmp_path_factory.mktemp("sky")
    rng = np.random.default_rng(8)
    cases, payload = [], []
    for date in ECLIPSES:
        e = eclipse.at(date)
        data = document.computation_data([e])
        lat = np.degrees(np.arcsin(rng.uniform(-1, 1, PLACES)))
        lon = rng.uniform(-180, 180, PLACES)
        elevation = rng.uniform(0, 4000, PLACES)
        # instants across the partial phase's hours on the page (about +-2.5 h);
        # half the places near the point under the shadow's axis then (in
        # the penumbra, most of them), where the axis meets the Earth
        hours = rng.uniform(-2.5, 2.5, PLACES)
        at = e.elements.at(hours)
        under = np.degrees(point_under(at.x, at.y, at.d, at.mu))
        near = (np.arange(PLACES) % 2 == 1) & np.isfinite(under[0])
        lat = np.where(near, np.clip(under[0] + rng.normal(0, 6, PLACES), -90, 90), lat)
        lon = np.where(near, (under[1] + rng.normal(0, 6, PLACES) + 180) % 360 - 180, lon)
        instants = [-2.0, 0.0, 1.5]
        cases.append((e, lat, lon, elevation, hours, instants))
        payload.append({"constants": data["constants"], "elements": data["eclipses"][0]["elements"],
                        "places": np.stack([lat, lon, elevation, hours], -1).tolist(), "instants": instants})
    states = []
    for k in range(50):
        place = None if k % 5 == 0 else {"lat": float(rng.uniform(-90, 90)), "lon": float(rng.uniform(-180, 180)),
                                         "elevation": float(rng.choice([0, rng.uniform(-1000, 9000)])),
                                         "name": ["Dallas", "São Paulo", "a&b=c#d", None, "Zürich 8001"][k % 5]}
        states.append({"place": place, "view": {"mode": ["globe", "flat"][k % 2], "lat": float(rng.uniform(-90, 90)),
                                                "lon": float(rng.uniform(-180, 180)),
                                                "zoom": float(np.exp(rng.uniform(np.log(0.5), np.log(400))))},
                       "time": None if k % 7 == 0 else f"2024-04-08T18:{k:02d}:{(7 * k) % 60:02d}Z"})
    waits = [0.0, 0.4 / 3600, 59.4 / 3600, 59.6 / 3600, 192 / 3600, 3599.4 / 3600, 3600 / 3600, 3864 / 3600]
    (folder / "driver.js").write_text(DRIVER, encoding="utf-8")
    (folder / "input.json").write_text(json.dumps({"eclipses": payload, "states": states, "waits": waits,
                                                   "elevations": list(ELEVATION_RANGE_M)}), encoding="utf-8")
    scripts = [str(document.WEB.joinpath(name)) for name in ("circumstances.js", "sky.js", "link.js")]
    result = subprocess.run([node, str(folder / "driver.js"), str(folder / "input.json"), *scripts],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return cases, states, waits, json.loads(result.stdout)


def test_sky_at_an_instant_as_python(run):
    cases, _, _, out = run
    for (e, lat, lon, elevation, hours, _), js in zip(cases, out["eclipses"]):
        obs = observer(np.radians(lat), np.radians(lon), elevation)
        s = shadow(e.elements, hours, obs)
        at = e.elements.at(hours)
        get = {k: np.array([one[k] for one in js["sky"]], dtype=float) for k in js["sky"][0] if k != "up"}
        inside = s.distance < s.penumbra
        assert np.allclose(get["distance"], s.distance, atol=SAME, rtol=0)
        assert np.allclose(get["sun_radius"], (s.penumbra + s.umbra) / 2, atol=SAME, rtol=0)
        assert np.allclose(get["moon_radius"], (s.penumbra - s.umbra) / 2, atol=SAME, rtol=0)
        assert np.allclose(get["magnitude"], np.where(inside, magnitude(s.distance, s.penumbra, s.umbra), 0),
                           atol=SAME, rtol=0)
        assert np.allclose(get["obscuration"], obscuration(s.distance, s.penumbra, s.umbra), atol=SAME, rtol=0)
        p = position_angle(s.u, s.v)
        v = p - parallactic_angle(obs.latitude, obs.longitude, at.d, at.mu)
        assert np.abs(np.angle(np.exp(1j * (get["p"] - p)))).max() < SAME
        assert np.abs(np.angle(np.exp(1j * (get["v"] - v)))).max() < SAME
        altitude, azimuth = sun_altitude_azimuth(obs.latitude, obs.longitude, at.d, at.mu)
        assert np.allclose(get["true_altitude"], altitude, atol=SAME, rtol=0)
        assert np.allclose(get["altitude"], APPARENT.apparent(altitude), atol=SAME, rtol=0)
        assert np.abs(np.angle(np.exp(1j * (get["azimuth"] - azimuth)))).max() < SAME
        h0 = APPARENT.rise_set_altitude(sun_semidiameter(e.elements.l1[0], e.elements.tan_f1, e.elements.tan_f2))
        up = np.array([one["up"] for one in js["sky"]])
        clear = np.abs(altitude - h0) > np.radians(1e-9)
        assert np.array_equal(up[clear], (altitude >= h0)[clear])
        # the sample sees the eclipse (49 places of 300 for the polar 2021-12-04), and not everywhere
        assert PLACES // 10 <= inside.sum() < PLACES, (e.date, inside.sum())


def test_night_as_python(run):
    cases, _, _, out = run
    for (e, lat, lon, _, _, instants), js in zip(cases, out["eclipses"]):
        h0 = APPARENT.rise_set_altitude(sun_semidiameter(e.elements.l1[0], e.elements.tan_f1, e.elements.tan_f2))
        assert -0.85 < np.degrees(h0) < -0.82  # 34' and the Sun's 15.7' to 16.3'
        for t, night in zip(instants, js["night"]):
            at = e.elements.at(t)
            altitude, _ = sun_altitude_azimuth(np.radians(lat), np.radians(lon), at.d, at.mu)
            clear = np.abs(altitude - h0) > np.radians(1e-9)
            shaded = np.array(night["shaded"])
            assert np.array_equal(shaded[clear], (altitude < h0)[clear]), (e.date, t)
            assert 0.3 < shaded[::2].mean() < 0.7  # the places uniform on the sphere: about half at night
            assert night["circle"]["radius"] == pytest.approx(90 + np.degrees(h0), abs=1e-12)


def test_waits_as_written(run):
    _, _, waits, out = run
    assert out["waits"] == ["0 s", "0 s", "59 s", "1 min 00 s", "3 min 12 s", "59 min 59 s", "1 h 00 min",
                            "1 h 04 min"]
    assert len(waits) == len(out["waits"])


def test_links_read_back(run):
    """A state written as a fragment reads back within the link's rounding:
    places and centres to 5e-5 degree, the zoom to 5e-4 of itself, whole
    metres, the name and the time as they were."""
    _, states, _, out = run
    for state, link in zip(states, out["links"]):
        text, read = link["text"], link["read"]
        assert text.startswith("#") and " " not in text and "#" not in text[1:], text
        view = state["view"]
        assert read["mode"] == view["mode"]
        assert abs(read["centre"]["lat"] - view["lat"]) <= 5e-5 + 1e-12
        assert abs(read["centre"]["lon"] - view["lon"]) <= 5e-5 + 1e-12
        assert read["zoom"] == pytest.approx(view["zoom"], rel=5e-4)
        assert read.get("time") == state["time"]
        place = state["place"]
        if place is None:
            assert "place" not in read
            continue
        assert abs(read["place"]["lat"] - place["lat"]) <= 5e-5 + 1e-12
        assert abs(read["place"]["lon"] - place["lon"]) <= 5e-5 + 1e-12
        assert read["place"]["elevation"] == round(place["elevation"])
        assert read["place"]["name"] == place["name"]
