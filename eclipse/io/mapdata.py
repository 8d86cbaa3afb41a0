"""What every map of the package draws, whatever draws it (maps.py with
matplotlib, webmap.py in a browser): the palette, the Natural Earth layers
and cities shipped in ``eclipse/data/naturalearth`` (public domain), the
grid of local circumstances the shading and the lines of equal magnitude
come from, and the credit line."""

from __future__ import annotations

import functools
import gzip
import json
import os
from importlib.resources import files as package_files

import numpy as np

from ..sources import canon
from ..geometry.earth import wrap_degrees
from ..errors import EclipseError

DATA = package_files("eclipse") / "data" / "naturalearth"
#: Colours by kind of central eclipse, and of the layers.
KIND_COLOURS = {"total": "#b2182b", "annular": "#2166ac", "hybrid": "#762a83", "partial": "#7f7f7f"}
PENUMBRA_COLOUR = "#fee8c8"
MAGNITUDE_COLOUR = "#d95f0e"
HORIZON_COLOUR = "#4d4d4d"
LAND_COLOUR = "#f2efe6"
WATER_COLOUR = "#dbe9f4"
MAGNITUDE_LEVELS = (0.2, 0.4, 0.6, 0.8)
CREDIT = "Ephemeris JPL {ephemeris}; Delta T {delta_t:.1f} s; map data Made with Natural Earth; eclipse-path"


class MapError(EclipseError):
    """A map that cannot be drawn or written as asked."""


# --- Natural Earth -----------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def natural_earth(layer: str, scale: str = "110m"):
    """Shapely geometries of a Natural Earth layer shipped in data/naturalearth
    ('land', 'coastline', 'lakes', 'admin_0_boundary_lines_land',
    'admin_1_states_provinces_lines'; see the README there)."""
    import shapely

    collection = shapely.from_geojson(_read(layer, scale))  # one C call for the whole file
    return list(shapely.get_parts(collection))


@functools.lru_cache(maxsize=None)
def cities(scale: str = "50m") -> list[dict]:
    """Populated places: name, country, latitude, longitude, population."""
    return [
        {"name": p["name"], "country": p["adm0name"], "latitude": p["latitude"],
         "longitude": p["longitude"], "population": p["pop_max"]}
        for p in (f["properties"] for f in features("populated_places_simple", scale))
    ]


def features(layer: str, scale: str) -> list[dict]:
    """The GeoJSON features (properties and geometry) of a Natural Earth layer."""
    return json.loads(_read(layer, scale))["features"]


def _read(layer: str, scale: str) -> str:
    with gzip.open(DATA.joinpath(f"ne_{scale}_{layer}.geojson.gz").open("rb")) as f:
        return f.read().decode("utf-8")


def magnitude_grid(eclipse, resolution_deg: float = 1.0, box=None):
    """Local circumstances over a longitude-latitude grid: what the shading,
    the equal-magnitude lines and the horizon curve are drawn from.

    Returns 2-D arrays lon, lat, magnitude at maximum (NaN where the Sun is
    down then or no eclipse reaches), where any part of the eclipse is seen
    with the Sun up, and the Sun's altitude at maximum (NaN outside the
    penumbra's reach).  ``box`` (west, east, south, north in degrees) limits
    the grid to a region; longitudes then run east from ``west``, past 180
    where the region crosses the antimeridian.
    """
    west, east, south, north = box if box is not None else (-180.0, 180.0, -90.0, 90.0)
    width = (east - west) % 360 or 360.0
    lon = np.arange(west, west + width + resolution_deg / 2, resolution_deg)
    lat = np.clip(np.arange(south, north + resolution_deg / 2, resolution_deg), -90.0, 90.0)
    grid_lon, grid_lat = np.meshgrid(lon, lat)
    seen = eclipse.local(grid_lat, wrap_degrees(grid_lon))  # a box across the antimeridian runs past 180
    reached = seen.magnitude > 0
    magnitude = np.where(reached & (seen.sun_altitude_deg > 0), seen.magnitude, np.nan)
    altitude = np.where(reached, seen.sun_altitude_deg, np.nan)
    return grid_lon, grid_lat, magnitude, np.asarray(seen.visible, dtype=bool), altitude


def contour_lines(lon, lat, field, level) -> list[np.ndarray]:
    """Lines (lon, lat vertices) where a gridded field equals a level."""
    import contourpy

    generator = contourpy.contour_generator(lon, lat, np.ma.masked_invalid(field),
                                            line_type=contourpy.LineType.Separate)
    return [line for line in generator.lines(level) if len(line) > 2]


def credit(eclipse) -> str:
    """The credit line: ephemeris, Delta T, Natural Earth, this package."""
    name = "DE422 (the package's canon)" if eclipse.ephemeris == canon.NAME else (
        os.path.splitext(eclipse.ephemeris)[0].upper())
    return CREDIT.format(ephemeris=name, delta_t=eclipse.to_dict()["delta_t_s"])
