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
from typing import TYPE_CHECKING, Any

import cartopy.crs as ccrs
import numpy as np
import numpy.typing as npt
import shapely

from ..constants import EARTH_MEAN_RADIUS_KM
from ..errors import EclipseError
from ..io.mapdata import Cities, division_shapes, features, gazetteer_cities
from ..io.places import Division, Place, UnknownPlaceError, divisions, find_place, name_key

if TYPE_CHECKING:
    from ..geometry.path import Path

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
    #: the margin around the points, a fraction of the frame's larger side (``extent``)
    pad: float = 0.12


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
           min_side_m: float = 1.2e6, aspect: tuple[float, float] = (0.55, 1.5)) -> tuple[float, float, float, float]:
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


# --- where people watch (region auto) ---------------------------------------------------

#: The Sun is up when its centre's true altitude exceeds this: its upper limb
#: on the apparent horizon (34' of refraction, 16' of semi-diameter).
SUN_UP_ALTITUDE_DEG = -0.83
#: An end of the path is left out of the auto frame when the gazetteer's
#: towns inside it with the Sun up hold fewer than END_PEOPLE people and less
#: than END_SHARE of all those in the path (``people_span``): a sunrise or
#: sunset stretch where few or none live (Taymyr and East Greenland on
#: 2026-08-12; the Canadian sunrise of 1560-08-21: 28,000 people, 0.2 %)
#: would stretch the frame over land where no one watches.  An end is a
#: stretch of land along the path, from the sea to the sea (more than
#: LAND_GAP_VERTICES vertices of the central line in a row with no land and no
#: town).  Kept on the eight eclipses of tests/test_maps.py: Exmouth alone
#: (3,700 people, 4 % of its path's, 2023-04-20) and Iceland (250,000, 2 %,
#: 2026-08-12); and all of Australia from the Kimberley to Sydney on 2028-07-22.
END_PEOPLE = 50_000
END_SHARE = 0.01
LAND_GAP_VERTICES = 2
#: The margin of the auto frame (``Frame.pad``): the path's own width and the
#: time labels beside it fill the frame's edges already.
WATCHED_PAD = 0.06
#: The gazetteer's floor: its towns of this many people or more are counted.
TOWN_PEOPLE = 1000


def watched_frame(path: Path, land: shapely.Geometry) -> Frame | None:
    """The frame of ``region='auto'`` for a central eclipse: the path over
    ``land`` where the Sun is up at the central phase (SUN_UP_ALTITUDE_DEG),
    its stretches of land where people live (``land_stretches``,
    ``people_span``: END_PEOPLE, END_SHARE) and all between, with their
    towns; where no one lives in the path, all of it over land with the Sun
    up; over the sea, the central line; None for an eclipse without an
    umbral path."""
    umbra, line = path.umbra, path.central_line
    if umbra is None or umbra.is_empty:
        return None
    if line is None or len(line) < 2:  # (an umbra grazing the Earth without its axis)
        outline = shapely.get_coordinates(umbra)
        return Frame(outline[:, 0], outline[:, 1], name="the path")
    along = along_km(line.latitude, line.longitude)
    up = line.sun_altitude > SUN_UP_ALTITUDE_DEG

    def on_line(lon: npt.NDArray[np.float64], lat: npt.NDArray[np.float64]) -> npt.NDArray[np.intp]:
        """The nearest central-line vertex of each point."""
        if not len(lon):
            return np.empty(0, dtype=np.intp)
        return np.argmin(arc_deg(lat[:, None], lon[:, None], line.latitude, line.longitude), axis=1)

    ground = shapely.get_coordinates(umbra.intersection(land))
    nearest = on_line(ground[:, 0], ground[:, 1])
    ground, ground_index = ground[up[nearest]], nearest[up[nearest]]
    towns = towns_inside(umbra)
    town_index = on_line(towns.longitude, towns.latitude)
    towns, town_index = towns.take(up[town_index]), town_index[up[town_index]]
    span = people_span(land_stretches(np.concatenate([ground_index, town_index]), along), along[town_index],
                       towns.size)
    if span is not None:
        start, end = np.searchsorted(along, span[0]), np.searchsorted(along, span[1], side="right") - 1
        kept = (ground_index >= start) & (ground_index <= end)
        watched = (town_index >= start) & (town_index <= end)
        on = up & (np.arange(len(along)) >= start) & (np.arange(len(along)) <= end)
        lon = np.concatenate([ground[kept, 0], towns.longitude[watched], line.longitude[on]])
        lat = np.concatenate([ground[kept, 1], towns.latitude[watched], line.latitude[on]])
        return Frame(lon, lat, name="the path where people watch", pad=WATCHED_PAD)
    if len(ground):
        return Frame(ground[:, 0], ground[:, 1], name="the path over land in daylight")
    return Frame(line.longitude[up], line.latitude[up], name="the central line")


def land_stretches(vertices: npt.NDArray[np.intp], along: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """The stretches of land along a path: (first, last) km along its
    central line (``along`` at each vertex) of each run of the ``vertices``
    that have land or a town, apart where more than LAND_GAP_VERTICES in a
    row have neither."""
    held = np.unique(vertices)
    if not len(held):
        return np.empty((0, 2))
    cuts = np.flatnonzero(np.diff(held) > LAND_GAP_VERTICES)
    return np.column_stack([along[held[np.r_[0, cuts + 1]]], along[held[np.r_[cuts, len(held) - 1]]]])


def people_span(stretches: npt.NDArray[np.float64], at_km: npt.NDArray[np.float64],
                people: npt.NDArray[np.int64]) -> tuple[float, float] | None:
    """The part of a path (km along its central line) that the auto frame
    holds: from the first to the last of its ``stretches`` of land ((first,
    last) km, in order) once its empty ends are left out.  Each stretch
    holds the people of the towns (at ``at_km``, of ``people``) nearest it;
    a stretch at either end with fewer than END_PEOPLE and less than
    END_SHARE of all is left out, then the next.  None when no one lives
    there."""
    total = float(np.sum(people))
    if total <= 0 or not len(stretches):
        return None
    off = np.maximum(stretches[None, :, 0] - at_km[:, None], at_km[:, None] - stretches[None, :, 1])
    held = np.bincount(np.argmin(np.maximum(off, 0.0), axis=1), weights=people.astype(float),
                       minlength=len(stretches))
    kept = np.flatnonzero(held >= min(END_PEOPLE, END_SHARE * total))
    if not len(kept):  # (people spread thin over more than 1 / END_SHARE stretches)
        kept = np.array([np.argmax(held)])
    return float(stretches[kept[0], 0]), float(stretches[kept[-1], 1])


def towns_inside(region: shapely.Geometry, min_people: int = TOWN_PEOPLE) -> Cities:
    """The gazetteer's towns of ``min_people`` or more inside a lon/lat region."""
    west, south, east, north = region.bounds
    towns = gazetteer_cities(min_people, (west, south, east, north))
    return towns.take(shapely.contains_xy(region, towns.longitude, towns.latitude))


def along_km(latitude: npt.NDArray[np.float64], longitude: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Distance along a polyline from its first vertex at each vertex, km
    (great circles on the mean sphere: a frame's measure, not a survey's)."""
    steps = arc_deg(latitude[:-1], longitude[:-1], latitude[1:], longitude[1:])
    return np.concatenate([[0.0], np.cumsum(np.radians(steps) * EARTH_MEAN_RADIUS_KM)])


#: A frame is drawn on Lambert's conformal conic when all of it lies between
#: these latitudes in one hemisphere (degrees); nearer the equator or a pole,
#: on the orthographic (a cone is no fit there).
CONIC_LATITUDES = (10.0, 80.0)


def view_projection(longitude: npt.ArrayLike, latitude: npt.ArrayLike) -> ccrs.Projection:
    """The projection that suits a frame: Lambert's conformal conic centred
    on it, its standard parallels a sixth of its span in latitude inside its
    edges (a country's or a path's map, shapes true, north up along its
    middle meridian), where it lies within CONIC_LATITUDES; else the
    orthographic centred on it."""
    lat = np.asarray(latitude, dtype=float)
    centre_lon, centre_lat = centre(longitude, latitude)
    low, high = CONIC_LATITUDES
    south, north = float(lat.min()), float(lat.max())
    sign = 1.0 if south > 0 else -1.0
    if not (south * north > 0 and low <= min(abs(south), abs(north)) and max(abs(south), abs(north)) <= high):
        return ccrs.Orthographic(centre_lon, centre_lat)
    span = north - south
    parallels = (south + span / 6, north - span / 6) if span > 1.0 else ((south + north) / 2,)
    return ccrs.LambertConformal(central_longitude=centre_lon, central_latitude=(south + north) / 2,
                                 standard_parallels=parallels, cutoff=-sign * 30.0)
