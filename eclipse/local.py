"""Circumstances of an eclipse for observers on the Earth.

Everything is vectorised: elements of one eclipse with arrays of observers,
or a batch of eclipses with one observer each.  Contact instants are found
by Meeus's iteration (Elements of Solar Eclipses, 1989; Explanatory
Supplement 2013 section 11.4): with the shadow's motion relative to the
observer taken as linear over one step, solve

    (u + a tau)^2 + (v + b tau)^2 = L^2

for the step tau, and repeat until it vanishes.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .besselian import BesselianElements
from .earth import Observer, fundamental_coordinates, fundamental_rates


class Shadow(NamedTuple):
    """The shadow relative to an observer at some instants (Earth radii, hours)."""

    u: np.ndarray  # x - xi
    v: np.ndarray  # y - eta
    a: np.ndarray  # du/dt
    b: np.ndarray  # dv/dt
    penumbra: np.ndarray  # L1, penumbral radius in the observer's plane
    umbra: np.ndarray  # L2, negative for a total eclipse
    zeta: np.ndarray  # > 0 when the Sun is above the horizon

    @property
    def distance(self):
        """Delta, distance of the observer from the shadow axis."""
        return np.hypot(self.u, self.v)


def shadow(elements: BesselianElements, t, obs: Observer) -> Shadow:
    """Shadow relative to observers at t hours from t0 (FORMULAS.md)."""
    e = elements.at(t)
    xi, eta, zeta = fundamental_coordinates(obs, e.d, e.mu)
    dxi, deta = fundamental_rates(obs, xi, zeta, e.d, e.mu, e.dd, e.dmu)
    return Shadow(
        u=e.x - xi,
        v=e.y - eta,
        a=e.dx - dxi,
        b=e.dy - deta,
        penumbra=e.l1 - zeta * e.tan_f1,
        umbra=e.l2 - zeta * e.tan_f2,
        zeta=zeta,
    )


def time_of_maximum(elements: BesselianElements, t, obs: Observer, iterations: int = 4):
    """Hours from t0 when the observer is nearest the axis (local maximum)."""
    t = np.asarray(t, dtype=float)
    for _ in range(iterations):
        s = shadow(elements, t, obs)
        t = t - (s.u * s.a + s.v * s.b) / (s.a * s.a + s.b * s.b)
    return t


def contact_time(elements: BesselianElements, t, obs: Observer, umbral: bool,
                 ending: bool, iterations: int = 5):
    """Hours from t0 of a contact, iterated from a guess ``t`` (e.g. maximum).

    ``umbral`` picks Delta = |L2| (C2, C3) instead of Delta = L1 (C1, C4);
    ``ending`` picks the later root (C3, C4).  NaN where there is no contact.
    """
    t = np.asarray(t, dtype=float)
    sign = 1.0 if ending else -1.0
    for _ in range(iterations):
        s = shadow(elements, t, obs)
        radius = np.abs(s.umbra) if umbral else s.penumbra
        n2 = s.a * s.a + s.b * s.b
        p = s.u * s.a + s.v * s.b
        discriminant = p * p - n2 * (s.u * s.u + s.v * s.v - radius * radius)
        with np.errstate(invalid="ignore"):
            t = t + (-p + sign * np.sqrt(discriminant)) / n2
    return t
