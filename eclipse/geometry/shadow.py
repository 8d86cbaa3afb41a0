"""The Moon's shadow against points of the Earth: the one primitive behind
every shadow question of the package.

For an observer (or any point of fundamental coordinates xi, eta, zeta) at
some instants: the shadow axis's offset (u, v) = (x - xi, y - eta) and its
hourly rate (a, b) relative to the point carried by the Earth's rotation,
and the radii L1, L2 of the penumbral and umbral cones in the point's plane.
From these: the closest approach (local maximum; greatest eclipse when the
point is the Earth's centre), contact instants (Meeus's iteration), the
magnitude and obscuration, central duration and path width, and where the
shadow's circle meets the Earth's outline.

Formulas: Explanatory Supplement to the Astronomical Almanac (3rd ed., 2013)
ch. 11; Meeus, *Elements of Solar Eclipses 1951-2200* (1989);
docs/formulas.md.  Lengths in Earth radii, times in hours from t0.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from ..sources.elements import BesselianElements, ElementsAt
from .arrays import BoolArray, FloatArray
from .earth import (
    POLAR_STRETCH,
    Observer,
    ellipsoid_quadric,
    fundamental_coordinates,
    fundamental_rates,
    nearest_outline_point,
    outline_minor_axis,
    outline_zeta,
    sin_cos,
)


class Shadow(NamedTuple):
    """The shadow relative to points at some instants (Earth radii, hours)."""

    u: FloatArray  # x - xi
    v: FloatArray  # y - eta
    a: FloatArray  # du/dt
    b: FloatArray  # dv/dt
    penumbra: FloatArray  # L1, penumbral radius in the point's plane
    umbra: FloatArray  # L2, negative for a total eclipse
    zeta: FloatArray  # > 0 when the Sun is above the horizon

    @property
    def distance(self) -> FloatArray:
        """Delta, distance of the point from the shadow axis."""
        return np.hypot(self.u, self.v)


def shadow(elements: BesselianElements, t: npt.ArrayLike, obs: Observer) -> Shadow:
    """Shadow relative to observers at t hours from t0 (docs/formulas.md,
    "An observer")."""
    e = elements.at(t)
    return shadow_at(e, *fundamental_coordinates(obs, e.d, e.mu))


def shadow_at(e: ElementsAt, xi: FloatArray, eta: FloatArray, zeta: FloatArray) -> Shadow:
    """Shadow relative to the points of fundamental coordinates (xi, eta,
    zeta) at the instants of elements ``e`` (``BesselianElements.at``):
    L1 = l1 - zeta tan f1, L2 = l2 - zeta tan f2."""
    dxi, deta = fundamental_rates(xi, eta, zeta, e.d, e.dd, e.dmu)
    return Shadow(
        u=e.x - xi,
        v=e.y - eta,
        a=e.dx - dxi,
        b=e.dy - deta,
        penumbra=e.l1 - zeta * e.tan_f1,
        umbra=e.l2 - zeta * e.tan_f2,
        zeta=zeta,
    )


# --- closest approach and contacts: Meeus's iteration ---------------------------


def approach_step(u: FloatArray, v: FloatArray, a: FloatArray, b: FloatArray) -> FloatArray:
    """Hours to the least distance of (u + a tau, v + b tau) from the origin:
    tau = -(u a + v b) / (a^2 + b^2), the relative motion taken as linear
    (docs/formulas.md, "Closest approach and contacts")."""
    return -(u * a + v * b) / (a * a + b * b)


def contact_step(u: FloatArray, v: FloatArray, a: FloatArray, b: FloatArray, radius: FloatArray | float, sign: float,
                 clamp: bool = False) -> FloatArray:
    """Hours tau to where (u + a tau)^2 + (v + b tau)^2 = radius^2, the relative
    motion taken as linear: the earlier root for ``sign`` -1, the later for
    +1 (docs/formulas.md, "Closest approach and contacts").  NaN where the
    line misses the circle, unless ``clamp``: then the closest approach (a
    negative discriminant counted as zero)."""
    n2 = a * a + b * b
    p = u * a + v * b
    discriminant = p * p - n2 * (u * u + v * v - radius * radius)
    if clamp:
        discriminant = np.maximum(discriminant, 0.0)
    with np.errstate(invalid="ignore"):
        return (-p + sign * np.sqrt(discriminant)) / n2


def axis_nearest(elements: BesselianElements, t: npt.ArrayLike, iterations: int,
                 scale_y: FloatArray | float | None = 1.0) -> FloatArray:
    """Hours from t0 when x^2 + (y / s)^2 is least, iterated from t: the axis
    nearest the Earth's centre (s = 1; greatest eclipse) or nearest the
    outline (s = the outline's minor axis; ``scale_y=None`` takes it at each
    iterate)."""
    t = np.asarray(t, dtype=float)
    for _ in range(iterations):
        e = elements.at(t)
        scale = outline_minor_axis(e.d) if scale_y is None else scale_y
        t = t + approach_step(e.x, e.y / scale, e.dx, e.dy / scale)
    return t


def time_of_maximum(elements: BesselianElements, t: npt.ArrayLike, obs: Observer, iterations: int = 4) -> FloatArray:
    """Hours from t0 when the observer is nearest the axis (local maximum)."""
    t = np.asarray(t, dtype=float)
    for _ in range(iterations):
        s = shadow(elements, t, obs)
        t = t + approach_step(s.u, s.v, s.a, s.b)
    return t


def contact_time(elements: BesselianElements, t: npt.ArrayLike, obs: Observer, umbral: bool, ending: bool,
                 iterations: int = 5, clamp: bool = False) -> FloatArray:
    """Hours from t0 of a contact, iterated from a guess ``t`` (e.g. maximum).

    ``umbral`` picks Delta = |L2| (C2, C3) instead of Delta = L1 (C1, C4);
    ``ending`` picks the later root (C3, C4).  NaN where there is no contact,
    unless ``clamp`` (see ``contact_step``), for observers known to be reached.
    """
    t = np.asarray(t, dtype=float)
    sign = 1.0 if ending else -1.0
    for _ in range(iterations):
        s = shadow(elements, t, obs)
        radius = np.abs(s.umbra) if umbral else s.penumbra
        t = t + contact_step(s.u, s.v, s.a, s.b, radius, sign, clamp)
    return t


def axis_meets_outline(elements: BesselianElements, t: npt.ArrayLike, side: float, iterations: int = 6) -> FloatArray:
    """Hours from t0 when the axis crosses the Earth's outline: x^2 + (y/b)^2 = 1.

    Solved as a contact (the circle of radius 1 after scaling y by the
    outline's minor axis b, taken at each iterate) from a time ``t`` near
    greatest eclipse; ``side`` -1 for the entry, +1 for the exit.
    """
    t = np.asarray(t, dtype=float)
    for _ in range(iterations):
        e = elements.at(t)
        b = outline_minor_axis(e.d)
        t = t + contact_step(e.x, e.y / b, e.dx, e.dy / b, 1.0, side, clamp=True)
    return t


# --- what is seen -------------------------------------------------------------------


def magnitude(distance: FloatArray, penumbra: FloatArray, umbra: FloatArray) -> FloatArray:
    """Fraction of the Sun's diameter covered, (L1 - Delta) / (L1 + L2):
    above 1 inside a path of totality, as in NASA's local tables
    (docs/formulas.md, "An observer")."""
    return (penumbra - distance) / (penumbra + umbra)


def position_angle(u: FloatArray, v: FloatArray) -> FloatArray:
    """Position angle of the Moon's centre seen from the Sun's, from the north
    point of the Sun's disc towards east, radians in [-pi, pi]: tan P = u / v
    (Explanatory Supplement 1961 ch. 9; docs/formulas.md, "Position
    angles").  The Sun, the Moon and the axis are in line, so the
    Moon's centre is offset from the Sun's along the axis's offset (u, v)
    from the observer, x towards east and y towards north on the sky."""
    return np.arctan2(u, v)


def diameter_ratio(penumbra: FloatArray, umbra: FloatArray) -> FloatArray:
    """The Moon/Sun diameter ratio (L1 - L2) / (L1 + L2): NASA's magnitude of
    a central eclipse (docs/formulas.md, "An observer")."""
    return (penumbra - umbra) / (penumbra + umbra)


#: Centres closer than this (Earth radii) count as this far apart in
#: ``obscuration``: the formula divides by Delta.
CONCENTRIC_DISTANCE = 1e-300


def obscuration(delta: FloatArray | float, penumbra: FloatArray | float, umbra: FloatArray | float) -> FloatArray:
    """Fraction of the Sun's area covered by the Moon.

    In the observer's plane the Sun's disc has radius R = (L1 + L2) / 2 and the
    Moon's r = (L1 - L2) / 2, their centres Delta apart: the area of the
    lens where two circles overlap, over pi R^2,

        r^2 a + R^2 b - Delta R sin b,   cos a = (Delta^2 + r^2 - R^2) / (2 Delta r),
                                         cos b = (Delta^2 + R^2 - r^2) / (2 Delta R)

    (a and b the half-angles the chord subtends at the Moon's and the Sun's
    centres; Delta R sin b is half the kite of the two centres and the chord's
    ends).  With the cosines clipped to [-1, 1] the same expression is 0 for
    discs apart, r^2 / R^2 for the Moon within the Sun and 1 for the Sun
    within the Moon, so no case needs its own branch (one pass over the
    arrays: ``fields`` evaluates it billions of times).
    """
    delta = np.maximum(np.asarray(delta, dtype=float), CONCENTRIC_DISTANCE)  # concentric: no 0 / 0
    penumbra, umbra = np.asarray(penumbra, dtype=float), np.asarray(umbra, dtype=float)
    sun = (penumbra + umbra) * 0.5
    moon = (penumbra - umbra) * 0.5
    d2, sun2, moon2 = delta * delta, sun * sun, moon * moon
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        cos_moon = np.clip((d2 + moon2 - sun2) / (2.0 * delta * moon), -1.0, 1.0)
        cos_sun = np.clip((d2 + sun2 - moon2) / (2.0 * delta * sun), -1.0, 1.0)
    lens = moon2 * np.arccos(cos_moon) + sun2 * np.arccos(cos_sun)
    lens -= delta * sun * np.sqrt(1.0 - cos_sun * cos_sun)
    return lens / (np.pi * sun2)


def central_duration(elements: BesselianElements, place: Observer, t: npt.ArrayLike) -> FloatArray:
    """C3 - C2 in hours for observers on the central line near time t."""
    t_max = time_of_maximum(elements, t, place)
    second = contact_time(elements, t_max, place, umbral=True, ending=False)
    third = contact_time(elements, t_max, place, umbral=True, ending=True)
    return third - second


def path_width(s: Shadow, e: ElementsAt) -> FloatArray:
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
    polar = (POLAR_STRETCH - 1.0) * (eta * cos_d + zeta * sin_d)
    n_xi, n_eta, n_zeta = xi, eta + polar * cos_d, zeta + polar * sin_d
    norm = np.sqrt(n_xi * n_xi + n_eta * n_eta + n_zeta * n_zeta)
    across = (-s.b * n_xi + s.a * n_eta) / (np.hypot(s.a, s.b) * norm)
    return 2.0 * np.abs(s.umbra) / np.sqrt(1.0 - across * across)


# --- the shadow's circle against the Earth's outline ------------------------------


def outline_gap(e: ElementsAt, penumbral: bool | BoolArray) -> FloatArray:
    """Distance of the shadow's circle from the Earth's outline: zero at P1,
    P4 (U1, U4), negative while it overlaps (``penumbral``, a bool or bools,
    broadcasts against the instants).  The circle's radius is L at the
    nearest point of the outline, l - zeta tan f with zeta of the outline
    (~1e-3; docs/formulas.md's l1 or |l2| with zeta = 0 differ by ~1e-6 radii)."""
    _, eta, distance = nearest_outline_point(e.x, e.y, e.d)
    zeta = outline_zeta(ellipsoid_quadric(e.d), eta)
    radius = np.where(penumbral, e.l1 - zeta * e.tan_f1, np.abs(e.l2 - zeta * e.tan_f2))
    return distance - radius


def penumbra_within_outline(e: ElementsAt) -> FloatArray:
    """Positive while the penumbra lies wholly within the Earth's outline
    (between P2 and P3): the depth of its circle inside the outline."""
    _, eta, distance = nearest_outline_point(e.x, e.y, e.d)
    return -distance - (e.l1 - outline_zeta(ellipsoid_quadric(e.d), eta) * e.tan_f1)


def penumbra_outline_crossings(e: ElementsAt, branch: float, iterations: int = 6) -> tuple[FloatArray, BoolArray]:
    """Points (cos phi, b sin phi) of the Earth's outline on the penumbra's
    edge, Delta = L1 = l1 - zeta tan f1 (zeta of the outline, ~0): Newton's
    method on phi from the crossing of two circles.  ``branch`` +-1 picks one
    of the two; returns phi and whether it converged to a crossing."""
    b = outline_minor_axis(e.d)
    quadric = ellipsoid_quadric(e.d)
    rho = np.hypot(e.x, e.y / b)
    cos_alpha = (1.0 + rho * rho - e.l1 * e.l1) / (2.0 * rho)
    phi = np.arctan2(e.y / b, e.x) + branch * np.arccos(np.clip(cos_alpha, -1.0, 1.0))
    for _ in range(iterations):
        cos_p, sin_p = np.cos(phi), np.sin(phi)
        u, v = cos_p - e.x, b * sin_p - e.y
        radius = e.l1 - outline_zeta(quadric, b * sin_p) * e.tan_f1
        f = u * u + v * v - radius * radius
        df = 2.0 * (-u * sin_p + v * b * cos_p)
        phi = phi - f / df
    cos_p, sin_p = np.cos(phi), np.sin(phi)
    radius = e.l1 - outline_zeta(quadric, b * sin_p) * e.tan_f1
    residual = np.hypot(cos_p - e.x, b * sin_p - e.y) - radius
    return phi, (np.abs(residual) < 1e-9) & (np.abs(cos_alpha) < 1.0)
