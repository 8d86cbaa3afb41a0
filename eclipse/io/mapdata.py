"""What every map of the package draws, whatever draws it (``eclipse.maps``
with matplotlib, ``eclipse.web`` in a browser): the palette, the Natural
Earth layers and cities shipped in ``eclipse/data/naturalearth`` (public
domain), the credit line, and the budget of a span's map (how many paths a
page or a picture may hold).  The grid of local circumstances the shading
and the lines of equal magnitude come from is ``geometry.isolines``."""

from __future__ import annotations

import functools
import gzip
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files as package_files
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ..dates import calendar_from_jd
from ..errors import EclipseError
from ..sources import canon
from . import places
from .records import eclipse_record
from .text import years_text

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

    from ..search.results import Eclipse

DATA = package_files("eclipse") / "data" / "naturalearth"
#: Colours by kind of central eclipse, and of the layers.
KIND_COLOURS = {"total": "#b2182b", "annular": "#2166ac", "hybrid": "#762a83", "partial": "#7f7f7f"}
PENUMBRA_COLOUR = "#fee8c8"
MAGNITUDE_COLOUR = "#d95f0e"
HORIZON_COLOUR = "#4d4d4d"
LAND_COLOUR = "#f2efe6"
WATER_COLOUR = "#dbe9f4"
MAGNITUDE_LEVELS = (0.2, 0.4, 0.6, 0.8)
#: Lines of equal central duration: their colour, and the steps (seconds)
#: between the levels a map draws, the finest its scale allows first
#: (``duration_levels``).
DURATION_COLOUR = "#3f3f3f"
DURATION_STEPS_S = (30.0, 60.0, 120.0, 300.0, 600.0)
CREDIT = "Ephemeris JPL {ephemeris}; Delta T {delta_t} s; map data Made with Natural Earth; eclipse-path"


class MapError(EclipseError):
    """A map that cannot be drawn or written as asked."""


# --- Natural Earth -----------------------------------------------------------------


@functools.cache
def natural_earth(layer: str, scale: str = "110m") -> list[BaseGeometry]:
    """Shapely geometries of a Natural Earth layer shipped in data/naturalearth
    ('land', 'coastline', 'lakes', 'admin_0_boundary_lines_land',
    'admin_1_states_provinces_lines'; see the README there)."""
    import shapely

    collection = shapely.from_geojson(_read(layer, scale))  # one C call for the whole file
    return list(shapely.get_parts(collection))


@functools.cache
def cities(scale: str = "50m") -> list[dict[str, Any]]:
    """Populated places: name, country, latitude, longitude, population."""
    return [
        {"name": p["name"], "country": p["adm0name"], "latitude": p["latitude"],
         "longitude": p["longitude"], "population": p["pop_max"]}
        for p in (f["properties"] for f in features("populated_places_simple", scale))
    ]


@dataclass(frozen=True, eq=False)
class Cities:
    """Cities of the shipped gazetteer (``eclipse.places``), largest first, as arrays."""

    name: npt.NDArray[np.str_]
    country: npt.NDArray[np.str_]  # ISO 3166-1 alpha-2 code
    latitude: npt.NDArray[np.float64]  # degrees
    longitude: npt.NDArray[np.float64]  # degrees east
    size: npt.NDArray[np.int64]  # people: the urban area's where known, else the city's (Place.size)

    def __len__(self) -> int:
        """The number of cities."""
        return len(self.name)

    @classmethod
    def empty(cls) -> Cities:
        """No cities."""
        return cls(np.array([], dtype=str), np.array([], dtype=str), np.empty(0), np.empty(0),
                   np.empty(0, dtype=np.int64))

    def take(self, index: npt.NDArray[np.bool_] | npt.NDArray[np.intp] | slice) -> Cities:
        """The cities at ``index`` (integers, a boolean mask or a slice), in that order."""
        return Cities(self.name[index], self.country[index], self.latitude[index], self.longitude[index],
                      self.size[index])


@functools.lru_cache(maxsize=8)
def gazetteer_cities(min_size: int = 1000, box: tuple[float, float, float, float] | None = None) -> Cities:
    """The gazetteer's cities of at least ``min_size`` people, largest first
    (1,000, the gazetteer's own floor, gives all 170,000 of them), within
    ``box`` (west, south, east, north) if given (``places.populated``)."""
    rows = places.populated(min_size, box)
    name, country, lat, lon, size = zip(*rows) if rows else ((),) * 5
    return Cities(np.array(name, dtype=str), np.array(country, dtype=str), np.array(lat, dtype=float),
                  np.array(lon, dtype=float), np.array(size, dtype=np.int64))


def features(layer: str, scale: str) -> list[dict[str, Any]]:
    """The GeoJSON features (properties and geometry) of a Natural Earth layer."""
    return json.loads(_read(layer, scale))["features"]


def _read(layer: str, scale: str) -> str:
    return _read_file(f"ne_{scale}_{layer}.geojson.gz")


def _read_file(name: str) -> str:
    with gzip.open(DATA.joinpath(name).open("rb")) as f:
        return f.read().decode("utf-8")


#: The shapes of first-level divisions, built by scripts/build_divisions.py
#: from Natural Earth's 1:50m land, borders and admin-1 lines and the
#: gazetteer's cities (see the README in data/naturalearth).
DIVISIONS_FILE = "admin_1_divisions.geojson.gz"


@functools.cache
def division_shapes() -> dict[tuple[str, str], dict[str, Any]]:
    """GeoJSON geometries of first-level divisions by (ISO 3166-1 alpha-2
    country code, the gazetteer's division code): ("US", "TX") is Texas."""
    return {(f["properties"]["country"], f["properties"]["code"]): f["geometry"]
            for f in json.loads(_read_file(DIVISIONS_FILE))["features"]}


def credit(eclipses: Eclipse | Sequence[Eclipse]) -> str:
    """The credit line: ephemeris, Delta T, Natural Earth, this package.  For
    a span (a sequence of eclipses) its ephemerides each named once and the
    range of Delta T over its eclipses, least to greatest ("-0.2 to 64.1 s",
    one value when they round alike)."""
    span = list(eclipses) if isinstance(eclipses, Sequence) else [eclipses]
    names = dict.fromkeys("DE422 (the package's canon)" if e.ephemeris == canon.NAME else
                          os.path.splitext(e.ephemeris)[0].upper() for e in span)
    delta_t = [f"{eclipse_record(e)['delta_t_s']:.1f}" for e in span]
    low, high = min(delta_t, key=float), max(delta_t, key=float)
    return CREDIT.format(ephemeris=", ".join(names), delta_t=low if low == high else f"{low} to {high}")

def duration_levels(offsets: Mapping[float, float], half_width: float, gap: float,
                    room: float | None = None) -> list[float]:
    """The levels (s) of the lines of equal central duration a map has room
    for: every 30 s, minute, 2, 5 or 10 minutes, as its scale allows.

    ``offsets`` are where each level's line crosses the path at greatest
    duration, in half-widths (``geometry.isolines.DurationLine.offset``),
    ``half_width`` the path's half-width there, ``gap`` the least distance
    kept between two lines and ``room`` (``gap`` by default) between a line
    and the central line or a limit (a label written along the line needs
    half its height there), in the map's units (pixels, points).  For each
    step the levels are taken from the longest out, and stop at the first
    whose line would come within ``gap`` of the one before it or within
    ``room`` of the limit (near the limits the lines crowd:
    the duration falls as the square root of the distance to the edge), so
    that the lines drawn stand one step apart; the step chosen reaches the
    shortest level, the finer of two that reach the same.
    """
    usable = {level: f for level, f in offsets.items() if f == f}  # (not NaN)
    room = gap if room is None else room
    best: list[float] = []
    for step in DURATION_STEPS_S:
        kept: list[float] = []
        last = 0.0
        for level in sorted((level for level in usable if level % step == 0), reverse=True):
            f = usable[level]
            if (f - last) * half_width < (gap if kept else room) or (1.0 - f) * half_width < room:
                break
            kept.append(level)
            last = f
        if kept and (not best or kept[-1] < best[-1]):
            best = kept
    return best


# --- the budget of a span's map (a page or a picture) ----------------------------------

#: The page must stay below this size (issue 12).
MAX_BYTES = 3_000_000
#: A map of a span, page or picture, holds at most this many central paths
#: (about two centuries): each costs about 0.07 s of CPU here for a page
#: (its path and its umbra) and 0.15 s for a picture (cartopy projects and
#: labels it), so that a span map takes at most about 20 s or 45 s (issue 16).
MAX_SPAN_PATHS = 300
#: A span's page in bytes, measured on 1951-2050 and half-centuries from
#: 3000 BCE, 1000 BCE, 500 and 2900: without its eclipses (scripts, 1:110m
#: layers, cities: 518 KB with zones.js and the panel's local times, 509 KB
#: with span.js (a span's filters, its highlighted
#: path, the test of a place inside a path) and the layout for phones to
#: large screens (layout.js, map.css), 480 KB with the search box's places (document.place_data:
#: 96 KB, search.js), 376 KB with the link to a view, the elevation field, the
#: sky at the slider's time and the night (sky.js, link.js) and with cursor.js
#: and the page's accessibility (issue 20), 348 KB with distances.js, 338 KB with the scripts that
#: draw a hybrid's parts and the lines of equal duration (issue 19), 332 KB
#: with coordinates.js, 324 KB with the constants circumstances.js takes from
#: the data, 318 KB before), for each eclipse (its summary and elements:
#: 1.28-1.32 KB) and for each central path (its umbra and central line:
#: 2.4-2.9 KB on average, 3.4 KB or less for nine in ten), so that the
#: estimate of a page errs large.
PAGE_BYTES, ECLIPSE_BYTES, PATH_BYTES = 521_000, 1_320, 3_300


def span_bytes(eclipses: Sequence[Eclipse]) -> int:
    """The size a span's page would have, estimated before any work."""
    return PAGE_BYTES + ECLIPSE_BYTES * len(eclipses) + PATH_BYTES * sum(e.central for e in eclipses)


def check_span(eclipses: Sequence[Eclipse], picture: bool = False) -> None:
    """Refuse, before any work, a map of a span beyond its budget: more
    than MAX_SPAN_PATHS central paths, or for a page (not a ``picture``)
    more than MAX_BYTES (``span_bytes``).  The error says how long a span
    fits, at the span's own rate of eclipses."""
    paths, size = sum(e.central for e in eclipses), span_bytes(eclipses)
    fits = min(MAX_SPAN_PATHS / max(paths, 1), 1.0 if picture else (MAX_BYTES - PAGE_BYTES) / (size - PAGE_BYTES))
    if fits >= 1.0:
        return
    first, last = _years(eclipses)
    hint = f"map at most about {_round_down(fits * (last - first + 1)):,} years at a time"
    if picture:
        raise MapError(f"a map of {span_label(eclipses)} would draw {paths:,} central paths; "
                       f"a picture draws at most {MAX_SPAN_PATHS:,}: {hint}")
    raise MapError(f"a page of {span_label(eclipses)} would hold {len(eclipses):,} eclipses, {paths:,} central "
                   f"paths (about {size / 1e6:.1f} MB); an .html page holds at most {MAX_BYTES / 1e6:.0f} MB "
                   f"and {MAX_SPAN_PATHS:,} central paths: {hint}")


def _round_down(years: float) -> int:
    """Years rounded down to two significant figures (at least 1)."""
    years = max(int(years), 1)
    unit = 10 ** max(len(str(years)) - 2, 0)
    return years // unit * unit


def span_label(eclipses: Iterable[Eclipse]) -> str:
    """The years of a list of eclipses as people write them ('1951-2050')."""
    return years_text(*_years(eclipses))


def _years(eclipses: Iterable[Eclipse]) -> tuple[int, int]:
    """The first and the last (astronomical) year of a list of eclipses."""
    years = [calendar_from_jd(e.jd_ut)[0] for e in eclipses]
    return min(years), max(years)
