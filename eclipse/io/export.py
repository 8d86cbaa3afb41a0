"""The path as data for other programs: GeoJSON (RFC 7946) and KML 2.2.

Lines are cut at the antimeridian (RFC 7946 section 3.1.9); each line
feature carries the UTC time of each vertex.  docs/contracts.md describes
the GeoJSON: one FeatureCollection, ``properties.feature`` naming each
curve or region.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from html import escape as _html_escape
from typing import TYPE_CHECKING, Any, TypeAlias, cast

import numpy as np
import numpy.typing as npt

from ..dates import format_date, format_datetime
from ..geometry.regions import COORDINATE_DECIMALS

if TYPE_CHECKING:
    from shapely.geometry import LinearRing
    from shapely.geometry.base import BaseGeometry

    from ..geometry.path import Curve, Path

#: A piece of a line: longitudes, latitudes and UT Julian dates of its vertices.
Piece: TypeAlias = tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]
#: A GeoJSON object (a Feature, a FeatureCollection): names to JSON values.
GeoJSON: TypeAlias = dict[str, Any]


def escape(text: str) -> str:
    """&, < and > as XML entities (html.escape without quotes: the same as
    xml.sax.saxutils.escape, which would import urllib and ssl at start-up)."""
    return _html_escape(text, quote=False)


# --- lines -----------------------------------------------------------------------


def split_line(lon: npt.ArrayLike, lat: npt.ArrayLike, jd_ut: npt.ArrayLike) -> list[Piece]:
    """Cut a line at the antimeridian: a list of (lon, lat, jd_ut) pieces with
    longitudes in [-180, 180]; the crossing is interpolated into both pieces."""
    lon = np.unwrap(np.asarray(lon, dtype=float), period=360.0)
    lat = np.asarray(lat, dtype=float)
    jd_ut = np.asarray(jd_ut, dtype=float)
    cell = np.floor((lon + 180.0) / 360.0)
    cuts = np.flatnonzero(np.diff(cell) != 0)
    pieces: list[Piece] = []
    start = 0
    head: tuple[float, float, float] | None = None
    for i in cuts:
        boundary = -180.0 + 360.0 * max(cell[i], cell[i + 1])
        fraction = (boundary - lon[i]) / (lon[i + 1] - lon[i])
        lat_c = lat[i] + fraction * (lat[i + 1] - lat[i])
        jd_c = jd_ut[i] + fraction * (jd_ut[i + 1] - jd_ut[i])
        lo = list(lon[start:i + 1] - 360.0 * cell[start:i + 1])
        la = list(lat[start:i + 1])
        jd = list(jd_ut[start:i + 1])
        if head is not None:
            lo, la, jd = [head[0]] + lo, [head[1]] + la, [head[2]] + jd
        lo.append(boundary - 360.0 * cell[i])
        la.append(lat_c)
        jd.append(jd_c)
        pieces.append((np.array(lo), np.array(la), np.array(jd)))
        head = (boundary - 360.0 * cell[i + 1], lat_c, jd_c)
        start = i + 1
    lo = list(lon[start:] - 360.0 * cell[start:])
    la, jd = list(lat[start:]), list(jd_ut[start:])
    if head is not None:
        lo, la, jd = [head[0]] + lo, [head[1]] + la, [head[2]] + jd
    pieces.append((np.array(lo), np.array(la), np.array(jd)))
    return [p for p in pieces if len(p[0]) >= 2]


def line_pieces(curve: Curve) -> list[Piece]:
    """All antimeridian-free pieces of a curve (each of its parts, split)."""
    pieces: list[Piece] = []
    for index in curve.parts():
        pieces.extend(split_line(curve.longitude[index], curve.latitude[index], curve.jd_ut[index]))
    return pieces


def _round(values: Iterable[float]) -> list[float]:
    """Coordinates rounded to COORDINATE_DECIMALS."""
    return [round(float(v), COORDINATE_DECIMALS) for v in values]


def line_feature(name: str, curve: Curve | Sequence[Curve], kind: str | None = None) -> GeoJSON | None:
    """A curve (or several, as one) as a LineString (MultiLineString when
    cut) Feature with the UTC time of each vertex, and ``kind`` among its
    properties when given; None when it has no piece of two vertices."""
    curves: list[Curve] = list(curve) if isinstance(curve, (list, tuple)) else [cast("Curve", curve)]
    pieces = [piece for c in curves for piece in line_pieces(c)]
    if not pieces:
        return None
    coordinates = [[list(c) for c in zip(_round(lo), _round(la))] for lo, la, _ in pieces]
    times = [[format_datetime(t, 1, "Z") for t in jd] for _, _, jd in pieces]
    if len(pieces) == 1:
        geometry = {"type": "LineString", "coordinates": coordinates[0]}
    else:
        geometry = {"type": "MultiLineString", "coordinates": coordinates}
    times_utc = times[0] if len(pieces) == 1 else times  # (one piece: one flat list)
    properties: dict[str, Any] = {"feature": name, "times_utc": times_utc}
    if kind is not None:
        properties["kind"] = kind
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def _ring(ring: LinearRing) -> list[list[float]]:
    """A ring's coordinates, rounded."""
    return [[round(x, COORDINATE_DECIMALS), round(y, COORDINATE_DECIMALS)] for x, y in ring.coords]


def polygon_feature(name: str, region: BaseGeometry | Sequence[BaseGeometry] | None,
                    kind: str | None = None) -> GeoJSON | None:
    """A region (a shapely Polygon or MultiPolygon, or several, as one) as a
    Polygon or MultiPolygon Feature, with ``kind`` among its properties when
    given; None when there is none."""
    regions = [r for r in (region if isinstance(region, (list, tuple)) else [region]) if r is not None]
    polygons = [p for r in regions for p in getattr(r, "geoms", [r]) if not p.is_empty]
    if not polygons:
        return None
    rings = [[_ring(p.exterior)] + [_ring(r) for r in p.interiors] for p in polygons]
    if len(rings) == 1:
        geometry = {"type": "Polygon", "coordinates": rings[0]}
    else:
        geometry = {"type": "MultiPolygon", "coordinates": rings}
    properties: dict[str, Any] = {"feature": name}
    if kind is not None:
        properties["kind"] = kind
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def kind_change_feature(path: Path, index: int) -> GeoJSON:
    """A hybrid's change of kind (``Path.kind_changes[index]``) as a Point
    Feature 'kind_change' with its UTC time and the kinds before and after."""
    change = path.kind_changes[index]
    before, after = change.name.split("_to_")
    return {"type": "Feature",
            "properties": {"feature": "kind_change", "time_utc": format_datetime(change.jd_ut, 1, "Z"),
                           "kind_before": before, "kind_after": after},
            "geometry": {"type": "Point", "coordinates": _round([change.longitude, change.latitude])}}


FEATURE_ORDER = ("central_line", "umbra_north_limit", "umbra_south_limit", "umbra",
                 "penumbra_north_limit", "penumbra_south_limit", "penumbra", "kind_change")
#: The features that carry a ``kind`` ('annular' or 'total'), one Feature
#: per kind: a hybrid's are cut where the kind changes.
KIND_FEATURES = ("central_line", "umbra")


def _kinds(path: Path) -> list[str]:
    """The kinds of the path's stretches, each once, in order."""
    return list(dict.fromkeys(s.kind for s in path.stretches))


def feature_collection(path: Path) -> GeoJSON:
    """The GeoJSON contract (docs/contracts.md): one Feature per curve or
    region that exists; the central line and the umbra one per kind."""
    lines = path.lines
    features: list[GeoJSON] = []
    for name in FEATURE_ORDER:
        found: list[GeoJSON | None]
        if name == "central_line" and name in lines:
            curve = lines[name]
            found = [line_feature(name, [c for s in path.stretches if s.kind == kind
                                         for c in [curve.between(s.jd_tt_start, s.jd_tt_end)] if c is not None], kind)
                     for kind in _kinds(path)]
        elif name == "umbra":
            found = [polygon_feature(name, [r for k, r in path.umbra_parts if k == kind], kind) for kind in _kinds(path)]
        elif name in lines:
            found = [line_feature(name, lines[name])]
        elif name == "penumbra":
            found = [polygon_feature(name, path.penumbra)]
        elif name == "kind_change":
            found = [kind_change_feature(path, i) for i in range(len(path.kind_changes))]
        else:
            found = []
        features.extend(f for f in found if f is not None)
    return {"type": "FeatureCollection", "features": features}


# --- KML -------------------------------------------------------------------------

_STYLES = {
    "central_line": ("ff0000ff", 2.5),
    "central_line_total": ("ff0000ff", 2.5),
    "central_line_annular": ("ffff7f00", 2.5),
    "umbra_north_limit": ("ff0000aa", 1.5),
    "umbra_south_limit": ("ff0000aa", 1.5),
    "penumbra_north_limit": ("ff00aaff", 1.0),
    "penumbra_south_limit": ("ff00aaff", 1.0),
    "umbra": ("ff0000aa", 1.0, "5a0000ff"),
    "umbra_total": ("ff0000aa", 1.0, "5a0000ff"),
    "umbra_annular": ("ffaa5500", 1.0, "5aff7f00"),
    "penumbra": ("ff00aaff", 1.0, "2000aaff"),
    "kind_change": ("ff000000", 1.0),
}


def _kml_coordinates(points: Iterable[Sequence[float]]) -> str:
    """'lon,lat,0 lon,lat,0 ...'."""
    return " ".join(f"{x:.{COORDINATE_DECIMALS}f},{y:.{COORDINATE_DECIMALS}f},0" for x, y in points)


def _kml_geometry(feature: GeoJSON) -> str:
    """A GeoJSON Feature's geometry as KML."""
    geometry = feature["geometry"]
    kind, coordinates = geometry["type"], geometry["coordinates"]

    def line(points: list[list[float]]) -> str:
        return f"<LineString><tessellate>1</tessellate><coordinates>{_kml_coordinates(points)}</coordinates></LineString>"

    def polygon(rings: list[list[list[float]]]) -> str:
        outer = f"<outerBoundaryIs><LinearRing><coordinates>{_kml_coordinates(rings[0])}</coordinates></LinearRing></outerBoundaryIs>"
        inner = "".join(
            f"<innerBoundaryIs><LinearRing><coordinates>{_kml_coordinates(r)}</coordinates></LinearRing></innerBoundaryIs>"
            for r in rings[1:])
        return f"<Polygon><tessellate>1</tessellate>{outer}{inner}</Polygon>"

    if kind == "Point":
        return f"<Point><coordinates>{_kml_coordinates([coordinates])}</coordinates></Point>"
    if kind == "LineString":
        return line(coordinates)
    if kind == "MultiLineString":
        return "<MultiGeometry>" + "".join(line(c) for c in coordinates) + "</MultiGeometry>"
    if kind == "Polygon":
        return polygon(coordinates)
    return "<MultiGeometry>" + "".join(polygon(c) for c in coordinates) + "</MultiGeometry>"


def to_geojson(path: Path, indent: int | None = None) -> str:
    """The path as one GeoJSON FeatureCollection (RFC 7946; docs/contracts.md)."""
    return json.dumps(feature_collection(path), indent=indent)


def to_kml(path: Path, title: str | None = None) -> str:
    """A KML 2.2 document of the path's features (Google Earth), named
    ``title`` (by default the date of P1)."""
    collection = feature_collection(path)
    title = title or f"Solar eclipse path ({format_date(path.p1.jd_ut)})"
    styles = []
    for name, style in _STYLES.items():
        poly = f"<PolyStyle><color>{style[2]}</color></PolyStyle>" if len(style) > 2 else ""
        styles.append(f'<Style id="{name}"><LineStyle><color>{style[0]}</color>'
                      f"<width>{style[1]}</width></LineStyle>{poly}</Style>")
    placemarks = []
    for feature in collection["features"]:
        properties = feature["properties"]
        name, kind = properties["feature"], properties.get("kind")
        label, style_id = name.replace("_", " "), f"{name}_{kind}" if kind else name
        if kind:
            label += f" ({kind})"
        if name == "kind_change":
            label = f"{properties['kind_before']} to {properties['kind_after']} at {properties['time_utc']}"
        data = "".join(f'<Data name="{key}"><value>{escape(str(properties[key]))}</value></Data>'
                       for key in ("kind", "time_utc", "kind_before", "kind_after") if key in properties)
        extended = f"<ExtendedData>{data}</ExtendedData>" if data else ""
        placemarks.append(f"<Placemark><name>{escape(label)}</name>{extended}"
                          f"<styleUrl>#{style_id}</styleUrl>{_kml_geometry(feature)}</Placemark>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
            f"<name>{escape(title)}</name>" + "".join(styles) + "".join(placemarks)
            + "</Document></kml>\n")
