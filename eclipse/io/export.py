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
from typing import TYPE_CHECKING, Any, TypeAlias

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


def line_feature(name: str, curve: Curve) -> GeoJSON | None:
    """A curve as a LineString (MultiLineString when cut) Feature with the
    UTC time of each vertex; None when it has no piece of two vertices."""
    pieces = line_pieces(curve)
    if not pieces:
        return None
    coordinates = [[list(c) for c in zip(_round(lo), _round(la))] for lo, la, _ in pieces]
    times = [[format_datetime(t, 1, "Z") for t in jd] for _, _, jd in pieces]
    if len(pieces) == 1:
        geometry = {"type": "LineString", "coordinates": coordinates[0]}
    else:
        geometry = {"type": "MultiLineString", "coordinates": coordinates}
    times_utc = times[0] if len(pieces) == 1 else times  # (one piece: one flat list)
    return {"type": "Feature", "properties": {"feature": name, "times_utc": times_utc}, "geometry": geometry}


def _ring(ring: LinearRing) -> list[list[float]]:
    """A ring's coordinates, rounded."""
    return [[round(x, COORDINATE_DECIMALS), round(y, COORDINATE_DECIMALS)] for x, y in ring.coords]


def polygon_feature(name: str, region: BaseGeometry | None) -> GeoJSON | None:
    """A region (a shapely Polygon or MultiPolygon) as a Polygon or
    MultiPolygon Feature; None when there is none."""
    if region is None or region.is_empty:
        return None
    polygons = list(getattr(region, "geoms", [region]))
    rings = [[_ring(p.exterior)] + [_ring(r) for r in p.interiors] for p in polygons]
    if len(rings) == 1:
        geometry = {"type": "Polygon", "coordinates": rings[0]}
    else:
        geometry = {"type": "MultiPolygon", "coordinates": rings}
    return {"type": "Feature", "properties": {"feature": name}, "geometry": geometry}


FEATURE_ORDER = ("central_line", "umbra_north_limit", "umbra_south_limit", "umbra",
                 "penumbra_north_limit", "penumbra_south_limit", "penumbra")


def feature_collection(path: Path) -> GeoJSON:
    """The GeoJSON contract (docs/contracts.md): one Feature per curve or region that exists."""
    lines = path.lines
    features = []
    for name in FEATURE_ORDER:
        if name in lines:
            feature = line_feature(name, lines[name])
        elif name in ("umbra", "penumbra"):
            feature = polygon_feature(name, getattr(path, name))
        else:
            feature = None
        if feature is not None:
            features.append(feature)
    return {"type": "FeatureCollection", "features": features}


# --- KML -------------------------------------------------------------------------

_STYLES = {
    "central_line": ("ff0000ff", 2.5),
    "umbra_north_limit": ("ff0000aa", 1.5),
    "umbra_south_limit": ("ff0000aa", 1.5),
    "penumbra_north_limit": ("ff00aaff", 1.0),
    "penumbra_south_limit": ("ff00aaff", 1.0),
    "umbra": ("ff0000aa", 1.0, "5a0000ff"),
    "penumbra": ("ff00aaff", 1.0, "2000aaff"),
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
        name = feature["properties"]["feature"]
        placemarks.append(f"<Placemark><name>{escape(name.replace('_', ' '))}</name>"
                          f"<styleUrl>#{name}</styleUrl>{_kml_geometry(feature)}</Placemark>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
            f"<name>{escape(title)}</name>" + "".join(styles) + "".join(placemarks)
            + "</Document></kml>\n")
