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

import numpy as np

from .constants import DEG, FLATTENING
from .earth import (
    Quadric,
    ellipsoid_quadric,
    outline_minor_axis,
    point_under,
    surface_zeta,
    wrap_longitude,
)

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


def _footprint_times(start: float, end: float, spacing: float) -> np.ndarray:
    """Instants from just after start to just before end, denser near both
    ends where the footprints grow from nothing."""
    span = end - start
    n = max(int(np.ceil(span / spacing)), 2)
    uniform = np.linspace(start, end, n + 1)
    fine = np.linspace(0.0, min(8 * spacing, span / 2), 40)[1:] / 8.0
    times = np.union1d(uniform, np.concatenate([start + fine, end - fine]))
    return times[(times > start) & (times < end)]


def footprints(elements, times, penumbral: bool):
    """Footprints at hours ``times``: shapely polygons on the fundamental plane,
    and the elements there."""
    import shapely

    e = elements.at(times)
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
    circles = shapely.polygons(np.stack([x + radius * np.cos(theta), y + radius * np.sin(theta)], -1))
    phi = np.linspace(0.0, 2 * np.pi, OUTLINE_VERTICES, endpoint=False)
    b = outline_minor_axis(e.d)[:, None]
    outlines = shapely.polygons(np.stack([np.broadcast_to(np.cos(phi), b.shape[:1] + phi.shape),
                                          b * np.sin(phi)], -1))
    inside = shapely.contains(outlines, circles)
    shapes = circles.copy()
    shapes[~inside] = shapely.intersection(circles[~inside], outlines[~inside])  # only where cut
    return shapes, e


def shadow_region(path, penumbral: bool, spacing: float | None = None):
    """The region where the penumbra (any partial phase) or the umbra (the
    central phase) is seen, as a shapely (Multi)Polygon in lon/lat degrees.

    ``spacing`` (hours) between footprints defaults to PENUMBRA_SPACING or
    UMBRA_SPACING; a map of the whole world can take a coarser one (see there
    for the edge's dip between footprints)."""
    import shapely

    if penumbral:
        span = (path.p1.jd_tt, path.p4.jd_tt)
        spacing = spacing or PENUMBRA_SPACING
    else:
        span = (path.u1.jd_tt, path.u4.jd_tt)
        spacing = spacing or UMBRA_SPACING
    t0 = float(path.elements.t0)
    times = _footprint_times((span[0] - t0) * 24.0, (span[1] - t0) * 24.0, spacing)
    shapes, e = footprints(path.elements, times, penumbral)
    keep = ~shapely.is_empty(shapes) & (shapely.area(shapes) > 0)
    rings = shapely.get_exterior_ring(shapes[keep])
    coords, index = shapely.get_coordinates(rings, return_index=True)
    coords, index = densify_rings(coords, index, e, np.flatnonzero(keep))
    kept = np.flatnonzero(keep)[index]
    lat, lon = point_under(coords[:, 0], coords[:, 1], e.d[kept], e.mu[kept])
    lat, lon = lat * DEG, lon * DEG
    bounds = np.flatnonzero(np.diff(index)) + 1
    # which pole, if any, each footprint holds: the visible pole's point on the
    # fundamental plane is (0, +-(1 - f) cos d), visible when +-d > 0
    shapes = shapes[keep]
    d = e.d[keep]
    pole_eta = (1.0 - FLATTENING) * np.cos(d)
    north = (d > 0) & shapely.contains_xy(shapes, 0.0, pole_eta)
    south = (d < 0) & shapely.contains_xy(shapes, 0.0, -pole_eta)
    polygons, centres = [], []
    for k, (la, lo) in enumerate(zip(np.split(lat, bounds), np.split(lon, bounds))):
        lo = np.unwrap(lo, period=360.0)
        winding = int(np.round((lo[-1] - lo[0]) / 360.0))
        wanted = 1 if north[k] or south[k] else 0
        if abs(winding) != wanted:
            # a ring passing close to a pole: its largest step in longitude
            # (near 180 degrees) was unwrapped the wrong way
            j = int(np.argmax(np.abs(np.diff(lo))))
            lo[j + 1:] -= 360.0 * np.sign(lo[j + 1] - lo[j])
        if wanted:  # winds around a pole: close the ring along it
            pole = 90.0 if north[k] else -90.0
            lo = np.concatenate([lo, [lo[-1], lo[0]]])
            la = np.concatenate([la, [pole, pole]])
        polygons.append(np.stack([lo, la], -1))
        centres.append(0.5 * (lo.min() + lo.max()))
    if not polygons:
        return shapely.Polygon()
    centres = np.array(centres)
    shifts = np.unwrap(centres, period=360.0) - centres
    shapes = [shapely.make_valid(shapely.Polygon(p + [s, 0.0])) for p, s in zip(polygons, shifts)]
    region = shapely.union_all(shapes)
    return fold_antimeridian(region)


def densify_rings(coords, index, e, kept_rows, max_step_deg: float = 0.5):
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


def fold_antimeridian(region):
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


def sigma_band(eclipse, umbra):
    """The band an umbral path (``umbra``, shapely in lon/lat) sweeps as Delta
    T runs over +-1 sigma, which turns the whole path in longitude by up to
    ``eclipse.sigma_shift_deg``; None for an eclipse of 1600-2100 (Delta T
    known to seconds) or without a path.  Copies of the path turned every
    half degree at most (paths are wider than that in longitude except at
    the poles), joined, cut at the antimeridian."""
    import shapely

    year = int(eclipse.date[:-6])
    shift = eclipse.sigma_shift_deg
    if umbra is None or umbra.is_empty or UNCERTAIN_BEFORE <= year <= UNCERTAIN_AFTER or shift <= 0:
        return None
    offsets = np.linspace(-shift, shift, int(2 * np.ceil(shift / 0.5)) + 1)
    return fold_antimeridian(shapely.union_all([shapely.affinity.translate(umbra, xoff=dx) for dx in offsets]))
