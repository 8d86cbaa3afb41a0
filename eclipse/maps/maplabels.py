"""The labels of an eclipse map: time marks, lines of equal magnitude, dates,
city names and the user's own places, each put where it overlaps nothing.

The figures (eclipse.maps) draw every line and marker first, then make a
``labels.LabelPlacer`` and call these in order of importance: the user's
places, the time marks, the magnitudes, the cities.  Lines are known by their
gid: 'umbra limit', 'central line', 'magnitude 0.8', 'horizon'.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, runtime_checkable

import cartopy.crs as ccrs
import numpy as np
import numpy.typing as npt
import shapely
from matplotlib import patheffects
from matplotlib.text import Annotation

from ..constants import EARTH_MEAN_RADIUS_KM
from ..dates import format_time
from ..io.mapdata import Cities
from ..io.places import find_place
from ..io.text import duration_text, latlon_text
from . import labels
from .framing import arc_deg

if TYPE_CHECKING:
    from cartopy.mpl.geoaxes import GeoAxes

    from ..geometry.path import Path
    from ..search.results import Eclipse

#: Text colour of time marks, cities and places.
INK = "#222222"
#: A white outline around text drawn on the map itself (the UT marks' times),
#: so that it reads on every background: the land, the path, and the dark
#: shades of the "how dark" map.
HALO = [patheffects.withStroke(linewidth=2.4, foreground="white")]


def magnitude_gid(level: float) -> str:
    """The gid of the lines of equal magnitude ``level``."""
    return f"magnitude {level:.1f}"


#: The gid of the curve where maximum happens at sunrise or sunset.
HORIZON_GID = "horizon"


def duration_gid(level_s: float) -> str:
    """The gid of the line of equal central duration ``level_s`` seconds."""
    return f"duration {level_s:g}"


def secondary_lines(levels: Iterable[float]) -> tuple[str, ...]:
    """Gids of the lines a label's white box may cover when nothing else is
    free: the lines of equal magnitude (on world maps they run close along
    the path) and the horizon curve."""
    return tuple(magnitude_gid(level) for level in levels) + (HORIZON_GID,)


#: Label text styles: small, on a rounded white box that lets lines show through a little.
LABEL_BOX = {"boxstyle": "round,pad=0.1", "facecolor": "white", "alpha": 0.8, "edgecolor": "none"}


#: Distances (points) at which a label stands off what it names, nearest first.
STAND_OFF_PT = (1.5, 3.5, 6, 9, 13, 18, 24, 31)
#: A city's name stands no farther off its dot than this (points): farther,
#: among other names, it would seem to name another dot.  A city inside the
#: path, between its lines, may stand farther off: 18 points.
CITY_STAND_OFF_PT = tuple(gap for gap in STAND_OFF_PT if gap <= 9)
PATH_CITY_STAND_OFF_PT = tuple(gap for gap in STAND_OFF_PT if gap <= 18)


def _annotation(ax: GeoAxes, text: str, anchor: npt.ArrayLike, **style: Any) -> Annotation:
    """A label centred on a display point, to be moved by a LabelPlacer."""
    xy = ax.transData.inverted().transform(anchor)
    return ax.annotate(text, xy=tuple(xy), xycoords="data", xytext=(0, 0), textcoords="offset points",
                       ha="center", va="center", annotation_clip=False, **style)


#: A stretch of a line of equal magnitude at least this long (points) on the
#: map is labelled near both its ends; a shorter one once, near its middle,
#: if at least SHORTEST_LABELLED_PT long (one label for the level at least).
BOTH_ENDS_PT = 150.0
SHORTEST_LABELLED_PT = 60.0


def label_magnitudes(placer: labels.LabelPlacer, levels: Iterable[float], colour: str) -> None:
    """Label each line of equal magnitude on the line: each stretch in view
    (a level has one line each side of the path, cut where it leaves the
    map) near both its ends when it is BOTH_ENDS_PT long or more, each label
    as near its end as a free place allows within the end's third; a
    shorter stretch once, as near its middle as a free place allows."""
    ax = placer.ax
    spacing = 6 * placer.px_per_pt
    for level in levels:
        gid = magnitude_gid(level)
        pieces = [p for line in ax.lines if line.get_gid() == gid for p in labels.display_lines(line)]
        stretches = _inside_runs(pieces, placer.outline, spacing)
        groups: list[npt.NDArray[np.float64]] = []
        for k, stretch in enumerate(stretches):
            length = len(stretch) * spacing / placer.px_per_pt
            if length >= BOTH_ENDS_PT:
                third = max(len(stretch) // 3, 1)
                groups += [stretch[2:third], stretch[::-1][2:third]]
            elif length >= SHORTEST_LABELLED_PT or k == 0:
                middle = len(stretch) // 2
                groups.append(stretch[np.argsort(np.abs(np.arange(len(stretch)) - middle), kind="stable")])
        for candidates in groups:
            if not len(candidates):
                continue
            text = _annotation(ax, f"{level:.1f}", candidates[0], color=colour, fontsize=7,
                               zorder=4.5, bbox=LABEL_BOX)
            placer.place(text, candidates[0], candidates, ignore={gid})


def _inside_runs(pieces: Iterable[npt.NDArray[np.float64]], outline: shapely.Geometry,
                 spacing_px: float) -> list[npt.NDArray[np.float64]]:
    """Points every ``spacing_px``, in order, along each run of the display
    polylines that stays inside ``outline``, longest run first."""
    runs = []
    for piece in pieces:
        xy, _ = _resample(piece, spacing_px)
        inside = shapely.contains_xy(outline, xy[:, 0], xy[:, 1]) if len(xy) else np.zeros(0, bool)
        edges = np.flatnonzero(np.diff(np.concatenate([[0], inside.astype(int), [0]])))
        runs += [xy[start:end] for start, end in zip(edges[::2], edges[1::2])]
    return sorted(runs, key=lambda run: -len(run))


def label_durations(placer: labels.LabelPlacer, levels: Iterable[float], colour: str, path: Path | None = None) -> None:
    """Label each line of equal central duration ('3m30s') on the line and
    along it, once on each side of the central line (``path``'s), as near
    the map's middle as a free place allows, the levels staggered along the
    path.  Written along its line, a label's white box covers only that line
    (and, where they run closer than a label's height, the next line of
    equal duration), never a limit, a marker or another label."""
    ax = placer.ax
    levels = list(levels)
    others = [duration_gid(level) for level in levels]
    line = getattr(path, "central_line", None)
    axis = to_display(ax, line.longitude, line.latitude) if line is not None else np.empty((0, 2))
    axis = axis[np.all(np.isfinite(axis), axis=1)]
    # successive levels' labels a label's length apart along the path (its
    # direction across the map), so that they do not stack across it
    direction = axis[-1] - axis[0] if len(axis) > 1 else np.array([1.0, 0.0])
    stagger = direction / max(float(np.hypot(*direction)), 1e-9) * 30 * placer.px_per_pt
    for level in levels:
        gid = duration_gid(level)
        pieces = [p for drawn in ax.lines if drawn.get_gid() == gid for p in labels.display_lines(drawn)]
        points, tangents = _samples(pieces, 4 * placer.px_per_pt)
        inside = shapely.contains_xy(placer.outline, points[:, 0], points[:, 1]) if len(points) else np.zeros(0, bool)
        points, tangents = points[inside], tangents[inside]
        if not len(points):
            continue
        middle = np.asarray(placer.outline.centroid.coords[0]) + stagger * (len(others) // 2 - others.index(gid))
        order = np.argsort(np.hypot(*(points - middle).T), kind="stable")
        points, tangents = points[order], tangents[order]
        sides = _side_of(axis, points)
        for side in np.unique(sides):
            here = sides == side
            text = _annotation(ax, duration_text(level), points[here][0], color=colour, fontsize=6.5,
                               zorder=6.5, bbox=LABEL_BOX)
            _place_along(placer, text, points[here], tangents[here], ignore=set(others))


def _place_along(placer: labels.LabelPlacer, text: Annotation, points: npt.NDArray[np.float64],
                 tangents: npt.NDArray[np.float64], ignore: set[str]) -> bool:
    """Put a label (an annotation at ``points[0]``) at the first of
    ``points`` where, turned along the line's tangent there (and kept
    upright), its box lies inside the map and touches no label, marker or
    line but those in ``ignore``; its box's bounds then keep later labels
    off.  Else remove it.  Whether it was placed."""
    half = placer.text_size(text) / 2 + placer.margin
    angles = np.arctan2(tangents[:, 1], tangents[:, 0])
    angles = np.where(angles > np.pi / 2, angles - np.pi, np.where(angles < -np.pi / 2, angles + np.pi, angles))
    corners = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]]) * half
    cos, sin = np.cos(angles)[:, None], np.sin(angles)[:, None]
    xy = points[:, None, :] + np.stack([corners[:, 0] * cos - corners[:, 1] * sin,
                                        corners[:, 0] * sin + corners[:, 1] * cos], axis=-1)
    shapes = shapely.polygons(xy)
    ok = shapely.contains(placer.outline, shapes)
    taken = shapely.box(*np.vstack([placer.boxes, placer.markers]).T) if len(placer.boxes) + len(placer.markers) else []
    if len(taken):
        hit, _ = shapely.STRtree(taken).query(shapes, predicate="intersects")
        ok[hit] = False
    hit, obstacle = placer.tree.query(shapes, predicate="intersects")
    blocking = np.array([gid not in ignore for gid in placer.gids[obstacle]], dtype=bool)
    ok[hit[blocking]] = False
    if not ok.any():
        text.remove()
        return False
    i = int(np.argmax(ok))
    text.set_rotation(float(np.degrees(angles[i])))
    text.set_rotation_mode("anchor")
    text.xyann = tuple((points[i] - points[0]) / placer.px_per_pt)
    bounds = np.concatenate([xy[i].min(axis=0), xy[i].max(axis=0)])
    placer.boxes = np.vstack([placer.boxes, bounds])
    return True


def _side_of(polyline: npt.NDArray[np.float64], points: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Which side (+1, -1) of a display polyline each point lies on (its
    nearest vertex's tangent); all +1 without a polyline."""
    if len(polyline) < 2:
        return np.ones(len(points))
    nearest = np.argmin(np.hypot(*(points[:, None, :] - polyline[None]).transpose(2, 0, 1)), axis=1)
    j = np.clip(nearest, 0, len(polyline) - 2)
    tangent = polyline[j + 1] - polyline[j]
    offset = points - polyline[j]
    return np.where(tangent[:, 0] * offset[:, 1] - tangent[:, 1] * offset[:, 0] >= 0, 1.0, -1.0)


def label_kinds(placer: labels.LabelPlacer, path: Path, soft: Iterable[str] = ()) -> None:
    """A hybrid's stretches named on the map: 'annular' and 'total' beside
    the central line of each stretch, as near its middle as a free place
    allows, in the kind's colour; nothing for an eclipse of one kind."""
    from ..io.mapdata import KIND_COLOURS

    line = path.central_line
    if len(path.stretches) < 2 or line is None:
        return
    ax = placer.ax
    for stretch in path.stretches:
        piece = line.between(stretch.jd_tt_start, stretch.jd_tt_end)
        if piece is None:
            continue
        xy = to_display(ax, piece.longitude, piece.latitude)
        runs = [xy[run] for run in _finite_runs(xy)]
        points, tangents = _samples(runs, 8 * placer.px_per_pt)
        inside = shapely.contains_xy(placer.outline, points[:, 0], points[:, 1]) if len(points) else np.zeros(0, bool)
        points, tangents = points[inside], tangents[inside]
        if not len(points):
            continue
        order = np.argsort(np.abs(np.arange(len(points)) - len(points) // 2), kind="stable")[:40]
        text = _annotation(ax, stretch.kind, points[order[0]], fontsize=8, color=KIND_COLOURS[stretch.kind],
                           weight="bold", zorder=9, bbox=LABEL_BOX)
        size = placer.text_size(text)
        normals = np.column_stack([-tangents[order, 1], tangents[order, 0]])
        centres = np.stack([np.stack([placer.around(p, size, (3, 8, 14), [s * n]) for s in (1, -1)], axis=1)
                            for p, n in zip(points[order], normals)])
        placer.place(text, points[order[0]], centres.reshape(-1, 2), or_else_ignore=soft)


class TimeMarks(NamedTuple):
    """Round minutes of UTC on the central line, and where the line heads there."""

    jd_ut: npt.NDArray[np.float64]
    longitude: npt.NDArray[np.float64]
    latitude: npt.NDArray[np.float64]
    ahead_longitude: npt.NDArray[np.float64]  # the point under the axis 20 s later
    ahead_latitude: npt.NDArray[np.float64]


def to_display(ax: GeoAxes, lon: npt.ArrayLike, lat: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Display pixels of longitude-latitude points (NaN where the map does not show them)."""
    xy = ax.projection.transform_points(ccrs.PlateCarree(), np.asarray(lon, dtype=float),
                                        np.asarray(lat, dtype=float))[:, :2]
    return ax.transData.transform(xy)




def label_times(placer: labels.LabelPlacer, marks: TimeMarks, soft: Iterable[str] = ()) -> None:
    """Label each time mark beside the path, off its filled umbra (area
    'umbra') unless the path is too wide for that, on the side the previous
    label took when that side is free;
    over the ``soft`` lines (secondary_lines) only where no place is free of them."""
    ax = placer.ax
    here = to_display(ax, marks.longitude, marks.latitude)
    ahead = to_display(ax, marks.ahead_longitude, marks.ahead_latitude)
    side = 1.0
    for jd, point, forward in zip(marks.jd_ut, here, ahead):
        tangent = forward - point
        if not np.all(np.isfinite(point)) or not np.all(np.isfinite(tangent)) or not np.any(tangent):
            continue
        normal = np.array([-tangent[1], tangent[0]]) / np.hypot(*tangent)
        text = _annotation(ax, format_time(jd)[:5], point, fontsize=6.5, color=INK, zorder=8,
                           path_effects=HALO)
        size = placer.text_size(text)
        both = np.stack([placer.around(point, size, STAND_OFF_PT, [s * normal]) for s in (side, -side)], axis=1)
        centres = both.reshape(-1, 2)  # nearest first, this side first
        # off the filled umbra; on it (between its lines) where the path is too wide to leave
        off = placer.free(centres, size, ignore=set(soft), avoid=("umbra",)).any()
        taken = placer.place(text, point, centres, avoid=("umbra",) if off else (), or_else_ignore=soft)
        if taken is not None and taken % 2:
            side = -side


def add_umbra_area(placer: labels.LabelPlacer, umbra: shapely.Geometry | None, tolerance_deg: float = 0.05) -> None:
    """The filled umbra as an area that time labels keep off: simplified to
    ``tolerance_deg`` (5 km, under a pixel of a regional map) before it is
    projected, and widened by a pixel to make up for it."""
    if umbra is None or umbra.is_empty:
        return
    ax: GeoAxes = placer.ax
    projected = ax.projection.project_geometry(umbra.simplify(tolerance_deg), ccrs.PlateCarree())
    pixels = shapely.transform(projected, ax.transData.transform)
    placer.add_area(pixels.buffer(placer.px_per_pt), "umbra")


def draw_marks(ax: GeoAxes, marks: Iterable[Mark]) -> None:
    """The user's own places (``Mark``), drawn as dark diamonds."""
    for mark in marks:
        ax.plot(mark.longitude, mark.latitude, marker="D", color="#111111", markersize=5,
                markeredgecolor="white", markeredgewidth=0.8, transform=ccrs.PlateCarree(), zorder=9.5,
                gid="mark")


class Mark(NamedTuple):
    """A place of the user's on a map, with what is seen there."""

    name: str
    latitude: float
    longitude: float


@runtime_checkable
class Located(Protocol):
    """Anything with a latitude and a longitude in degrees (an eclipse.places.Place, a Mark)."""

    @property
    def latitude(self) -> float:
        """Geodetic latitude, degrees."""

    @property
    def longitude(self) -> float:
        """East longitude, degrees."""


#: A place as the user gives it: a name, an eclipse.places.Place (anything
#: Located), (lat, lon) or (name, lat, lon).
PlaceSpec = str | Located | tuple[float, float] | tuple[str, float, float]


def as_mark(place: PlaceSpec) -> Mark:
    """A Mark from a place name, an eclipse.places.Place, (lat, lon) or (name, lat, lon)."""
    given = find_place(place) if isinstance(place, str) else place
    if isinstance(given, Located):
        return Mark(str(getattr(given, "label", None) or getattr(given, "name", "")), float(given.latitude),
                    float(given.longitude))
    if len(given) == 2:
        lat, lon = (float(v) for v in given)
        return Mark(latlon_text(lat, lon, decimals=2), lat, lon)
    name, lat, lon = given
    return Mark(str(name), float(lat), float(lon))


def seen_text(eclipse: Eclipse, lat: float, lon: float) -> str:
    """What is seen from a place, in one line: 'total 1m43s from 18:27:51 UT',
    'partial 0.912 at 18:31:02 UT', 'not seen: the Sun is down'."""
    seen = eclipse.local(lat, lon, distances=False)
    kind = str(np.asarray(seen.kind_seen))
    if kind == "none":
        return "no eclipse here"
    if not bool(np.asarray(seen.visible)):
        return f"{kind}, with the Sun down"
    if kind in ("total", "annular"):
        return f"{kind} {duration_text(float(seen.duration_s))} from {format_time(float(seen.time_ut('c2')))} UT"
    return f"partial {float(seen.magnitude):.3f} at {format_time(float(seen.time_ut('max')))} UT"


#: A mark's label standing farther off its diamond than this (points), where
#: the path's lines leave no nearer room, is joined to it by a thin line.
LEADER_FROM_PT = 9.0
MARK_LEADER = {"arrowstyle": "-", "color": "#111111", "linewidth": 0.6, "shrinkA": 0.0, "shrinkB": 3.5}


def label_marks(placer: labels.LabelPlacer, eclipse: Eclipse, marks: Iterable[Mark], soft: Iterable[str] = ()) -> None:
    """Name each of the user's places with what is seen there, beside its diamond."""
    ax = placer.ax
    for mark in marks:
        point = to_display(ax, [mark.longitude], [mark.latitude])[0]
        if not np.all(np.isfinite(point)):
            continue
        text = _annotation(ax, f"{mark.name}\n{seen_text(eclipse, mark.latitude, mark.longitude)}", point,
                           fontsize=7.5, color="#111111", weight="bold", zorder=9.5, bbox=LABEL_BOX,
                           multialignment="left", arrowprops=MARK_LEADER)
        size = placer.text_size(text)
        centres = placer.around(point, size, STAND_OFF_PT + (40, 50, 60, 72))
        index = placer.place(text, point, centres, or_else_ignore=soft)
        if index is not None and text.arrow_patch is not None:
            # the gap between the diamond and the label's box, points
            gap = np.hypot(*np.maximum(np.abs(centres[index] - point) - size / 2, 0.0)) / placer.px_per_pt
            text.arrow_patch.set_visible(bool(gap > LEADER_FROM_PT))  # beside its diamond: no line


#: A regional map names the gazetteer's cities of at least this many people,
#: those inside the path first, then those near it, then the rest of its frame;
#: then the path's smaller towns where room is left.
CITY_PEOPLE = 100_000
#: The largest towns inside the path considered (a map names a few of them).
MAX_TOWNS = 500
#: A city is near the path within this distance of its edge, km.
NEAR_PATH_KM = 150.0
#: A city this close to a place the user marked (points) is that place: its
#: name is in the mark's label already (Valencia marked on 2026-08-12).
MARK_SAME_PT = 6.0
#: The order in which cities are named, each kind the largest first.
CITY_KINDS = ("in the path", "near the path", "in the frame", "town in the path")


class CityLabel(NamedTuple):
    """A city named on a map, and why: its kind is one of CITY_KINDS."""

    name: str
    latitude: float
    longitude: float
    people: int
    kind: str


def in_view(ax: GeoAxes, cities: Cities) -> Cities:
    """The cities a map shows (inside its axes and its projection's outline)."""
    points = to_display(ax, cities.longitude, cities.latitude)
    shown = np.all(np.isfinite(points), axis=1)
    shown[shown] = shapely.contains_xy(labels.axes_outline(ax), points[shown, 0], points[shown, 1])
    return cities.take(shown)


#: People per square kilometre of a city's built-up area, for its radius
#: (``urban_radius_km``): 3,000 is the density of the urban areas of Europe
#: and North America to a factor of two (New York 19 million: 45 km).
URBAN_DENSITY = 3000.0


def urban_radius_km(people: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """The radius of a disc holding a city's people at URBAN_DENSITY, km."""
    return np.sqrt(np.asarray(people, dtype=float) / (np.pi * URBAN_DENSITY))


def without_suburbs(cities: Cities, centres: Cities | None = None) -> Cities:
    """``cities`` without those inside a larger one of ``centres`` (default
    ``cities`` themselves): within its ``urban_radius_km``, a district or a
    suburb of it (Brooklyn, Santa Catarina by Monterrey).  Compared in bands
    of latitude, each city with the centres that can reach it."""
    centres = cities if centres is None else centres
    if not len(cities) or not len(centres):
        return cities
    reach_km = urban_radius_km(centres.size)
    band_deg = float(np.degrees(reach_km.max() / EARTH_MEAN_RADIUS_KM))
    by_latitude = np.argsort(centres.latitude, kind="stable")
    centre_lat = centres.latitude[by_latitude]
    keep = np.ones(len(cities), dtype=bool)
    order = np.argsort(cities.latitude, kind="stable")
    for chunk in np.array_split(order, -(-len(order) // 200)):
        lo, hi = np.searchsorted(centre_lat, [cities.latitude[chunk].min() - band_deg,
                                              cities.latitude[chunk].max() + band_deg])
        near = by_latitude[lo:hi]
        km = np.radians(arc_deg(cities.latitude[chunk, None], cities.longitude[chunk, None],
                                centres.latitude[near], centres.longitude[near])) * EARTH_MEAN_RADIUS_KM
        inside = (km < reach_km[near]) & (centres.size[near] > cities.size[chunk, None])
        keep[chunk] = ~inside.any(axis=1)
    return cities.take(keep)


def city_kinds(path: Path | None, cities: Cities, towns: Cities) -> list[tuple[str, Cities]]:
    """The candidates of each of CITY_KINDS, in order: ``cities`` (of
    CITY_PEOPLE or more) inside the umbral path, within NEAR_PATH_KM of its
    edge, elsewhere; then the smaller ``towns`` inside the path.  Each
    largest first, without suburbs (``without_suburbs``)."""
    cities = without_suburbs(cities)
    umbra = getattr(path, "umbra", None)
    line = getattr(path, "central_line", None)
    if umbra is None or umbra.is_empty or line is None or len(line) < 2:
        return [("in the frame", cities)]
    inside = shapely.contains_xy(umbra, cities.longitude, cities.latitude)
    arcs = arc_deg(cities.latitude[:, None], cities.longitude[:, None], line.latitude, line.longitude)
    index = np.argmin(arcs, axis=1)
    from_edge_km = np.radians(arcs[np.arange(len(cities)), index]) * EARTH_MEAN_RADIUS_KM - line.width_km[index] / 2
    near = ~inside & (from_edge_km < NEAR_PATH_KM)
    small = towns.take((towns.size < CITY_PEOPLE) & shapely.contains_xy(umbra, towns.longitude, towns.latitude))
    small = without_suburbs(small.take(slice(0, MAX_TOWNS)), cities)
    return [("in the path", cities.take(inside)), ("near the path", cities.take(near)),
            ("in the frame", cities.take(~inside & ~near)), ("town in the path", small)]


def draw_cities(placer: labels.LabelPlacer, kinds: list[tuple[str, Cities]], path: Path | None = None,
                soft: Iterable[str] = (), others: int = 10, towns: int = 8, spacing_pt: float = 24.0,
                named: Iterable[CityLabel] = (), marks: Iterable[Located] = ()) -> list[CityLabel]:
    """Name the cities shown on the map (``city_kinds``) in the order of
    their kinds, each kind the largest first: every city inside the path
    that finds room, then at most ``others`` near the path or elsewhere in
    the frame, then smaller towns inside the path while fewer than ``towns``
    places inside it are named (Exmouth on 2023-04-20); none
    within ``spacing_pt`` of one already named (a suburb, a district).  So
    no city is named while a larger one inside the path goes unnamed for
    lack of room.  A city's dot goes where no label lies, its name where the
    placer finds room (away from the central line preferred); a city whose
    name finds none is left out, dot and all.  ``named`` are those an
    earlier call named (the figures name the cities inside the path before
    the time marks, the others after).  A city at one of the user's ``marks``
    (within ``MARK_SAME_PT``) is left to the mark's own label.  Returns the
    cities named, in the order they were, those of ``named`` first."""
    ax = placer.ax
    line = getattr(path, "central_line", None)
    if line is not None and len(line) > 1:
        line_xy = to_display(ax, line.longitude, line.latitude)
        line_xy = line_xy[np.all(np.isfinite(line_xy), axis=1)]
    else:
        line_xy = np.empty((0, 2))
    radius = 1.5 * placer.px_per_pt
    named = list(named)
    named_xy = list(to_display(ax, [c.longitude for c in named], [c.latitude for c in named]))
    marks = list(marks)
    marks_xy = to_display(ax, [m.longitude for m in marks], [m.latitude for m in marks]).reshape(-1, 2)

    def full(kind: str) -> bool:
        if kind == "in the path":
            return False
        if kind == "town in the path":
            return sum(c.kind in ("in the path", kind) for c in named) >= towns
        return sum(c.kind in ("near the path", "in the frame") for c in named) >= others

    for kind, cities in kinds:
        points = to_display(ax, cities.longitude, cities.latitude)
        shown = np.all(np.isfinite(points), axis=1)
        shown[shown] = shapely.contains_xy(placer.outline, points[shown, 0], points[shown, 1])
        for i in np.flatnonzero(shown):
            if full(kind):
                break
            point = points[i]
            if any(np.hypot(*(point - p)) < spacing_pt * placer.px_per_pt for p in named_xy):
                continue
            if not placer.marker_free(point, radius):
                continue
            if np.any(np.hypot(*(marks_xy - point).T) < MARK_SAME_PT * placer.px_per_pt):
                continue
            text = _annotation(ax, str(cities.name[i]), point, fontsize=7, color=INK, zorder=8, bbox=LABEL_BOX,
                               gid="city")
            size = placer.text_size(text)
            gaps = PATH_CITY_STAND_OFF_PT if kind == "in the path" else CITY_STAND_OFF_PT
            centres = placer.around(point, size, gaps, _away_first(point, line_xy))
            if placer.place(text, point, centres, or_else_ignore=soft) is None:
                continue
            named_xy.append(point)
            named.append(CityLabel(str(cities.name[i]), float(cities.latitude[i]), float(cities.longitude[i]),
                                   int(cities.size[i]), kind))
            placer.add_marker(point, radius)
            ax.plot(cities.longitude[i], cities.latitude[i], "o", color="#333333", markersize=2,
                    transform=ccrs.PlateCarree(), zorder=8, gid="city")
    return named


def named_cities(ax: GeoAxes) -> list[tuple[str, float, float]]:
    """The cities named on a map (``draw_cities``), as (name, longitude,
    latitude), in the order they were named."""
    geo = ccrs.PlateCarree()
    named = []
    for text in ax.texts:
        if text.get_gid() == "city":
            lon, lat = geo.transform_point(*text.xy, ax.projection)
            named.append((text.get_text(), float(lon), float(lat)))
    return named


def _away_first(point: npt.NDArray[np.float64], line_xy: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """The 8 compass directions, those pointing away from the nearest point
    of a display polyline first."""
    if not len(line_xy):
        return labels.COMPASS
    away = point - line_xy[np.argmin(np.hypot(*(line_xy - point).T))]
    if not np.any(away):
        return labels.COMPASS
    return labels.COMPASS[np.argsort(-(labels.COMPASS @ away), kind="stable")]


def label_date(placer: labels.LabelPlacer, eclipse: Eclipse, path: Path, colour: str) -> None:
    """An eclipse's date beside its central line, as near greatest eclipse as a free place allows."""
    ax = placer.ax
    line = path.central_line
    if line is None:  # (no central line, no date beside it)
        return
    anchor = to_display(ax, [eclipse.longitude], [eclipse.latitude])[0]
    pieces = []
    for part in line.parts():
        xy = to_display(ax, line.longitude[part], line.latitude[part])
        pieces += [xy[run] for run in _finite_runs(xy)]
    points, tangents = _samples(pieces, 8 * placer.px_per_pt)
    if not len(points):
        return
    if not np.all(np.isfinite(anchor)):
        anchor = points[len(points) // 2]
    order = np.argsort(np.hypot(*(points - anchor).T), kind="stable")[:60]
    text = _annotation(ax, eclipse.date, points[order[0]], fontsize=6.5, color=colour,
                       zorder=9, bbox=LABEL_BOX)
    size = placer.text_size(text)
    normals = np.column_stack([-tangents[order, 1], tangents[order, 0]])
    centres = np.stack([np.stack([placer.around(p, size, (1.5, 4, 8), [s * n]) for s in (1, -1)], axis=1)
                        for p, n in zip(points[order], normals)])  # point, gap, side
    placer.place(text, points[order[0]], centres.reshape(-1, 2))


def _resample(piece: npt.NDArray[np.float64],
              spacing_px: float) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Points every ``spacing_px`` along one display polyline (none when it is
    shorter), from half a spacing in, with the unit tangents there."""
    steps = np.diff(piece, axis=0)
    s = np.concatenate([[0.0], np.cumsum(np.hypot(*steps.T))])
    if s[-1] < spacing_px:
        return np.empty((0, 2)), np.empty((0, 2))
    at = np.arange(spacing_px / 2, s[-1], spacing_px)
    index = np.clip(np.searchsorted(s, at) - 1, 0, len(steps) - 1)
    points = np.column_stack([np.interp(at, s, piece[:, 0]), np.interp(at, s, piece[:, 1])])
    return points, steps[index] / np.maximum(np.hypot(*steps[index].T), 1e-9)[:, None]


def _samples(pieces: Iterable[npt.NDArray[np.float64]],
             spacing_px: float) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Points every ``spacing_px`` along display polylines, with unit tangents."""
    resampled = [_resample(piece, spacing_px) for piece in pieces] or [(np.empty((0, 2)), np.empty((0, 2)))]
    return np.concatenate([p for p, _ in resampled]), np.concatenate([t for _, t in resampled])


def _finite_runs(xy: npt.NDArray[np.float64]) -> list[slice]:
    """Slices of consecutive finite rows that also do not jump across the map
    (a line cut by the map's edge)."""
    ok = np.all(np.isfinite(xy), axis=1)
    breaks = np.flatnonzero(~ok[1:] | ~ok[:-1] | (np.hypot(*np.diff(np.where(ok[:, None], xy, 0), axis=0).T) > 200))
    starts, ends = np.concatenate([[0], breaks + 1]), np.concatenate([breaks + 1, [len(xy)]])
    return [slice(a, b) for a, b in zip(starts, ends) if b - a > 1 and ok[a:b].all()]

