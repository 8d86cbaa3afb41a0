"""What every source of eclipses offers: Besselian elements with a Delta T.

A ``Source`` covers a span of TT Julian dates and, for any span of days,
gives the Besselian elements of the eclipses whose greatest eclipse may fall
in it (``candidates``).  Two kinds implement it: a JPL kernel
(``sources.kernel.KernelSource``: positions of the Sun and Moon, from which
the elements are fitted) and the shipped canon (``sources.canon.CanonSource``:
elements stored).  Both carry the Delta T of results: a model's (Skyfield's
or Espenak and Meeus's, ``sources.deltat``) or a fixed value.
"""

from __future__ import annotations

import abc
import functools
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, NamedTuple, TypeVar

import numpy as np
import numpy.typing as npt

from ..dates import format_date
from ..errors import EclipseError
from . import deltat
from .elements import BesselianElements

if TYPE_CHECKING:  # Skyfield has no type information: these are Any to mypy, names to a reader
    from skyfield.timelib import Time, Timescale


class EphemerisError(EclipseError):
    """The ephemeris file is missing, unreadable, or does not cover a date."""


class Candidates(NamedTuple):
    """A source's eclipses in a span: a batch of Besselian elements and their
    lunation numbers (Meeus's k, NASA's "luna")."""

    elements: BesselianElements
    lunation: npt.NDArray[np.integer]


#: The Delta T (seconds) a user may set in place of the model's: finite and
#: within these bounds, about twice the largest value any model gives over
#: -2999..+2999 (Skyfield's: 75,000 s at -2999).
DELTA_T_RANGE = (-1000.0, 150000.0)


def check_delta_t(delta_t: float | None) -> float | None:
    """A Delta T override as a float, or None; EphemerisError when it is not
    a finite number within DELTA_T_RANGE."""
    if delta_t is None:
        return None
    try:
        value = float(delta_t)
    except (TypeError, ValueError):
        raise EphemerisError(f"Delta T must be a number of seconds, not {delta_t!r}") from None
    low, high = DELTA_T_RANGE
    if not (np.isfinite(value) and low <= value <= high):
        raise EphemerisError(f"Delta T {delta_t!r} s is not a finite number from {low:,.0f} to {high:,.0f} s")
    return value


@functools.cache
def timescale(delta_t: float | None, model: str) -> Timescale:
    """A Skyfield timescale (built-in tables) with a constant Delta T, or a
    model's (``sources.deltat``)."""
    from skyfield.api import load as skyfield_load

    if delta_t is not None:
        return skyfield_load.timescale(delta_t=delta_t, builtin=True)
    return deltat.timescale(model)


#: A kind of Source (``with_delta_t`` returns the kind it is given).
S = TypeVar("S", bound="Source")


@dataclass(frozen=True)
class Source(abc.ABC):
    """A source of eclipses' Besselian elements covering the TT Julian dates
    ``jd_first`` to ``jd_last``, named ``name`` in results (JSON
    ``ephemeris``), read from ``path``.  Delta T is ``delta_t`` seconds when
    set (model "fixed"), else the named model's: "skyfield" or
    "espenak-meeus" (``sources.deltat``)."""

    path: str
    name: str
    jd_first: float
    jd_last: float
    delta_t: float | None = None
    delta_t_model: str = "skyfield"

    @abc.abstractmethod
    def candidates(self, jd_start: float, jd_end: float) -> Candidates:
        """The elements of every eclipse whose greatest eclipse may fall on
        the UT days [jd_start, jd_end) (Julian dates of 0h), and perhaps a
        few beyond: the caller keeps those that do."""

    def with_delta_t(self: S, delta_t: float | None, delta_t_model: str | None) -> S:
        """The same source with another Delta T (a constant, or a model)."""
        delta_t = check_delta_t(delta_t)
        model = "fixed" if delta_t is not None else (delta_t_model or "skyfield")
        if (delta_t, model) == (self.delta_t, self.delta_t_model):
            return self
        return replace(self, delta_t=delta_t, delta_t_model=model)

    @property
    def timescale(self) -> Timescale:
        """Skyfield's timescale with this source's Delta T."""
        return timescale(self.delta_t, self.delta_t_model)

    def times(self, jd_tt: npt.ArrayLike) -> Time:
        """Skyfield Time for TT Julian dates (any shape)."""
        return self.timescale.tt_jd(np.asarray(jd_tt, dtype=float))

    def delta_t_seconds(self, jd_tt: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """Delta T = TT - UT1 in seconds at the given TT Julian dates."""
        return np.asarray(self.times(jd_tt).delta_t, dtype=float)

    def delta_t_sigma(self, jd_tt: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """One standard deviation of Delta T (s) at TT Julian dates: the
        model's published uncertainty (``sources.deltat``); 0 for a fixed value."""
        if self.delta_t_model == "fixed":
            return np.zeros(np.shape(jd_tt))
        return deltat.delta_t_sigma(self.delta_t_model, jd_tt)

    @property
    def first_day(self) -> float:
        """Julian date of 0h on the first whole day the source covers."""
        return float(np.ceil(self.jd_first - 0.5) + 0.5)

    @property
    def last_day(self) -> float:
        """Julian date of 0h on the last whole day the source covers."""
        return float(np.floor(self.jd_last - 1.5) + 0.5)

    def covers(self, jd_tt: npt.ArrayLike) -> bool:
        """Whether every TT Julian date given lies within the source."""
        jd_tt = np.asarray(jd_tt)
        return bool(np.all((jd_tt >= self.jd_first) & (jd_tt <= self.jd_last)))

    def range_text(self) -> str:
        """'de421.bsp covers 1899-07-30 to 2053-10-07': the days any
        search can ask for, stated the same everywhere."""
        return f"{self.name} covers {format_date(self.first_day)} to {format_date(self.last_day)}"
