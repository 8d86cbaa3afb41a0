"""Local circumstances over a longitude-latitude grid, and the lines where
they take a value: what the maps' shading, their lines of equal magnitude
and the curve of maximum at sunrise or sunset are drawn from; and the lines
of equal central duration inside the path, solved across it.

They are taken on the geometric horizon (the Sun's centre at altitude 0),
as the path's curves of sunrise and sunset are (zeta = 0), so that a map's
lines meet where they should.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, cast

import numpy as np
import numpy.typing as npt

from ..sources.elements import BesselianElements
from .arrays import BoolArray, FloatArray
from .earth import Observer, ellipsoid_quadric, observer_under, point_under, surface_zeta, wrap_degrees
from .horizon import Horizon
from .local import LocalCircumstances
from .shadow import central_duration, shadow_at
from .solvers import bracketed_root

if TYPE_CHECKING:
    from .path import Path


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


# --- lines of equal central duration ------------------------------------------------

#: The levels of the lines of equal central duration are multiples of this
#: (seconds); maps draw every one, two, ... of them as their scale allows.
DURATION_STEP_S = 30.0
#: Each line is solved to this many seconds of duration (its vertices lie
#: where ``central_duration`` differs from the level by less).
DURATION_TOLERANCE_S = 0.01
#: Offsets across the path searched, in half-widths |L2| of the umbra on the
#: fundamental plane: the path's edge lies near 1 (the ground curves away
#: there, so a little beyond or within).
ACROSS_REACH = 1.25
#: Steps of the Illinois method across the path: 16 solve every vertex of
#: 2024-04-08's and 2017-08-21's lines to DURATION_TOLERANCE_S (12 leave 2 %
#: of 2024-04-08's unsolved; 30, the solver's default, add nothing but time,
#: spent where a cross-section leaves the Earth near the path's ends and the
#: duration jumps to 0 with no root).
DURATION_ITERATIONS = 16


@dataclass(frozen=True, eq=False)
class DurationLine:
    """A line of equal central duration inside the path: the places where
    the central phase lasts ``level_s`` seconds.

    ``parts`` are its continuous pieces, arrays of (longitude, latitude)
    vertices in degrees: a loop around the stretch of the central line where
    the duration exceeds the level, or open where that stretch reaches the
    path's end.  ``offset`` is where it crosses the path at the instant of
    greatest duration, as a fraction of the half-width (0 on the central
    line, 1 at the limits; NaN where it does not cross there): what a map
    measures to choose the lines it has room for (``io.mapdata.duration_levels``).
    """

    level_s: float
    parts: tuple[FloatArray, ...]
    offset: float


def duration_lines(path: Path, levels: npt.ArrayLike | None = None) -> list[DurationLine]:
    """Lines of equal central duration (``DurationLine``) at ``levels``
    seconds; by default every DURATION_STEP_S below the greatest duration.

    At each vertex of the central line (instant t), the places seen at
    maximum then lie on the line through the axis square to the shadow's
    motion over the ground; along it, at offsets ``f |L2|`` either side, the
    central duration (``shadow.central_duration``: the maximum and the
    contacts by Meeus's iteration, from t) falls from the central line's to
    0 at the path's edge.  Each level's offsets are solved for (Illinois,
    ``solvers.bracketed_root``, to DURATION_TOLERANCE_S), all at once; the
    lines close on the central line where its own duration equals the level
    (solved likewise).  Empty for a path without a central line.
    """
    line = path.central_line
    if line is None or len(line) < 2:
        return []
    elements = path.elements
    t0 = float(elements.t0)
    t = (line.jd_tt - t0) * 24.0
    central = np.nan_to_num(line.duration_s, nan=0.0)
    if levels is None:
        greatest = float(np.max(central))
        levels = np.arange(DURATION_STEP_S, greatest, DURATION_STEP_S)
    levels = np.atleast_1d(np.asarray(levels, dtype=float))
    if not levels.size:
        return []

    def places(tt: FloatArray, f: FloatArray) -> Observer:
        # the place at offset f (half-widths |L2|, signed) across the path at hours tt
        e = elements.at(tt)
        s = shadow_at(e, e.x, e.y, surface_zeta(ellipsoid_quadric(e.d), e.x, e.y))
        speed = np.hypot(s.a, s.b)
        reach = f * np.abs(s.umbra) / speed
        return observer_under(e.x - s.b * reach, e.y + s.a * reach, e.d, e.mu)

    def duration(tt: FloatArray, f: FloatArray) -> FloatArray:
        with np.errstate(invalid="ignore"):
            seconds = central_duration(elements, places(tt, f), tt) * 3600.0
        return np.nan_to_num(seconds, nan=0.0)  # beyond the edge, or off the Earth: none

    # where the central line's duration crosses each level: the lines close there
    rows, cols = np.meshgrid(np.arange(len(levels)), np.arange(len(t) - 1), indexing="ij")
    above = central[None, :] > levels[:, None]
    cross = above[:, :-1] != above[:, 1:]
    lv, k = rows[cross], cols[cross]
    closing = bracketed_root(lambda tt: _central_seconds(elements, tt) - levels[lv], t[k], t[k + 1],
                             central[k] - levels[lv], central[k + 1] - levels[lv],
                             x_tolerance=1e-9, f_tolerance=DURATION_TOLERANCE_S)
    close_at = {(int(a), int(b)): float(c) for a, b, c in zip(lv, k, closing)}

    # the offsets either side at every vertex where the line's duration exceeds the level
    lv, k = np.nonzero(above)
    side = np.repeat([1.0, -1.0], len(k))
    lv, k = np.tile(lv, 2), np.tile(k, 2)
    # solved for q = f^2 with (D^2 - L^2) / 2L, nearly linear in q (D ~ D0
    # sqrt(1 - f^2) for a straight shadow's track): a few steps
    def excess(q: FloatArray) -> FloatArray:
        seconds = duration(t[k], side * np.sqrt(q))
        return (seconds * seconds - levels[lv] ** 2) / (2.0 * levels[lv])

    squares = bracketed_root(excess, np.zeros(len(k)), np.full(len(k), ACROSS_REACH**2),
                             (central[k] ** 2 - levels[lv] ** 2) / (2.0 * levels[lv]), -0.5 * levels[lv],
                             iterations=DURATION_ITERATIONS, x_tolerance=1e-12, f_tolerance=DURATION_TOLERANCE_S)
    offsets = np.sqrt(squares)
    solved = np.abs(duration(t[k], side * offsets) - levels[lv]) < DURATION_TOLERANCE_S
    lat, lon = _latlon(places(t[k], side * offsets))
    greatest_vertex = int(np.argmax(central))

    out = []
    for j, level in enumerate(levels):
        points: dict[tuple[float, int], tuple[float, float]] = {}
        for i in np.flatnonzero((lv == j) & solved):
            points[(side[i], int(k[i]))] = (lon[i], lat[i])
        parts: list[FloatArray] = []
        for start, end in _runs(np.array(sorted({key[1] for key in points}))):
            run = range(start, end + 1)
            plus = [points[(1.0, i)] for i in run if (1.0, i) in points]
            minus = [points[(-1.0, i)] for i in run if (-1.0, i) in points]
            first = _closing_point(elements, close_at.get((j, start - 1)))
            last = _closing_point(elements, close_at.get((j, end)))
            plus = ([first] if first else []) + plus + ([last] if last else [])
            minus = ([first] if first else []) + minus + ([last] if last else [])
            if last:  # a loop, or a line open at the path's start
                parts.append(np.array(plus + minus[::-1][1:]))
            elif first:  # open at the path's end
                parts.append(np.array(minus[::-1] + plus[1:]))
            else:
                parts += [np.array(p) for p in (plus, minus) if len(p) > 1]
        at_greatest = [offsets[i] for i in np.flatnonzero((lv == j) & solved & (k == greatest_vertex))]
        offset = float(np.mean(at_greatest)) if len(at_greatest) == 2 else float("nan")
        parts = [_unwrapped_in_range(p) for p in parts if len(p) > 1]
        if parts:
            out.append(DurationLine(float(level), tuple(parts), offset))
    return out


def _central_seconds(elements: BesselianElements, t: FloatArray) -> FloatArray:
    """The central duration (s) on the central line at hours t."""
    e = elements.at(t)
    with np.errstate(invalid="ignore"):
        seconds = central_duration(elements, observer_under(e.x, e.y, e.d, e.mu), t) * 3600.0
    return np.nan_to_num(seconds, nan=0.0)


def _closing_point(elements: BesselianElements, t: float | None) -> tuple[float, float] | None:
    """(lon, lat) in degrees of the central line at hours t, or None."""
    if t is None:
        return None
    e = elements.at(t)
    lat, lon = point_under(e.x, e.y, e.d, e.mu)
    return float(np.degrees(lon)), float(np.degrees(lat))


def _latlon(obs: Observer) -> tuple[FloatArray, FloatArray]:
    """Latitudes and longitudes (degrees) of observers."""
    return np.degrees(obs.latitude), np.degrees(obs.longitude)


def _runs(indices: npt.NDArray[np.int_]) -> list[tuple[int, int]]:
    """Runs of consecutive integers in a sorted array: (first, last) each."""
    if not len(indices):
        return []
    breaks = np.flatnonzero(np.diff(indices) != 1)
    starts = np.concatenate([[0], breaks + 1])
    ends = np.concatenate([breaks, [len(indices) - 1]])
    return [(int(indices[a]), int(indices[b])) for a, b in zip(starts, ends)]


def _unwrapped_in_range(vertices: FloatArray) -> FloatArray:
    """(lon, lat) vertices with longitudes in [-180, 180) (drawn as geodesics,
    a line across the antimeridian needs no cut)."""
    out = np.array(vertices, dtype=float)
    out[:, 0] = wrap_degrees(out[:, 0])
    return out
