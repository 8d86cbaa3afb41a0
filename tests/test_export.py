"""GeoJSON (RFC 7946) and KML of the path."""

from __future__ import annotations

import itertools
import json
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from eclipse.io.export import split_line, to_geojson, to_kml
from support.cache import path_of as ours

GEOJSON_DATES = ["2012-05-20", "2012-11-13", "2021-12-04", "2023-04-20", "2014-04-29", "2025-03-29"]


EXPECTED_FEATURES = {
    "2014-04-29": {"umbra_north_limit", "umbra", "penumbra_north_limit", "penumbra"},
    "2025-03-29": {"penumbra_south_limit", "penumbra"},
}


@pytest.mark.parametrize("date", GEOJSON_DATES)
def test_geojson_is_valid(date):
    from shapely.geometry import shape

    p = ours(date)
    collection = json.loads(to_geojson(p))
    assert collection["type"] == "FeatureCollection"
    names = [f["properties"]["feature"] for f in collection["features"]]
    # one feature per name, the central line and the umbra one per kind, the
    # changes of kind one each
    keys = [(f["properties"]["feature"], f["properties"].get("kind")) for f in collection["features"]
            if f["properties"]["feature"] != "kind_change"]
    assert len(keys) == len(set(keys))
    assert names.count("kind_change") == len(p.kind_changes)
    if date in EXPECTED_FEATURES:
        assert set(names) == EXPECTED_FEATURES[date]
    else:
        assert set(names) >= {"central_line", "umbra", "penumbra"}
    for feature in collection["features"]:
        geometry = feature["geometry"]
        g = shape(geometry)
        assert g.is_valid and not g.is_empty, feature["properties"]["feature"]
        if geometry["type"] == "Point":
            lines = [[geometry["coordinates"]]]
        elif geometry["type"] in ("LineString", "MultiLineString"):
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
    collection = json.loads(to_geojson(ours("2012-11-13")))
    central = next(f for f in collection["features"] if f["properties"]["feature"] == "central_line")
    assert central["geometry"]["type"] == "MultiLineString"
    ends = [line[-1][0] for line in central["geometry"]["coordinates"][:-1]]
    starts = [line[0][0] for line in central["geometry"]["coordinates"][1:]]
    assert all(abs(abs(x) - 180) < 1e-9 for x in ends + starts)


def test_kml_parses():
    text = to_kml(ours("2024-04-08"))
    root = ET.fromstring(text)
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    names = [n.text for n in root.findall(".//k:Placemark/k:name", ns)]
    assert "central line (total)" in names and "penumbra" in names and len(names) == 7


@pytest.mark.parametrize("date, kinds", [("2023-04-20", ["annular", "total"]), ("2013-11-03", ["annular", "total"]),
                                         ("2024-04-08", ["total"]), ("2014-04-29", ["annular"])])
def test_hybrid_parts_carry_their_kind(date, kinds):
    # The central line and the umbra one feature per kind; a hybrid's
    # central line cut where the kind changes, at the kind_change points
    # (their vertices, rounded as the coordinates); the KML the same.
    p = ours(date)
    features = json.loads(to_geojson(p))["features"]

    def of(name):
        return {f["properties"]["kind"]: f for f in features if f["properties"]["feature"] == name}

    assert list(of("umbra")) == kinds
    changes = [f for f in features if f["properties"]["feature"] == "kind_change"]
    assert [(f["properties"]["kind_before"], f["properties"]["kind_after"]) for f in changes] == \
        [tuple(c.name.split("_to_")) for c in p.kind_changes]
    if p.central_line is None:
        return
    central = of("central_line")
    assert list(central) == kinds
    ends = {}
    for f in central.values():
        g = f["geometry"]
        lines = [g["coordinates"]] if g["type"] == "LineString" else g["coordinates"]
        times = [f["properties"]["times_utc"]] if g["type"] == "LineString" else f["properties"]["times_utc"]
        for line, t in zip(lines, times):
            ends[t[0]], ends[t[-1]] = line[0], line[-1]
    for c in changes:
        assert ends[c["properties"]["time_utc"]] == c["geometry"]["coordinates"]
    root = ET.fromstring(to_kml(p))
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    names = [n.text for n in root.findall(".//k:Placemark/k:name", ns)]
    assert {f"central line ({k})" for k in kinds} | {f"umbra ({k})" for k in kinds} <= set(names)
    assert len(root.findall(".//k:Placemark/k:Point", ns)) == len(changes)


def test_split_line_property():
    # Any line wandering across the antimeridian: pieces stay in [-180, 180],
    # never step more than 180 degrees, meet at +-180 with the same latitude
    # and time, and keep every vertex.
    from hypothesis import given, settings
    from hypothesis import strategies as st

    steps = st.lists(st.floats(-170, 170), min_size=1, max_size=40)

    @settings(max_examples=200, deadline=None)
    @given(st.floats(-180, 180), steps)
    def check(start, moves):
        lon = start + np.concatenate([[0.0], np.cumsum(moves)])
        lat = np.linspace(-60, 60, len(lon))
        jd = np.arange(len(lon), dtype=float)
        pieces = split_line(np.mod(lon + 180, 360) - 180, lat, jd)
        for lo, _la, _t in pieces:
            assert np.all(np.abs(lo) <= 180 + 1e-9) and np.all(np.abs(np.diff(lo)) <= 180)
        for (lo1, la1, t1), (lo2, la2, t2) in itertools.pairwise(pieces):
            assert abs(abs(lo1[-1]) - 180) < 1e-9 and abs(abs(lo2[0]) - 180) < 1e-9
            assert la1[-1] == la2[0] and t1[-1] == t2[0]
        kept = np.concatenate([t for _, _, t in pieces])
        assert set(jd) <= set(kept)

    check()


def test_table_and_csv_say_where_and_when_the_kind_changes():
    # `eclipse path` (tables.path_table, records.path_csv): a line per change
    # at the top, a row for each in time order with its kind, and the kind of
    # every central-line row (the table's Kind column for hybrids only)
    import csv
    import io

    from eclipse.dates import format_datetime
    from eclipse.io.records import path_csv
    from eclipse.io.tables import _dm, path_table

    p = ours("2023-04-20")
    table = path_table(p)
    first, last = p.kind_changes
    for name, change in (("Annular to total", first), ("Total to annular", last)):
        assert (f"{name}  {format_datetime(change.jd_ut, 1).replace('T', ' ')} UTC  "
                f"{_dm(change.latitude, 'NS', 2)} {_dm(change.longitude, 'EW', 3)}") in table
    rows = list(csv.DictReader(io.StringIO(path_csv(p))))
    kinds = [r["kind"] for r in rows if r["central_lat"]]
    assert kinds[0] == "annular" and kinds[-1] == "annular"
    assert [k for k in kinds if "_to_" in k] == ["annular_to_total", "total_to_annular"]
    first_row = next(r for r in rows if r["kind"] == "annular_to_total")
    assert first_row["time_utc"] == format_datetime(first.jd_ut, 1, "Z")
    assert float(first_row["duration_s"]) == 0.0 and float(first_row["width_km"]) == 0.0
    assert set(kinds[kinds.index("annular_to_total") + 1:kinds.index("total_to_annular")]) == {"total"}
    assert "Kind" not in path_table(ours("2024-04-08"))
