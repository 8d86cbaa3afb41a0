"""The path of the Moon's shadow on the WGS84 ellipsoid (observer at sea level).

From Besselian elements: the central line, the northern and southern limits
of the umbra (antumbra) and of the penumbra, the instants P1, P4 (penumbra
first and last touches the Earth) and U1, U4 (umbra), the point of greatest
duration, and the shadow's regions as shapely geometries, GeoJSON (RFC 7946)
and KML.  Everything numerical is vectorised over the time steps.

Formulas: Explanatory Supplement to the Astronomical Almanac (3rd ed., 2013)
ch. 11; Meeus, *Elements of Solar Eclipses 1951-2200* (1989); FORMULAS.md,
"Curves and instants".

A limit at an instant is a point of the shadow's edge, Delta = |L| with
L = l - zeta tan f, where the edge moves along itself relative to the
rotating Earth, so that the minimum over time of Delta - |L| is zero there:

    d/dt (Delta - |L|) = (u a + v b) / Delta - d|L|/dt = 0.

With (u, v) = |L| (cos Q, sin Q) and (a, b) = S (cos A, sin A) this is
cos(Q - A) = (d|L|/dt) / S, so Q = A -+ acos(...): the northern limit lies to
the left of the shadow's motion (Q = A - acos), the southern to the right.
L and the rates of the ground point depend on the point through zeta, so the
point is iterated.  The rates of a ground point, written with its
fundamental coordinates only (no latitude needed):

    xi'   = mu' (zeta cos d - eta sin d)
    eta'  = mu' xi sin d - zeta d'
    zeta' = -mu' xi cos d + eta d'

A curve ends where its point reaches the Earth's outline (the ellipse of
semi-axes 1 and sqrt(1 - e^2 cos^2 d) on the fundamental plane, where the
Sun is on the horizon); those ends are solved as roots in time, never left
at the last time step.

Near the horizon the condition can have several solutions.  The limit is
the one highest above the horizon (largest zeta), except that a penumbral
limit often begins or ends at a fold a few degrees up, where that solution
is born or dies together with a second one: the fold is located by
bisection, and the limit continues from it along the second solution down to
the horizon, as a separate part of the curve (parts numbered from
SECOND_BRANCH).  The regions (``geometry``), unions of the shadow's
footprints, do not depend on any of this.

Time steps are whole multiples of ``step`` seconds of UTC; vertices are
added between them where a chord would stray more than 0.5 km from the
curve.  At fine steps the limits are first solved on a subgrid and the
other instants start from interpolated zeta; the central line's contacts
likewise (tests check both against the full solution).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field

import numpy as np

from .besselian import BesselianElements
from .dates import format_datetime
from .earth import (
    ECCENTRICITY_SQUARED,
    FLATTENING,
    nearest_outline_point,
    observer_under,
    outline_minor_axis,
    point_under,
    sin_cos,
    sun_altitude_azimuth,
)
from .ephemeris import EARTH_RADIUS_KM
from .errors import EclipseError
from .local import contact_time, shadow_at, time_of_maximum

DEG = 180.0 / np.pi
#: Span searched for P1 and P4, hours from t0 (t0 is within half an hour of
#: greatest eclipse; no penumbral phase lasts longer than about 6.5 hours).
SEARCH_HOURS = 5.0
#: Spacing of the grid on which P1, P4, U1, U4 are bracketed before refining.
CONTACT_GRID_HOURS = 1.0 / 60.0
#: Secant steps on zeta of a limit's point at the outline
#: (``edge_points(on_outline=True)``), after two plain steps from zeta = 0.
#: zeta there is small (|zeta| < 0.004) and depends on itself only through
#: the point (contraction ~1e-3 per step): the two plain steps leave 4e-12
#: radii, one secant step the rounding (measured against 12 steps at 2001
#: instants over t0 +- 3 h, both limits of both shadows, for 2024-04-08,
#: 2021-12-04, 2023-04-20, 2012-05-20, 2014-04-29).
OUTLINE_ITERATIONS = 1
#: Levels of zeta scanned from 1 down (in one vectorised call) to bracket the
#: limit's zeta, then regula falsi (to 1e-11).  Near a fold the two solutions
#: are close: 40 levels (0.025 apart) separate them early enough that every
#: chord of the limits can be checked against the curve (none left
#: unverifiable at 60-s steps, 2015-2030).
ZETA_SCAN = 40
#: The scan goes down to ZETA_FLOOR, below the least zeta of the outline
#: (-f sin 2d ~ -0.0034: the geodetic horizon is not zeta = 0), so that a
#: limit reaching the horizon is followed to it.
ZETA_FLOOR = -0.005
ZETA_ROOT_ITERATIONS = 40
#: Polishing steps from a zeta interpolated between neighbouring instants
#: (``zeta_start``); see the test against the full iteration.
WARM_POLISH_ITERATIONS = 3
#: ... but only where zeta > WARM_MIN_ZETA (the Sun more than ~6 degrees up):
#: nearer the horizon zeta varies as a square root and interpolates badly.
WARM_MIN_ZETA = 0.1


# --- small pieces shared with search.py ----------------------------------------


def axis_meets_outline(elements: BesselianElements, t, side: float, iterations: int = 6):
    """Hours from t0 when the axis crosses the Earth's outline: x^2 + (y/b)^2 = 1.

    Solved as a contact (linear motion over each step, iterated) from a time
    ``t`` near greatest eclipse; ``side`` -1 for the entry, +1 for the exit.
    The outline's minor axis b is taken at each iterate.
    """
    t = np.asarray(t, dtype=float)
    for _ in range(iterations):
        e = elements.at(t)
        b = outline_minor_axis(e.d)
        u, v, a, c = e.x, e.y / b, e.dx, e.dy / b
        n2 = a * a + c * c
        p = u * a + v * c
        t = t + (-p + side * np.sqrt(np.maximum(p * p - n2 * (u * u + v * v - 1.0), 0.0))) / n2
    return t


def central_duration(elements: BesselianElements, place, t):
    """C3 - C2 in hours for observers on the central line near time t."""
    t_max = time_of_maximum(elements, t, place)
    second = contact_time(elements, t_max, place, umbral=True, ending=False)
    third = contact_time(elements, t_max, place, umbral=True, ending=True)
    return third - second


def path_width(s, e):
    """Width of the central path at a place on the central line, Earth radii
    (``s``, the shadow relative to the place; ``e``, the elements then).

    The shadow edge sweeps a band 2|L2| wide across the fundamental plane,
    perpendicular to its motion (a, b) relative to the ground.  Its trace on
    the ground's tangent plane, measured square to the central line, is
    2|L2| / sqrt(1 - (N . p)^2), N the ellipsoid's normal and p the unit vector
    square to the motion: the local-plane width (Explanatory Supplement 1961
    section 9C; Meeus 1989).  Near the path's ends, where the Sun is low and
    the surface curves away, the width NASA publishes is between the limit
    lines and can differ from this by several per cent.

    N is the gradient of the ellipsoid's |r|^2 + (k - 1) Z^2 at the place
    r = (xi, eta, zeta) = (x - u, y - v, zeta): r + (k - 1) Z P, with P =
    (0, cos d, sin d) the Earth's axis, Z = r . P and k = 1 / (1 - f)^2.
    """
    xi, eta, zeta = e.x - s.u, e.y - s.v, s.zeta
    sin_d, cos_d = sin_cos(e.d)
    polar = (1.0 / (1.0 - FLATTENING) ** 2 - 1.0) * (eta * cos_d + zeta * sin_d)
    n_xi, n_eta, n_zeta = xi, eta + polar * cos_d, zeta + polar * sin_d
    norm = np.sqrt(n_xi * n_xi + n_eta * n_eta + n_zeta * n_zeta)
    across = (-s.b * n_xi + s.a * n_eta) / (np.hypot(s.a, s.b) * norm)
    return 2.0 * np.abs(s.umbra) / np.sqrt(1.0 - across * across)


# --- geometry on the fundamental plane -----------------------------------------


def _quadric(d, sin_d=None, cos_d=None):
    """Coefficients of the ellipsoid's equation in zeta (see ``surface_zeta``):
    A, and B / eta, C's coefficient of eta^2.  (``sin_d``, ``cos_d``: sin d
    and cos d when the caller has them.)"""
    if sin_d is None:
        sin_d, cos_d = sin_cos(d)
    k = 1.0 / (1.0 - FLATTENING) ** 2
    return (cos_d * cos_d + k * sin_d * sin_d, sin_d * cos_d * (k - 1.0),
            sin_d * sin_d + k * cos_d * cos_d)


def _zeta(quadric, xi, eta):
    a, b1, c2 = quadric
    b = eta * b1
    discriminant = b * b - a * (eta * eta * c2 + xi * xi - 1.0)
    return (-b + np.sqrt(np.maximum(discriminant, 0.0))) / a, discriminant >= 0


def _residual(quadric, xi, eta, zeta):
    a, b1, c2 = quadric
    return (a * zeta + 2.0 * eta * b1) * zeta + eta * eta * c2 + xi * xi - 1.0


def surface_zeta(xi, eta, d):
    """zeta of the ellipsoid's point on the Sun's side above (xi, eta).

    The ellipsoid X^2 + Y^2 + (Z / (1 - f))^2 = 1 with Z = eta cos d + zeta sin d
    and X^2 + Y^2 = xi^2 + (zeta cos d - eta sin d)^2 is a quadratic
    A zeta^2 + 2 B zeta + C = 0.  Outside the outline (negative discriminant)
    the value on the outline (the double root -B/A) is returned, so that
    curves stay continuous across it; ``inside`` says which.
    """
    return _zeta(_quadric(d), xi, eta)


def outline_zeta(eta, d):
    """zeta of the Earth's outline point with ordinate eta (the double root
    -B/A of ``surface_zeta``'s quadratic)."""
    a, b1, _ = _quadric(d)
    return -eta * b1 / a


def outline_excess(xi, eta, d):
    """x^2 + (y / b)^2 - 1: negative inside the Earth's outline."""
    return xi * xi + (eta / outline_minor_axis(d)) ** 2 - 1.0


def edge_points(e, side, penumbral: bool, on_outline: bool = False, zeta_start=None, below=None,
                tolerance: float = 1e-11, trial_zeta=None):
    """Points of the shadow's edge on the ground where the edge moves along
    itself: the limits at the instants of ``e`` (module docstring).

    ``side`` -1 for the northern limit (left of the motion), +1 for the
    southern; it and ``penumbral`` (a bool, or bools per point) broadcast
    against the times.  Returns xi, eta and zeta; where
    the limit is off the Earth the point is computed with zeta on the outline
    (``surface_zeta``).  ``on_outline`` always takes zeta of the outline, which
    makes the point a smooth function of time: its root of ``outline_excess``
    is where the limit meets the outline.

    For a given zeta (hence L and the zeta-dependent parts of the rates) the
    tangency condition is linear in cos Q and sin Q, because the terms of the
    ground's rates in Q cancel in (a, b).(cos Q, sin Q):

        A cos Q + B sin Q = C,   A = a0 + s tan f |L| mu' cos d,
        B = b0 - s tan f |L| d',  C = s (l' - tan f c0),

    with a0 = x' - mu' zeta cos d + mu' y sin d, b0 = y' - mu' x sin d + zeta d',
    c0 = -mu' x cos d + y d', s the sign of L: Q = atan2(B, A) + side acos(C / |(A, B)|).
    Only zeta remains to be solved: zeta = zeta_surface(point(zeta)); the
    solution taken is the largest (below).  ``zeta_start``, a close guess
    (interpolated from neighbouring instants), replaces the search by a few
    secant steps; ``below``, the zeta of the largest solution, asks for the
    next one down (NaN where there is none): the second branch at a fold.
    ``tolerance``: the solution's zeta to this (the point follows to about
    the same in Earth radii).  ``trial_zeta`` solves nothing: the point for
    that zeta and the zeta of the ground there (equal at a solution).
    """
    if np.ndim(e.x) == 0:
        # one instant: as an array of one instant (point() works in place)
        shape = np.shape(side)
        as_array = lambda v: None if v is None else np.reshape(v, (1,) * max(len(shape), 1))  # noqa: E731
        one = edge_points(type(e)(*(as_array(v) for v in e)), side, penumbral, on_outline,
                          as_array(zeta_start), as_array(below), tolerance, as_array(trial_zeta))
        return tuple(np.reshape(v, shape)[()] for v in one)
    if np.ndim(penumbral) == 0:
        l, dl, tan_f = (e.l1, e.dl1, e.tan_f1) if penumbral else (e.l2, e.dl2, e.tan_f2)
    else:  # per point
        l, dl, tan_f = (np.where(penumbral, one, two) for one, two in
                        ((e.l1, e.l2), (e.dl1, e.dl2), (e.tan_f1, e.tan_f2)))
    sin_d, cos_d = sin_cos(e.d)
    quadric = _quadric(e.d, sin_d, cos_d)
    mu_cos = e.dmu * cos_d
    c_part = dl - tan_f * (-mu_cos * e.x + e.y * e.dd)
    side = np.asarray(side, dtype=float)
    x, y = e.x, e.y
    # A and B are linear in zeta: with w = zeta - s tan f |L| =
    # zeta (1 + tan^2 f) - l tan f, A = a0' - mu' cos d (1 + tan^2 f) zeta and
    # B = b0' + d' (1 + tan^2 f) zeta
    spread, offset = 1.0 + tan_f * tan_f, l * tan_f
    a_const = e.dx + e.dmu * e.y * sin_d + mu_cos * offset
    a_slope = mu_cos * spread
    b_const = e.dy - e.dmu * e.x * sin_d - e.dd * offset
    b_slope = e.dd * spread

    a_coefficient, b_coefficient, c_coefficient = quadric
    inverse_a = 1.0 / a_coefficient

    def point(zeta, with_zeta=True):
        # (in-place operations where the arrays are the grid's: fewer temporaries)
        signed = l - zeta * tan_f  # L
        big_a = a_const - a_slope * zeta
        big_b = b_slope * zeta
        big_b += b_const
        inverse_norm = np.hypot(big_a, big_b)
        np.divide(1.0, inverse_norm, out=inverse_norm)
        cos_b = np.sign(signed)
        cos_b *= c_part
        cos_b *= inverse_norm
        np.minimum(np.maximum(cos_b, -1.0, out=cos_b), 1.0, out=cos_b)
        sin_b = 1.0 - cos_b * cos_b
        np.sqrt(sin_b, out=sin_b)
        sin_b = side * sin_b
        # Q = alpha + side * beta, with (cos alpha, sin alpha) = (A, B) / |(A, B)|
        radius = np.abs(signed)
        radius *= inverse_norm
        xi = big_b * sin_b  # (sin_b has the full shape: side's too)
        np.subtract(big_a * cos_b, xi, out=xi)
        xi *= radius
        np.subtract(x, xi, out=xi)
        eta = big_a * sin_b
        np.add(big_b * cos_b, eta, out=eta)
        eta *= radius
        np.subtract(y, eta, out=eta)
        if not with_zeta:
            return xi, eta, None
        half_b = eta * b_coefficient
        if on_outline:
            return xi, eta, -half_b * inverse_a
        discriminant = eta * eta
        discriminant *= c_coefficient
        discriminant += xi * xi
        discriminant -= 1.0
        discriminant *= a_coefficient
        np.subtract(half_b * half_b, discriminant, out=discriminant)
        np.sqrt(np.maximum(discriminant, 0.0, out=discriminant), out=discriminant)
        discriminant -= half_b
        discriminant *= inverse_a
        return xi, eta, discriminant

    if trial_zeta is not None:
        return point(np.asarray(trial_zeta, dtype=float))

    if zeta_start is not None:
        # from a close guess: secant steps on the residual of the ellipsoid's
        # equation at point(z), which, unlike zeta(point(z)) - z, stays smooth
        # near the outline (where zeta grows like the square root of the
        # distance from it)
        z_old = np.asarray(zeta_start, dtype=float)
        xi, eta, z_new = point(z_old)
        g_old = _residual(quadric, xi, eta, z_old)
        for _ in range(WARM_POLISH_ITERATIONS):
            g_new = _residual(quadric, *point(z_new, with_zeta=False)[:2], z_new)
            denominator = g_new - g_old
            safe = np.abs(denominator) > 1e-15
            step = np.where(safe, -g_new * (z_new - z_old) / np.where(safe, denominator, 1.0), 0.0)
            z_old, g_old = z_new, g_new
            z_new = np.minimum(np.maximum(z_new + step, ZETA_FLOOR), 1.0)
        return (*point(z_new, with_zeta=False)[:2], z_new)

    if on_outline:
        # zeta of the outline is small and smooth: plain steps then secant steps
        z_old = point(np.zeros(np.shape(x)))[2]
        z_new = point(z_old)[2]
        g_old = z_new - z_old
        for _ in range(OUTLINE_ITERATIONS):
            g_new = point(z_new)[2] - z_new
            denominator = g_new - g_old
            safe = np.abs(denominator) > 1e-14
            step = np.where(safe, -g_new * (z_new - z_old) / np.where(safe, denominator, 1.0), g_new)
            z_old, g_old = z_new, g_new
            z_new = z_new + step
        return point(z_new)

    # The largest root of g(z) = zeta(point(z)) - z in [0, 1].  Near the
    # horizon g can have other roots close to 0 whose points lie off the Earth
    # (where zeta is clamped to the outline's), to which an iteration from
    # zeta = 0 can be drawn while the true limit is on the Earth higher up:
    # bracket the largest root by scanning down from 1, then regula falsi.
    # With ``below`` (zeta of the largest root), the next root down: the
    # second branch born with the first at a fold.
    shape = np.broadcast_shapes(np.shape(x), np.shape(side))
    if below is None:
        top, floor, sign = np.ones(shape), np.full(shape, ZETA_FLOOR), 1.0
        fractions = np.linspace(0.0, 1.0, ZETA_SCAN + 1)
    else:
        # the second root ends by merging with the root on the outline
        # (clamped zeta; the fixed point of the outline's zeta): levels
        # closer and closer towards that one
        top, sign = np.broadcast_to(np.asarray(below, dtype=float) - 1e-7, shape), -1.0
        floor = np.broadcast_to(edge_points(e, side, penumbral, on_outline=True)[2] + 1e-12, shape)
        fractions = 1.0 - np.linspace(1.0, 0.0, 4 * ZETA_SCAN + 1) ** 3
    fractions = fractions.reshape((-1,) + (1,) * len(shape))
    levels = top + (floor - top) * fractions  # from the top down, one call
    # (in slices of levels of about CHUNK points: see in_chunks)
    rows = max(1, CHUNK // max(1, int(np.prod(shape))))
    g_levels = np.concatenate([point(levels[i:i + rows])[2] for i in range(0, len(levels), rows)])
    g_levels -= levels
    g_levels *= sign  # > 0 just below the root sought
    positive = g_levels > 0
    found = positive.any(axis=0)
    k = np.argmax(positive, axis=0)  # the first level from the top with g > 0
    above = np.maximum(k - 1, 0)
    columns = np.arange(k.size)

    def pick(values, rows):  # values[rows[...], ...]: new arrays, updated in place below
        return values.reshape(len(values), -1)[rows.ravel(), columns].reshape(shape)

    lo, hi, g_lo, g_hi = pick(levels, k), pick(levels, above), pick(g_levels, k), pick(g_levels, above)
    lo, hi = np.where(found, lo, floor), np.where(found, hi, floor)
    # g_lo > 0 >= g_hi from here on, so that the secant never divides by
    # zero; where the bracket is a single level (or none was found) any such
    # values leave z there
    single = lo == hi
    np.copyto(g_lo, 1.0, where=single)
    np.copyto(g_hi, -1.0, where=single)
    # (Illinois's halving and the bracket's update in place, on masks: the
    # loop runs on small arrays, where each numpy call's overhead counts)
    last_hi = None  # whether the last step replaced lo (None before the first)
    z = lo
    for _ in range(ZETA_ROOT_ITERATIONS):
        z = (lo * g_hi - hi * g_lo) / (g_hi - g_lo)
        g = point(z)[2]
        g -= z
        if sign < 0:
            np.negative(g, out=g)
        if ((np.abs(hi - lo) < tolerance) | (np.abs(g) < 1e-13)).all():
            break
        keep_hi = g > 0  # the root lies between z and hi: z replaces lo
        keep_lo = ~keep_hi
        if last_hi is not None:
            np.multiply(g_hi, 0.5, out=g_hi, where=keep_hi & last_hi)
            np.multiply(g_lo, 0.5, out=g_lo, where=keep_lo & ~last_hi)
        np.copyto(lo, z, where=keep_hi)
        np.copyto(g_lo, g, where=keep_hi)
        np.copyto(hi, z, where=keep_lo)
        np.copyto(g_hi, g, where=keep_lo)
        last_hi = keep_hi
    xi, eta, zeta = point(z)
    if below is not None:  # no second root: nothing
        xi, eta = np.where(found, xi, np.nan), np.where(found, eta, np.nan)
    return xi, eta, zeta


def _limit_outline_excess(elements: BesselianElements, t, side, penumbral: bool):
    """``outline_excess`` of the limit's point with the outline's zeta at hours
    t: a smooth function of time whose roots are where a limit meets the
    Earth's outline."""
    e = elements.at(t)
    xi, eta, _ = edge_points(e, side, penumbral, on_outline=True)
    return outline_excess(xi, eta, e.d)


def outline_gap(e, penumbral):
    """Distance of the shadow's circle from the Earth's outline: zero at P1,
    P4 (U1, U4), negative while it overlaps (``penumbral``, a bool or bools,
    broadcasts against the instants).  The circle's radius is L at the
    nearest point of the outline, l - zeta tan f with zeta of the outline
    (~1e-3; FORMULAS.md's l1 or |l2| with zeta = 0 differ by ~1e-6 radii)."""
    _, eta, distance = nearest_outline_point(e.x, e.y, e.d)
    zeta = outline_zeta(eta, e.d)
    radius = np.where(penumbral, e.l1 - zeta * e.tan_f1, np.abs(e.l2 - zeta * e.tan_f2))
    return distance - radius


#: Long arrays are worked on in slices of CHUNK elements (``in_chunks``):
#: 64 kB per temporary, under glibc's threshold for pages of their own.
#: (2048, 4096, 6144 and 8192 timed on 2024-04-08 at 1-s steps: 4096 and
#: up within 2 ms, 8192 or 6144 best.)
CHUNK = 8192


def in_chunks(func, *arrays):
    """``func`` applied to consecutive slices of 1-D arrays, its results
    (a tuple of arrays) joined.

    Slices of CHUNK elements keep NumPy's temporaries small: on arrays of
    tens of thousands of elements each temporary otherwise costs fresh
    pages from the system (glibc gives a freed block at the top of the heap
    back), which made the limits' fine points 2-3x slower (2024-04-08 at
    1-s steps).
    """
    n = len(arrays[0])
    if n <= CHUNK:
        return func(*arrays)
    pieces = [func(*(a[i:i + CHUNK] for a in arrays)) for i in range(0, n, CHUNK)]
    return tuple(np.concatenate(p) for p in zip(*pieces))


def _bracketed_root(func, lo, hi, iterations: int = 30):
    """Roots of func in [lo, hi] (arrays) by the Illinois regula falsi.

    func changes sign over each bracket; it is smooth there, so the method
    converges superlinearly; 30 steps reach the rounding of hours (1e-12 h)
    from brackets of up to an hour.
    """
    lo, hi = np.array(lo, dtype=float), np.array(hi, dtype=float)
    if lo.size == 0:
        return lo
    f_lo, f_hi = func(lo), func(hi)
    last = np.zeros(lo.shape)
    t = lo
    for _ in range(iterations):
        denominator = f_hi - f_lo
        with np.errstate(invalid="ignore", divide="ignore"):
            t = np.where(denominator != 0, (lo * f_hi - hi * f_lo) / denominator, lo)
        t = np.clip(t, np.minimum(lo, hi), np.maximum(lo, hi))
        f = func(t)
        if np.all((np.abs(f) < 1e-15) | (np.abs(hi - lo) < 1e-10)):
            break  # 0.4 us: the shadow moves < 1e-10 radii
        keep_hi = f * f_lo > 0  # the root is between t and hi: t replaces lo
        f_hi = np.where(keep_hi & (last == -1), f_hi / 2, f_hi)
        f_lo = np.where(~keep_hi & (last == 1), f_lo / 2, f_lo)
        lo, f_lo = np.where(keep_hi, t, lo), np.where(keep_hi, f, f_lo)
        hi, f_hi = np.where(keep_hi, hi, t), np.where(keep_hi, f_hi, f)
        last = np.where(keep_hi, -1, 1)
    return t


def _entries_exits(inside, same=True):
    """Indices i where a sampled condition turns on (entries) and off
    (exits) between samples i and i + 1; ``same``, a mask over those pairs,
    leaves out pairs that straddle two series laid end to end."""
    return (np.flatnonzero(~inside[:-1] & inside[1:] & same),
            np.flatnonzero(inside[:-1] & ~inside[1:] & same))


def _crossings(t, inside, func):
    """Entries and exits of a curve sampled at times t (sorted), refined."""
    enter, leave = _entries_exits(inside)
    both = np.concatenate([enter, leave])
    roots = _bracketed_root(func, t[both], t[both + 1])
    return roots[: len(enter)], roots[len(enter):]


def _contacts(elements: BesselianElements, extra=()):
    """First and last instants when the penumbra and the umbra touch the
    Earth, hours from t0: ((P1, P4), (U1, U4)), None for a shadow that never
    does.  Bracketed on a grid (plus the instants ``extra``), refined on the
    true outline; both shadows at once."""
    grid = np.union1d(np.arange(-SEARCH_HOURS, SEARCH_HOURS + 1e-9, CONTACT_GRID_HOURS), extra)
    shadows = np.array([[True], [False]])  # penumbra, umbra
    touching = outline_gap(elements.at(grid), shadows) < 0
    enter, leave = (list(v) for v in zip(*(_entries_exits(row) for row in touching)))
    index = np.concatenate(enter + leave)
    penumbral = np.repeat([True, False, True, False], [len(i) for i in enter + leave])
    roots = _bracketed_root(lambda t: -outline_gap(elements.at(t), penumbral), grid[index], grid[index + 1])
    entering = np.arange(len(index)) < sum(len(i) for i in enter)
    spans = []
    for k in range(2):
        if not touching[k].any():
            spans.append(None)
            continue
        kind = penumbral == (k == 0)
        first, last = roots[kind & entering], roots[kind & ~entering]
        if not len(first) or not len(last):
            raise EclipseError("the shadow touches the Earth beyond the span of the elements")
        spans.append((float(first.min()), float(last.max())))
    return tuple(spans)


def _greatest(elements: BesselianElements, t=0.0):
    """Hours from t0 when the axis is nearest the outline (x^2 + (y/b)^2 least)."""
    t = np.asarray(t, dtype=float)
    for _ in range(5):
        e = elements.at(t)
        b = outline_minor_axis(e.d)
        y, dy = e.y / b, e.dy / b
        t = t - (e.x * e.dx + y * dy) / (e.dx * e.dx + dy * dy)
    return float(t)


# --- results -------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Curve:
    """A curve on the ground, sampled in time: one or more continuous parts.

    ``jd_tt`` are the instants (TT Julian dates) at which the shadow is at each
    vertex; ``latitude`` (geodetic) and ``longitude`` (east, in [-180, 180))
    are in degrees; ``part`` numbers the continuous pieces (0, 1, ...).
    """

    name: str
    jd_tt: np.ndarray
    latitude: np.ndarray
    longitude: np.ndarray
    part: np.ndarray
    delta_t: float = field(repr=False)
    #: True for the vertices at whole steps of UTC; False for the solved ends
    #: and for the vertices added where the curve bends between steps
    on_step: np.ndarray = field(default=None, repr=False)

    def __len__(self):
        return len(self.jd_tt)

    @property
    def jd_ut(self) -> np.ndarray:
        return self.jd_tt - self.delta_t / 86400.0

    def times_utc(self) -> list[str]:
        """ISO 8601 UTC time of each vertex, to a tenth of a second."""
        return [format_datetime(jd, 1, "Z") for jd in self.jd_ut]

    def parts(self) -> list[np.ndarray]:
        """Indices of the vertices of each continuous piece."""
        return [np.flatnonzero(self.part == k) for k in np.unique(self.part)]


@dataclass(frozen=True, eq=False)
class CentralLine(Curve):
    """The central line with the Sun's altitude and azimuth (degrees), the
    path's width (km) and the central duration (s) at each vertex."""

    sun_altitude: np.ndarray = field(default=None, repr=False)
    sun_azimuth: np.ndarray = field(default=None, repr=False)
    width_km: np.ndarray = field(default=None, repr=False)
    duration_s: np.ndarray = field(default=None, repr=False)


@dataclass(frozen=True)
class Instant:
    """A named instant with its point on the ground (degrees)."""

    name: str
    jd_tt: float
    latitude: float
    longitude: float
    delta_t: float = field(repr=False)
    value: float | None = None  # e.g. the greatest duration in seconds

    @property
    def time_utc(self) -> str:
        return format_datetime(self.jd_tt - self.delta_t / 86400.0, 1, "Z")


@dataclass(frozen=True, eq=False)
class Path:
    """The path of an eclipse; curves are None where they do not exist."""

    elements: BesselianElements = field(repr=False)
    delta_t: float
    step: float
    central_line: CentralLine | None
    umbra_north_limit: Curve | None
    umbra_south_limit: Curve | None
    penumbra_north_limit: Curve | None
    penumbra_south_limit: Curve | None
    p1: Instant
    p4: Instant
    u1: Instant | None
    u4: Instant | None
    greatest_duration: Instant | None
    #: the penumbra's time grid and its whole steps, for the curves computed
    #: on demand
    penumbra_grid: tuple = field(default=None, repr=False)

    @functools.cached_property
    def _rise_set(self):
        grid, on_step = self.penumbra_grid
        span = ((self.p1.jd_tt - float(self.elements.t0)) * 24.0, (self.p4.jd_tt - float(self.elements.t0)) * 24.0)
        return _rise_set(self.elements, grid, on_step, span, self.delta_t)

    @property
    def rise_set(self) -> Curve | None:
        """The curves where the partial phase begins or ends with the Sun on
        the horizon: closed loops P1 -> P2 -> P1 and P3 -> P4 -> P3 (or
        P1 -> P4 -> P1 when the penumbra never lies wholly on the Earth).
        Computed on first use; not in the GeoJSON, whose contract (DESIGN.md)
        names other features."""
        return self._rise_set[0]

    @property
    def p2(self) -> Instant | None:
        """The penumbra internally tangent to the outline (wholly on the Earth from then)."""
        return self._rise_set[1]

    @property
    def p3(self) -> Instant | None:
        """The penumbra internally tangent to the outline (leaving the Earth from then)."""
        return self._rise_set[2]

    @property
    def lines(self) -> dict:
        """The curves that exist, by their GeoJSON feature name."""
        named = {
            "central_line": self.central_line,
            "umbra_north_limit": self.umbra_north_limit,
            "umbra_south_limit": self.umbra_south_limit,
            "penumbra_north_limit": self.penumbra_north_limit,
            "penumbra_south_limit": self.penumbra_south_limit,
        }
        return {k: v for k, v in named.items() if v is not None and len(v)}

    @functools.cached_property
    def umbra(self):
        """Where the central phase is seen (shapely, lon/lat), or None."""
        from . import geometry

        if self.u1 is None:
            return None
        return geometry.shadow_region(self, penumbral=False)

    @functools.cached_property
    def penumbra(self):
        """Where any partial phase is seen (shapely, lon/lat)."""
        from . import geometry

        return geometry.shadow_region(self, penumbral=True)

    def to_geojson(self, indent=None) -> str:
        """A FeatureCollection (RFC 7946); see DESIGN.md."""
        from . import geometry

        return json.dumps(geometry.feature_collection(self), indent=indent)

    def to_kml(self) -> str:
        """A KML document of the same features."""
        from . import geometry

        return geometry.kml(self)


# --- building the path ----------------------------------------------------------


def path(source, step: float = 60.0) -> Path:
    """The path of an eclipse (an ``Eclipse`` or ``BesselianElements``) with
    vertices every ``step`` seconds of UTC, plus the exact ends."""
    elements = getattr(source, "elements", source)
    if not isinstance(elements, BesselianElements) or np.ndim(elements.t0):
        raise EclipseError("path() needs one eclipse or its Besselian elements")
    step = float(step)
    if not step > 0 or not np.isfinite(step):
        raise EclipseError(f"the step must be a positive number of seconds, not {step:g}")
    delta_t = float(elements.delta_t)
    t0 = float(elements.t0)

    t_greatest = _greatest(elements)
    penumbra_span, umbra_span = _contacts(elements, extra=[t_greatest])
    if penumbra_span is None:
        raise EclipseError("the penumbra does not touch the Earth: no eclipse")

    def grid(span):
        # multiples of the step in UTC (whole steps since 0h of the day) and
        # the span's ends; when the step leaves fewer than 8 instants inside
        # the span, 8 more spread over it, so that short curves are found
        ut0 = (t0 - delta_t / 86400.0 - 0.5) % 1.0 * 86400.0  # UT seconds of day at t0
        first = np.ceil((ut0 + span[0] * 3600.0) / step) * step
        last = np.floor((ut0 + span[1] * 3600.0) / step) * step
        times = (np.arange(first, last + step / 2, step) - ut0) / 3600.0
        if len(times) < 8:
            extra = np.linspace(span[0], span[1], 10)[1:-1]
            every = np.union1d(times, np.concatenate([[span[0], span[1]], extra]))
            return every, np.isin(every, times)
        # (times are sorted, within the span: no sort needed)
        inner = times[(times > span[0]) & (times < span[1])]
        every = np.concatenate([[span[0]], inner, [span[1]]])
        on_step = np.ones(len(every), bool)
        on_step[0], on_step[-1] = times[0] == span[0], times[-1] == span[1]
        return every, on_step

    p1 = _contact_instant(elements, "P1", penumbra_span[0], delta_t)
    p4 = _contact_instant(elements, "P4", penumbra_span[1], delta_t)
    penumbra_grid, penumbra_steps = grid(penumbra_span)
    shadows = [("penumbra", penumbra_grid, penumbra_steps)]

    central = u1 = u4 = greatest_duration = None
    if umbra_span is not None:
        u1 = _contact_instant(elements, "U1", umbra_span[0], delta_t)
        u4 = _contact_instant(elements, "U4", umbra_span[1], delta_t)
        umbra_grid, umbra_steps = grid(umbra_span)
        shadows.append(("umbra", umbra_grid, umbra_steps))
        central, greatest_duration = _central_line(elements, umbra_grid, umbra_steps, t_greatest, delta_t)
    limits = _limits(elements, shadows, delta_t)
    north_p, south_p = limits["penumbra"]
    north_u, south_u = limits.get("umbra", (None, None))

    return Path(
        elements=elements, delta_t=delta_t, step=step, central_line=central,
        umbra_north_limit=north_u, umbra_south_limit=south_u,
        penumbra_north_limit=north_p, penumbra_south_limit=south_p,
        p1=p1, p4=p4, u1=u1, u4=u4, greatest_duration=greatest_duration,
        penumbra_grid=(penumbra_grid, penumbra_steps),
    )


def _outline_crossings(e, branch, iterations: int = 6):
    """Points (cos phi, b sin phi) of the Earth's outline on the penumbra's
    edge, Delta = L1 = l1 - zeta tan f1 (zeta of the outline, ~0): Newton's
    method on phi from the crossing of two circles.  ``branch`` +-1 picks one
    of the two; returns phi and whether it converged to a crossing."""
    b = outline_minor_axis(e.d)
    rho = np.hypot(e.x, e.y / b)
    cos_alpha = (1.0 + rho * rho - e.l1 * e.l1) / (2.0 * rho)
    phi = np.arctan2(e.y / b, e.x) + branch * np.arccos(np.clip(cos_alpha, -1.0, 1.0))
    for _ in range(iterations):
        cos_p, sin_p = np.cos(phi), np.sin(phi)
        u, v = cos_p - e.x, b * sin_p - e.y
        radius = e.l1 - outline_zeta(b * sin_p, e.d) * e.tan_f1
        f = u * u + v * v - radius * radius
        df = 2.0 * (-u * sin_p + v * b * cos_p)
        phi = phi - f / df
    cos_p, sin_p = np.cos(phi), np.sin(phi)
    radius = e.l1 - outline_zeta(b * sin_p, e.d) * e.tan_f1
    residual = np.hypot(cos_p - e.x, b * sin_p - e.y) - radius
    return phi, (np.abs(residual) < 1e-9) & (np.abs(cos_alpha) < 1.0)


def _rise_set(elements: BesselianElements, t, on_grid, span, delta_t: float):
    """The sunrise/sunset curves of the partial phase and the instants P2, P3
    (the penumbra internally tangent to the outline), or None."""
    e = elements.at(t)

    def inside(tt):  # > 0 while the penumbra lies wholly within the outline
        ee = elements.at(tt)
        _, eta, distance = nearest_outline_point(ee.x, ee.y, ee.d)
        return -distance - (ee.l1 - outline_zeta(eta, ee.d) * ee.tan_f1)

    within = inside(t) > 0
    p2 = p3 = None
    if within.any():
        enter, leave = _crossings(t, within, inside)
        if len(enter) and len(leave):
            p2, p3 = float(enter[0]), float(leave[-1])
    spans = [(span[0], span[1])] if p2 is None else [(span[0], p2), (p3, span[1])]
    times, lat, lon, part, step = [], [], [], [], []
    for k, (start, end) in enumerate(spans):
        interior = (t > start) & (t < end)
        ti = t[interior]
        ei = _select(e, interior)
        branches = []
        for branch in (1.0, -1.0):
            phi, ok = _outline_crossings(ei, branch)
            b = outline_minor_axis(ei.d)
            la, lo = point_under(np.cos(phi), b * np.sin(phi), ei.d, ei.mu)
            branches.append((ti[ok], la[ok], lo[ok], on_grid[interior][ok]))
        ends = []
        for tt in (start, end):
            ee = elements.at(tt)
            xi, eta, _ = nearest_outline_point(ee.x, ee.y, ee.d)
            la, lo = point_under(xi, eta, ee.d, ee.mu)
            ends.append((np.array([tt]), np.atleast_1d(la), np.atleast_1d(lo), np.array([False])))
        forward, backward = branches[0], tuple(a[::-1] for a in branches[1])
        loop = [ends[0], forward, ends[1], backward, ends[0]]
        for group, values in zip((times, lat, lon, step), zip(*loop)):
            group.append(np.concatenate(values))
        part.append(np.full(len(times[-1]), k))
    if not times:
        return None, None, None
    curve = Curve("rise_set", elements.t0 + np.concatenate(times) / 24.0,
                  np.concatenate(lat) * DEG, np.concatenate(lon) * DEG,
                  np.concatenate(part), delta_t, np.concatenate(step))
    if p2 is None:
        return curve, None, None
    return curve, _contact_instant(elements, "P2", p2, delta_t), _contact_instant(elements, "P3", p3, delta_t)


def _contact_instant(elements: BesselianElements, name: str, t: float, delta_t: float) -> Instant:
    """An instant when a shadow's circle touches the outline, at the point of contact."""
    e = elements.at(t)
    xi, eta, _ = nearest_outline_point(e.x, e.y, e.d)
    lat, lon = point_under(xi, eta, e.d, e.mu)
    return Instant(name, float(elements.t0) + t / 24.0, float(lat * DEG), float(lon * DEG), delta_t)


#: Where the straight segment between two vertices strays from the curve by
#: more than CHORD_TOLERANCE_KM at its middle instant, a vertex is added there
#: (repeatedly), so that the drawn line follows the true one within 1 km.
#: Segments shorter than MIN_CHECKED_KM are not checked: they could stray by
#: 0.5 km only where the curve turns with a radius under 25 km.  Measured
#: over the 223 eclipses of 1950-2050 at steps of 1, 10 and 60 s, chords of
#: 5-10 km strayed 48 m at most (R > 250 km; chords of 10-20 km up to
#: 245 m, hence not 20 km).  At 1-s steps the longer chords are the limits'
#: last seconds near the horizon, at ground speeds over 10 km/s.  (Chords are measured
#: after a cheap bound, R (|dlat| + |dlon|), loose by up to 1 / cos latitude.)
CHORD_TOLERANCE_KM = 0.5
MIN_CHECKED_KM = 10.0
DENSIFY_ROUNDS = 12


def ellipsoid_points(lat, lon):
    """Cartesian points (km) of the WGS84 ellipsoid at geodetic lat, lon (radians)."""
    sin_lat = np.sin(lat)
    n = EARTH_RADIUS_KM / np.sqrt(1 - ECCENTRICITY_SQUARED * sin_lat * sin_lat)
    return np.stack([n * np.cos(lat) * np.cos(lon), n * np.cos(lat) * np.sin(lon),
                     n * (1 - ECCENTRICITY_SQUARED) * sin_lat], -1)


def _densify(times, part, lat, lon, locate):
    """Add vertices where the chords between vertices stray from the curve.

    ``locate(t, part)`` gives (lat, lon) in radians at hours t on the given
    parts.  Vertices are ordered by part, then time (several curves can be
    densified at once).  Returns times, part, lat, lon and a mask of the
    vertices that were there before.

    A segment whose middle instant lies at one of its ends (within 1 % of a
    chord over 20 km) joins two branches of the curve, not one branch
    sampled coarsely (near the horizon a limit can switch branches at a
    fold): the curve is cut there into two parts rather than drawn across.

    Each round works on the segments still in question only (those added in
    the round before); the vertices are put in order once, at the end.
    """
    n = len(times)
    given = (times, part, lat, lon)
    # the added vertices, and for each the given vertex it follows
    added = [np.zeros(0), np.zeros(0, part.dtype), np.zeros(0), np.zeros(0)]
    anchor = np.zeros(0, int)

    def gather(which, numbers):  # values of the vertices so numbered
        out = np.empty(len(numbers), given[which].dtype)
        new = numbers >= n
        out[~new] = given[which][numbers[~new]]
        out[new] = added[which][numbers[new] - n]
        return out

    # the segments in question, by the numbers of their end vertices (the
    # given vertices are 0 .. n - 1, the added ones numbered on from n);
    # first those the cheap bound leaves: the chord is shorter than
    # R (|dlat| + |dlon|)
    d_lon = np.abs(np.diff(lon))
    bound = EARTH_RADIUS_KM * (np.abs(np.diff(lat)) + np.minimum(d_lon, 2 * np.pi - d_lon))
    a = np.flatnonzero((part[1:] == part[:-1]) & (bound > MIN_CHECKED_KM))
    b = a + 1
    cut = []  # vertices where a new part starts
    for _ in range(DENSIFY_ROUNDS):
        lat_a, lon_a, lat_b, lon_b = gather(2, a), gather(3, a), gather(2, b), gather(3, b)
        d_lon = np.abs(lon_b - lon_a)
        long = EARTH_RADIUS_KM * (np.abs(lat_b - lat_a) + np.minimum(d_lon, 2 * np.pi - d_lon)) > MIN_CHECKED_KM
        a, b = a[long], b[long]
        p, p_next = ellipsoid_points(lat_a[long], lon_a[long]), ellipsoid_points(lat_b[long], lon_b[long])
        chord = p_next - p
        length2 = np.sum(chord * chord, -1)
        # then the chord itself (the bound is loose by up to 1 / cos(latitude))
        long = length2 > MIN_CHECKED_KM * MIN_CHECKED_KM
        a, b, p, p_next, chord, length2 = a[long], b[long], p[long], p_next[long], chord[long], length2[long]
        if not len(a):
            break
        segment_part, t_a, t_b = gather(1, a), gather(0, a), gather(0, b)
        middle = 0.5 * (t_a + t_b)
        mid_lat, mid_lon = locate(middle, segment_part)
        q = ellipsoid_points(mid_lat, mid_lon)
        along = np.clip(np.sum((q - p) * chord, -1) / length2, 0.0, 1.0)
        stray = np.linalg.norm(q - p - along[:, None] * chord, axis=-1)
        length = np.sqrt(length2)
        at_end = np.minimum(np.linalg.norm(q - p, axis=-1), np.linalg.norm(q - p_next, axis=-1))
        jump = (length > 20.0) & (at_end < 0.01 * length)
        cut.append(b[jump])
        add = (stray > CHORD_TOLERANCE_KM) & ~jump  # NaN (a point off the Earth) adds nothing
        if not add.any():
            break
        # a chord's stray falls as the square of its length: cut each bad
        # segment into n pieces (a power of 2, so the middle is one of the cuts)
        # with n^2 ~ stray / tolerance, to need few rounds
        pieces = 2 ** np.clip(np.ceil(np.log2(np.sqrt(stray[add] / CHORD_TOLERANCE_KM))), 1, 5).astype(int)
        a, b, owner_t0, owner_t1 = a[add], b[add], t_a[add], t_b[add]
        k = np.repeat(pieces, pieces - 1)
        j = np.arange(k.size) - np.repeat(np.cumsum(pieces - 1) - (pieces - 1), pieces - 1) + 1
        owner = np.repeat(np.arange(len(a)), pieces - 1)
        new_t = owner_t0[owner] + (owner_t1 - owner_t0)[owner] * j / k
        new_part = segment_part[add][owner]
        is_middle = 2 * j == k
        new_lat, new_lon = np.empty(k.size), np.empty(k.size)
        new_lat[is_middle], new_lon[is_middle] = mid_lat[add], mid_lon[add]
        if (~is_middle).any():
            new_lat[~is_middle], new_lon[~is_middle] = locate(new_t[~is_middle], new_part[~is_middle])
        found = np.isfinite(new_lat)  # none where a limit stops between vertices (a fold)
        number = np.full(k.size, -1)
        number[found] = n + len(added[0]) + np.arange(found.sum())
        added = [np.concatenate([old, new[found]]) for old, new in zip(added, (new_t, new_part, new_lat, new_lon))]
        owner_anchor = a.copy()
        owner_anchor[a >= n] = anchor[a[a >= n] - n]
        anchor = np.concatenate([anchor, owner_anchor[owner][found]])
        # the new segments: each owner's a, its vertices found, b, in turn
        chain = np.concatenate([a, number, b])
        chain_owner = np.concatenate([np.arange(len(a)), owner, np.arange(len(a))])
        chain_rank = np.concatenate([np.zeros(len(a)), j / k, np.ones(len(a))])
        order = np.lexsort((chain_rank, chain_owner))
        chain, chain_owner = chain[order], chain_owner[order]
        chain_owner = chain_owner[chain >= 0]
        chain = chain[chain >= 0]
        consecutive = chain_owner[1:] == chain_owner[:-1]
        a, b = chain[:-1][consecutive], chain[1:][consecutive]
        if not len(a):
            break
    if not len(added[0]) and not any(len(c) for c in cut):
        return times, part, lat, lon, np.ones(n, bool)
    # the added vertices put in after the given vertex they follow, in time
    order = np.lexsort((added[0], anchor))
    where = anchor[order] + 1
    is_cut = np.zeros(n + len(anchor), bool)
    if cut:
        is_cut[np.concatenate(cut)] = True
    times, part, lat, lon = (np.insert(one, where, more[order]) for one, more in zip(given, added))
    original = np.insert(np.ones(n, bool), where, False)
    is_cut = np.insert(is_cut[:n], where, is_cut[n:][order])
    return times, part + np.cumsum(is_cut), lat, lon, original


def _assemble(t, enter, leave):
    """Times of a curve's vertices (sorted times t on the curve and its
    refined ends), the number of the part each belongs to, and the order
    that sorts concatenate([t, enter, leave]) into them."""
    times = np.concatenate([t, enter, leave])
    order = np.argsort(times, kind="stable")
    times = times[order]
    # parts begin at the entries: numbered 0, 1, ... in time
    part = np.searchsorted(np.sort(enter), times, side="right")
    starts = np.zeros(len(times), int)
    starts[1:] = part[1:] != part[:-1]
    part = np.cumsum(starts)
    return times, part, order


#: Above this many instants, limits are first found on a subgrid of about
#: COARSE_POINTS instants (where they exist, where they end, their zeta), then
#: computed at the other instants from interpolated zeta with the polishing
#: iterations only (tests check them against the full iteration).
COARSE_POINTS = 300


def _limits(elements: BesselianElements, shadows, delta_t: float) -> dict:
    """Northern and southern limits of each shadow in ``shadows``, a list of
    (name, time grid, mask of its whole steps) with name "penumbra" or
    "umbra", with their ends solved where they meet the Earth's outline:
    {name: (north, south)}.

    The four limits are worked on together, one array for all, so that each
    step costs one set of NumPy calls however many limits there are.  Limit
    ``row`` 2 i + k is shadow i's northern (k = 0) or southern limit; its
    vertices' parts are numbered from row * PART_OFFSET."""
    row_side = np.tile([-1.0, 1.0], len(shadows))
    row_penumbral = np.repeat([name == "penumbra" for name, _, _ in shadows], 2)
    # each row's subgrid, all rows in one array
    coarse = []
    for name, t, _ in shadows:
        every = max(1, int(np.ceil(len(t) / COARSE_POINTS)))
        coarse += [np.union1d(t[::every], t[-1:])] * 2
    row = np.repeat(np.arange(len(coarse)), [len(c) for c in coarse])
    t_coarse = np.concatenate(coarse)
    e = elements.at(t_coarse)
    xi, eta, zeta = edge_points(e, row_side[row], row_penumbral[row])
    inside = outline_excess(xi, eta, e.d) < 0

    # where each limit meets the outline: the brackets of all rows at once
    enter, leave = _entries_exits(inside, row[1:] == row[:-1])
    index = np.concatenate([enter, leave])
    entering = np.arange(len(index)) < len(enter)
    bracket_row = row[index]
    bracket_side, bracket_penumbral = row_side[bracket_row], row_penumbral[bracket_row]
    roots = _bracketed_root(lambda tt: _limit_outline_excess(elements, tt, bracket_side, bracket_penumbral),
                            t_coarse[index], t_coarse[index + 1])
    e_roots = elements.at(roots)
    x_roots, y_roots, _ = edge_points(e_roots, bracket_side, bracket_penumbral, on_outline=True)
    roots, e_roots, x_roots, y_roots, fold = _fold_ends(
        elements, bracket_penumbral, t_coarse[index], t_coarse[index + 1], entering, bracket_side,
        roots, e_roots, x_roots, y_roots)
    # from each fold, the second branch down to the horizon
    second = _second_branches(elements, bracket_penumbral[fold], roots[fold],
                              np.where(entering, 1.0, -1.0)[fold], bracket_side[fold],
                              x_roots[fold], y_roots[fold])
    lat_roots, lon_roots = point_under(x_roots, y_roots, e_roots.d, e_roots.mu)

    # the instants of each row's grid where its limit is on the Earth; their
    # points from zeta interpolated on the subgrid ("warm"), or by the full
    # iteration
    fine = []  # per row: (times, whole steps, warm, guess)
    for r, c in enumerate(coarse):
        _, t, on_grid = shadows[r // 2]
        here = row == r
        changes = np.sort(roots[bracket_row == r])
        if len(t) == len(c):  # no subgrid: the grid's points, solved already
            on = inside[here]
            fine.append((t[on], on_grid[on], np.ones(on.sum(), bool), zeta[here][on]))
            continue
        within = (np.searchsorted(changes, t) % 2 == 1) != inside[here][0]
        t_in = t[within]
        # interpolated zeta only between two subgrid points on the Earth
        # whose neighbours are on the Earth too; next to the ends (zeta ~
        # sqrt of the distance to the outline, or of the time to a fold) the
        # full iteration
        on = inside[here]
        right = np.clip(np.searchsorted(c, t_in), 1, len(c) - 1)
        guess = np.interp(t_in, c, zeta[here])
        warm = (on[right - 1] & on[right] & on[np.maximum(right - 2, 0)] & on[np.minimum(right + 1, len(c) - 1)]
                & (guess > WARM_MIN_ZETA))
        fine.append((t_in, on_grid[within], warm, guess))
    t_all = np.concatenate([f[0] for f in fine])
    row_all = np.repeat(np.arange(len(fine)), [len(f[0]) for f in fine])
    warm = np.concatenate([f[2] for f in fine])
    guess = np.concatenate([f[3] for f in fine])
    step_all = np.concatenate([f[1] for f in fine])

    def fine_points(tt, rows, guess_tt=None):
        e_tt = elements.at(tt)
        x_tt, y_tt, _ = edge_points(e_tt, row_side[rows], row_penumbral[rows], zeta_start=guess_tt)
        return (*point_under(x_tt, y_tt, e_tt.d, e_tt.mu), outline_excess(x_tt, y_tt, e_tt.d) < 0)

    lat_all, lon_all, on_earth = (np.empty(len(t_all)) for _ in range(3))
    lat_all[warm], lon_all[warm], on_earth[warm] = in_chunks(fine_points, t_all[warm], row_all[warm], guess[warm])
    lat_all[~warm], lon_all[~warm], on_earth[~warm] = in_chunks(fine_points, t_all[~warm], row_all[~warm])
    # an instant between a solved end and the subgrid may fall just beyond
    # the end: the points on the Earth only
    keep = on_earth.astype(bool)

    collected = []
    for r in range(len(fine)):
        mine = keep & (row_all == r)
        ends = bracket_row == r
        enter_r, leave_r = roots[ends & entering], roots[ends & ~entering]
        times, part, order = _assemble(t_all[mine], enter_r, leave_r)
        lat = np.concatenate([lat_all[mine], lat_roots[ends & entering], lat_roots[ends & ~entering]])[order]
        lon = np.concatenate([lon_all[mine], lon_roots[ends & entering], lon_roots[ends & ~entering]])[order]
        on_step = np.concatenate([step_all[mine], np.zeros(ends.sum(), bool)])[order]
        collected.append((times, part + r * PART_OFFSET, lat, lon, on_step))
    for j, branch in enumerate(second):
        if branch is None:
            continue
        r = bracket_row[fold][j]
        b_times, b_x, b_y, b_d, b_mu = branch
        lat, lon = point_under(b_x, b_y, b_d, b_mu)
        collected.append((b_times, np.full(len(b_times), r * PART_OFFSET + SECOND_BRANCH + j),
                          lat, lon, np.zeros(len(b_times), bool)))

    # all rows densified together, in order of part then time; parts from
    # r * PART_OFFSET + SECOND_BRANCH are row r's second branches
    times, part, lat, lon, on_step = (np.concatenate(v) for v in zip(*collected))
    order = np.lexsort((times, part))
    times, part, lat, lon, on_step = (v[order] for v in (times, part, lat, lon, on_step))

    def locate(tt, parts):
        ee = elements.at(tt)
        rows = parts // PART_OFFSET
        side, penumbral = row_side[rows], row_penumbral[rows]
        x, y, z = edge_points(ee, side, penumbral)
        lower = parts % PART_OFFSET >= SECOND_BRANCH
        if lower.any():
            x_low, y_low, _ = edge_points(_select(ee, lower), side[lower], penumbral[lower], below=z[lower])
            x, y = x.copy(), y.copy()
            x[lower], y[lower] = x_low, y_low
        return point_under(x, y, ee.d, ee.mu)

    times, part, lat, lon, kept = _densify(times, part, lat, lon, locate)
    on_step = _spread(on_step, kept)
    curves = {}
    for r in range(len(fine)):
        name, which = shadows[r // 2][0], ("north", "south")[r % 2]
        mine = part // PART_OFFSET == r
        curves.setdefault(name, []).append(
            Curve(f"{name}_{which}_limit", elements.t0 + times[mine] / 24.0, lat[mine] * DEG,
                  lon[mine] * DEG, part[mine] - r * PART_OFFSET, delta_t, on_step[mine])
            if mine.any() else None)
    return {name: tuple(pair) for name, pair in curves.items()}


PART_OFFSET = 1_000_000
SECOND_BRANCH = PART_OFFSET // 2
#: The second branch from a fold is followed every SECOND_BRANCH_STEP hours
#: for up to SECOND_BRANCH_SAMPLES steps (3 minutes; over the 258 folds of
#: 1950-2050 the longest lived 100 s, the median 16 s), then its end on the
#: horizon solved; densification then follows it closely.
SECOND_BRANCH_STEP = 4.0 / 3600.0
SECOND_BRANCH_SAMPLES = 45


def _second_branches(elements, penumbral, t_fold, direction, side, x_fold, y_fold):
    """The second solution born at each fold, from the fold to where it meets
    the outline (the limit's true end on the horizon): a list with, per fold,
    (hours, xi, eta, d, mu) of its points in time order, or None.  Its end is
    solved where its point reaches the outline.

    ``direction`` +1 where the limit begins at the fold (the second branch
    lives after it), -1 where it ends there; ``penumbral``, ``side`` per fold.
    """
    if not len(t_fold):
        return []
    steps = np.arange(1, SECOND_BRANCH_SAMPLES + 1) * SECOND_BRANCH_STEP
    tt = t_fold[:, None] + direction[:, None] * steps[None, :]
    ee = elements.at(tt)
    _, _, z_main = edge_points(ee, side[:, None], penumbral[:, None])
    x_low, y_low, _ = edge_points(ee, side[:, None], penumbral[:, None], below=z_main)
    exists = np.isfinite(x_low) & (outline_excess(x_low, y_low, ee.d) < 0)
    missing = ~exists
    ends = missing.any(axis=1)
    first = np.argmax(missing, axis=1)  # samples 0 .. first - 1 exist
    before = np.where(first > 0, tt[np.arange(len(tt)), np.maximum(first - 1, 0)], t_fold)
    after = tt[np.arange(len(tt)), first]

    # where it meets the outline, the second branch's point is the limit's
    # point with the outline's zeta (``on_outline``, a smooth function of
    # time): the root of that point's outline excess between the last sample
    # where the branch exists and the next.  (Over the 258 folds of
    # 1950-2050 the same ends, within 5 ms, as a search for where the branch
    # stops existing.)
    def excess(t, which=slice(None)):
        return _limit_outline_excess(elements, t, side[which], penumbral[which])

    crossing = ends & (np.sign(excess(before)) != np.sign(excess(after)))
    t_end = t_fold.copy()
    t_end[crossing] = _bracketed_root(lambda t: excess(t, crossing), before[crossing], after[crossing])
    e_end = elements.at(t_end)
    x_end, y_end, _ = edge_points(e_end, side, penumbral, on_outline=True)
    excess_end = outline_excess(x_end, y_end, e_end.d)
    on_outline = crossing & (np.abs(excess_end) < 1e-6)
    # onto the outline itself (a move below 1e-6 radii)
    scale = np.where(on_outline, 1.0 / np.sqrt(np.abs(1.0 + excess_end)), 1.0)
    x_end, y_end = x_end * scale, y_end * scale
    e_fold = elements.at(t_fold)
    branches = []
    for i in range(len(tt)):  # a few folds, not time steps
        if not on_outline[i]:
            branches.append(None)
            continue
        keep = slice(0, first[i])
        b_t = np.concatenate([[t_fold[i]], tt[i, keep], [t_end[i]]])
        b_x = np.concatenate([[x_fold[i]], x_low[i, keep], [x_end[i]]])
        b_y = np.concatenate([[y_fold[i]], y_low[i, keep], [y_end[i]]])
        b_d = np.concatenate([[e_fold.d[i]], ee.d[i, keep], [e_end.d[i]]])
        b_mu = np.concatenate([[e_fold.mu[i]], ee.mu[i, keep], [e_end.mu[i]]])
        order = np.argsort(b_t)
        branches.append((b_t[order], b_x[order], b_y[order], b_d[order], b_mu[order]))
    return branches


#: Where a limit is solved only to tell whether it is on the Earth (the
#: search for a fold in ``_fold_ends``), zeta to 1e-7: the points then lie
#: within ~1e-7 radii of the solution, while the limit at a fold is mid-air
#: (1e-3 radii or more inside the outline, a few degrees up, where looked
#: at).  The same paths, bit for bit, as with 1e-11 for the 223 eclipses of
#: 1950-2050.
CHECK_TOLERANCE = 1e-7
#: How far above the branch through an end a solution must lie to make it
#: not the limit's end (``_fold_ends``).  Over the ends of 1950-2050
#: (60-s steps) the branch and the limit just inside agree within 1e-5 in
#: zeta at genuine ends and differ by 1e-3 to 0.3 at ends on another
#: branch, with a few (29 of 1300) in between.
GENUINE_ZETA = 1e-4
#: Rounds of a 32-instant search locating a limit's fold (below):
#: 64 s / 32^5 = 2 us.
FOLD_ROUNDS = 5
EXISTENCE_POINTS = 32


def _last_existing(exists, good, gone, rounds: int):
    """Narrow [good, gone] (arrays; something exists at ``good``, not at
    ``gone``) to where it stops existing: each round tries EXISTENCE_POINTS
    instants across the interval at once, ``exists(t)`` taking an array of
    shape (len(good), EXISTENCE_POINTS)."""
    fractions = np.arange(1, EXISTENCE_POINTS + 1) / EXISTENCE_POINTS
    for _ in range(rounds):
        t = good[:, None] + (gone - good)[:, None] * fractions
        missing = ~exists(t)
        first = np.where(missing.any(axis=1), np.argmax(missing, axis=1), EXISTENCE_POINTS - 1)
        rows = np.arange(len(good))
        good, gone = np.where(first > 0, t[rows, np.maximum(first - 1, 0)], good), t[rows, first]
    return good, gone


def _fold_ends(elements, penumbral, lo, hi, entering, side, roots, e_roots, x_roots, y_roots):
    """Check the ends found where a limit meets the outline; replace those
    that are not ends of the limit by the limit's fold.

    Near the horizon the tangency condition can have two solutions on the
    Earth that are born together at a fold (a cusp of the envelope of the
    shadow's edge): the limit found (the solution highest above the horizon)
    then begins or ends there, in mid-air, and the crossing of the outline
    found in the bracket belongs to the other branch (or there is none).  An
    end is genuine when it lies on the outline and, just inside it (3.6 ms
    later or earlier), the branch through it is the limit, the highest
    solution: the solution followed from the end's zeta (secant steps) lies
    next to the end on the fundamental plane (1e-3 radii; it moves 2e-6
    radii in that time), and g(z) = zeta(point(z)) - z, which is negative
    at z = 1, is negative all the way down to just above it (ZETA_SCAN
    levels from GENUINE_ZETA above it): no solution above.  Otherwise the
    fold is located by bisection on whether the limit exists, and the
    limit's last point there is the end.  (The umbra's small radius puts
    the two branches within 1e-4 radii of each other on the fundamental
    plane, yet tens of kilometres apart on the ground near the horizon:
    hence the test on zeta.)
    """
    if not len(roots):
        return roots, e_roots, x_roots, y_roots, np.zeros(0, bool)
    step = np.where(entering, 1e-6, -1e-6)  # hours, toward the limit
    e_in = elements.at(roots + step)
    x_branch, y_branch, z_branch = edge_points(e_in, side, penumbral, zeta_start=outline_zeta(y_roots, e_roots.d))
    start = z_branch + GENUINE_ZETA
    levels = start + (1.0 - start) * np.linspace(0.0, 1.0, ZETA_SCAN + 1)[:-1, None]
    _, _, zeta_above = edge_points(e_in, side, penumbral, trial_zeta=levels)
    on_outline = np.abs(outline_excess(x_roots, y_roots, e_roots.d)) < 1e-9
    genuine = (on_outline & (np.hypot(x_branch - x_roots, y_branch - y_roots) < 1e-3)
               & (zeta_above <= levels).all(axis=0))
    if genuine.all():
        return roots, e_roots, x_roots, y_roots, ~genuine
    bad = ~genuine
    # the limit exists at the bracket's end inside the curve, not at the other
    good_t = np.where(entering, hi, lo)[bad]
    none_t = np.where(entering, lo, hi)[bad]
    def exists(t):
        e_t = elements.at(t)
        x_t, y_t, _ = edge_points(e_t, side[bad][:, None], penumbral[bad][:, None], tolerance=CHECK_TOLERANCE)
        return outline_excess(x_t, y_t, e_t.d) < 0

    good_t, none_t = _last_existing(exists, good_t, none_t, FOLD_ROUNDS)
    e_end = elements.at(good_t)
    x_end, y_end, _ = edge_points(e_end, side[bad], penumbral[bad])
    roots, x_roots, y_roots = roots.copy(), x_roots.copy(), y_roots.copy()
    roots[bad], x_roots[bad], y_roots[bad] = good_t, x_end, y_end
    return roots, elements.at(roots), x_roots, y_roots, bad


def _spread(values, kept):
    """Values of the kept vertices, False at the added ones."""
    out = np.zeros(len(kept), bool)
    out[kept] = values
    return out


def _select(e, mask):
    """Elements at the instants picked by a mask."""
    return type(e)(*(np.asarray(v)[mask] if np.ndim(v) else v for v in e))


def _central_quantities(elements: BesselianElements, t, contacts=None):
    """Central line points and what is seen there at hours t from t0: lat,
    lon, Sun's altitude and azimuth, width (km), duration (s), and the
    instants of the second and third contacts (hours).

    ``contacts``, guesses of those instants (interpolated from neighbouring
    points of the line), saves iterations.
    """
    e = elements.at(t)
    place = observer_under(e.x, e.y, e.d, e.mu)
    lat, lon = place.latitude, place.longitude
    # the place is under the axis: (xi, eta) = (x, y)
    s = shadow_at(e, e.x, e.y, surface_zeta(e.x, e.y, e.d)[0])
    width = path_width(s, e) * EARTH_RADIUS_KM
    if contacts is None:
        # from the maximum (t itself on the central line) Meeus's iteration
        # converges fast: 3 steps leave < 2e-6 s (measured against 12 steps on
        # 2024-04-08, 2021-12-04, 2023-04-20)
        start, iterations = (t, t), 3
    else:
        start, iterations = contacts, WARM_CONTACT_ITERATIONS
    second = contact_time(elements, start[0], place, umbral=True, ending=False, iterations=iterations)
    third = contact_time(elements, start[1], place, umbral=True, ending=True, iterations=iterations)
    altitude, azimuth = sun_altitude_azimuth(lat, lon, e.d, e.mu)
    return lat, lon, altitude, azimuth, width, (third - second) * 3600.0, second, third


#: Contact iterations from contacts interpolated between neighbouring points
#: of the central line: one leaves < 4e-5 s against the full iteration
#: (measured at 1-s steps for 2024-04-08, 2021-12-04, 2012-11-13, 2023-04-20,
#: 2017-08-21; tested).
WARM_CONTACT_ITERATIONS = 1


def _central_line(elements: BesselianElements, t, on_grid, t_greatest: float, delta_t: float):
    """The central line on a grid (None for a non-central eclipse) and the
    point of greatest duration on it."""
    e = elements.at(t_greatest)
    if outline_excess(e.x, e.y, e.d) >= 0:
        return None, None
    begin = float(axis_meets_outline(elements, t_greatest, -1.0))
    end = float(axis_meets_outline(elements, t_greatest, 1.0))
    within = (t > begin) & (t < end)
    times = np.concatenate([[begin], t[within], [end]])
    on_step = np.concatenate([[False], on_grid[within], [False]])

    def locate(tt, _=None):
        ee = elements.at(tt)
        return point_under(ee.x, ee.y, ee.d, ee.mu)

    times, _, _, _, kept = _densify(times, np.zeros(len(times), int), *locate(times), locate)
    on_step = _spread(on_step, kept)
    every = max(1, int(np.ceil(len(times) / COARSE_POINTS)))
    if every > 1:
        # contacts on a subgrid, interpolated as the start of the iteration
        coarse = np.union1d(times[::every], times[-1:])
        *_, second, third = _central_quantities(elements, coarse)
        guesses = (times - np.interp(times, coarse, coarse - second), times + np.interp(times, coarse, third - coarse))
        lat, lon, altitude, azimuth, width, duration, _, _ = in_chunks(
            lambda tt, c2, c3: _central_quantities(elements, tt, (c2, c3)), times, *guesses)
    else:
        lat, lon, altitude, azimuth, width, duration, _, _ = _central_quantities(elements, times)
    line = CentralLine(
        "central_line", elements.t0 + times / 24.0, lat * DEG, lon * DEG,
        np.zeros(len(times), dtype=int), delta_t, on_step,
        sun_altitude=altitude * DEG, sun_azimuth=azimuth * DEG,
        width_km=width, duration_s=duration,
    )
    # greatest duration: the vertex of parabolas fitted to the durations around
    # the best vertex, at spacings of 20 s then 1 s (the duration is smooth
    # there: its cubic term moves the vertex by far less than a second)
    tg = times[int(np.nanargmax(duration))]
    for spacing in (20.0, 1.0):
        offsets = np.array([-2.0, -1.0, 0.0, 1.0, 2.0]) * spacing / 3600.0
        samples = np.clip(tg + offsets, begin, end)
        values = _central_quantities(elements, samples)[5]
        c2, c1, _ = np.polyfit(samples - tg, values, 2)
        tg = float(np.clip(tg - c1 / (2.0 * c2) if c2 < 0 else tg, begin, end))
    lat_g, lon_g, _, _, _, dur_g, _, _ = _central_quantities(elements, np.array(tg))
    greatest = Instant("greatest_duration", elements.t0 + tg / 24.0, float(lat_g * DEG),
                       float(lon_g * DEG), delta_t, float(dur_g))
    return line, greatest
