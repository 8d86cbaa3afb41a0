"""Besselian elements: the Moon's shadow described in the fundamental plane.

The fundamental plane passes through the Earth's centre perpendicular to the
shadow axis (the line from the Moon to the Sun).  Its x axis lies in the
Earth's equator, y points north, z along the axis toward the Sun.  Lengths
are in equatorial Earth radii (WGS84 a = 6378.137 km).

Formulas: Explanatory Supplement to the Astronomical Almanac (3rd ed., 2013)
ch. 11; Meeus, *Elements of Solar Eclipses 1951-2200* (1989); the constants
of the Five Millennium Canon (Espenak and Meeus 2006); docs/formulas.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, NamedTuple, Protocol

import numpy as np
import numpy.typing as npt

from ..constants import K_PENUMBRA, K_UMBRA, SIDEREAL_RATIO, SUN_RADIUS

if TYPE_CHECKING:  # Skyfield has no type information: Any to mypy, a name to a reader
    from skyfield.timelib import Time

#: What indexes a batch of elements: one eclipse, a slice, indices or a mask.
Index = int | np.integer | slice | npt.NDArray[np.integer] | npt.NDArray[np.bool_]


class Positions(Protocol):
    """What computing elements needs of a source (a ``KernelSource``):
    apparent geocentric Sun and Moon, and Delta T."""

    def sun_moon(self, jd_tt: npt.ArrayLike) -> tuple[Time, npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Skyfield's Time of the TT Julian dates, and the apparent
        geocentric Sun and Moon (Earth radii, GCRS), shape (3,) + jd_tt's."""
        ...

    def delta_t_seconds(self, jd_tt: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """Delta T = TT - UT1 (s) at TT Julian dates."""
        ...


#: Hours from t0 at which the polynomials are fitted, as NASA's span of +-3 h.
FIT_HOURS = np.arange(-3.0, 4.0)
#: The degrees of NASA's polynomials (Espenak and Meeus 2006).
DEGREES = {"x": 3, "y": 3, "d": 2, "mu": 2, "l1": 2, "l2": 2}


class ElementsAt(NamedTuple):
    """Elements at one or more instants; angles in radians, rates per hour.
    (tan_f1 and tan_f2 are constants: numbers for one eclipse, an array over
    the eclipses for a batch.)"""

    x: npt.NDArray[np.float64]
    y: npt.NDArray[np.float64]
    d: npt.NDArray[np.float64]
    mu: npt.NDArray[np.float64]
    l1: npt.NDArray[np.float64]
    l2: npt.NDArray[np.float64]
    tan_f1: npt.NDArray[np.float64]
    tan_f2: npt.NDArray[np.float64]
    dx: npt.NDArray[np.float64]
    dy: npt.NDArray[np.float64]
    dd: npt.NDArray[np.float64]
    dmu: npt.NDArray[np.float64]
    dl1: npt.NDArray[np.float64]
    dl2: npt.NDArray[np.float64]

    def select(self, mask: npt.NDArray[np.bool_] | npt.NDArray[np.integer]) -> ElementsAt:
        """The elements at the instants picked by a mask (or indices)."""
        return type(self)(*(np.asarray(v)[mask] if np.ndim(v) else v for v in self))


def shadow_axis_frame(sun: npt.NDArray[np.float64], moon: npt.NDArray[np.float64]) -> tuple[
        npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64],
        npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Elements x, y, d, mu-less pieces from Sun and Moon vectors (Earth radii).

    ``sun`` and ``moon`` have shape (3, ...) in the true equator and equinox of
    date.  Returns x, y, z (the Moon in the fundamental frame), d, right
    ascension a of the axis, g = |S - M| (docs/formulas.md, "Elements at a time t").
    """
    g_vec = sun - moon
    g = np.sqrt(np.sum(g_vec * g_vec, axis=0))
    a = np.arctan2(g_vec[1], g_vec[0])
    d = np.arcsin(g_vec[2] / g)
    sin_a, cos_a, sin_d, cos_d = np.sin(a), np.cos(a), np.sin(d), np.cos(d)
    mx, my, mz = moon
    x = -mx * sin_a + my * cos_a
    y = -mx * sin_d * cos_a - my * sin_d * sin_a + mz * cos_d
    z = mx * cos_d * cos_a + my * cos_d * sin_a + mz * sin_d
    return x, y, z, d, a, g


def shadow_cones(z: npt.NDArray[np.float64], g: npt.NDArray[np.float64]) -> tuple[
        npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """l1, l2, tan f1, tan f2 of the penumbral and umbral cones.

    sin f1 = (R_sun + k1) / g, sin f2 = (R_sun - k2) / g; l1 = z tan f1 + k1 / cos f1,
    l2 = z tan f2 - k2 / cos f2 (negative where the eclipse is total).
    """
    f1 = np.arcsin((SUN_RADIUS + K_PENUMBRA) / g)
    f2 = np.arcsin((SUN_RADIUS - K_UMBRA) / g)
    tan_f1, tan_f2 = np.tan(f1), np.tan(f2)
    l1 = z * tan_f1 + K_PENUMBRA / np.cos(f1)
    l2 = z * tan_f2 - K_UMBRA / np.cos(f2)
    return l1, l2, tan_f1, tan_f2


def axis_offset(eph: Positions, jd_tt: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Vector from the shadow axis to the Earth's centre's foot on it, GCRS.

    Its length is sqrt(x^2 + y^2), the axis's distance from the Earth's centre,
    which does not depend on the orientation of the axes: GCRS positions serve
    without precession or nutation, so this is the cheap quantity the search
    minimises to find greatest eclipse.  Shape (3,) + jd_tt.shape.
    """
    _, sun, moon = eph.sun_moon(jd_tt)
    g_vec = sun - moon
    g_hat = g_vec / np.sqrt(np.sum(g_vec * g_vec, axis=0))
    perpendicular = moon - np.sum(moon * g_hat, axis=0) * g_hat
    return perpendicular


def exact_elements(eph: Positions, jd_tt: npt.ArrayLike) -> dict[str, npt.NDArray[np.float64]]:
    """Elements computed directly from the ephemeris at TT Julian dates.

    Returns a dict of arrays: x, y, d, mu (radians, Greenwich meridian, with
    the ephemeris's Delta T), l1, l2, tan_f1, tan_f2.  Positions are rotated
    from GCRS to the true equator and equinox of date with IAU 2000B nutation,
    1 milliarcsecond from IAU 2000A: far below what the elements resolve.
    """
    from skyfield.nutationlib import iau2000b_radians

    jd_tt = np.asarray(jd_tt, dtype=float)
    t, sun, moon = eph.sun_moon(jd_tt.ravel())  # Skyfield's nutation wants 1-D
    # Skyfield's documented way to choose the cheaper nutation series.
    t._nutation_angles_radians = iau2000b_radians(t)
    rotation = t.M
    sun = np.einsum("ij...,j...->i...", rotation, sun)
    moon = np.einsum("ij...,j...->i...", rotation, moon)
    x, y, z, d, a, g = shadow_axis_frame(sun, moon)
    l1, l2, tan_f1, tan_f2 = shadow_cones(z, g)
    mu = np.mod(t.gast * (np.pi / 12.0) - a, 2 * np.pi)
    values = {"x": x, "y": y, "d": d, "mu": mu, "l1": l1, "l2": l2,
              "tan_f1": tan_f1, "tan_f2": tan_f2}
    return {name: value.reshape(jd_tt.shape) for name, value in values.items()}


@dataclass(frozen=True, eq=False)
class BesselianElements:
    """Polynomial Besselian elements around t0, for one eclipse or a batch.

    Each polynomial is in t = (TT - t0) in hours, coefficients in increasing
    order on the last axis, as NASA publishes them: x, y (Earth radii), d and
    mu (degrees; mu on the Greenwich meridian for the Delta T used), l1, l2
    (Earth radii); tan f1 and tan f2 are constants.  Leading axes, when present,
    index eclipses of a batch.
    """

    t0: npt.NDArray[np.float64]  # TT Julian date of the reference instant
    delta_t: npt.NDArray[np.float64]  # seconds, TT - UT1 at t0
    x: npt.NDArray[np.float64]
    y: npt.NDArray[np.float64]
    d: npt.NDArray[np.float64]
    mu: npt.NDArray[np.float64]
    l1: npt.NDArray[np.float64]
    l2: npt.NDArray[np.float64]
    tan_f1: npt.NDArray[np.float64]
    tan_f2: npt.NDArray[np.float64]

    def __len__(self) -> int:
        """The number of eclipses: 1 for one eclipse."""
        return len(self.t0) if np.ndim(self.t0) else 1

    def __getitem__(self, index: Index) -> BesselianElements:
        """The elements of one eclipse (or a sub-batch) of a batch."""
        return BesselianElements(**{name: getattr(self, name)[index] for name in _FIELDS})

    def hours(self, jd_tt: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """Hours from t0 of TT Julian dates."""
        return (np.asarray(jd_tt) - self.t0) * 24.0

    def at(self, t: npt.ArrayLike) -> ElementsAt:
        """Elements and their hourly rates at t hours from t0 (TT).

        ``t`` broadcasts against the batch: a scalar or an array with the
        batch's shape for a batch, any shape for a single eclipse.
        """
        t = np.asarray(t, dtype=float)
        rad = np.pi / 180.0
        if np.ndim(self.t0) == 0:
            # one eclipse: the six polynomials in one pass, d and mu already
            # in radians (path.py calls this a hundred times per path, mostly
            # on small arrays)
            value, slope = _poly_rows(*self._stacked(), t)
            x, y, d, mu, l1, l2 = value
            dx, dy, dd, dmu, dl1, dl2 = slope
            return ElementsAt(x, y, d, mu, l1, l2, self.tan_f1, self.tan_f2, dx, dy, dd, dmu, dl1, dl2)
        else:
            x, dx = _poly(self.x, t)
            y, dy = _poly(self.y, t)
            d, dd = _poly(self.d, t)
            mu, dmu = _poly(self.mu, t)
            l1, dl1 = _poly(self.l1, t)
            l2, dl2 = _poly(self.l2, t)
        shape = np.shape(x)
        return ElementsAt(
            x, y, d * rad, mu * rad, l1, l2,
            np.broadcast_to(self.tan_f1, shape), np.broadcast_to(self.tan_f2, shape),
            dx, dy, dd * rad, dmu * rad, dl1, dl2,
        )

    def _stacked(self) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """One eclipse's six polynomials as rows (x, y, d, mu, l1, l2) of one
        array, d and mu in radians, the lower degrees padded with leading
        zeros (which leave Horner's scheme exact: 0 t + 0 = 0); and the rows
        of their derivatives."""
        stacked = self.__dict__.get("_stacked_coefficients")
        if stacked is None:
            names = ("x", "y", "d", "mu", "l1", "l2")
            n = max(np.shape(getattr(self, name))[-1] for name in names)
            rows = np.zeros((len(names), n))
            for row, name in enumerate(names):
                c = np.asarray(getattr(self, name), dtype=float)
                rows[row, : c.shape[-1]] = c * (np.pi / 180.0 if name in ("d", "mu") else 1.0)
            stacked = rows, rows[:, 1:] * np.arange(1, n)
            object.__setattr__(self, "_stacked_coefficients", stacked)
        return stacked

    def ephemeris_meridian_mu0(self) -> npt.NDArray[np.float64]:
        """mu0 as NASA tabulates it, on the ephemeris meridian (UT = TT).

        mu on the Greenwich meridian plus 1.002738 * 15 arcsec per second of
        Delta T (docs/formulas.md).
        """
        return self.mu[..., 0] + SIDEREAL_RATIO * 15.0 / 3600.0 * self.delta_t

    def to_dict(self) -> dict[str, float | list[float]]:
        """Plain numbers for JSON: one eclipse's elements."""
        out: dict[str, float | list[float]] = {"t0_tt_jd": float(self.t0), "delta_t_s": float(self.delta_t)}
        for name in ("x", "y", "d", "mu", "l1", "l2"):
            out[name] = [float(c) for c in getattr(self, name)]
        out["tan_f1"] = float(self.tan_f1)
        out["tan_f2"] = float(self.tan_f2)
        return out


class HasElements(Protocol):
    """What carries one eclipse's Besselian elements (``search.Eclipse``):
    the geometry takes it in place of the elements."""

    @property
    def elements(self) -> BesselianElements:
        """The eclipse's Besselian elements."""
        ...


_FIELDS = ("t0", "delta_t", "x", "y", "d", "mu", "l1", "l2", "tan_f1", "tan_f2")


def _poly(coefficients: npt.NDArray[np.float64], t: npt.NDArray[np.float64]) -> tuple[
        npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Value and derivative of polynomials (coefficients on the last axis)."""
    n = coefficients.shape[-1]
    value = np.zeros(np.broadcast_shapes(coefficients.shape[:-1], t.shape))
    slope = np.zeros_like(value)
    for k in range(n - 1, -1, -1):
        slope = slope * t + value
        value = value * t + coefficients[..., k]
    return value, slope


def _poly_rows(rows: npt.NDArray[np.float64], derivative_rows: npt.NDArray[np.float64],
               t: npt.NDArray[np.float64]) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Values and derivatives of the polynomials in the rows of a 2-D array
    (``derivative_rows``: the coefficients of their derivatives) against all
    of t, by Horner's scheme in place: arrays of shape (len(rows),) + t.shape."""
    def horner(coefficients: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        shape = (len(coefficients),) + (1,) * t.ndim
        column = [coefficients[:, k].reshape(shape) for k in range(coefficients.shape[-1])]
        if len(column) == 1:
            return column[0] + np.zeros(t.shape)
        out = column[-1] * t
        out += column[-2]
        for c in column[-3::-1]:
            out *= t
            out += c
        return out

    return horner(rows), horner(derivative_rows)


def fit_elements(eph: Positions, t0: npt.ArrayLike) -> BesselianElements:
    """Fit polynomial elements around each TT Julian date in ``t0``.

    The elements are computed exactly at t0 - 3 h ... t0 + 3 h and fitted by
    least squares with NASA's degrees (3 for x and y, 2 for d, mu, l1, l2);
    over that span the fit is exact to about 1e-7 Earth radii.
    """
    t0 = np.atleast_1d(np.asarray(t0, dtype=float))
    jd = t0[:, None] + FIT_HOURS / 24.0
    exact = exact_elements(eph, jd)
    exact["mu"] = np.unwrap(exact["mu"], axis=-1)
    coefficients: dict[str, npt.NDArray[np.float64]] = {}
    for name, degree in DEGREES.items():
        values = exact[name]
        if name in ("d", "mu"):
            values = np.degrees(values)
        vander = np.vander(FIT_HOURS, degree + 1, increasing=True)
        coefficients[name] = values @ np.linalg.pinv(vander).T
    coefficients["mu"][:, 0] %= 360.0
    return BesselianElements(
        t0=t0,
        delta_t=eph.delta_t_seconds(t0),
        tan_f1=exact["tan_f1"][:, 3],
        tan_f2=exact["tan_f2"][:, 3],
        **coefficients,
    )


def stack_elements(elements: Sequence[BesselianElements]) -> BesselianElements:
    """One batch of the elements of several eclipses."""
    names = [f.name for f in fields(BesselianElements)]
    return BesselianElements(**{name: np.stack([np.asarray(getattr(e, name)) for e in elements])
                                for name in names})
