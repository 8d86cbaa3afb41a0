"""The interactive HTML page: its Python side (no browser needed here).

The page's behaviour in a real browser is tested in test_webmap_browser.py.
"""

import html.parser
import json
import os
import re

import numpy as np
import pytest

import eclipse
from eclipse import maps, webmap
from validation.cli import run


@pytest.fixture(scope="module")
def page_2024():
    return maps.html(eclipse.at("2024-04-08"))


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
    assert 500_000 < size <= webmap.MAX_BYTES  # the world's coasts are in it; the limit
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


def test_page_data_decode_to_the_path(page_2024):
    """The data block holds the elements as to_dict gives them and the path's
    lines to 1e-5 degree."""
    e = eclipse.at("2024-04-08")
    text = page_2024.html
    raw = re.search(r'<script id="eclipse-data" type="application/json">(.*?)</script>', text, re.S).group(1)
    data = json.loads(raw)
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
    assert open(out, encoding="utf-8").read() == page_2024.html == str(page_2024)


def test_span_page_has_every_eclipse_and_central_path():
    eclipses = eclipse.find(start="2023-01-01", end="2024-12-31")
    text = maps.html(eclipses).html
    raw = re.search(r'<script id="eclipse-data" type="application/json">(.*?)</script>', text, re.S).group(1)
    data = json.loads(raw)
    assert [e["date"] for e in data["eclipses"]] == [e.date for e in eclipses]
    assert [p["date"] for p in data["paths"]] == [e.date for e in eclipses if e.central]
    assert data["kind"] == "span" and data["title"] == "Solar eclipses 2023-2024"


def test_bad_options():
    e = eclipse.at("2024-04-08")
    with pytest.raises(maps.MapError, match="unknown view"):
        maps.html(e, view="robinson")
    with pytest.raises(maps.MapError, match="no eclipse"):
        maps.html([])


# --- the command line --------------------------------------------------------------


def test_cli_writes_the_page(tmp_path):
    out = tmp_path / "page.html"
    code, output, _ = run("map", "2024-04-08", "-o", out, "--region", "auto")
    assert code == 0 and output.strip() == f"wrote {out}"
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and '"fit":true' in text
    assert [f for f in os.listdir(tmp_path)] == ["page.html"]  # no temporary file left


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
