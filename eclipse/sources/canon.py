"""The shipped canon: Besselian elements of every solar eclipse, -2999 to 2999.

``scripts/build_canon.py`` computes them with this package's own search and
element code from JPL DE422 (converted by ``io.spk``) and writes
``eclipse/data/canon.npz``: NASA's polynomial layout (Espenak and Meeus 2006,
NASA/TP-2006-214141) in TT hours from t0,

    t0 (TT Julian date, on the hour)   x0..x3, y0..y3 (Earth radii)
    d0..d2, mu0..mu2 (degrees)         l1_0..l1_2, l2_0..l2_2 (Earth radii)
    tan_f1, tan_f2                     lunation (Meeus's k, NASA's "luna")

and a ``provenance`` string (ephemeris, constants, code version, date,
command).  As NASA's, mu is on the ephemeris meridian: the elements were fitted
with UT1 = TT (Delta T = 0), so nothing stored depends on Delta T.  ``window``
moves mu to Greenwich for a Delta T model or value, exactly as
``elements.fit_elements`` would have computed it: GAST(UT1) differs from
GAST(TT) by the Earth rotation angle's rate times Delta T (Skyfield's
``earth_rotation_angle``, IAU 2000 Resolution B1.8: 1.00273781191135448
turns per UT1 day), and the Delta T of the fit's seven hours is fitted by the
same least squares as mu.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from importlib.resources import files

import numpy as np
import numpy.typing as npt

from ..constants import DEGREES_PER_DELTA_T_SECOND, SECONDS_PER_DAY
from ..dates import jd_from_calendar
from ..errors import EclipseError
from . import deltat
from .base import Candidates, Source
from .elements import DEGREES, FIT_HOURS, BesselianElements

#: The canon's file in the package's data folder.
CANON_FILE = "canon.npz"
#: What the canon is called in results (JSON ``ephemeris``), and the years
#: its search covered (scripts/build_canon.py).
NAME = "canon (DE422)"
YEARS = (-2999, 2999)
#: The polynomial columns, as in NASA's tables, and all the stored columns
#: of elements but t0.
COLUMNS = ("x", "y", "d", "mu", "l1", "l2")
STORED = COLUMNS + ("tan_f1", "tan_f2")


class CanonError(EclipseError):
    """The canon file is missing or unreadable."""


@dataclass(frozen=True, eq=False)
class Canon:
    """The stored table: a batch of elements in t0 order with mu on the
    ephemeris meridian (``delta_t`` 0), their lunation numbers, and where
    they come from."""

    elements: BesselianElements
    lunation: npt.NDArray[np.integer]
    provenance: str

    @property
    def t0(self) -> npt.NDArray[np.float64]:
        """The TT Julian dates t0 of the eclipses, in order."""
        return self.elements.t0

    @property
    def jd_first(self) -> float:
        """The first eclipse's t0 (TT Julian date)."""
        return float(self.t0[0])

    @property
    def jd_last(self) -> float:
        """The last eclipse's t0 (TT Julian date)."""
        return float(self.t0[-1])

    def __len__(self) -> int:
        """The number of eclipses stored."""
        return len(self.t0)


def canon_path() -> str:
    """Path of the shipped canon inside the package."""
    return str(files("eclipse") / "data" / CANON_FILE)


@dataclass(frozen=True)
class CanonSource(Source):
    """The shipped canon as a ``Source``: elements stored, mu moved to the
    Greenwich meridian for the Delta T asked."""

    def candidates(self, jd_start: float, jd_end: float) -> Candidates:
        """The canon's eclipses whose t0 falls within a pad of the days asked:
        t0 is TT, within half an hour of greatest eclipse, and the days are
        UT; TT - UT is Delta T, up to 150,000 s (1.8 days) when given."""
        pad = 1.0 + abs(self.delta_t or 0.0) / SECONDS_PER_DAY
        return window(jd_start - pad, jd_end + pad, self.delta_t_model, self.delta_t, self.path)


@functools.cache
def source() -> CanonSource:
    """The canon covering the whole days of YEARS, with Skyfield's Delta T
    (``with_delta_t`` gives it another)."""
    return CanonSource(path=canon_path(), name=NAME, jd_first=jd_from_calendar(YEARS[0], 1, 1),
                       jd_last=jd_from_calendar(YEARS[1] + 1, 1, 1))


@functools.lru_cache(maxsize=4)
def load(path: str | None = None) -> Canon:
    """The canon, read once (``path``: another file of the same format)."""
    path = path or canon_path()
    try:
        with np.load(path) as data:
            columns = {name: np.array(data[name]) for name in ("t0",) + STORED}
            lunation, provenance = np.array(data["lunation"]), str(data["provenance"])
    except (OSError, KeyError, ValueError) as exc:
        raise CanonError(f"cannot read the eclipse canon {path}: {exc}") from None
    elements = BesselianElements(delta_t=np.zeros(len(columns["t0"])), **columns)
    return Canon(elements, lunation, provenance)


def window(jd_start: float, jd_end: float, delta_t_model: str = "skyfield",
           delta_t: float | None = None, path: str | None = None) -> Candidates:
    """The canon's eclipses whose t0 (TT Julian date) lies in [jd_start,
    jd_end), mu moved to Greenwich with ``delta_t`` seconds when given, else
    with the named Delta T model.  (Greatest eclipse is within half an hour
    of t0: pad the span and filter the characterised eclipses by date.)"""
    canon = load(path)
    i, j = np.searchsorted(canon.t0, [jd_start, jd_end])
    stored = canon.elements[i:j]
    times = stored.t0[:, None] + FIT_HOURS / 24.0
    if delta_t is None:
        seconds = deltat.delta_t(delta_t_model, times.ravel()).reshape(times.shape)
    else:
        seconds = np.full(times.shape, float(delta_t))
    mu = stored.mu - mu_offset(seconds)
    mu[:, 0] %= 360.0
    elements = replace(stored, mu=mu, delta_t=seconds[:, list(FIT_HOURS).index(0.0)])
    return Candidates(elements, canon.lunation[i:j])


def mu_offset(delta_t_at_fit_hours: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Coefficients (degrees) to subtract from ephemeris-meridian mu to put it
    on the Greenwich meridian, from Delta T (s) at the fit's hours
    (``elements.FIT_HOURS``, last axis): the rotation angle Delta T stands
    for, fitted by the least squares ``fit_elements`` uses for mu."""
    angle = DEGREES_PER_DELTA_T_SECOND * np.asarray(delta_t_at_fit_hours)
    vander = np.vander(FIT_HOURS, DEGREES["mu"] + 1, increasing=True)
    return angle @ np.linalg.pinv(vander).T


def ephemeris_meridian(elements: BesselianElements) -> dict[str, npt.NDArray[np.float64]]:
    """The columns the canon stores, from a batch fitted with Delta T = 0
    (so that its mu is on the ephemeris meridian)."""
    if np.any(np.asarray(elements.delta_t) != 0.0):
        raise CanonError("the canon stores elements fitted with Delta T = 0 (mu on the ephemeris meridian)")
    return {name: np.asarray(getattr(elements, name), dtype=float) for name in ("t0",) + STORED}
