"""The interactive HTML page: its Python side (no browser needed here).

The page's behaviour in a real browser is tested in test_webmap_browser.py.
"""

import html.parser
import os
import re
from pathlib import Path

import browser  # tests/browser.py (page_data: no browser started)
import numpy as np
import pytest

import eclipse
import eclipse.web
from eclipse.io import mapdata
from eclipse.maps import figures as maps
from eclipse.web import document as webmap
from support.cli import run


@pytest.fixture(scope="module")
def page_2024():
    return eclipse.web.page(eclipse.at("2024-04-08"))


class Tags(html.parser.HTMLParser):
    """Every start tag with its attributes, and the scripts' text."""

    def __init__(self):
        super().__init__()
        self.tags, self.scripts, self._in_script = [], [], False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        self._in_script = False if tag == "script" else self._in_script

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def parse(text):
    tags = Tags()
    tags.feed(text)
    return tags


def test_page_is_one_self_contained_file(page_2024):
    text = page_2024.html
    size = len(text.encode("utf-8"))
    assert 500_000 < size <= mapdata.MAX_BYTES  # the world's coasts are in it; the limit
    tags = parse(text)
    # every script inline, nothing fetched: no src, no stylesheet link, no
    # href but the empty data: icon, no url() in the style
    assert all("src" not in attrs for tag, attrs in tags.tags), "an element loads a file"
    links = [attrs for tag, attrs in tags.tags if tag == "link"]
    assert links == [{"rel": "icon", "href": "data:,"}]
    assert "url(" not in text.split("<style>")[1].split("</style>")[0]
    # and the browser is told to refuse any request the page might make
    policy = [attrs["content"] for tag, attrs in tags.tags if attrs.get("http-equiv") == "Content-Security-Policy"]
    assert policy and policy[0].startswith("default-src 'none'")
    scripts = [s for s in tags.scripts if s.strip()]
    assert len(scripts) == 1 + len(webmap.SCRIPTS)  # the data, then each script
    # the vendored libraries carry their licence notices into the page
    assert "Copyright 2010-2026 Mike Bostock" in text and "Charles Karney" in text
    assert "Permission to use, copy, modify, and/or distribute this software" in text


def test_page_goes_nowhere(page_2024):
    """Beyond requests, the policy refuses form submissions and a base URL
    (CSP cannot refuse a script's navigation: the page's own scripts have
    none, no assignment to location, no window.open, no submit, and no
    meta refresh); host lookups for its links are off."""
    tags = parse(page_2024.html)
    (policy,) = [a["content"] for t, a in tags.tags if a.get("http-equiv") == "Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'" and directives["form-action"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert not [a for t, a in tags.tags if a.get("http-equiv", "").lower() == "refresh"]
    assert [a["content"] for t, a in tags.tags if a.get("http-equiv") == "x-dns-prefetch-control"] == ["off"]
    assert not [t for t, a in tags.tags if t in ("form", "base", "a", "iframe")]  # links come from the credit's script
    # the link to a view reads the address and writes its fragment with
    # history.replaceState (no navigation, no history entry): reads of
    # location are allowed, never an assignment or a call that navigates
    navigation = (r"\blocation\s*(\.\s*\w+\s*)?=(?!=)|\blocation\.(assign|replace|reload)\b|pushState|window\.open"
                  r"|\.submit\(|\.href\s*=(?!=)")
    for name in webmap.SCRIPTS:
        if not name.startswith("d3-"):
            source = webmap.WEB.joinpath(name).read_text(encoding="utf-8")
            assert not re.search(navigation, source), name
    assert "history.replaceState(" in webmap.WEB.joinpath("map.js").read_text(encoding="utf-8")


def test_page_data_decode_to_the_path(page_2024):
    """The data block holds the elements as to_dict gives them and the path's
    lines to 1e-5 degree."""
    e = eclipse.at("2024-04-08")
    text = page_2024.html
    data = browser.page_data(text)
    assert data["eclipses"][0]["elements"] == e.elements.to_dict()
    assert data["title"] == "Total solar eclipse of 2024-04-08"
    central = e.path().central_line
    (flat,) = data["path"]["lines"]["central_line"]["parts"]
    lonlat = np.cumsum(np.reshape(flat, (-1, 2)), axis=0) * 1e-5
    assert len(lonlat) == len(central)
    # rounding to 1e-5 degree, then summing integers: exact to half a unit
    assert np.abs(lonlat[:, 0] - central.longitude).max() <= 0.5e-5 + 1e-9
    assert np.abs(lonlat[:, 1] - central.latitude).max() <= 0.5e-5 + 1e-9
    assert data["path"]["penumbra_hours"][0] < 0 < data["path"]["penumbra_hours"][1]


def test_encode_lines_round_trip():
    rng = np.random.default_rng(3)
    line = np.cumsum(rng.normal(0, 0.3, (500, 2)), axis=0)
    line[100] = line[99]  # a repeated vertex is dropped
    (flat,) = webmap.encode_lines([line], 3)
    decoded = np.cumsum(np.reshape(flat, (-1, 2)), axis=0) * 1e-3
    kept = np.delete(line, 100, axis=0)
    assert decoded.shape == kept.shape
    assert np.abs(decoded - kept).max() <= 0.5e-3 + 1e-12
    assert webmap.encode_lines([[[1.0, 2.0], [1.00001, 2.0]]], 3) == []  # one vertex left


def test_land_exteriors_clockwise_for_d3():
    """d3-geo takes a ring's inside on its right: an exterior ring drawn
    anticlockwise would fill the rest of the world instead of the land."""
    import shapely

    for polygon in webmap.base_layers()["land50"][:200]:
        ring = np.cumsum(np.reshape(polygon[0], (-1, 2)), axis=0) * 1e-3
        assert not shapely.LinearRing(ring).is_ccw


def test_repr_html_is_an_isolated_frame(page_2024, tmp_path):
    frame = page_2024._repr_html_()
    assert frame.startswith("<iframe srcdoc=") and 'sandbox="allow-scripts"' in frame
    assert "<script" not in frame  # escaped inside the attribute
    assert re.fullmatch(r"<InteractiveMap 'Total solar eclipse of 2024-04-08', \d\.\d\d MB>", repr(page_2024))
    out = page_2024.save(str(tmp_path / "m.html"))
    assert Path(out).read_text(encoding="utf-8") == page_2024.html == str(page_2024)


def test_span_page_has_every_eclipse_and_central_path():
    eclipses = eclipse.find(start="2023-01-01", end="2024-12-31")
    text = eclipse.web.page(eclipses).html
    data = browser.page_data(text)
    assert [e["date"] for e in data["eclipses"]] == [e.date for e in eclipses]
    assert [p["date"] for p in data["paths"]] == [e.date for e in eclipses if e.central]
    assert data["kind"] == "span" and data["title"] == "Solar eclipses 2023-2024"


def test_bad_options():
    e = eclipse.at("2024-04-08")
    with pytest.raises(maps.MapError, match="unknown view"):
        eclipse.web.page(e, view="robinson")
    with pytest.raises(maps.MapError, match="no eclipse"):
        eclipse.web.page([])


# --- the command line --------------------------------------------------------------


def test_cli_writes_the_page(tmp_path):
    out = tmp_path / "page.html"
    code, output, _ = run("map", "2024-04-08", "-o", out, "--region", "auto")
    assert code == 0 and output.strip() == f"wrote {out}"
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and '"fit":true' in text
    assert list(os.listdir(tmp_path)) == ["page.html"]  # no temporary file left


def test_cli_span_page(tmp_path):
    out = tmp_path / "span.HTML"
    assert run("map", "--start", "2024", "--end", "2024", "-o", out).code == 0
    assert '"kind":"span"' in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("extra, message", [
    (["--dpi", "100"], "--dpi and --size are for pictures"),
    (["--size", "8x8"], "--dpi and --size are for pictures"),
    (["--projection", "robinson"], "an .html map is a globe"),
])
def test_cli_html_bad_options(tmp_path, extra, message):
    out = tmp_path / "page.html"
    code, _, err = run("map", "2024-04-08", "-o", out, *extra)
    assert code == 2
    assert err.count("\n") == 1 and message in err
    assert not out.exists()


def test_cli_html_unwritable(tmp_path):
    code, _, err = run("map", "2024-04-08", "-o", tmp_path / "missing" / "page.html")
    assert code == 2
    assert err.startswith("eclipse: error: cannot write") and err.count("\n") == 1


def test_browser_tests_fail_rather_than_skip_under_ci(monkeypatch):
    import browser  # tests/browser.py

    monkeypatch.setattr(browser, "available", lambda: False)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        browser.require()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        browser.require()


def test_cli_names_html_among_the_extensions(tmp_path):
    code, _, err = run("map", "2024-04-08", "-o", tmp_path / "map.txt")
    assert code == 2 and ".html for the interactive page" in err


# --- span maps: the umbra drawn, the budget --------------------------------------------

#: Paths for the span umbra: a total, a hybrid ending at the antimeridian,
#: an Antarctic total, a total ending at the North Pole, an Antarctic
#: annular whose southern limit hooks along the horizon, a path across the
#: antimeridian.
SPAN_CASES = ("2024-04-08", "2023-04-20", "2021-12-04", "2015-03-20", "2026-02-17", "2012-11-13")
#: The span umbra's edge against the true path's, in km: simplified to
#: 0.01 degree it moves by up to 1.1 km, and the limits' chords stray up to
#: 0.5 km (path.py), which leaves 0.4 km to spare.  Where the Sun is within
#: LOW_SUN_DEG of the horizon the edge is the horizon, traced from chords of
#: the Earth's outline that stray up to 14 km on the ground (regions.py),
#: in path.umbra as much: those places are left out.
SPAN_EDGE_KM = 2.0
LOW_SUN_DEG = 1.0
#: The mean distance (km) between the edges of the span umbra and of
#: path.umbra (their symmetric difference over path.umbra's perimeter):
#: 0.36-0.45 km measured for these paths, nearly all of it the
#: simplification (0.05-0.15 km before it: path.umbra's edge dips 0.2 km
#: between footprints, the span umbra's follows the limits).  Not for a
#: hybrid: where its path narrows path.umbra's footprints no longer overlap
#: and it is a string of beads (0.6-2.2 km measured; the places across the
#: span umbra's edge show that one right there).
SPAN_MEAN_EDGE_KM = 0.6


def local_projection(e):
    """Functions to and from a Lambert azimuthal equal-area projection (km)
    centred on greatest eclipse: areas true, distances within a few percent
    along a path."""
    import pyproj
    import shapely

    crs = pyproj.CRS.from_proj4(f"+proj=laea +lat_0={e.latitude} +lon_0={e.longitude} +units=km")
    forward = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    inverse = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)

    def to_km(region):  # edges straight in lon/lat: cut to 0.02 degree first
        xy = shapely.segmentize(region, 0.02)
        return shapely.transform(xy, lambda c: np.stack(forward.transform(c[:, 0], c[:, 1]), -1)).buffer(0)

    return to_km, lambda x, y: inverse.transform(x, y)[::-1]


def places_across(region_km, distance_km, step_km=10.0):
    """Places ``distance_km`` either side of a region's edge, every
    ``step_km`` along it: (x, y) of those that lie that far inside (90 % of
    it at least, the edge bends) and of those that lie that far outside."""
    import shapely

    edge = region_km.boundary
    s = np.arange(0.0, edge.length, step_km)
    p = shapely.get_coordinates(edge.interpolate(s))
    t = shapely.get_coordinates(edge.interpolate(s + 0.5)) - p
    normal = np.stack([-t[:, 1], t[:, 0]], -1) / np.maximum(np.hypot(*t.T), 1e-9)[:, None]
    xy = np.concatenate([p + distance_km * normal, p - distance_km * normal])
    inside = shapely.contains_xy(region_km.buffer(-0.9 * distance_km), *xy.T)
    outside = ~shapely.contains_xy(region_km.buffer(0.9 * distance_km), *xy.T)
    return xy[inside], xy[outside]


@pytest.mark.parametrize("date", SPAN_CASES)
def test_span_umbra_keeps_to_the_path(date):
    """The umbra a span's page draws and lists places by (regions.span_umbra,
    simplified): every place SPAN_EDGE_KM inside it sees a central eclipse
    (eclipse.geometry.local, the page's own formulas), every place SPAN_EDGE_KM
    outside does not; it holds path.umbra less SPAN_EDGE_KM, and their
    edges lie SPAN_MEAN_EDGE_KM apart at most on average."""
    from eclipse.geometry import regions

    e = eclipse.at(date)
    path = e.path()
    to_km, to_latlon = local_projection(e)
    drawn, true = to_km(regions.span_umbra(path)), to_km(path.umbra)
    for xy, central in zip(places_across(drawn, SPAN_EDGE_KM), (True, False)):
        lat, lon = to_latlon(*xy.T)
        seen = e.local(np.asarray(lat), np.asarray(lon))
        high = seen.sun_altitude_deg > LOW_SUN_DEG
        assert high.sum() > 200, date
        wrong = np.isin(seen.kind_seen, ("total", "annular")) != central
        assert not (wrong & high).any(), (date, central, np.stack([lat, lon], -1)[wrong & high][:5])
    assert true.buffer(-SPAN_EDGE_KM).difference(drawn).area < 1e-6 * true.area
    if e.kind != "hybrid":
        assert drawn.symmetric_difference(true).area / true.length < SPAN_MEAN_EDGE_KM


def test_span_budget_refuses_before_any_work(monkeypatch):
    """Three centuries (444 central paths) are refused by the page and the
    picture alike, before a single path is computed, in one line that says
    what fits."""
    from eclipse.search import Eclipse

    eclipses = eclipse.find(start="1801", end="2100")
    monkeypatch.setattr(Eclipse, "path", lambda *a, **k: pytest.fail("a path was computed"))
    with pytest.raises(maps.MapError) as page:
        eclipse.web.page(eclipses)
    message = str(page.value)
    assert message.startswith("a page of 1801-2100 would hold 694 eclipses, 444 central paths (about 2.9 MB)")
    assert "an .html page holds at most 3 MB and 300 central paths: map at most about 200 years" in message
    with pytest.raises(maps.MapError, match="a picture draws at most 300: map at most about 200 years"):
        maps.plot_span(eclipses)
    assert "\n" not in message


def test_span_size_estimate_errs_large():
    """mapdata.span_bytes, the estimate the budget refuses by, is no smaller
    than the page made (a decade; the measured bytes a path are the largest
    nine in ten take)."""
    eclipses = eclipse.find(start="2020-01-01", end="2030-12-31")
    size = len(eclipse.web.page(eclipses).html.encode("utf-8"))
    assert size <= mapdata.span_bytes(eclipses) < 1.5 * size


def test_cli_refuses_six_millennia(tmp_path):
    """The issue's command: refused in one line, nothing written."""
    out = tmp_path / "x.html"
    code, _, err = run("map", "--start", "-2999", "--end", "2999", "-o", out)
    assert code == 2 and err.count("\n") == 1
    assert err.startswith("eclipse: error: a page of 3000 BCE to 2999 would hold 14,260 eclipses, 9,101 central paths")
    assert not out.exists()


# --- hybrids in parts, lines of equal duration (issue 19) ---------------------------------


def _decoded(flat, decimals):
    return np.cumsum(np.reshape(flat, (-1, 2)), axis=0) * 10.0**-decimals


def test_page_data_of_a_hybrid_in_parts():
    # the page's parts (document.kind_parts): one per stretch, in its kind,
    # the central line cut at the changes of kind, which the page marks
    from eclipse.web.document import kind_parts

    e = eclipse.at("2023-04-20")
    path = e.path()
    parts = kind_parts(path)
    assert [p["kind"] for p in parts] == ["annular", "total", "annular"]
    assert all(p["umbra"] is not None for p in parts)
    ends = []
    for p in parts:
        central = p["lines"]["central_line"]
        (flat,) = central["parts"]
        lonlat = _decoded(flat, central["decimals"])
        ends.append((lonlat[0], lonlat[-1]))
    for (_, end), (start, _), change in zip(ends[:-1], ends[1:], path.kind_changes):
        assert np.allclose(end, start) and np.allclose(end, [change.longitude, change.latitude], atol=1e-5)
    assert kind_parts(eclipse.at("2024-04-08").path()) == []


def test_page_data_has_the_lines_of_equal_duration(page_2024):
    # every 30 s below the greatest duration, with their text and offset,
    # the lines as the geometry gives them (to 1e-5 degree); the page chooses
    # among them as io.mapdata.duration_levels does
    from eclipse.geometry.isolines import duration_lines

    durations = browser.page_data(page_2024.html)["path"]["durations"]
    lines = duration_lines(eclipse.at("2024-04-08").path())
    assert [d["level"] for d in durations["lines"]] == [d.level_s for d in lines]
    assert durations["lines"][-1]["text"] == "4m00s"
    for sent, line in zip(durations["lines"], lines):
        assert sent["offset"] == line.offset
        for flat, part in zip(sent["parts"], line.parts):
            assert np.abs(_decoded(flat, durations["decimals"]) - part).max() <= 0.5e-5 + 1e-9
    assert 90 < durations["half_width_km"] < 100  # NASA: 197.5 km wide at greatest eclipse
