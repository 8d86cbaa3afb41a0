"""Build the shapes of first-level divisions (US states, Canadian provinces,
Spanish autonomous communities, ...) for ``eclipse map --region``, offline:
eclipse/data/naturalearth/admin_1_divisions.geojson.gz.

    python scripts/build_divisions.py

Natural Earth's 1:50m admin-1 layer as this package ships it has the
divisions' boundary *lines* only, and only in four countries (the United
States, Canada, Brazil, Australia); no polygons.  So the shapes are made
from what the package ships:

1. The faces of the 1:50m land: the land polygons' outlines, the 1:50m
   country borders and the admin-1 lines, noded together and polygonized
   (shapely); the faces that lie on land are kept.
2. Each face is given to a country and, where admin-1 lines exist (the four
   countries above), to a division: the one whose gazetteer cities inside it
   (eclipse/data/places.sqlite: GeoNames, each with its country and
   first-level division) hold most people; a face with no city takes its
   nearest city's.
3. In the other countries (and where the lines fail to close a face: less
   than LINED_SHARE of its people in one division) a face spans several divisions: it is cut by the
   Voronoi cells of that country's gazetteer cities (1,000 people or more;
   built in a plane scaled by cos(latitude) about the country's mean
   latitude), and each cell goes to its city's division.  A boundary so
   drawn lies within about half the distance between neighbouring towns of
   the true one (a few kilometres in Europe; tens where towns are sparse):
   good enough to frame a map and to tell whether an eclipse reaches a
   division, which is all the package uses these shapes for.  They are not
   drawn as borders.
4. The pieces are joined by division, grown COAST_DEG into the sea (not into
   the land of others), simplified to SIMPLIFY_DEG and written
   as GeoJSON (coordinates to DECIMALS), gzip-compressed, with each
   division's ISO 3166-1 country code, GeoNames division code and name.

Provenance: eclipse/data/naturalearth/README.md and NOTICE.md.  The script
prints, for the four countries with lines, the share of each country's
gazetteer population that falls in its own division's shape, in another's
and in none (coastal cities off the 1:50m land).
"""

from __future__ import annotations

import gzip
import json
import sqlite3
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import shapely

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from eclipse.io.mapdata import natural_earth  # noqa: E402

OUT = ROOT / "eclipse/data/naturalearth/admin_1_divisions.geojson.gz"
PLACES = ROOT / "eclipse/data/places.sqlite"
#: The countries whose admin-1 lines Natural Earth's 1:50m layer has (ISO alpha-3 -> alpha-2).
WITH_LINES = {"USA": "US", "CAN": "CA", "BRA": "BR", "AUS": "AU"}
#: A face of those countries whose gazetteer people are less than this share
#: in one division is one the lines failed to close: cut as the others are.
LINED_SHARE = 0.95
#: Each shape reaches this far (degrees) into the sea beyond its coast: the
#: 1:50m coast leaves out some coastal cities (New York, Miami, Rio de Janeiro).
COAST_DEG = 0.1
#: Shapes are simplified to this many degrees (2 km): they frame maps.
SIMPLIFY_DEG = 0.02
DECIMALS = 2


def load_cities():
    db = sqlite3.connect(f"file:{PLACES}?mode=ro&immutable=1", uri=True)
    rows = db.execute("SELECT country, region, lat_e5, lon_e5, population FROM cities").fetchall()
    names = {(c, r): n for c, r, n in db.execute("SELECT country, code, name FROM regions")}
    country, region, lat, lon, population = zip(*rows)
    return (np.array(country), np.array(region), np.array(lat) / 1e5, np.array(lon) / 1e5,
            np.array(population, dtype=float), names)


def land_faces():
    land = natural_earth("land", "50m")
    lines = [shapely.boundary(p) for p in land]
    lines += natural_earth("admin_0_boundary_lines_land", "50m")
    lines += natural_earth("admin_1_states_provinces_lines", "50m")
    parts = [g for line in lines for g in shapely.get_parts(line)]
    parts += bridges(parts)
    noded = shapely.union_all(np.asarray(parts, dtype=object))
    faces = np.asarray(shapely.get_parts(shapely.polygonize(shapely.get_parts(noded))), dtype=object)
    tree = shapely.STRtree(land)
    points = shapely.point_on_surface(faces)
    face_index, _ = tree.query(points, predicate="within")
    return faces[np.unique(face_index)]


#: An admin-1 line that ends this close (degrees) to other lines without
#: touching them is joined to them (Natural Earth's layers are drawn apart,
#: and many state lines stop short of the coast by metres to kilometres).
GAP_DEG = 0.2


def bridges(parts):
    """Segments that join each line's loose ends to the nearest other line
    within GAP_DEG, so that the faces close."""
    tree = shapely.STRtree(parts)
    joins = []
    for i, part in enumerate(parts):
        coords = shapely.get_coordinates(part)
        if np.allclose(coords[0], coords[-1]):
            continue  # a ring
        for end in (coords[0], coords[-1]):
            point = shapely.Point(end)
            near = [j for j in tree.query(point.buffer(GAP_DEG)) if j != i]
            if not near:
                continue
            distance = shapely.distance(point, np.asarray(parts, dtype=object)[near])
            k = int(np.argmin(distance))
            if 0.0 < distance[k] <= GAP_DEG:
                joins.append(shapely.shortest_line(point, parts[near[k]]))
    return joins


def main():
    country, region, lat, lon, population, names = load_cities()
    weight = population + 1.0
    points = shapely.points(lon, lat)
    faces = land_faces()
    print(f"{len(faces)} land faces", file=sys.stderr)
    city_tree = shapely.STRtree(points)
    face_of, city_of = city_tree.query(faces, predicate="contains")
    empty = np.setdiff1d(np.arange(len(faces)), face_of)
    near_face, near_city = city_tree.query_nearest(faces[empty], all_matches=False)
    face_of = np.concatenate([face_of, empty[near_face]])
    city_of = np.concatenate([city_of, near_city])

    def vote(keys, cities):
        totals = defaultdict(float)
        for i in cities:
            totals[keys[i]] += weight[i]
        best = max(totals, key=totals.get)
        return best, totals[best] / sum(totals.values())

    by_face = defaultdict(list)
    for f, c in zip(face_of, city_of):
        by_face[f].append(c)
    pieces = defaultdict(list)
    split = defaultdict(list)  # country -> faces to cut by Voronoi cells
    lined = set(WITH_LINES.values())
    for f, cities in by_face.items():
        owner, country_share = vote(country, cities)
        mine = [c for c in cities if country[c] == owner]
        division, share = vote(region, mine)
        if owner in lined and share >= LINED_SHARE:
            pieces[(owner, division)].append(faces[f])
        else:  # by the owner's cities; where borders failed to close, by everyone's
            split[owner if country_share >= LINED_SHARE else ""].append(faces[f])
    for owner, owned in split.items():
        for key, piece in voronoi_pieces(owner, owned, country, region, lat, lon).items():
            pieces[key].extend(piece)

    features = []
    face_tree = shapely.STRtree(faces)
    for (code, division), parts in sorted(pieces.items()):
        if (code, division) not in names:
            continue  # cities without a known division
        shape = shapely.union_all(np.asarray(parts, dtype=object))
        grown = shapely.buffer(shape, COAST_DEG, quad_segs=4)
        land = shapely.union_all(faces[face_tree.query(grown, predicate="intersects")])
        shape = shapely.union(shape, shapely.difference(grown, land))
        shape = shapely.set_precision(shapely.simplify(shape, SIMPLIFY_DEG), 10.0 ** -DECIMALS)
        polygons = [p for p in shapely.get_parts(shape) if p.geom_type == "Polygon" and not p.is_empty]
        if not polygons:
            continue
        shape = polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)
        features.append({"type": "Feature",
                         "properties": {"country": code, "code": division, "name": names[(code, division)]},
                         "geometry": json.loads(shapely.to_geojson(shape))})
    report(features, country, region, points, population)
    text = json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"),
                      ensure_ascii=False)
    with gzip.GzipFile(OUT, "wb", compresslevel=9, mtime=0) as f:
        f.write(text.encode("utf-8"))
    print(f"wrote {OUT} ({len(features)} divisions, {OUT.stat().st_size:,} bytes)", file=sys.stderr)


def voronoi_pieces(owner, faces, country, region, lat, lon):
    """A country's faces cut by the Voronoi cells of its cities, by
    division; owner "": faces cut by all cities, of whatever country."""
    mine = np.flatnonzero(country == owner) if owner else np.arange(len(country))
    xy, first = np.unique(np.column_stack([lon[mine], lat[mine]]), axis=0, return_index=True)
    mine = mine[first]
    if len(mine) == 1:
        return {(country[mine[0]], region[mine[0]]): list(faces)}
    scale = max(np.cos(np.radians(np.mean(xy[:, 1]))), 0.2)
    west, south, east, north = shapely.total_bounds(np.asarray(faces, dtype=object))
    bounds = shapely.box(min(west, xy[:, 0].min()) * scale - 10, min(south, xy[:, 1].min()) - 10,
                         max(east, xy[:, 0].max()) * scale + 10, max(north, xy[:, 1].max()) + 10)
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(xy * [scale, 1.0]),
                                                       extend_to=bounds, ordered=True))
    cells = shapely.transform(cells, lambda c: c / [scale, 1.0])
    tree = shapely.STRtree(cells)
    out = defaultdict(list)
    for face in faces:
        hits = tree.query(face, predicate="intersects")
        if len(hits) == 0:
            continue
        cut = shapely.intersection(cells[hits], face)
        for i, piece in zip(hits, cut):
            if not piece.is_empty:
                out[(country[mine[i]], region[mine[i]])].append(piece)
    return out


def report(features, country, region, points, population):
    """For each lined country: the share of its gazetteer people inside their
    own division's shape, inside another's, and in none (on a coast the 1:50m
    land leaves out)."""
    keys = [(f["properties"]["country"], f["properties"]["code"]) for f in features]
    shapes = [shapely.from_geojson(json.dumps(f["geometry"])) for f in features]
    tree = shapely.STRtree(shapes)
    for code in WITH_LINES.values():
        here = np.flatnonzero(country == code)
        point_of, shape_of = tree.query(points[here], predicate="intersects")
        own = np.zeros(len(here), bool)
        own[point_of[[keys[s] == (code, region[here[p]]) for p, s in zip(point_of, shape_of)]]] = True
        somewhere = np.zeros(len(here), bool)
        somewhere[point_of] = True
        total = population[here].sum()
        print(f"{code}: of the people, {population[here][own].sum() / total:.4f} in their own division, "
              f"{population[here][somewhere & ~own].sum() / total:.4f} in another, "
              f"{population[here][~somewhere].sum() / total:.4f} off the 1:50m land", file=sys.stderr)


if __name__ == "__main__":
    main()
