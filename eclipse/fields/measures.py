"""What an atlas counts: one measure per cell from each eclipse's local
circumstances there, and how eclipses combine (an exact, order-free
reduction)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ..dates import UNIX_EPOCH_JD
from ..errors import EclipseError

if TYPE_CHECKING:
    from ..geometry.local import LocalCircumstances


class AtlasError(EclipseError):
    """An atlas that cannot be computed or written as asked."""


@dataclass(frozen=True)
class Measure:
    """One kind of atlas: the variable, how one eclipse's local circumstances
    give it, and how eclipses combine (an exact, order-free reduction)."""

    what: str
    name: str
    umbral: bool  # cull by the umbra (else by the penumbra)
    sign: int  # the sign L2 must be able to take (-1 total, +1 annular, 0 either)
    dtype: str
    fill: float  # where no eclipse contributes
    reduce: np.ufunc
    attrs: dict[str, str] = field(default_factory=dict)

    def values(self, seen: LocalCircumstances) -> npt.NDArray[Any]:
        """This measure for one eclipse from its LocalCircumstances."""
        kind = seen.kind_seen
        if self.what == "total-count":
            return (kind == "total").astype(self.dtype)
        if self.what == "annular-count":
            return (kind == "annular").astype(self.dtype)
        if self.what == "central-count":
            return ((kind == "total") | (kind == "annular")).astype(self.dtype)
        if self.what == "next-total":
            ut_days = seen.time_ut("max") - UNIX_EPOCH_JD
            return np.where(kind == "total", ut_days, np.nan)
        if self.what == "max-duration":
            return np.where(kind == "total", seen.duration_s, np.nan).astype(self.dtype)
        return np.asarray(seen.obscuration_visible, dtype=self.dtype)


MEASURES = {m.what: m for m in (
    Measure("total-count", "total_count", True, -1, "int32", 0, np.add,
            {"long_name": "number of total solar eclipses seen", "units": "1"}),
    Measure("annular-count", "annular_count", True, 1, "int32", 0, np.add,
            {"long_name": "number of annular solar eclipses seen", "units": "1"}),
    Measure("central-count", "central_count", True, 0, "int32", 0, np.add,
            {"long_name": "number of total or annular solar eclipses seen", "units": "1"}),
    Measure("next-total", "next_total", True, -1, "float64", np.nan, np.fmin,
            {"long_name": "maximum of the first total solar eclipse seen (UT)",
             "units": "days since 1970-01-01 00:00:00", "calendar": "standard"}),
    Measure("max-duration", "max_duration", True, -1, "float32", np.nan, np.fmax,
            {"long_name": "longest totality seen", "units": "s"}),
    Measure("max-obscuration", "max_obscuration", False, 0, "float32", 0.0, np.fmax,
            {"long_name": "greatest fraction of the Sun's disc area covered, seen with the Sun up",
             "units": "1"}),
)}


def measure(what: str) -> Measure:
    """The Measure named ``what``; AtlasError listing the choices."""
    if what not in MEASURES:
        raise AtlasError(f"unknown --what {what!r}: choose from {', '.join(MEASURES)}")
    return MEASURES[what]
