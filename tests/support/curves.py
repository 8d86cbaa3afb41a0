"""Curves on the ellipsoid compared: distances in km between vertices and
polylines, measured as chords between Cartesian points (WGS84); and the
overlap of two discs measured on polygons."""

from __future__ import annotations

import math

import numpy as np

from eclipse.constants import EARTH_MEAN_RADIUS_KM
from eclipse.geometry.earth import ellipsoid_points


def ecef(lat_deg, lon_deg):
    """Points on the WGS84 ellipsoid (km) at geodetic latitudes and longitudes in degrees."""
    return ellipsoid_points(np.radians(lat_deg), np.radians(lon_deg))


def distance_to_curve(points, curve):
    """Distance (km, chord) from each point (km) to the nearest segment of a
    curve (``eclipse.geometry.path.Curve``), over each of its parts."""
    best = np.full(len(points), np.inf)
    for index in curve.parts():
        vertices = ecef(curve.latitude[index], curve.longitude[index])
        if len(vertices) == 1:
            best = np.minimum(best, np.linalg.norm(points - vertices[0], axis=-1))
            continue
        a, b = vertices[:-1], vertices[1:]
        ab = b - a
        rel = points[:, None, :] - a[None]
        s = np.clip(np.sum(rel * ab, -1) / np.sum(ab * ab, -1), 0.0, 1.0)
        nearest = a[None] + s[..., None] * ab[None]
        best = np.minimum(best, np.linalg.norm(points[:, None, :] - nearest, axis=-1).min(axis=1))
    return best


def curve_distance(one, other):
    """The largest distance (km) of either curve's vertices from the other."""
    there = distance_to_curve(ecef(one.latitude, one.longitude), other)
    back = distance_to_curve(ecef(other.latitude, other.longitude), one)
    return max(there.max(), back.max())


def sample(curve, n):
    """Indices of n vertices spread along a curve, ends included."""
    return np.unique(np.linspace(0, len(curve) - 1, n).astype(int))


def destination(lat, lon, bearing, km):
    """Point ``km`` from (lat, lon) along an initial bearing, on a sphere of
    the Earth's mean radius (degrees).  Over the few hundred km used here the
    sphere misplaces points by well under 1% of the distance travelled."""
    p1, l1, b, _a = map(math.radians, (lat, lon, bearing, 0.0))
    delta = km / EARTH_MEAN_RADIUS_KM
    p2 = math.asin(math.sin(p1) * math.cos(delta) + math.cos(p1) * math.sin(delta) * math.cos(b))
    l2 = l1 + math.atan2(math.sin(b) * math.sin(delta) * math.cos(p1),
                         math.cos(delta) - math.sin(p1) * math.sin(p2))
    return math.degrees(p2), (math.degrees(l2) + 540.0) % 360.0 - 180.0


def bearing(lat1, lon1, lat2, lon2):
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    y = math.sin(dl) * math.cos(p2)
    x = math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    return math.degrees(math.atan2(y, x))


def disc_overlap_by_polygons(separation, sun_radius, moon_radius) -> float:
    """The overlap of two discs over the Sun's, measured on polygons of 16384
    sides (area error below 1e-7): independent of the lens formula."""
    import shapely

    sun = shapely.Point(0.0, 0.0).buffer(sun_radius, quad_segs=4096)
    moon = shapely.Point(separation, 0.0).buffer(moon_radius, quad_segs=4096)
    return sun.intersection(moon).area / sun.area
