"""A JPL SPK kernel as a source: apparent geocentric Sun and Moon, and the
Besselian elements fitted to them around each eclipse.

DE421 comes from the skyfield-data package, so nothing is ever downloaded; any
other JPL kernel (de440.bsp, de441 parts, ...) can be given by path.  Time is
handled by Skyfield's built-in timescale, whose Delta T (observed values, then
its long-term model) can be replaced by a constant (``delta_t=`` seconds).
A kernel's records are checked before Skyfield follows them (``daf.check_spk``).

The eclipses of a span: the new moons near a node (``lunations``), the
instant of each at which the shadow axis passes closest to the Earth's
centre (``closest_approach``), and the elements fitted around the TT hour
nearest it, as NASA does (``elements.fit_elements``).
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from importlib.resources import files
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from ..constants import AU_EARTH_RADII
from ..errors import reason
from .base import Candidates, EphemerisError, Source
from .daf import check_spk
from .elements import axis_offset, fit_elements
from .lunations import eclipse_lunations

if TYPE_CHECKING:  # Skyfield has no type information: Any to mypy, names to a reader
    from skyfield.jpllib import SpiceKernel
    from skyfield.timelib import Time

#: The kernel used when none is given: DE421, from skyfield-data.
DEFAULT_EPHEMERIS = "de421.bsp"
#: Days kept clear of a kernel's ends by the new moons searched.
END_MARGIN_DAYS = 0.5
#: Distance (Earth radii) of the shadow axis from the Earth's centre beyond
#: which no part of the penumbra (l1 < 0.58) can reach the Earth.
MISS_DISTANCE = 1.6


def default_ephemeris_path() -> str:
    """Path of DE421 inside the skyfield-data package.

    Built directly rather than with ``skyfield_data.get_skyfield_data_path()``,
    which warns about the expiry of an IERS file this package never reads.
    """
    return str(files("skyfield_data") / "data" / DEFAULT_EPHEMERIS)


@dataclass(frozen=True)
class KernelSource(Source):
    """A loaded JPL kernel (``kernel``: Skyfield's SpiceKernel) as a
    ``Source``: positions of the Sun and Moon, elements fitted to them."""

    kernel: SpiceKernel = field(kw_only=True, repr=False, compare=False)

    def sun_moon(self, jd_tt: npt.ArrayLike) -> tuple[Time, npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Apparent geocentric Sun and Moon in Earth radii, GCRS axes.

        Light time, deflection and aberration as Skyfield's ``apparent()``
        (Explanatory Supplement 2013, ch. 7).  Returns ``(t, sun, moon)``
        where ``sun`` and ``moon`` have shape ``(3,) + jd_tt.shape``.
        """
        t = self.times(jd_tt)
        if not self.covers(t.tt):
            raise EphemerisError(f"date outside the ephemeris: {self.range_text()}")
        earth = self.kernel["earth"].at(t)
        sun = earth.observe(self.kernel["sun"]).apparent().position.au
        moon = earth.observe(self.kernel["moon"]).apparent().position.au
        return t, sun * AU_EARTH_RADII, moon * AU_EARTH_RADII

    def candidates(self, jd_start: float, jd_end: float) -> Candidates:
        """The new moons near a node from a month before to a month after
        the days asked, within the kernel; the closest approach of each;
        the elements fitted around it where the penumbra can reach the Earth."""
        k, jd_new = eclipse_lunations(jd_start, jd_end)
        inside = (jd_new > self.jd_first + END_MARGIN_DAYS) & (jd_new < self.jd_last - END_MARGIN_DAYS)
        k, jd_new = k[inside], jd_new[inside]
        if not len(k):
            return Candidates(fit_elements(self, np.zeros(0)), np.zeros(0, dtype=np.int64))
        jd_greatest, distance = closest_approach(self, jd_new)
        near = distance < MISS_DISTANCE
        t0 = np.round(jd_greatest[near] * 24.0) / 24.0
        return Candidates(fit_elements(self, t0), k[near].astype(np.int64))


def closest_approach(source: KernelSource, jd_guess: npt.NDArray[np.float64]) -> tuple[
        npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Instant and distance of the axis's closest approach to the Earth's centre.

    The perpendicular from the axis is sampled at -1.5, 0, +1.5 h, each of its
    components interpolated by a parabola, and |p(t)|^2 minimised by the
    fixed-point iteration t <- t - p.p' / p'.p'.
    """
    step = 1.5
    samples = axis_offset(source, jd_guess[:, None] + np.array([-step, 0.0, step]) / 24.0)
    before, middle, after = samples[..., 0], samples[..., 1], samples[..., 2]
    slope = (after - before) / (2 * step)
    curve = (after - 2 * middle + before) / (2 * step * step)
    t = np.zeros(len(jd_guess))
    for _ in range(6):
        p = middle + t * slope + t * t * curve
        dp = slope + 2 * t * curve
        t = t - np.sum(p * dp, axis=0) / np.sum(dp * dp, axis=0)
    p = middle + t * slope + t * t * curve
    return jd_guess + t / 24.0, np.sqrt(np.sum(p * p, axis=0))


def load(path: str | None = None, delta_t: float | None = None, delta_t_model: str | None = None) -> KernelSource:
    """Load a JPL SPK kernel (DE421 from skyfield-data when ``path`` is None).

    ``delta_t`` replaces the Delta T model by a constant number of seconds
    (``base.check_delta_t``); ``delta_t_model`` names the model
    (``sources.deltat``: "skyfield", the default, or "espenak-meeus").
    """
    kernel = _load(os.path.abspath(path) if path else default_ephemeris_path())
    return kernel.with_delta_t(delta_t, delta_t_model)


@functools.lru_cache(maxsize=8)
def _load(path: str) -> KernelSource:
    """The kernel at an absolute path, checked, with Skyfield's Delta T and
    the TDB Julian dates its Earth, Moon and Sun all cover, a day in from
    each end."""
    from skyfield.api import load_file

    check_spk(path)  # before jplephem follows the file's records
    try:
        kernel = load_file(path)
    except Exception as exc:  # jplephem raises several kinds on a bad file
        raise EphemerisError(
            f"cannot read ephemeris file {path}: not a JPL SPK kernel ({type(exc).__name__})"
        ) from None
    try:
        spans = [_segment_span(kernel, name) for name in ("earth", "moon", "sun")]
    except Exception as exc:
        kernel.close()
        raise EphemerisError(
            f"ephemeris file {path} lacks the Earth, Moon or Sun: {reason(exc)}"
        ) from None
    jd_first = max(span[0] for span in spans) + 1.0
    jd_last = min(span[1] for span in spans) - 1.0
    return KernelSource(path=path, name=os.path.basename(path), jd_first=jd_first, jd_last=jd_last, kernel=kernel)


def _segment_span(kernel: SpiceKernel, name: str) -> tuple[float, float]:
    """TDB Julian dates covered by every segment on the path to ``name``."""
    body = kernel[name]
    segments = getattr(body, "vector_functions", [body])
    starts, ends = [], []
    for segment in segments:
        spk = getattr(segment, "spk_segment", None)
        if spk is not None:
            starts.append(spk.start_jd)
            ends.append(spk.end_jd)
    if not starts:
        raise ValueError(f"no segments for {name}")
    return max(starts), min(ends)
