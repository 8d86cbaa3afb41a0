"""Curves on the ellipsoid compared: distances in km between vertices and
polylines, measured as chords between Cartesian points (WGS84)."""

from __future__ import annotations

import numpy as np

from eclipse.earth import ellipsoid_points


def ecef(lat_deg, lon_deg):
    """Points on the WGS84 ellipsoid (km) at geodetic latitudes and longitudes in degrees."""
    return ellipsoid_points(np.radians(lat_deg), np.radians(lon_deg))


def distance_to_curve(points, curve):
    """Distance (km, chord) from each point (km) to the nearest segment of a
    curve (``eclipse.path.Curve``), over each of its parts."""
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
