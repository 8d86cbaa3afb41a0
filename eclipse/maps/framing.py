"""What a regional map frames, and the extent that frames it.

A region is given as a box ``lon1,lat1,lon2,lat2`` (degrees, west-south then
east-north corner; lon2 < lon1 crosses the antimeridian), as a country or a
continent of Natural Earth's 1:110m admin-0 countries ("Spain", "ES", "ESP",
"Europe"), as a first-level division ("Texas", "TX", "Georgia, US",
"Asturias": ``eclipse.io.places.divisions``, shapes from
``io.mapdata.division_shapes``), or as a place
(``eclipse.places.find_place``).  Each becomes a set of longitude-latitude
points that the map must show; ``extent`` turns points into a view in the
map's own projection, so a frame across a pole or the antimeridian is as
tight as any other (a longitude-latitude box is not).

A name that means both a country and a division, or divisions of several
countries ("Georgia"), is taken as the one the eclipse reaches (``resolve``
with ``seen``, where the eclipse is seen); if several or none do, it is an
error that lists them, each as it can be named alone.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any

import cartopy.crs as ccrs
import numpy as np
import numpy.typing as npt
import shapely

from ..constants import EARTH_MEAN_RADIUS_KM
from ..errors import EclipseError
from ..io.mapdata import division_shapes, features
from ..io.places import Division, Place, UnknownPlaceError, divisions, find_place, name_key

#: Parts of a country or continent closer than this (degrees) are framed
#: together; farther ones (Alaska and Hawaii for the United States, French
#: Guiana for France) are left out: the frame is the main body's.
CLUSTER_GAP_DEG = 8.0
#: Natural Earth counts all of Russia in Europe; the frame of Europe stops at
#: the Ural mountains, the continent's conventional eastern edge.
EUROPE_EAST_DEG = 60.0
#: Half the side of the square framed around a place, kilometres.
PLACE_HALF_SIDE_KM = 600.0


class RegionError(EclipseError):
    """A region that cannot be understood or framed."""


@dataclass(frozen=True)
class Frame:
    """Points a map must show, what they are, and a place to mark if any."""

    longitude: npt.NDArray[np.float64]
    latitude: npt.NDArray[np.float64]
    name: str
    place: Place | None = None  # the place framed around, marked on the map
    #: the land of a country, continent or division (shapely, lon/lat), to
    #: tell whether an eclipse reaches it; None for a box or a place
    shape: shapely.Geometry | None = None
    #: how the region can be named alone ("GEO", "Georgia, US"), in errors
    spelling: str = ""


def resolve(text: str, seen: shapely.Geometry | None = None) -> Frame:
    """A box, a country or continent, a first-level division, or a place, as
    a Frame (RegionError otherwise).  A name of several (a country and a
    division, divisions of several countries) is the one that ``seen``
    (where the eclipse is seen, lon/lat) touches; RegionError when several
    or none do, or when ``seen`` is None."""
    box = parse_box(text)
    if box is not None:
        return Frame(*box_points(*box), name=f"box {text}")
    country = country_frame(text)
    named = ([country] if country is not None else []) + [division_frame(d) for d in divisions(text)]
    if len(named) == 1:
        return named[0]
    if named:
        reached = [] if seen is None else [f for f in named if f.shape is not None and f.shape.intersects(seen)]
        if len(reached) == 1:
            return reached[0]
        which = "none" if seen is not None and not reached else "several"
        raise RegionError(f"region {text!r} is ambiguous: {' or '.join(f'{f.name} ({f.spelling!r})' for f in named)}"
                          + (f"; the eclipse reaches {which} of them" if seen is not None else "")
                          + ": give the one meant as quoted")
    try:
        place = find_place(text)
    except UnknownPlaceError:
        raise RegionError(f"unknown region {text!r}: not auto, a box lon1,lat1,lon2,lat2, a country or "
                          "continent (Spain, Europe), a state or province (Texas, Ontario) nor a known place") from None
    return place_frame(place)


def parse_box(text: str) -> tuple[float, float, float, float] | None:
    """'lon1,lat1,lon2,lat2' -> (west, south, east, north); None if the text
    is not four numbers; RegionError if they are out of range."""
    parts = text.split(",")
    if len(parts) != 4:
        return None
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        return None
    if not all(np.isfinite([west, south, east, north])):
        raise RegionError(f"box {text!r}: the numbers must be finite")
    if not (-90 <= south < north <= 90):
        raise RegionError(f"box {text!r}: latitudes must be in -90..90, the first south of the second")
    if not (-180 <= west <= 360 and -180 <= east <= 360) or west == east:
        raise RegionError(f"box {text!r}: longitudes must be in -180..360 and differ")
    return west, south, east, north


def box_points(west: float, south: float, east: float, north: float,
               count: int = 24) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Points along a longitude-latitude box's edges (its edges are curves
    in most projections)."""
    width = (east - west) % 360 or 360.0
    lon = west + np.linspace(0.0, width, count)
    lat = np.linspace(south, north, count)
    lons = np.concatenate([lon, np.full(count, west + width), lon[::-1], np.full(count, west)])
    lats = np.concatenate([np.full(count, south), lat, np.full(count, north), lat[::-1]])
    return (lons + 180) % 360 - 180, lats


def place_frame(place: Place) -> Frame:
    """A square of PLACE_HALF_SIDE_KM about a place, the place marked."""
    half = np.degrees(PLACE_HALF_SIDE_KM / EARTH_MEAN_RADIUS_KM)
    half_lon = min(half / max(np.cos(np.radians(place.latitude)), 0.1), 179.0)
    south, north = max(-90.0, place.latitude - half), min(90.0, place.latitude + half)
    lon, lat = box_points(place.longitude - half_lon, south, place.longitude + half_lon, north)
    return Frame(lon, lat, name=place.label, place=place)


# --- countries and continents --------------------------------------------------------


def country_frame(text: str) -> Frame | None:
    """The main body of a country or continent named by ``text``, or None."""
    wanted = name_key(text)
    countries = _countries()
    for field in ("continent", "name"):
        chosen = [c for c in countries if name_key(c[field]) == wanted]
        if chosen:
            break
    else:
        chosen = [c for c in countries if wanted in c["names"]]
    if not chosen:
        return None

    parts = [p for c in chosen for p in shapely.get_parts(c["geometry"])]
    if field == "continent" and wanted == "europe":
        parts = [p for p in shapely.clip_by_rect(np.asarray(parts, dtype=object), -180, -90, EUROPE_EAST_DEG, 90)
                 if not p.is_empty]
    main = _main_cluster(parts)
    xy = np.concatenate([shapely.get_coordinates(p) for p in main])
    name = chosen[0][field] if field == "continent" else chosen[0]["name"]
    spelling = name if field == "continent" or len(chosen) > 1 else chosen[0]["spelling"]
    return Frame(xy[:, 0], xy[:, 1], name=name, shape=shapely.union_all(parts), spelling=spelling)


def division_frame(division: Division) -> Frame:
    """The main body of a first-level division (``io.mapdata.division_shapes``)."""
    geometry = division_shapes().get((division.country_code, division.code))
    if geometry is None:  # (a division too small for the 1:50m land: a few islands, city districts)
        raise RegionError(f"no shape for {division.name}, {division.country}: too small for the map's "
                          "1:50m land; give a box or a place instead")
    shape = shapely.from_geojson(json.dumps(geometry))
    main = _main_cluster(list(shapely.get_parts(shape)))
    xy = np.concatenate([shapely.get_coordinates(p) for p in main])
    return Frame(xy[:, 0], xy[:, 1], name=f"{division.name}, {division.country}", shape=shape,
                 spelling=division.label)


def _main_cluster(parts: list[shapely.Geometry]) -> list[shapely.Geometry]:
    """The polygons linked to the largest one through gaps under
    CLUSTER_GAP_DEG (single linkage)."""
    parts = sorted(parts, key=lambda p: -p.area)
    keep, rest = [parts[0]], parts[1:]
    grown = True
    while grown and rest:
        near = shapely.distance(shapely.union_all(keep), np.asarray(rest, dtype=object)) < CLUSTER_GAP_DEG
        grown = bool(near.any())
        keep += [p for p, n in zip(rest, near) if n]
        rest = [p for p, n in zip(rest, near) if not n]
    return keep


@functools.lru_cache(maxsize=1)
def _countries() -> list[dict[str, Any]]:
    return [{"name": f["properties"]["name"], "continent": f["properties"]["continent"],
             "names": {name_key(n) for n in [f["properties"]["iso_a3"], *f["properties"]["names"]]},
             "spelling": f["properties"]["iso_a3"] if f["properties"]["iso_a3"] != "-99" else f["properties"]["name"],
             "geometry": shapely.from_geojson(json.dumps(f["geometry"]))}
            for f in features("admin_0_countries", "110m")]


# --- the view ---------------------------------------------------------------------------


def arc_deg(lat: npt.ArrayLike, lon: npt.ArrayLike, lats: npt.ArrayLike, lons: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Great-circle distances in degrees from one point to many."""
    lat, lon, lats, lons = (np.radians(v) for v in (lat, lon, lats, lons))
    cos_arc = np.sin(lat) * np.sin(lats) + np.cos(lat) * np.cos(lats) * np.cos(lons - lon)
    return np.degrees(np.arccos(np.clip(cos_arc, -1.0, 1.0)))


def centre(longitude: npt.ArrayLike, latitude: npt.ArrayLike) -> tuple[float, float]:
    """The centre of points on the sphere (their mean direction), degrees."""
    lon, lat = np.radians(longitude), np.radians(latitude)
    x, y, z = (np.mean(np.cos(lat) * np.cos(lon)), np.mean(np.cos(lat) * np.sin(lon)), np.mean(np.sin(lat)))
    return float(np.degrees(np.arctan2(y, x))), float(np.degrees(np.arctan2(z, np.hypot(x, y))))


def extent(projection: ccrs.Projection, longitude: npt.ArrayLike, latitude: npt.ArrayLike, pad: float = 0.12,
           min_side_m: float = 1.2e6, aspect: tuple[float, float] = (0.55, 1.45)) -> tuple[float, float, float, float]:
    """(x0, x1, y0, y1) in ``projection``'s coordinates that shows the
    points, padded by ``pad`` of the larger side, at least ``min_side_m``
    across, with height / width kept within ``aspect`` (a very long and thin
    frame is widened)."""
    xy = projection.transform_points(ccrs.PlateCarree(), np.asarray(longitude, dtype=float),
                                     np.asarray(latitude, dtype=float))[:, :2]
    xy = xy[np.all(np.isfinite(xy), axis=1)]
    if not len(xy):
        raise RegionError("the region is not on the visible side of the map")
    (x0, y0), (x1, y1) = xy.min(axis=0), xy.max(axis=0)
    margin = pad * max(x1 - x0, y1 - y0)
    width = max(x1 - x0 + 2 * margin, min_side_m)
    height = max(y1 - y0 + 2 * margin, min_side_m)
    width, height = max(width, height / aspect[1]), max(height, width * aspect[0])
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    (xmin, xmax), (ymin, ymax) = projection.x_limits, projection.y_limits
    width, height = min(width, xmax - xmin), min(height, ymax - ymin)
    cx = float(np.clip(cx, xmin + width / 2, xmax - width / 2))
    cy = float(np.clip(cy, ymin + height / 2, ymax - height / 2))
    return cx - width / 2, cx + width / 2, cy - height / 2, cy + height / 2
