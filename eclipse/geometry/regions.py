"""The shadow's regions on the map: where the partial and the central phase are seen.

The regions are unions of the shadow's footprints on the ground: at each
sampled instant the part of the Earth's visible disc that lies within the
shadow's circle on the fundamental plane (radius |l - zeta tan f|), mapped to
latitude and longitude.  The union of footprints reproduces the limits in the
middle of the path and the curves where the eclipse begins or ends at sunrise
or sunset at its ends, whatever the topology (one limit, none, a pole inside).

The union is formed in longitudes unwrapped continuously along the path, so
that nothing is cut at the antimeridian, then cut at +-180 degrees and folded
back into [-180, 180] (RFC 7946 section 3.1.9).  A footprint around a pole is
closed along the pole's parallel, which makes the region cover the pole.

shapely is imported inside the functions that need it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

import numpy as np
import numpy.typing as npt

from ..constants import DEG, FLATTENING
from ..dates import calendar_from_jd
from ..sources.elements import BesselianElements, ElementsAt
from .arrays import BoolArray, FloatArray, IndexArray, IntArray
from .earth import (
    Quadric,
    ellipsoid_quadric,
    observer,
    outline_excess,
    outline_minor_axis,
    point_under,
    surface_zeta,
    wrap_longitude,
)
from .limits import SECOND_BRANCH
from .shadow import shadow

if TYPE_CHECKING:  # shapely has no type information: Any to mypy, names to a reader
    from shapely import MultiPolygon, Polygon
    from shapely.geometry.base import BaseGeometry


class _Instant(Protocol):
    """What the regions read of a ``path.Instant``."""

    @property
    def jd_tt(self) -> float:
        """TT Julian date."""
        ...


class _Limit(Protocol):
    """What the regions read of a limit, a ``path.Curve``."""

    @property
    def jd_tt(self) -> FloatArray:
        """TT Julian dates of the vertices."""
        ...

    @property
    def latitude(self) -> FloatArray:
        """Geodetic latitudes of the vertices (degrees)."""
        ...

    @property
    def longitude(self) -> FloatArray:
        """East longitudes of the vertices (degrees)."""
        ...

    @property
    def part(self) -> IntArray:
        """The continuous piece each vertex belongs to."""
        ...

    def __len__(self) -> int:
        """The number of vertices."""
        ...


class _Path(Protocol):
    """What the regions read of a ``path.Path`` (path.py imports this module,
    so its classes are described here, not imported)."""

    @property
    def elements(self) -> BesselianElements:
        """The eclipse's Besselian elements."""
        ...

    @property
    def p1(self) -> _Instant:
        """The penumbra's first touch of the Earth."""
        ...

    @property
    def p4(self) -> _Instant:
        """The penumbra's last touch."""
        ...

    @property
    def u1(self) -> _Instant | None:
        """The umbra's first touch, or None."""
        ...

    @property
    def u4(self) -> _Instant | None:
        """The umbra's last touch, or None."""
        ...

    @property
    def umbra_north_limit(self) -> _Limit | None:
        """The umbra's northern limit, or None."""
        ...

    @property
    def umbra_south_limit(self) -> _Limit | None:
        """The umbra's southern limit, or None."""
        ...


class _Uncertain(Protocol):
    """What ``sigma_band`` reads of an eclipse (``search.Eclipse``)."""

    @property
    def jd_ut(self) -> float:
        """UT Julian date of greatest eclipse."""
        ...

    @property
    def sigma_shift_deg(self) -> float:
        """Degrees of longitude one standard deviation of Delta T turns the path."""
        ...

#: Vertices of a footprint's circle, and of the Earth's outline.  A chord of
#: the outline at 0.25 degree spacing lies 2.4e-6 radii inside it, which maps
#: to about 14 km on the ground along the sunrise/sunset edge of a footprint:
#: polygons are drawings (the limit lines carry the accuracy), so this is the
#: precision of the regions' ends.
CIRCLE_VERTICES = 180
OUTLINE_VERTICES = 1440
#: Spacing of the footprints (hours): the union's edge between two footprints
#: dips by s^2 / 8r below the limit (shadow speed ~0.5 radii/h): 0.4 km for the
#: penumbra (r ~ 0.55) at 2 minutes, 0.2 km for an umbra of r = 0.01 at 10 s.
PENUMBRA_SPACING = 2.0 / 60.0
UMBRA_SPACING = 10.0 / 3600.0
COORDINATE_DECIMALS = 6  # 0.1 m


def _footprint_times(start: float, end: float, spacing: float, fine: int = 40) -> np.ndarray:
    """Instants from just after start to just before end, denser near both
    ends where the footprints grow from nothing (``fine`` - 1 more within
    the first and the last step)."""
    span = end - start
    n = max(int(np.ceil(span / spacing)), 2)
    uniform = np.linspace(start, end, n + 1)
    offsets = np.linspace(0.0, min(8 * spacing, span / 2), fine)[1:] / 8.0
    times = np.union1d(uniform, np.concatenate([start + offsets, end - offsets]))
    return times[(times > start) & (times < end)]


def shadow_circles(e: ElementsAt, penumbral: bool) -> tuple[FloatArray, FloatArray]:
    """The shadow's edge on the fundamental plane at the instants of the
    elements ``e`` (``elements.at(times)``): the vertices' xi and eta, one
    row per instant, where the edge meets the Earth's surface (radius
    |l - zeta tan f|; off the Earth, zeta of the outline)."""
    l = e.l1 if penumbral else e.l2
    tan_f = e.tan_f1 if penumbral else e.tan_f2
    n = CIRCLE_VERTICES if penumbral else CIRCLE_VERTICES // 2
    theta = np.linspace(0.0, 2 * np.pi, n, endpoint=False)
    quadric = Quadric(*(q[:, None] for q in ellipsoid_quadric(e.d)))
    x, y = e.x[:, None], e.y[:, None]
    radius = np.abs(l)[:, None] * np.ones_like(theta)
    for _ in range(2):  # L depends on zeta of the edge point; tan f ~ 0.005
        zeta = surface_zeta(quadric, x + radius * np.cos(theta), y + radius * np.sin(theta))
        radius = np.abs(l[:, None] - zeta * np.reshape(tan_f, (-1, 1)))
    return x + radius * np.cos(theta), y + radius * np.sin(theta)


def footprints(elements: BesselianElements, times: FloatArray, penumbral: bool) -> tuple[npt.NDArray[np.object_], ElementsAt]:
    """Footprints at hours ``times``: shapely polygons on the fundamental plane,
    and the elements there."""
    import shapely

    e = elements.at(times)
    xi, eta = shadow_circles(e, penumbral)
    circles = shapely.polygons(np.stack([xi, eta], -1))
    # the outline's polygon lies within 2.4e-6 radii of the ellipse: a circle
    # whose vertices all lie further inside (x^2 + (y/b)^2 - 1 below -1e-5)
    # is inside it, and only the others are tested and cut
    near = np.flatnonzero(np.any(outline_excess(xi, eta, e.d[:, None]) > -1e-5, axis=1))
    phi = np.linspace(0.0, 2 * np.pi, OUTLINE_VERTICES, endpoint=False)
    b = outline_minor_axis(e.d[near])[:, None]
    outlines = shapely.polygons(np.stack([np.broadcast_to(np.cos(phi), b.shape[:1] + phi.shape),
                                          b * np.sin(phi)], -1))
    inside = shapely.contains(outlines, circles[near])
    shapes = circles.copy()
    cut = near[~inside]
    shapes[cut] = shapely.intersection(circles[cut], outlines[~inside])
    return shapes, e


def shadow_region(path: _Path, penumbral: bool, spacing: float | None = None,
                  span: tuple[float, float] | None = None) -> Polygon | MultiPolygon:
    """The region where the penumbra (any partial phase) or the umbra (the
    central phase) is seen, as a shapely (Multi)Polygon in lon/lat degrees.

    ``spacing`` (hours) between footprints defaults to PENUMBRA_SPACING or
    UMBRA_SPACING; a map of the whole world can take a coarser one (see there
    for the edge's dip between footprints).  ``span`` (TT Julian dates)
    takes the footprints of a part of the time only (a hybrid's stretch of
    one kind, ``Path.umbra_parts``); by default from P1 to P4 or U1 to U4."""
    if penumbral:
        span = span or (path.p1.jd_tt, path.p4.jd_tt)
        spacing = spacing or PENUMBRA_SPACING
    else:
        assert path.u1 is not None and path.u4 is not None, "no umbra: Path.umbra asks only for a central path"
        span = span or (path.u1.jd_tt, path.u4.jd_tt)
        spacing = spacing or UMBRA_SPACING
    t0 = float(path.elements.t0)
    times = _footprint_times((span[0] - t0) * 24.0, (span[1] - t0) * 24.0, spacing)
    return footprint_region(path.elements, times, penumbral)


#: A world map's umbra (``span_umbra``): footprints are taken this long
#: (hours) into the stretches of the strip between the limits, so that the
#: two overlap (a minute: the limits have a vertex at least every minute).
STRIP_OVERLAP = 1.0 / 60.0
#: Poleward of this latitude (degrees) the limits' vertices are too far
#: apart in longitude for straight edges between them: footprints there.
STRIP_MAX_LATITUDE = 80.0
#: Points tested along each chord between the limits (``_chords_inside``).
CHORD_POINTS = 8
#: Footprints of a world map's umbra within the first and the last step
#: (``_footprint_times``): its tips grow from nothing in a few kilometres.
SPAN_END_INSTANTS = 8
#: A world map's umbra is simplified to this many degrees (its edge moves
#: by 1.1 km at most; a world map shows 30 km a pixel), which leaves a
#: tenth of its vertices or less.
SPAN_TOLERANCE_DEG = 0.01


def span_umbra(path: _Path) -> Polygon | MultiPolygon | None:
    """The umbral path drawn on a map of the world (the maps of a span): the
    region of ``path.umbra`` built for a fraction of its cost, or None.

    Where the chord between the two limits at an instant lies within the
    umbra then, the path is the strip between the limits
    (``_limit_strip``), whose edges are the limits' own chords (0.5 km from
    the curve at most, path.py): this is most of the path, where
    ``path.umbra`` unions a thousand footprints.  Elsewhere (a limit
    missing, the footprint drawn out along the horizon near the path's ends,
    beyond STRIP_MAX_LATITUDE) it is the union of footprints every
    UMBRA_SPACING, as ``path.umbra`` (with fewer near U1 and U4,
    SPAN_END_INSTANTS).  Simplified to SPAN_TOLERANCE_DEG, without the
    pieces smaller than a square of that side.  tests/test_webmap.py holds
    it to the path's true edge."""
    import shapely

    if path.u1 is None or path.u4 is None:
        return None
    t0 = float(path.elements.t0)
    times = _footprint_times((path.u1.jd_tt - t0) * 24.0, (path.u4.jd_tt - t0) * 24.0, UMBRA_SPACING,
                             SPAN_END_INSTANTS)
    strip, stretches = _limit_strip(path)
    pieces = [] if strip is None else [fold_antimeridian(strip)]
    needed = ~_within(times, stretches, STRIP_OVERLAP)
    if needed.any():
        pieces.append(footprint_region(path.elements, times[needed], penumbral=False))
    simple = shapely.simplify(shapely.union_all(pieces), SPAN_TOLERANCE_DEG)
    return _polygonal(simple, least_area=SPAN_TOLERANCE_DEG**2)


def _limit_strip(path: _Path) -> tuple[BaseGeometry | None, list[tuple[float, float]]]:
    """The strip between the umbral limits: quadrilaterals between their
    points at successive instants (each limit's vertices, the other
    interpolated in time), where both chords lie in the umbra at their
    instants (``_chords_inside``) and neither limit passes beyond
    STRIP_MAX_LATITUDE; joined, in longitudes unwrapped along the path.
    Returns it (None if empty) and the stretches of time (hours from t0)
    it covers."""
    import shapely

    t0 = float(path.elements.t0)
    north, south = _main_part(path.umbra_north_limit, t0), _main_part(path.umbra_south_limit, t0)
    if north is None or south is None:
        return None, []
    first, last = max(north[0][0], south[0][0]), min(north[0][-1], south[0][-1])
    times = np.concatenate([[first], north[0], south[0], [last]])
    times = np.unique(times[(times >= first) & (times <= last)])
    if len(times) < 2:
        return None, []
    n, s = (np.stack([np.interp(times, t, np.unwrap(lon, period=360.0)), np.interp(times, t, lat)], -1)
            for t, lat, lon in (north, south))
    s[:, 0] += 360.0 * np.round((n[0, 0] - s[0, 0]) / 360.0)
    good = _chords_inside(path.elements, times, n, s)
    good &= (np.abs(n[:, 1]) <= STRIP_MAX_LATITUDE) & (np.abs(s[:, 1]) <= STRIP_MAX_LATITUDE)
    used = good[:-1] & good[1:]
    if not used.any():
        return None, []
    quads = np.stack([n[:-1], n[1:], s[1:], s[:-1]], 1)[used]
    edges = np.diff(np.concatenate([[0], used.astype(int), [0]]))
    stretches = list(zip(times[np.flatnonzero(edges == 1)], times[np.flatnonzero(edges == -1)]))
    return shapely.union_all(shapely.make_valid(shapely.polygons(quads))), stretches


def _main_part(curve: _Limit | None, t0: float) -> tuple[FloatArray, FloatArray, FloatArray] | None:
    """A limit's continuous part (its second branches near the horizon,
    parts numbered from limits.SECOND_BRANCH, left out) as (hours from t0,
    latitude, longitude), or None when it has none or more than one."""
    if curve is None or not len(curve):
        return None
    main = np.unique(curve.part[curve.part < SECOND_BRANCH])
    if len(main) != 1:
        return None
    i = curve.part == main[0]
    return (curve.jd_tt[i] - t0) * 24.0, curve.latitude[i], curve.longitude[i]


def _chords_inside(elements: BesselianElements, times: FloatArray, north: FloatArray, south: FloatArray) -> BoolArray:
    """Whether the chord (straight in lon/lat, degrees) from ``north`` to
    ``south`` at each of the hours ``times`` lies within the umbra then, by
    CHORD_POINTS points along it (with the Sun up).  Near the path's ends
    the footprint is drawn out along the horizon and bent, and a chord
    between the limits there can leave it."""
    f = np.linspace(0.0, 1.0, CHORD_POINTS + 2)[1:-1]
    points = north[:, None, :] + f[:, None] * (south - north)[:, None, :]
    s = shadow(elements, times[:, None], observer(points[..., 1] / DEG, points[..., 0] / DEG))
    return np.all((s.distance < np.abs(s.umbra)) & (s.zeta > 0.0), axis=1)


def _within(times: FloatArray, stretches: Sequence[tuple[float, float]], margin: float) -> BoolArray:
    """Whether each instant lies ``margin`` or more inside one of the
    stretches (start, end) of time."""
    inside = np.zeros(len(times), bool)
    for start, end in stretches:
        inside |= (times >= start + margin) & (times <= end - margin)
    return inside


def _polygonal(geometry: BaseGeometry, least_area: float = 0.0) -> Polygon | MultiPolygon | None:
    """The polygons of a geometry larger than ``least_area`` (a union can
    leave lines where pieces touch), as a Polygon or MultiPolygon, or None."""
    import shapely

    polygons = [g for g in shapely.get_parts(geometry) if g.geom_type == "Polygon" and g.area > least_area]
    if not polygons:
        return None
    return polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)


def footprint_region(elements: BesselianElements, times: FloatArray, penumbral: bool) -> Polygon | MultiPolygon:
    """The union of the footprints at hours ``times`` (from t0), as a
    shapely (Multi)Polygon in lon/lat degrees cut at the antimeridian
    (``shadow_region``)."""
    import shapely

    shapes, e = footprints(elements, times, penumbral)
    keep = ~shapely.is_empty(shapes) & (shapely.area(shapes) > 0)
    rings = shapely.get_exterior_ring(shapes[keep])
    coords, index = shapely.get_coordinates(rings, return_index=True)
    coords, index = densify_rings(coords, index, e, np.flatnonzero(keep))
    kept = np.flatnonzero(keep)[index]
    lat, lon = point_under(coords[:, 0], coords[:, 1], e.d[kept], e.mu[kept])
    lat, lon = lat * DEG, lon * DEG
    # which pole, if any, each footprint holds: the visible pole's point on the
    # fundamental plane is (0, +-(1 - f) cos d), visible when +-d > 0
    shapes = shapes[keep]
    d = e.d[keep]
    pole_eta = (1.0 - FLATTENING) * np.cos(d)
    north = (d > 0) & shapely.contains_xy(shapes, 0.0, pole_eta)
    south = (d < 0) & shapely.contains_xy(shapes, 0.0, -pole_eta)
    if not len(lat):
        return shapely.Polygon()
    return fold_antimeridian(shapely.union_all(_ring_polygons(lat, lon, index, north, south)))


def _ring_polygons(lat: FloatArray, lon: FloatArray, ring: IndexArray, north: BoolArray, south: BoolArray) -> npt.NDArray[np.object_]:
    """The footprints' rings (vertices in degrees, ``ring`` numbering them,
    ``north`` and ``south`` saying which hold a pole) as valid polygons, in
    longitudes unwrapped along each ring and, ring to ring, along the path.
    The rings that hold a pole or pass close to one (``_polar_ring``) one
    by one, the rest all at once."""
    import shapely

    starts = np.concatenate([[0], np.flatnonzero(np.diff(ring)) + 1])
    ends = np.append(starts[1:], len(lon)) - 1
    lon = _unwrap_runs(lon, starts)
    polar = north | south
    odd = (np.abs(np.round((lon[ends] - lon[starts]) / 360.0)) != polar) | polar
    centres = 0.5 * (np.minimum.reduceat(lon, starts) + np.maximum.reduceat(lon, starts))
    special = {}
    for k in np.flatnonzero(odd):
        special[k] = _polar_ring(lat[starts[k]:ends[k] + 1], lon[starts[k]:ends[k] + 1], north[k], south[k])
        centres[k] = 0.5 * (special[k][:, 0].min() + special[k][:, 0].max())
    shifts = np.unwrap(centres, period=360.0) - centres
    numbers = np.repeat(np.arange(len(starts)), ends - starts + 1)
    plain = ~odd[numbers]
    _, which = np.unique(numbers[plain], return_inverse=True)
    coords = np.stack([lon + shifts[numbers], lat], -1)[plain]
    shapes = list(shapely.polygons(shapely.linearrings(coords, indices=which))) if plain.any() else []
    shapes += [shapely.Polygon(p + [shifts[k], 0.0]) for k, p in special.items()]
    return shapely.make_valid(np.array(shapes, dtype=object))


def _unwrap_runs(values: FloatArray, starts: IndexArray) -> FloatArray:
    """``np.unwrap(period=360)`` of each run of ``values`` beginning at ``starts``, all at once."""
    step = np.diff(values)
    wrapped = np.mod(step + 180.0, 360.0) - 180.0
    wrapped[(wrapped == -180.0) & (step > 0)] = 180.0
    step = np.where(np.abs(step) < 180.0, step, wrapped)
    step[starts[1:] - 1] = 0.0
    total = np.concatenate([[0.0], np.cumsum(step)])
    run = np.repeat(np.arange(len(starts)), np.diff(np.append(starts, len(values))))
    return values[starts][run] + total - total[starts][run]


def _polar_ring(lat: FloatArray, lon: FloatArray, north: bool, south: bool) -> FloatArray:
    """A ring (unwrapped longitudes, degrees) that holds a pole or passes
    close to one, as (lon, lat) vertices: if its winding is not what it
    holds, its largest step in longitude (near 180 degrees) was unwrapped
    the wrong way; a ring round a pole is closed along the pole's parallel."""
    lon = lon.copy()
    wanted = 1 if north or south else 0
    if abs(int(np.round((lon[-1] - lon[0]) / 360.0))) != wanted:
        j = int(np.argmax(np.abs(np.diff(lon))))
        lon[j + 1:] -= 360.0 * np.sign(lon[j + 1] - lon[j])
    if wanted:  # winds around a pole: close the ring along it
        pole = 90.0 if north else -90.0
        lon = np.concatenate([lon, [lon[-1], lon[0]]])
        lat = np.concatenate([lat, [pole, pole]])
    return np.stack([lon, lat], -1)


def densify_rings(coords: FloatArray, index: IndexArray, e: ElementsAt, kept_rows: IndexArray,
                  max_step_deg: float = 0.5) -> tuple[FloatArray, IndexArray]:
    """Add vertices (on the chords of the fundamental plane) between those
    more than ``max_step_deg`` apart in longitude or latitude, so that the
    straight edges in lon/lat stay near the true edge close to a pole, where
    a small step on the plane is a large step in longitude."""
    rows = kept_rows[index]
    lat, lon = point_under(coords[:, 0], coords[:, 1], e.d[rows], e.mu[rows])
    same = index[1:] == index[:-1]
    step = np.maximum(np.abs(wrap_longitude(np.diff(lon))), np.abs(np.diff(lat))) * DEG
    pieces = np.where(same, np.clip(np.ceil(step / max_step_deg), 1, 400), 1).astype(int)
    pieces = np.append(pieces, 1)  # the last vertex
    start = np.repeat(np.arange(len(coords)), pieces)
    fraction = (np.arange(pieces.sum()) - np.repeat(np.cumsum(pieces) - pieces, pieces)) / np.repeat(pieces, pieces)
    following = np.minimum(start + 1, len(coords) - 1)
    new = coords[start] + fraction[:, None] * (coords[following] - coords[start])
    return new, index[start]


def fold_antimeridian(region: BaseGeometry) -> Polygon | MultiPolygon:
    """Cut a region drawn in unwrapped longitudes at +-180 (and multiples of
    360 away) and bring each piece into [-180, 180]."""
    import shapely
    from shapely.geometry.polygon import orient

    west, _, east, _ = region.bounds
    pieces = []
    for k in range(int(np.floor((west + 180.0) / 360.0)), int(np.floor((east + 180.0) / 360.0)) + 1):
        cell = shapely.box(-180.0 + 360.0 * k, -90.0, 180.0 + 360.0 * k, 90.0)
        piece = shapely.intersection(region, cell)
        if not piece.is_empty:
            pieces.append(shapely.affinity.translate(piece, -360.0 * k))
    merged = shapely.union_all(pieces)
    merged = shapely.set_precision(merged, 10.0 ** -COORDINATE_DECIMALS)
    # edges along a pole or the antimeridian can span 360 degrees: give them
    # vertices every 45 degrees so that no edge reads as a jump across the map
    merged = shapely.segmentize(merged, 45.0)
    polygons = [g for g in getattr(merged, "geoms", [merged]) if g.geom_type == "Polygon" and not g.is_empty]
    polygons = [orient(p, 1.0) for p in polygons]  # exteriors counter-clockwise
    if len(polygons) == 1:
        return polygons[0]
    return shapely.MultiPolygon(polygons)


#: Eclipses whose Delta T is uncertain enough for maps to draw the band their
#: path sweeps within +-1 sigma: before UNCERTAIN_BEFORE or after UNCERTAIN_AFTER.
UNCERTAIN_BEFORE, UNCERTAIN_AFTER = 1600, 2100


def sigma_band(eclipse: _Uncertain, umbra: Polygon | MultiPolygon | None) -> Polygon | MultiPolygon | None:
    """The band an umbral path (``umbra``, shapely in lon/lat) sweeps as Delta
    T runs over +-1 sigma, which turns the whole path in longitude by up to
    ``eclipse.sigma_shift_deg``; None for an eclipse of 1600-2100 (Delta T
    known to seconds) or without a path.  Copies of the path turned every
    half degree at most (paths are wider than that in longitude except at
    the poles), joined, cut at the antimeridian."""
    import shapely

    year = calendar_from_jd(eclipse.jd_ut)[0]
    shift = eclipse.sigma_shift_deg
    if umbra is None or umbra.is_empty or UNCERTAIN_BEFORE <= year <= UNCERTAIN_AFTER or shift <= 0:
        return None
    offsets = np.linspace(-shift, shift, int(2 * np.ceil(shift / 0.5)) + 1)
    return fold_antimeridian(shapely.union_all([shapely.affinity.translate(umbra, xoff=dx) for dx in offsets]))
