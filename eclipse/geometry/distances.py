"""How far observers are from the central line and from the limits of the
umbra (antumbra): what a chaser plans a drive by ("12.3 km north of the
central line; 33.1 km inside the southern limit").

The distances are geodesic, on the WGS84 ellipsoid at sea level, from each
observer to the nearest point of each curve of the path (path.py) as
``path(elements, STEP_S)`` traces it: the curves the maps, the GeoJSON and
the page draw, at the path's finest step, where the chords between vertices
follow the true curves within a metre or two along most of the path.  They are signed:

- to the central line, positive on the side of the northern limit (to the
  left of the shadow's motion, as limits.py names the limits), negative on
  the side of the southern;
- to each limit, positive inside (on the central line's side of it),
  negative outside.

Where the nearest point of a curve is one of its ends (the observer is not
abeam of it: beyond the ends of the path, where the limits meet the horizon),
or is farther than MAX_DISTANCE_KM, the distance is NaN; without a central
line (a partial or non-central eclipse) or a limit, NaN too.

Method.  The nearest point is searched on the curve's vertices taken as a
chain of chords in Earth-centred Cartesian coordinates: on a sphere the
point of a curve nearest by chord is the point nearest by geodesic (the
chord and the arc from a point to the curve lie in one plane through the
centre, which the curve's tangent is perpendicular to at the foot), and on
the ellipsoid (f = 1/298) their difference moves the foot by far less than
the distance changes, which is stationary there.  Each observer starts on
the chord of the instant of its maximum (the least distance from the
shadow's axis, local.py), when the shadow's axis and edges pass abeam of
it; the search then moves along the chain by its arc length, a projection
then secant steps on the offset along the chain (``_search``), until the
projection falls within the chord it is on (or a bend or an end of the
chain is nearest), then on to a neighbouring chord while one is nearer
(``_descend``: on the inner side of a bend the projection falls within
several).  Where an end of the chain is nearer than the point found (near
its ends a limit can bend back, so that another stretch of it is nearer),
the search starts again from that end, and the nearer point wins.
Vectorised over observers: four or five passes of a few dozen array
operations, per curve.  The distance from the
observer to the foot is Lambert's formula for long lines on the ellipsoid
(Lambert 1942, J. Wash. Acad. Sci. 32, 125: Andoyer's first-order
correction of the spherical arc), within 3 m of the geodesic up to 2000 km
(tests check it, and the distances, against pyproj's Geod, Karney's
algorithm, and the search against a search of every chord).

Why not the shadow's cross-section at the observer's maximum: the distance
from the shadow's edge then is measured on the fundamental plane, and
taking it to the ground needs the Sun's altitude, the direction of the
offset and the Earth's curvature, a first-order model whose error grows
with the distance; the path's own curves give the answer the maps show.

Formulas: Explanatory Supplement to the Astronomical Almanac (3rd ed., 2013)
ch. 11 for the curves (path.py, limits.py).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, fields
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from ..constants import EARTH_RADIUS_KM, FLATTENING
from ..sources.elements import BesselianElements, Index
from .arrays import BoolArray, FloatArray, IndexArray
from .earth import ellipsoid_points
from .path import MIN_STEP_S, Curve, Path, path

#: The path's step (seconds) for the curves distances are measured to: its
#: finest (path.MIN_STEP_S).  At 1 s the chords between vertices are under a
#: kilometre along most of the path and follow the curves within a metre or
#: two; coarser curves are visibly off: measured against the 1-s curves,
#: distances from 10-s curves differ by 0.03-0.18 km at the 99th percentile
#: (up to 0.45 km), from 2-s ones by 0.01 km (up to 0.26 km), from the 60-s
#: default (whose chords sag 70-380 m at their middles) by more (3,000
#: observers within about 300 km of the central line, for 2024-04-08,
#: 2017-08-21, 2023-10-14, 2026-08-12, 2021-12-04).  Near the horizon, where
#: the shadow runs at 10 km/s and more, the path adds vertices wherever a
#: chord would stray 0.5 km (chords.py).  These curves cost 40-150 ms an
#: eclipse.
STEP_S = MIN_STEP_S
#: Beyond this distance from a curve, NaN: far from the path the nearest
#: point of a curve is no guide for a drive, and the search from the
#: observer's maximum is checked (against a search of every chord, and the
#: page's) to this distance only.
MAX_DISTANCE_KM = 2000.0
#: The curves measured, by their names in ``Path.lines``.
CURVES = ("central_line", "umbra_north_limit", "umbra_south_limit")
#: Steps of the search (and of the descent) per observer at most: three
#: settle 98.5% of them, a fourth the others (2024-04-08, 100,000
#: observers over the United States, 1 to 2000 km from the curves).
ITERATIONS = 40


@dataclass(frozen=True, eq=False)
class PathDistances:
    """Signed distances (km, geodesic on the WGS84 ellipsoid at sea level)
    from observers to the path's central line and to the northern and
    southern limits of its umbra (antumbra), arrays of the observers' shape.

    ``central_line_km`` is positive on the northern limit's side of the
    central line (to the left of the shadow's motion), negative on the
    southern; ``north_limit_km`` and ``south_limit_km`` are positive inside
    the path (on the central line's side of the limit), negative outside.
    NaN where the curve does not exist, where the observer is not abeam of it
    (its nearest point is an end of the curve) or farther than
    MAX_DISTANCE_KM (module ``eclipse.geometry.distances`` says how they are
    measured).
    """

    central_line_km: FloatArray
    north_limit_km: FloatArray
    south_limit_km: FloatArray

    def __getitem__(self, index: Index | tuple[Index, ...]) -> PathDistances:
        """The distances of some observers (or of one)."""
        return PathDistances(**{f.name: getattr(self, f.name)[index] for f in fields(self)})


class _Chain(NamedTuple):
    """One part of a curve as a chain of chords: its vertices' Cartesian
    coordinates (km), the chords' vectors, the arc length (km) along the
    chain at each vertex, the hours (from t0) of the vertices, and a sphere
    holding the chain (centre, radius in km)."""

    x: FloatArray
    y: FloatArray
    z: FloatArray
    dx: FloatArray
    dy: FloatArray
    dz: FloatArray
    arc: FloatArray
    hours: FloatArray
    centre: FloatArray
    radius: float


def path_distances(source: Path | BesselianElements, lat: npt.ArrayLike, lon: npt.ArrayLike,
                   hint_hours: npt.ArrayLike) -> PathDistances:
    """Signed distances (``PathDistances``) from observers at geodetic
    latitudes and east longitudes (degrees) to a path's central line and
    umbral limits.

    ``source`` is the path (its curves are used as they are) or one
    eclipse's elements (then ``path(elements, STEP_S)``); ``hint_hours``,
    hours from t0 near which each observer is abeam of the curves: the
    instant of its maximum (``LocalCircumstances.max_jd_tt``); NaN gives NaN.
    """
    shape = np.broadcast_shapes(np.shape(lat), np.shape(lon), np.shape(hint_hours))
    lat_r, lon_r, hint = (np.broadcast_to(np.asarray(v, dtype=float), shape).ravel()
                          for v in (np.radians(lat), np.radians(lon), hint_hours))
    known = np.flatnonzero(np.isfinite(hint) & np.isfinite(lat_r) & np.isfinite(lon_r))
    if not len(known):  # nobody near: no path needed
        return PathDistances(*(np.full(shape, np.nan) for _ in CURVES))
    chains = _path_chains(source) if isinstance(source, Path) else _measured_chains(source)
    observers = ellipsoid_points(lat_r[known], lon_r[known]).T.copy()
    out = []
    for name in CURVES:
        distance = np.full(lat_r.size, np.nan)
        if chains.get(name):
            left = _signed(chains[name], observers, hint[known])
            # inside a northern limit is to the right of its direction
            distance[known] = -left if name == "umbra_north_limit" else left
        out.append(distance.reshape(shape))
    return PathDistances(*out)


@functools.lru_cache(maxsize=4)
def _measured_chains(elements: BesselianElements) -> dict[str, list[_Chain]]:
    """The chains of ``path(elements, STEP_S)``, kept for the last few
    eclipses asked about (elements compare by identity), so that calls for
    one observer after another cost the path once."""
    return _path_chains(path(elements, STEP_S))


def _path_chains(the_path: Path) -> dict[str, list[_Chain]]:
    """The chains of a path's CURVES that exist, by name."""
    t0 = float(the_path.elements.t0)
    return {name: _chains(curve, t0) for name, curve in the_path.lines.items() if name in CURVES}


def _chains(curve: Curve, t0: float) -> list[_Chain]:
    """A curve's parts of two vertices or more as chains, the longest first."""
    points = ellipsoid_points(np.radians(curve.latitude), np.radians(curve.longitude))
    hours = (curve.jd_tt - t0) * 24.0
    chains = []
    for i in sorted(curve.parts(), key=len, reverse=True):
        if len(i) < 2:
            continue
        p = points[i]
        d = np.diff(p, axis=0)
        arc = np.concatenate([[0.0], np.cumsum(np.sqrt(np.einsum("ij,ij->i", d, d)))])
        centre = p.mean(axis=0)
        radius = float(np.sqrt(np.einsum("ij,ij->i", p - centre, p - centre)).max())
        x, y, z = p.T.copy()
        dx, dy, dz = d.T.copy()
        chains.append(_Chain(x, y, z, dx, dy, dz, arc, hours[i], centre, radius))
    return chains


def _signed(chains: list[_Chain], observers: FloatArray, hint: FloatArray) -> FloatArray:
    """Each observer's distance (km) to the nearest of the chains, positive
    to the left of its direction (the direction of time), NaN where the
    nearest point is an end of a chain or beyond MAX_DISTANCE_KM.
    ``observers``: Cartesian coordinates (km), one row per axis."""
    foot, tangent, interior, best = _nearest_on_chain(chains[0], observers, hint)
    for chain in chains[1:]:
        # only the observers this chain can be nearer to than those before
        gap = np.sqrt(((observers - chain.centre[:, None]) ** 2).sum(axis=0)) - chain.radius
        which = np.flatnonzero(np.maximum(gap, 0.0) ** 2 < best)
        c_foot, c_tangent, c_interior, c_chord2 = _nearest_on_chain(chain, observers[:, which], hint[which])
        better = c_chord2 < best[which]
        which = which[better]
        best[which] = c_chord2[better]
        foot[:, which], tangent[:, which], interior[which] = c_foot[:, better], c_tangent[:, better], c_interior[better]
    km = geodesic_chord_km(observers, foot)
    # to the left of the direction: (tangent x (observer - foot)) . up > 0,
    # up along the foot's radius
    ox, oy, oz = observers - foot
    tx, ty, tz = tangent
    side = (ty * oz - tz * oy) * foot[0] + (tz * ox - tx * oz) * foot[1] + (tx * oy - ty * ox) * foot[2]
    return np.where(interior & (km <= MAX_DISTANCE_KM), np.where(side < 0, -km, km), np.nan)


def _nearest_on_chain(chain: _Chain, observers: FloatArray, hint: FloatArray) -> tuple[
        FloatArray, FloatArray, BoolArray, FloatArray]:
    """The point of a chain nearest each observer (Cartesian, km, one row per
    axis), the vector of its chord, whether it lies off the chain's ends, and
    the squared chord distance (module docstring): the search from the
    chord at the hint, then from an end of the chain where that end is
    nearer than the point found (near its ends a curve can bend back, and
    another stretch of it be nearer)."""
    n = len(chain.x)
    k = _descend(chain, observers, _search(chain, observers, _chord_at_hour(chain, hint)))
    best, _ = _to_chord(chain, observers, k)
    for end, vertex in ((0, 0), (n - 2, n - 1)):
        gap = ((observers - np.array([chain.x[vertex], chain.y[vertex], chain.z[vertex]])[:, None]) ** 2).sum(axis=0)
        nearer = np.flatnonzero(gap < best * (1.0 - 1e-12))
        if not len(nearer):
            continue
        sub = observers[:, nearer]
        other = _descend(chain, sub, _search(chain, sub, np.full(len(nearer), end)))
        d2, _ = _to_chord(chain, sub, other)
        better = d2 < best[nearer]
        k[nearer[better]], best[nearer[better]] = other[better], d2[better]
    _, t = _to_chord(chain, observers, k)
    vector = np.stack([chain.dx[k], chain.dy[k], chain.dz[k]])
    foot = np.stack([chain.x[k], chain.y[k], chain.z[k]]) + t * vector
    interior = ~(((k == 0) & (t <= 0.0)) | ((k == n - 2) & (t >= 1.0)))
    return foot, vector, interior, best


def _to_chord(chain: _Chain, observers: FloatArray, k: IndexArray) -> tuple[FloatArray, FloatArray]:
    """The squared distance (km^2) from each observer to its chord k, and
    where on the chord the nearest point lies (0 at its start, 1 at its end)."""
    vx, vy, vz = chain.dx[k], chain.dy[k], chain.dz[k]
    wx, wy, wz = observers[0] - chain.x[k], observers[1] - chain.y[k], observers[2] - chain.z[k]
    t = np.clip((wx * vx + wy * vy + wz * vz) / np.maximum(vx * vx + vy * vy + vz * vz, 1e-24), 0.0, 1.0)
    wx -= t * vx
    wy -= t * vy
    wz -= t * vz
    return wx * wx + wy * wy + wz * wz, t


def _search(chain: _Chain, observers: FloatArray, k: IndexArray) -> IndexArray:
    """From chords k, the chord where each observer's projection falls
    (``_nearest_on_chain``).

    In the arc length s along the chain, g(s) = (O - P(s)) . T(s), the
    offset along the chain from P(s) to the observer's projection, vanishes
    at the foot.  One projection (s + g), then secant steps on g, which,
    unlike repeated projections, do not slow down where the observer is far
    and the chain bends; settled when the projection falls within the chord
    it is on, or on the vertex two neighbouring chords send it to each other
    across (an observer beyond a bend), or beyond an end of the chain.
    """
    n = len(chain.x)
    arc = chain.arc
    length = np.maximum(np.diff(arc), 1e-12)
    ox, oy, oz = observers
    m = len(k)
    k = k.copy()
    s_old, g_old = np.full(m, np.nan), np.full(m, np.nan)
    s_now = arc[k]
    previous = np.full(m, -1)
    overshoot = np.zeros(m)  # where the projection on the previous chord fell: -1 before it, +1 after
    active = np.arange(m)
    for _ in range(ITERATIONS):
        if not len(active):
            break
        kk = k[active]
        along = ((ox[active] - chain.x[kk]) * chain.dx[kk] + (oy[active] - chain.y[kk]) * chain.dy[kk]
                 + (oz[active] - chain.z[kk]) * chain.dz[kk]) / length[kk]
        before, after = along < 0.0, along > length[kk]
        came, was = previous[active], overshoot[active]
        settled = ((~before & ~after) | ((came == kk - 1) & before & (was > 0)) | ((came == kk + 1) & after & (was < 0))
                   | ((kk == 0) & before) | ((kk == n - 2) & after))
        s_a = s_now[active]
        g = arc[kk] + along - s_a
        projected = np.clip(s_a + g, 0.0, arc[-1])
        with np.errstate(invalid="ignore", divide="ignore"):
            slope = (g - g_old[active]) / (s_a - s_old[active])
            secant = s_a - g / slope
        target = np.where((slope < 0.0) & np.isfinite(secant), np.clip(secant, 0.0, arc[-1]), projected)
        new = _chord_at(arc, kk, target)
        stuck = (new == kk) & ~settled  # the secant's step stays on the chord, the projection leaves it
        new[stuck] = _chord_at(arc, kk[stuck], projected[stuck])
        s_old[active], g_old[active] = s_a, g
        s_now[active] = np.where(stuck, projected, target)
        previous[active] = kk
        overshoot[active] = after.astype(float) - before
        k[active] = np.where(settled, kk, new)
        active = active[~settled]
    return k


def _descend(chain: _Chain, observers: FloatArray, k: IndexArray) -> IndexArray:
    """From chords k, to a neighbouring chord while it is nearer: on the
    inner side of a bend the projections on two or more chords fall within
    them, and the first found need not be the nearest."""
    last = len(chain.x) - 2
    k = k.copy()
    d2, _ = _to_chord(chain, observers, k)
    active = np.arange(len(k))
    for _ in range(ITERATIONS):
        if not len(active):
            break
        sub = observers[:, active]
        lower, upper = np.maximum(k[active] - 1, 0), np.minimum(k[active] + 1, last)
        d_lower, _ = _to_chord(chain, sub, lower)
        d_upper, _ = _to_chord(chain, sub, upper)
        step = np.where(d_lower < d_upper, lower, upper)
        d_step = np.minimum(d_lower, d_upper)
        moving = d_step < d2[active]
        k[active[moving]], d2[active[moving]] = step[moving], d_step[moving]
        active = active[moving]
    return k


def _chord_at_hour(chain: _Chain, hours: FloatArray) -> IndexArray:
    """The chord at (or near) each of some hours, a start for the search:
    looked up in a table of the chords at evenly spaced hours, as many as
    the vertices (the search corrects a start a few chords off)."""
    n = len(chain.x)
    first, last = float(chain.hours[0]), float(chain.hours[-1])
    spacing = max((last - first) / n, 1e-9)
    table = np.clip(np.searchsorted(chain.hours, first + spacing * np.arange(n + 1), side="right") - 1, 0, n - 2)
    with np.errstate(invalid="ignore"):
        slot = np.clip(np.nan_to_num((hours - first) / spacing), 0, n).astype(np.intp)
    return table[slot]


def _chord_at(arc: FloatArray, k: IndexArray, target: FloatArray) -> IndexArray:
    """The chord (0 .. len(arc) - 2) at arc length ``target``, from the
    chord k near it: an estimate in units of chord k's length, a step of one
    chord where it is off by one, and a binary search where it still is."""
    last = len(arc) - 2
    length = np.maximum(arc[k + 1] - arc[k], 1e-12)
    j = np.clip(k + np.floor((target - arc[k]) / length).astype(np.intp), 0, last)
    below, above = (arc[j] > target) & (j > 0), (arc[j + 1] <= target) & (j < last)
    j = j - below + above
    off = ((arc[j] > target) & (j > 0)) | ((arc[j + 1] <= target) & (j < last))
    if off.any():
        j[off] = np.clip(np.searchsorted(arc, target[off], side="right") - 1, 0, last)
    return j


def simplify_chain(points: FloatArray, tolerance_km: float) -> IndexArray:
    """The indices of the vertices (Cartesian points, km, one row each) that
    keep a chain of chords within ``tolerance_km`` of the original in space
    (Douglas and Peucker 1973, in three dimensions, so that the chords of
    the kept vertices are the chords the distances are measured on, not
    straight lines of longitude and latitude, which differ from them by
    L^2 tan(latitude) / 8R: 0.3 km over a chord of 200 km).  All segments
    are split together, round by round, at their farthest vertex."""
    n = len(points)
    keep = np.zeros(n, bool)
    keep[[0, n - 1]] = True
    a, b = np.array([0]), np.array([n - 1])
    while len(a):
        inner = b - a > 1
        a, b = a[inner], b[inner]
        if not len(a):
            break
        counts = b - a - 1
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        segment = np.repeat(np.arange(len(a)), counts)
        index = np.arange(counts.sum()) - starts[segment] + a[segment] + 1
        start, vector = points[a][segment], (points[b] - points[a])[segment]
        offset = points[index] - start
        cross = np.cross(offset, vector)
        deviation = np.sqrt(np.einsum("ij,ij->i", cross, cross) / np.maximum(np.einsum("ij,ij->i", vector, vector), 1e-24))
        largest = np.maximum.reduceat(deviation, starts)
        split = largest > tolerance_km
        # the first vertex of each segment split where its deviation is largest
        at = np.flatnonzero(split[segment] & (deviation == largest[segment]))
        first = np.unique(segment[at], return_index=True)[1]
        middle = index[at[first]]
        keep[middle] = True
        a, b = np.concatenate([a[split], middle]), np.concatenate([middle, b[split]])
    return np.flatnonzero(keep)


def geodesic_chord_km(a: FloatArray, b: FloatArray) -> FloatArray:
    """Distances (km) on the WGS84 ellipsoid between points given by their
    Cartesian coordinates (km, one row per axis; points a little below the
    surface, on a chord, stand for the surface point above them): Lambert's
    formula for long lines (Andoyer-Lambert, first order in the
    flattening), within a few metres of the geodesic up to thousands of
    kilometres.

    With reduced latitudes b1, b2, sigma the angle between the points on the
    auxiliary sphere (x / a, y / a, z / b), P = (b1 + b2) / 2 and
    Q = (b2 - b1) / 2:
    X = (sigma - sin sigma) sin^2 P cos^2 Q / cos^2 (sigma/2),
    Y = (sigma + sin sigma) cos^2 P sin^2 Q / sin^2 (sigma/2),
    distance = a (sigma - f (X + Y) / 2);
    sin P cos Q = (sin b1 + sin b2) / 2 and cos P sin Q = (sin b2 - sin b1) / 2,
    so that one arcsine is the only function of an angle computed.
    """
    polar = EARTH_RADIUS_KM * (1.0 - FLATTENING)
    units = []
    for p in (a, b):
        u = np.stack([p[0] / EARTH_RADIUS_KM, p[1] / EARTH_RADIUS_KM, p[2] / polar])
        units.append(u / np.sqrt((u * u).sum(axis=0)))
    u1, u2 = units
    half_chord2 = ((u1 - u2) ** 2).sum(axis=0) / 4.0  # sin^2 (sigma / 2)
    sin_half = np.sqrt(np.minimum(half_chord2, 1.0))
    cos_half2 = 1.0 - sin_half * sin_half
    sigma = 2.0 * np.arcsin(sin_half)
    sin_sigma = 2.0 * sin_half * np.sqrt(cos_half2)
    sum_, difference = (u1[2] + u2[2]) / 2.0, (u2[2] - u1[2]) / 2.0
    with np.errstate(invalid="ignore", divide="ignore"):
        x = (sigma - sin_sigma) * sum_ * sum_ / cos_half2
        y = np.where(sigma > 0.0, (sigma + sin_sigma) * difference * difference / half_chord2, 0.0)
    return np.asarray(EARTH_RADIUS_KM * (sigma - FLATTENING / 2.0 * (x + y)), dtype=float)
