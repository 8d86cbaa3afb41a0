"""The interactive map: one self-contained, offline HTML page.

``page(eclipse)`` gathers what the page draws and computes -- the Besselian
elements, the path's curves and regions, the lines of equal magnitude, Natural
Earth's land, borders and cities -- and inlines it, with the page's scripts
and style (``eclipse/web/static``), into one HTML file that makes no network
request.  In the page, a click anywhere computes what is seen there from the
elements with the formulas of ``eclipse.local`` (ported to JavaScript in
``circumstances.js``), and a time slider draws the shadow on the ground.
``page(eclipses)`` with a list makes the map of a span: every central path
coloured by kind, and for any place the eclipses of the span seen there.

For example::

    import eclipse, eclipse.web
    m = eclipse.web.page(eclipse.at("2024-04-08"))
    m.save("eclipse-2024-04-08.html")      # or m.html, the page as a string

Coordinates are delta-encoded integers (``encode_lines``): Natural Earth to
0.001 degree (about 100 m, finer than its 1:50m drawing), the path's regions
to 1e-4 degree and its lines to 1e-5 degree (about 1 m, below their accuracy).
"""

from __future__ import annotations

import functools
import html as html_text
import json
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from importlib.resources import files as package_files
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.polygon import orient

from ..constants import EARTH_RADIUS_KM, ECCENTRICITY_SQUARED, FLATTENING, K_PENUMBRA, K_UMBRA
from ..dates import format_date, format_datetime
from ..geometry import distances, horizon, local, regions
from ..geometry.earth import ellipsoid_points
from ..geometry.isolines import contour_lines, duration_lines, magnitude_grid
from ..geometry.regions import SPAN_TOLERANCE_DEG, sigma_band, span_umbra
from ..geometry.shadow import CONCENTRIC_DISTANCE
from ..io import files, places
from ..io.mapdata import (
    DURATION_COLOUR,
    DURATION_STEPS_S,
    HORIZON_COLOUR,
    KIND_COLOURS,
    LAND_COLOUR,
    MAGNITUDE_COLOUR,
    MAGNITUDE_LEVELS,
    MAX_BYTES,
    PENUMBRA_COLOUR,
    WATER_COLOUR,
    MapError,
    check_span,
    cities,
    credit,
    natural_earth,
    span_label,
)
from ..io.records import CONTACT_FORMAT, DISTANCE_FORMAT, LOCAL_FORMAT, SIGMA_FORMAT, eclipse_record, horizon_record
from ..io.text import (
    duration_text,
    eclipse_title,
    sigma_band_text,
    sigma_note,
    subtitle_lines,
)
from .zones import zone_data

if TYPE_CHECKING:
    from ..geometry.path import Curve, Path
    from ..search import Eclipse

WEB = package_files("eclipse.web") / "static"
#: Scripts inlined in the page, in order; the d3 bundles are d3-array 3.2.5
#: and d3-geo 3.1.2 from the npm registry, unmodified (ISC licence, LICENSE-d3).
SCRIPTS = ("d3-array.min.js", "d3-geo.min.js", "circumstances.js", "coordinates.js", "distances.js", "sky.js",
           "link.js", "search.js", "zones.js", "panel.js", "cursor.js", "layout.js", "span.js", "map.js")
#: Decimals of degrees kept: map layers, the path's regions, its lines.
BASE_DECIMALS, REGION_DECIMALS, LINE_DECIMALS = 3, 4, 5
#: Spacing (degrees) of the grid the lines of equal magnitude are traced on.
CONTOUR_RESOLUTION_DEG = 1.0
VIEWS = ("globe", "flat")
#: The central lines of a span's paths are simplified as their umbrae
#: (regions.span_umbra), and both written to SPAN_DECIMALS (100 m).
SPAN_SIMPLIFY_DEG = SPAN_TOLERANCE_DEG
SPAN_DECIMALS = 3
#: The slider's shadow outline (circumstances.js footprint) iterates the
#: radius L = l - zeta tan f on the zeta of each edge point to this
#: tolerance (Earth radii), or at most this many times: a contraction of
#: factor tan f |dzeta/dr| (< 0.05 where the Sun is 6 degrees up, nearer 1 at
#: the horizon).  The page draws the outline of the instant on the shadow's
#: edge (tests/test_webmap_browser.py holds it there to 1e-10 radii);
#: regions.shadow_circles, whose footprints only build the regions, iterates
#: twice.
EDGE_ITERATIONS, EDGE_TOLERANCE = 20, 1e-12
#: The curves the panel measures a place's distances to (distances.js) are
#: the path's at distances.STEP_S with the vertices that keep their chords
#: within this many km of the path's (distances.simplify_chain), written
#: to LINE_DECIMALS (1e-5 degree, 0.8 m at most): the page's distances are
#: Python's within a few metres.
DISTANCE_TOLERANCE_KM = 0.002


@dataclass(frozen=True)
class InteractiveMap:
    """An HTML page: ``html`` is its text; ``save`` writes it whole or not at
    all; in Jupyter it shows inline (``_repr_html_``, in an iframe so that its
    script and style stay its own)."""

    html: str
    title: str

    def save(self, filename: str) -> str:
        """Write the page to ``filename`` (whole or not at all); returns the name."""
        files.write_text(filename, self.html)
        return filename

    def _repr_html_(self) -> str:
        return (f'<iframe srcdoc="{html_text.escape(self.html, quote=True)}" title="{html_text.escape(self.title)}" '
                'style="width:100%;height:640px;border:0" sandbox="allow-scripts"></iframe>')

    def __str__(self) -> str:
        return self.html

    def __repr__(self) -> str:  # not the megabytes of the page
        return f"<InteractiveMap {self.title!r}, {len(self.html.encode('utf-8')) / 1e6:.2f} MB>"


def page(eclipses: Eclipse | list[Eclipse] | tuple[Eclipse, ...], view: str | None = None, region: str | None = None,
         resolution_deg: float = CONTOUR_RESOLUTION_DEG) -> InteractiveMap:
    """The interactive page of one eclipse (an ``Eclipse``), or of a span (a
    list of them: their central paths on one map).

    ``view`` is the first view, 'globe' (orthographic; the default for one
    eclipse) or 'flat' (equirectangular; for a span); ``region='auto'``
    starts zoomed on the path.  A span beyond its budget (``check_span``)
    is refused before any work.
    """
    span = isinstance(eclipses, (list, tuple))
    view = view or ("flat" if span else "globe")
    if view not in VIEWS:
        raise MapError(f"unknown view {view!r}: choose from {', '.join(VIEWS)}")
    if region not in (None, "auto", "world", "global"):
        raise MapError(f"unknown region {region!r}: use 'auto'")
    if isinstance(eclipses, (list, tuple)):  # (span, spelled out for the type checker)
        if not eclipses:
            raise MapError("no eclipse to map")
        check_span(eclipses)
        data = span_data(list(eclipses))
    else:
        data = eclipse_data(eclipses, resolution_deg)
    data["view"] = {"mode": view, "fit": region == "auto"}
    data["base"] = base_layers(detailed=not span)
    data["cities"] = city_rows()
    text = render(data)
    if not isinstance(eclipses, (list, tuple)):
        text = fewer_places(eclipses, data, text)
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise MapError(f"the page would take {len(text.encode('utf-8')) / 1e6:.1f} MB, over 3 MB: "
                       "map fewer eclipses")
    return InteractiveMap(text, data["title"])












# --- what the page shows ---------------------------------------------------------


def eclipse_summary(e: Eclipse) -> dict:
    """An eclipse's catalogue fields, title, colour and Besselian elements."""
    return {**eclipse_record(e), "jd_tt": e.jd_tt, "title": eclipse_title(e), "colour": KIND_COLOURS[e.kind],
            "duration_text": duration_text(e.duration_s) if e.duration_s else None,
            "elements": e.elements.to_dict(),
            # the turns of the path within +-1 sigma of Delta T (Eclipse.kinds_seen_within_sigma)
            "sigma_shift_deg": e.sigma_shift_deg, "sigma_samples": e.sigma_samples, "sigma_note": sigma_note(e)}


def page_constants(seen_on: horizon.Horizon = horizon.APPARENT) -> dict[str, Any]:
    """The constants circumstances.js computes with, taken from the Python it
    ports so that the two languages share them from one place: the WGS84
    Earth (earth.observer), the maximum's grid, the iterations, their
    tolerance and the internal contacts (geometry.local), the horizon the
    page sees the Sun on (``seen_on``, by default the apparent one of the
    standard atmosphere: geometry.horizon's refraction formula, the Sun's
    semidiameter from the lunar radii k1 and k2), the obscuration's guard
    (shadow.obscuration), the footprint's vertex counts (geometry.regions)
    and its edge's iteration (EDGE_ITERATIONS), the JSON's keys and
    rounding (io.records.LOCAL_FORMAT), and for distances.js the greatest
    distance to the path and its keys (io.records.DISTANCE_FORMAT); the
    elevations a place may have (local.ELEVATION_RANGE_M: the panel's field
    and the link's elev)."""
    return {
        "earth": {"radius_m": EARTH_RADIUS_KM * 1000.0, "flattening": FLATTENING,
                  "eccentricity_squared": ECCENTRICITY_SQUARED},
        "local": {"contacts": list(local.CONTACTS), "grid_hours": local.GRID_HOURS.tolist(), "valid_hours": local.VALID_HOURS,
                  "max_iterations": local.MAX_ITERATIONS, "contact_iterations": local.CONTACT_ITERATIONS,
                  "tolerance_hours": local.TOLERANCE_HOURS, "horizon_steps": local.HORIZON_STEPS,
                  "internal_contacts": list(local.INTERNAL_CONTACTS),
                  "elevation_range_m": list(local.ELEVATION_RANGE_M)},
        "horizon": {**horizon_record(seen_on), "scale": seen_on.scale,
                    "saemundsson": list(horizon.SAEMUNDSSON), "lowest_altitude_deg": horizon.LOWEST_ALTITUDE_DEG,
                    "horizon_refraction_deg": horizon.HORIZON_REFRACTION_DEG,
                    "k_penumbra": K_PENUMBRA, "k_umbra": K_UMBRA},
        "obscuration": {"concentric_distance": CONCENTRIC_DISTANCE},
        "footprint": {"circle_vertices": regions.CIRCLE_VERTICES, "outline_vertices": regions.OUTLINE_VERTICES,
                      "edge_iterations": EDGE_ITERATIONS, "edge_tolerance": EDGE_TOLERANCE},
        "json": {"local": LOCAL_FORMAT, "contact": CONTACT_FORMAT, "sigma": SIGMA_FORMAT},
        "distances": {"max_km": distances.MAX_DISTANCE_KM, "format": DISTANCE_FORMAT},
    }


def computation_data(eclipses: list[Eclipse]) -> dict[str, Any]:
    """What the page computes from (circumstances.js, panel.js): each
    eclipse's summary with its Besselian elements, and ``page_constants``.
    Both pages' data hold it."""
    return {"eclipses": [eclipse_summary(e) for e in eclipses], "constants": page_constants()}


def eclipse_data(e: Eclipse, resolution_deg: float = CONTOUR_RESOLUTION_DEG) -> dict:
    """Everything the page of one eclipse draws: its summary, the path's
    curves and regions, the lines of equal magnitude and the curve where
    maximum happens at sunrise or sunset (as ``maps.draw_penumbra``); the
    places its search box knows (``place_data``)."""
    path = e.path()
    band = sigma_band(e, path.umbra)
    t0 = float(e.elements.t0)
    grid = magnitude_grid(e, resolution_deg)
    lon, lat, magnitude, altitude = grid.lon, grid.lat, grid.magnitude, grid.sun_altitude
    contours = [{"level": level, "lines": encode_lines(contour_lines(lon, lat, magnitude, level), 3)}
                for level in MAGNITUDE_LEVELS]
    return {
        "kind": "eclipse",
        "title": eclipse_title(e),
        "subtitle": subtitle_lines(e, path),
        "credit": credit(e),
        **computation_data([e]),
        "path": {
            "lines": path_lines(path),
            "distance_lines": distance_lines(e.path(distances.STEP_S)) if e.kind != "partial" else {},
            "umbra": encode_region(path.umbra),
            "penumbra": encode_region(path.penumbra),
            "sigma_band": encode_region(band),
            "sigma_band_text": sigma_band_text(e) if band is not None else None,
            "magnitude": contours,
            "horizon": encode_lines(contour_lines(lon, lat, altitude, 0.0), 3),
            # hours from t0 of P1 and P4: the slider's span
            "penumbra_hours": [(path.p1.jd_tt - t0) * 24.0, (path.p4.jd_tt - t0) * 24.0],
            "parts": kind_parts(path),
            "kind_changes": [{"name": c.name, "lon": c.longitude, "lat": c.latitude,
                              "time_utc": format_datetime(c.jd_ut, 0, "Z")} for c in path.kind_changes],
            "durations": duration_data(path),
        },
        "colours": colours(),
        "places": place_data(path.penumbra, path.umbra),
        # the places' time zones and their clocks (the panel's local times)
        "zones": zone_data(path, encode_polygons),
    }


def span_data(eclipses: list[Eclipse]) -> dict:
    """The page of a span: every eclipse's summary (for the places' lists)
    and every central path: its umbra (``regions.span_umbra``, as
    ``maps.plot_span`` draws it), simplified, and its central line."""
    paths = []
    for e in eclipses:
        if not e.central:
            continue
        path = e.path()
        umbra = span_umbra(path)
        # no limits: on a world map they are the umbra's outline
        paths.append({"date": format_date(e.jd_ut), "lines": path_lines(path, SPAN_DECIMALS, ("central_line",), SPAN_SIMPLIFY_DEG),
                      "umbra": encode_region(umbra, SPAN_DECIMALS)})
    label = span_label(eclipses)
    kinds = {k: sum(e.kind == k for e in eclipses) for k in KIND_COLOURS}
    counts = ", ".join(f"{n} {k}" for k, n in kinds.items() if n)
    return {
        "kind": "span",
        "title": f"Solar eclipses {label}",
        "subtitle": [f"{len(eclipses)} eclipses: {counts}",
                     "Click a path for its details, any place for the eclipses seen there"],
        "credit": credit(eclipses),
        **computation_data(eclipses),
        "paths": paths,
        "colours": colours(),
        "places": place_data(None),
    }


#: The map's text (canvas) and its coastlines, chosen for contrast (WCAG 2.1
#: AA; tests/test_webmap_a11y.py measures them): every label is drawn on a
#: box of LABEL_BOX, on which each text colour (these, the duration's and
#: each kind's) has 4.5:1 or more whatever the map shows under it (black
#: included); the coastline has 3:1 or more against land and sea, also under
#: the partial phase's tint, where land and sea differ by 1.04:1 only.
PAGE_TEXT_COLOURS = {"label_box": "rgba(255,255,255,0.9)", "label": "#222222", "magnitude_label": "#a63e00",
                     "selected": "#0b57d0", "coast": "#4a4a4a"}


def colours() -> dict:
    """The page's colours: each kind's, the penumbra's, the lines' (of equal
    magnitude and duration, the horizon's), the land's and the water's, and
    the labels' and coastlines' (PAGE_TEXT_COLOURS)."""
    return {"kinds": KIND_COLOURS, "penumbra": PENUMBRA_COLOUR, "magnitude": MAGNITUDE_COLOUR,
            "horizon": HORIZON_COLOUR, "land": LAND_COLOUR, "water": WATER_COLOUR, "duration": DURATION_COLOUR,
            **PAGE_TEXT_COLOURS}


PATH_LINES = ("central_line", "umbra_north_limit", "umbra_south_limit")


def kind_parts(path: Path) -> list[dict]:
    """A hybrid's path in its stretches of one kind (``Path.stretches``):
    each's kind, umbra (``Path.umbra_parts``) and lines (``path_lines``) cut
    where the kind changes; none for an eclipse of one kind."""
    if len(path.stretches) < 2:
        return []
    parts = []
    for stretch, (_, umbra) in zip(path.stretches, path.umbra_parts):
        lines = {}
        for name, curve in path.lines.items():
            piece = curve.between(stretch.jd_tt_start, stretch.jd_tt_end) if name in PATH_LINES else None
            if piece is not None:
                lines[name] = curve_parts(piece)
        parts.append({"kind": stretch.kind, "umbra": encode_region(umbra), "lines": lines})
    return parts


#: Lines of equal central duration on the page stand at least
#: DURATION_GAP_PX CSS pixels apart and DURATION_ROOM_PX from the central
#: line and the limits (half a label's height; as maps.figures'
#: DURATION_GAP_PT and DURATION_ROOM_PT on paper): closer, the page draws
#: fewer (map.js ports io.mapdata.duration_levels).
DURATION_GAP_PX, DURATION_ROOM_PX = 5.0, 8.0


def duration_data(path: Path) -> dict:
    """The lines of equal central duration (``geometry.isolines.duration_lines``,
    every DURATION_STEP_S) for the page to draw as its zoom allows: each
    level with its text, its offset at greatest duration and its lines;
    the steps to choose from, the least gap, and the path's half-width and
    point at greatest duration (where the page measures its scale)."""
    line = path.central_line
    lines = duration_lines(path)
    if line is None or not lines:
        return {"lines": []}
    greatest = int(np.nanargmax(line.duration_s))
    return {
        "lines": [{"level": d.level_s, "text": duration_text(d.level_s), "offset": d.offset if d.offset == d.offset else None,
                   "parts": encode_lines(d.parts, LINE_DECIMALS)} for d in lines],
        "steps": list(DURATION_STEPS_S), "gap_px": DURATION_GAP_PX, "room_px": DURATION_ROOM_PX,
        "decimals": LINE_DECIMALS,
        "half_width_km": float(line.width_km[greatest]) / 2.0,
        "greatest": [float(line.longitude[greatest]), float(line.latitude[greatest])],
    }


def path_lines(path: Path, decimals: int = LINE_DECIMALS, names: Collection[str] = PATH_LINES,
               simplify: float = 0.0) -> dict:
    """The central line and the umbral limits (those that exist), encoded;
    simplified to ``simplify`` degrees if that is not 0."""
    return {name: curve_parts(curve, decimals, simplify) for name, curve in path.lines.items() if name in names}


def distance_lines(path: Path) -> dict:
    """The central line and the umbral limits the panel measures distances
    to (distances.js), from the path at distances.STEP_S: each part's
    vertices those that keep its chords within DISTANCE_TOLERANCE_KM
    (distances.simplify_chain), to LINE_DECIMALS."""
    out = {}
    for name, curve in path.lines.items():
        if name not in PATH_LINES:
            continue
        xy = []
        for part in curve.parts():
            points = ellipsoid_points(np.radians(curve.latitude[part]), np.radians(curve.longitude[part]))
            kept = part[distances.simplify_chain(points, DISTANCE_TOLERANCE_KM)]
            xy.append(np.stack([curve.longitude[kept], curve.latitude[kept]], -1))
        out[name] = {"decimals": LINE_DECIMALS, "parts": encode_lines(xy, LINE_DECIMALS)}
    return out


def curve_parts(curve: Curve, decimals: int = LINE_DECIMALS, simplify: float = 0.0) -> dict:
    """A curve's continuous parts, encoded, with the UT Julian dates of
    their ends."""
    parts = curve.parts()
    xy = [np.stack([curve.longitude[i], curve.latitude[i]], -1) for i in parts]
    if simplify:
        xy = [shapely.get_coordinates(shapely.simplify(shapely.linestrings(p), simplify)) for p in xy]
    return {"decimals": decimals, "parts": encode_lines(xy, decimals),
            "jd_ut": [[float(curve.jd_ut[i[0]]), float(curve.jd_ut[i[-1]])] for i in parts]}


# --- Natural Earth ------------------------------------------------------------------


#: Natural Earth's 1:50m layers are cut into tiles of this many degrees (land)
#: and lines of at most LINE_CHUNK vertices, so that a zoomed-in view draws
#: only the pieces it shows (the page culls them by their bounding caps).
TILE_DEG = 10
LINE_CHUNK = 100


@functools.lru_cache(maxsize=2)
def base_layers(detailed: bool = True) -> dict:
    """Land, coastlines and borders at 1:110m (the whole world) and, when
    ``detailed``, at 1:50m (zoomed in: land cut into tiles, lines into short
    pieces) with the first-level divisions; the large lakes; to
    BASE_DECIMALS.  (A span's page has 1:110m only, as its PNG map, which
    leaves room for a century of paths.)"""
    def lines(layer: str, scale: str, chunk: int | None = None) -> list[list[int]]:
        parts = shapely.get_parts(np.asarray(natural_earth(layer, scale), dtype=object))
        coords = [np.asarray(g.coords) for g in parts]
        if chunk:
            coords = [c[i:i + chunk + 1] for c in coords for i in range(0, max(len(c) - 1, 1), chunk)]
        return encode_lines(coords, BASE_DECIMALS)

    layers = {
        "land110": encode_polygons(natural_earth("land", "110m"), BASE_DECIMALS),
        "coast110": lines("coastline", "110m"),
        "borders110": lines("admin_0_boundary_lines_land", "110m"),
        "lakes110": encode_polygons(natural_earth("lakes", "110m"), BASE_DECIMALS),
    }
    if detailed:
        layers.update({
            "land50": encode_polygons(tiles(natural_earth("land", "50m"), TILE_DEG), BASE_DECIMALS),
            "coast50": lines("coastline", "50m", LINE_CHUNK),
            "borders50": lines("admin_0_boundary_lines_land", "50m", LINE_CHUNK),
            "states50": lines("admin_1_states_provinces_lines", "50m", LINE_CHUNK),
        })
    return layers


def tiles(geometries: Sequence[shapely.Geometry] | npt.NDArray[np.object_], size: float) -> list:
    """Polygons cut along every ``size`` degrees of longitude and latitude.
    (Filled in one canvas path, the pieces show no seams.)"""
    geometries = np.asarray(geometries, dtype=object)
    tree = shapely.STRtree(geometries)
    out: list[shapely.Geometry] = []
    for west in np.arange(-180.0, 180.0, size):
        for south in np.arange(-90.0, 90.0, size):
            box = (west, south, west + size, south + size)
            hits = tree.query(shapely.box(*box))
            if len(hits):
                out.extend(p for p in shapely.clip_by_rect(geometries[hits], *box) if not p.is_empty)
    return out


def _polygons(geometry: shapely.Geometry) -> list[shapely.Polygon]:
    """A (Multi)Polygon's polygons, exteriors clockwise as d3-geo wants them
    (spherical polygons smaller than a hemisphere)."""
    return [orient(p, -1.0) for p in getattr(geometry, "geoms", [geometry]) if not p.is_empty]


@functools.lru_cache(maxsize=1)
def city_rows() -> list:
    """Natural Earth's populated places as [name, country, lat, lon, population],
    most populous first: the page's search box and the names near the path."""
    rows = [[c["name"], c["country"], round(c["latitude"], 4), round(c["longitude"], 4), int(c["population"])]
            for c in cities("50m")]
    return sorted(rows, key=lambda r: -r[4])


# --- the search box's places ----------------------------------------------------------


#: The search box (search.js) knows the gazetteer's cities of PLACE_SIZE
#: people or more inside the region where the eclipse is seen (its
#: penumbra), and for navigation those of ELSEWHERE_SIZE or more elsewhere
#: (1,259 cities, as many as Natural Earth's 1,249 the page labels).  A
#: span's page, whose eclipses' regions cover most of the Earth, knows the
#: cities of SPAN_PLACE_SIZE or more anywhere (2,044).  They know the other
#: names (``places.other_names``) in Latin letters of the cities of
#: OTHER_NAMES_SIZE or more ("Munich", "Seville", "Cologne"; on a span's
#: page SPAN_OTHER_NAMES_SIZE, which leaves room for its paths).
PLACE_SIZE, ELSEWHERE_SIZE, OTHER_NAMES_SIZE = 5_000, 500_000, 1_000_000
#: Where those would take the page past MAX_BYTES (a penumbra over Europe,
#: Africa and most of Asia: 1999-08-11 is 2.9 MB with them), the page knows
#: the places of the first of these sizes or more that fits, rather than be refused.
FALLBACK_PLACE_SIZES = (10_000, 20_000, 50_000, 100_000)
SPAN_PLACE_SIZE, SPAN_OTHER_NAMES_SIZE = 300_000, 3_000_000
#: Within the central path (the umbra's region), every city the gazetteer
#: has (1,000 people or more): Exmouth, Western Australia, in 2023.
CENTRAL_PLACE_SIZE = 1_000
#: Coordinates in the search box's data: integers of 1e-4 degree (11 m).
PLACE_DECIMALS = 4
#: The digits of ``encode_integers``: 5 bits each, the sixth says another follows.
BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def place_data(region: shapely.Geometry | None, central: shapely.Geometry | None = None,
               least: int = PLACE_SIZE) -> dict[str, Any]:
    """The places the page's search box knows (see PLACE_SIZE) where an
    eclipse is seen (``region``, None for a span) and in its central path
    (``central``, see CENTRAL_PLACE_SIZE): the cities
    of the gazetteer (``places.gazetteer``) grouped by first-level division
    (``groups``: country code, division code and name, number of cities),
    within a group largest first; one string per column: the names joined
    by '|', and the latitudes, longitudes (1e-4 degree) and sizes
    (``Place.size``) as differences from the previous city's
    (``encode_integers``); the countries' names; for the largest, their
    other names in Latin letters (``other``: [row, 'key|key']); the rows
    (as differences) of ``small`` cities, under LARGE_CITY people in an
    urban area of LARGE_CITY or more (``large``).  search.js
    decodes them and ranks matches as ``places.find_place`` does.  ``least``:
    the people of the smallest place in the region (PLACE_SIZE; in the
    central path that much smaller as CENTRAL_PLACE_SIZE is), in ``least``."""
    central_least = CENTRAL_PLACE_SIZE * least // PLACE_SIZE
    smallest = SPAN_PLACE_SIZE if region is None else central_least if central is not None else least
    rows = places.gazetteer(smallest)
    lat = np.array([r[5] for r in rows], dtype=float) / 1e5
    lon = np.array([r[6] for r in rows], dtype=float) / 1e5
    size = np.array([r[7] for r in rows], dtype=np.int64)
    keep = np.ones(len(rows), bool)
    if region is not None:
        keep = size >= ELSEWHERE_SIZE
        keep[size >= least] |= shapely.contains_xy(region, lon[size >= least], lat[size >= least])
        if central is not None:
            keep[~keep] = shapely.contains_xy(central, lon[~keep], lat[~keep])
    chosen = sorted((rows[i] for i in np.flatnonzero(keep)), key=lambda r: (r[2], r[3], -r[7], r[1]))
    groups: list[list[Any]] = []
    for r in chosen:
        if groups and groups[-1][:2] == [r[2], r[3]]:
            groups[-1][3] += 1
        else:
            groups.append([r[2], r[3], r[4], 1])
    scale = 10 ** (5 - PLACE_DECIMALS)
    others = places.other_names(OTHER_NAMES_SIZE if region is not None else SPAN_OTHER_NAMES_SIZE)
    other = []
    for i, r in enumerate(chosen):
        if r[0] not in others:
            continue
        words = len(places.name_key(r[1]).split())
        # Latin letters, as many words as the name, no codes ("zrh"): "munich", "seville"
        keys = [k for k in others[r[0]] if k.isascii() and len(k) >= 4 and len(k.split()) == words]
        if keys:
            other.append([i, "|".join(keys)])
    # find_place reads other names of the cities of LARGE_CITY people, their
    # own (not the urban area's): those whose urban area only is that large
    small = [i for i, r in enumerate(chosen) if r[8] < places.LARGE_CITY <= r[7]]
    return {
        "least": SPAN_PLACE_SIZE if region is None else least,
        "decimals": PLACE_DECIMALS,
        "large": places.LARGE_CITY,
        "small": encode_integers(np.diff([0] + small)),
        "names": "|".join(r[1] for r in chosen),
        "lat": encode_integers(np.diff([0] + [round(r[5] / scale) for r in chosen])),
        "lon": encode_integers(np.diff([0] + [round(r[6] / scale) for r in chosen])),
        "size": encode_integers(np.diff([0] + [r[7] for r in chosen])),
        "groups": groups,
        "countries": places.country_names(sorted({r[2] for r in chosen})),
        "other": other,
    }


def fewer_places(e: Eclipse, data: dict[str, Any], text: str) -> str:
    """The page of one eclipse (``text``, from ``data``) within MAX_BYTES:
    itself, or, where its search box's places take it past, made again with
    the places of the first of FALLBACK_PLACE_SIZES or more that fits (or
    the last); fewer places rather than no page."""
    for least in FALLBACK_PLACE_SIZES:
        if len(text.encode("utf-8")) <= MAX_BYTES:
            break
        path = e.path()
        data["places"] = place_data(path.penumbra, path.umbra, least)
        text = render(data)
    return text


def encode_integers(values: Iterable[int] | npt.NDArray[np.int64]) -> str:
    """Integers as one string: each its sign folded in (0, -1, 1, -2... as
    0, 1, 2, 3...), then 5 bits a character of BASE64, least significant
    first, the sixth bit set on all but the last (as source maps' VLQ)."""
    v = np.asarray(values, dtype=np.int64).ravel()
    v = np.where(v >= 0, v * 2, -v * 2 - 1).astype(np.uint64)
    shifts = np.arange(13, dtype=np.uint64) * np.uint64(5)  # 64 bits
    digits = (v[:, None] >> shifts) & np.uint64(31)
    count = np.maximum(1, 13 - np.argmax((v[:, None] >> shifts)[:, ::-1] != 0, axis=1))
    count[v == 0] = 1
    more = np.arange(13) < (count[:, None] - 1)
    codes = np.frombuffer(BASE64.encode("ascii"), dtype=np.uint8)[digits.astype(np.intp) | (more * 32)]
    return codes[np.arange(13) < count[:, None]].tobytes().decode("ascii")


# --- encoding and the page ------------------------------------------------------------


def encode_lines(lines: Iterable[npt.ArrayLike], decimals: int, least: int = 2) -> list[list[int]]:
    """Lines of (lon, lat) vertices as flat lists of integers: the first
    vertex in units of 10^-decimals degree, then the differences from the
    previous one (repeated vertices dropped; lines left with fewer than
    ``least`` vertices dropped).  map.js decodes them."""
    scale = 10.0**decimals
    out = []
    for line in lines:
        q = np.round(np.asarray(line, dtype=float)[:, :2] * scale).astype(np.int64)
        keep = np.ones(len(q), bool)
        keep[1:] = np.any(np.diff(q, axis=0) != 0, axis=1)
        q = q[keep]
        if len(q) < least:
            continue
        out.append(np.concatenate([q[:1], np.diff(q, axis=0)]).ravel().tolist())
    return out


def encode_polygons(geometries: Iterable[shapely.Geometry], decimals: int) -> list:
    """(Multi)Polygons as a list of polygons, each a list of encoded rings,
    the exterior first and clockwise (``_polygons``); rings that rounding
    leaves with fewer than 4 vertices are dropped, and polygons with them."""
    out = []
    for geometry in geometries:
        for p in _polygons(geometry):
            rings = encode_lines([np.asarray(p.exterior.coords)], decimals, least=4)
            if rings:
                out.append(rings + encode_lines([np.asarray(r.coords) for r in p.interiors], decimals, least=4))
    return out


def encode_region(region: shapely.Geometry | None, decimals: int = REGION_DECIMALS) -> dict | None:
    """A shapely (Multi)Polygon of the path, encoded, or None."""
    if region is None or region.is_empty:
        return None
    return {"decimals": decimals, "polygons": encode_polygons([region], decimals)}


def render(data: dict) -> str:
    """The page: the template with the style, the scripts (their licence
    notices kept) and the data inlined, in one pass over the template."""
    scripts = "\n".join(_script(WEB.joinpath(name).read_text(encoding="utf-8")) for name in SCRIPTS)
    parts = {
        "title": html_text.escape(data["title"]),
        "style": WEB.joinpath("map.css").read_text(encoding="utf-8"),
        "licences": WEB.joinpath("LICENSE-d3").read_text(encoding="utf-8").replace("--", "- -"),
        "data": _script_text(json.dumps(data, separators=(",", ":"), allow_nan=False, ensure_ascii=False)),
        "scripts": scripts,
    }
    template = WEB.joinpath("page.html").read_text(encoding="utf-8")
    return re.sub(r"\{\{(\w+)\}\}", lambda m: parts[m.group(1)], template)


def _script(source: str) -> str:
    return f"<script>\n{_script_text(source)}\n</script>"


def _script_text(source: str) -> str:
    """Text safe inside a script element: no '</' that could close it."""
    return source.replace("</", "<\\/")
