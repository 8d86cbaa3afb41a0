"""Sources of eclipses: JPL kernels, the shipped canon, Delta T.

The first stage of the pipeline (ephemeris -> Besselian elements -> search
-> geometry -> outputs).  A ``Source`` gives the Besselian elements of the
eclipses in a span of days (``Source.candidates``) and the Delta T of its
results; ``KernelSource`` fits them to a JPL kernel's Sun and Moon
(``load``), ``CanonSource`` reads them from the canon shipped in the package
(``canon_source``), computed from JPL DE422 by ``scripts/build_canon.py``.

By default DE421 (from skyfield-data) serves its own span, 1899-07-30 to
2053-10-07, and the canon the years -2999 to 2999 around it (``serving``).
"""

from __future__ import annotations

from ..dates import format_date
from .base import DELTA_T_RANGE, Candidates, EphemerisError, Source, check_delta_t
from .canon import CanonError, CanonSource
from .canon import source as canon_source
from .deltat import MODELS as DELTA_T_MODELS
from .deltat import DeltaTError
from .elements import BesselianElements, ElementsAt, stack_elements
from .kernel import KernelSource, default_ephemeris_path, load

__all__ = ["Source", "KernelSource", "CanonSource", "Candidates", "BesselianElements", "ElementsAt", "EphemerisError",
           "CanonError", "DeltaTError", "DELTA_T_MODELS", "DELTA_T_RANGE", "load", "canon_source", "serving", "widest",
           "check_delta_t", "default_ephemeris_path", "stack_elements"]


def serving(ephemeris: str | Source | None, delta_t: float | None, delta_t_model: str | None,
            jd_start: float, jd_end: float, year: int | None = None) -> list[tuple[Source, float, float]]:
    """Which source serves the days [jd_start, jd_end): (source, start, end)
    pieces in order.  A kernel given (a path or a Source) serves the whole
    span; by default DE421 its own span and the canon the rest.
    EphemerisError naming the range when the days are not covered (``year``:
    the year asked, for the message)."""
    if ephemeris is not None:
        if isinstance(ephemeris, Source):
            source = ephemeris if delta_t is None and delta_t_model is None else (
                ephemeris.with_delta_t(delta_t, delta_t_model))
        else:
            source = load(ephemeris, delta_t, delta_t_model)
        check_span(source, jd_start, jd_end, year)
        return [(source, jd_start, jd_end)]
    live = load(None, delta_t, delta_t_model)
    stored = canon_source().with_delta_t(delta_t, delta_t_model)
    check_span(stored, jd_start, jd_end, year, also=live)
    first, last = live.first_day, live.last_day + 1
    pieces = [(stored, jd_start, min(jd_end, first)), (live, max(jd_start, first), min(jd_end, last)),
              (stored, max(jd_start, last), jd_end)]
    return [(source, a, b) for source, a, b in pieces if b > a]


def check_span(source: Source, jd_start: float, jd_end: float, year: int | None = None,
               also: Source | None = None) -> None:
    """EphemerisError unless the days [jd_start, jd_end) lie within the
    source's whole days (``also``: a second source named in the message)."""
    if jd_start >= source.first_day and jd_end <= source.last_day + 1:
        return
    if year is not None:
        asked = f"year {year}"
    elif jd_end - jd_start <= 1:
        asked = format_date(jd_start)
    else:
        asked = f"{format_date(jd_start)} to {format_date(jd_end - 1)}"
    live = f" ({also.range_text()}, live)" if also is not None else ""
    raise EphemerisError(
        f"{asked} is not within the ephemeris: {source.range_text()}{live}; "
        "use --ephemeris PATH (ephemeris= in Python) with a JPL file that covers it, e.g. de441"
    )


def widest(ephemeris: str | Source | None) -> Source:
    """The source with the widest span: the kernel given, else the canon."""
    if isinstance(ephemeris, Source):
        return ephemeris
    return load(ephemeris) if ephemeris is not None else canon_source()
