"""Local circumstances over a longitude-latitude grid, and the lines where
they take a value: what the maps' shading, their lines of equal magnitude
and the curve of maximum at sunrise or sunset are drawn from.

They are taken on the geometric horizon (the Sun's centre at altitude 0),
as the path's curves of sunrise and sunset are (zeta = 0), so that a map's
lines meet where they should.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, cast

import numpy as np
import numpy.typing as npt

from .arrays import BoolArray, FloatArray
from .earth import wrap_degrees
from .horizon import Horizon
from .local import LocalCircumstances


class SeesLocally(Protocol):
    """An eclipse that gives local circumstances (``search.Eclipse``)."""

    def local(self, lat: FloatArray, lon: FloatArray, *, horizon: str | Horizon = "apparent",
              distances: bool = True) -> LocalCircumstances:
        """Local circumstances at geodetic latitudes and east longitudes
        (degrees) at sea level, on a horizon (``local.local_circumstances``);
        the grids ask for no distances to the path."""
        ...


@dataclass(frozen=True, eq=False)
class MagnitudeGrid:
    """Local circumstances on a grid of places (2-D arrays, degrees).

    ``magnitude`` at maximum (NaN where the Sun is down then or no eclipse
    reaches), ``visible`` where any part of the eclipse is seen with the Sun
    up, ``sun_altitude`` the Sun's altitude at maximum (NaN outside the
    penumbra's reach).
    """

    lon: FloatArray
    lat: FloatArray
    magnitude: FloatArray
    visible: BoolArray
    sun_altitude: FloatArray


def magnitude_grid(eclipse: SeesLocally, resolution_deg: float = 1.0,
                   box: tuple[float, float, float, float] | None = None) -> MagnitudeGrid:
    """The local circumstances of ``eclipse`` every ``resolution_deg``
    degrees; ``box`` (west, east, south, north in degrees) limits the grid to
    a region, whose longitudes then run east from ``west``, past 180 where
    it crosses the antimeridian."""
    west, east, south, north = box if box is not None else (-180.0, 180.0, -90.0, 90.0)
    width = (east - west) % 360 or 360.0
    lon = np.arange(west, west + width + resolution_deg / 2, resolution_deg)
    lat = np.clip(np.arange(south, north + resolution_deg / 2, resolution_deg), -90.0, 90.0)
    grid_lon, grid_lat = np.meshgrid(lon, lat)
    # a box across the antimeridian runs past 180
    seen = eclipse.local(grid_lat, wrap_degrees(grid_lon), horizon="geometric", distances=False)
    reached = seen.magnitude > 0
    magnitude = np.where(reached & (seen.sun_altitude_deg > 0), seen.magnitude, np.nan)
    altitude = np.where(reached, seen.sun_altitude_deg, np.nan)
    return MagnitudeGrid(grid_lon, grid_lat, magnitude, np.asarray(seen.visible, dtype=bool), altitude)


def contour_lines(lon: FloatArray, lat: FloatArray, field: FloatArray, level: float) -> list[FloatArray]:
    """Lines (lon, lat vertices) where a gridded field equals a level
    (contourpy's marching squares)."""
    import contourpy

    generator = contourpy.contour_generator(lon, lat, np.ma.masked_invalid(field),
                                            line_type=contourpy.LineType.Separate)
    lines = cast(list[FloatArray], generator.lines(level))  # (LineType.Separate: one (n, 2) array a line)
    return [line for line in lines if len(line) > 2]


def greatest_obscuration(eclipse: SeesLocally, lat: npt.ArrayLike, lon: npt.ArrayLike) -> FloatArray:
    """The greatest obscuration seen with the Sun up from the ground at each
    cell of lat x lon (degrees, 1-D each): from the local circumstances
    (``obscuration_visible``: at maximum, or at sunrise or sunset when the
    Sun is down at maximum; 0 where nothing is seen), on the geometric
    horizon."""
    lat, lon = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
    return np.asarray(eclipse.local(lat[:, None], wrap_degrees(lon)[None, :], horizon="geometric",
                                    distances=False).obscuration_visible)
