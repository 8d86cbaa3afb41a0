"""The ephemeris: apparent geocentric Sun and Moon from a JPL SPK file.

DE421 comes from the skyfield-data package, so nothing is ever downloaded; any
other JPL kernel (de440.bsp, de441 parts, ...) can be given by path.  Time is
handled by Skyfield's built-in timescale, whose Delta T (observed values, then
its long-term model) can be replaced by a constant (``delta_t=`` seconds).
A kernel's records are checked before Skyfield follows them (``check_spk``).
"""

from __future__ import annotations

import functools
import math
import os
import struct
from dataclasses import dataclass, replace
from importlib.resources import files

import numpy as np

from . import deltat
from ..constants import AU_EARTH_RADII
from ..dates import format_date
from ..errors import EclipseError, reason

DEFAULT_EPHEMERIS = "de421.bsp"


class EphemerisError(EclipseError):
    """The ephemeris file is missing, unreadable, or does not cover a date."""


def default_ephemeris_path() -> str:
    """Path of DE421 inside the skyfield-data package.

    Built directly rather than with ``skyfield_data.get_skyfield_data_path()``,
    which warns about the expiry of an IERS file this package never reads.
    """
    return str(files("skyfield_data") / "data" / DEFAULT_EPHEMERIS)


@dataclass(frozen=True)
class Ephemeris:
    """A source of Besselian elements with a timescale: a loaded JPL kernel,
    or (``kernel`` None) the package's canon of elements computed from DE422
    (eclipse.canon).

    ``jd_first`` and ``jd_last`` are the TT Julian dates covered.  Delta T
    is ``delta_t`` seconds when set (model "fixed"), else the named model's
    (eclipse.deltat: "skyfield" or "espenak-meeus").
    """

    path: str
    name: str
    kernel: object
    timescale: object
    delta_t: float | None
    jd_first: float
    jd_last: float
    delta_t_model: str = "skyfield"

    def with_delta_t(self, delta_t: float | None, delta_t_model: str | None) -> "Ephemeris":
        """The same source with another Delta T (a constant, or a model)."""
        delta_t = check_delta_t(delta_t)
        model = "fixed" if delta_t is not None else (delta_t_model or "skyfield")
        if (delta_t, model) == (self.delta_t, self.delta_t_model):
            return self
        return replace(self, delta_t=delta_t, delta_t_model=model, timescale=_timescale(delta_t, model))

    def delta_t_sigma(self, jd_tt) -> np.ndarray:
        """One standard deviation of Delta T (s) at TT Julian dates: the
        model's published uncertainty (eclipse.deltat); 0 for a fixed value."""
        if self.delta_t_model == "fixed":
            return np.zeros(np.shape(jd_tt))
        return deltat.delta_t_sigma(self.delta_t_model, jd_tt)

    @property
    def first_day(self) -> float:
        """Julian date of 0h on the first whole day the kernel covers."""
        return float(np.ceil(self.jd_first - 0.5) + 0.5)

    @property
    def last_day(self) -> float:
        """Julian date of 0h on the last whole day the kernel covers."""
        return float(np.floor(self.jd_last - 1.5) + 0.5)

    def covers(self, jd_tt) -> bool:
        jd_tt = np.asarray(jd_tt)
        return bool(np.all((jd_tt >= self.jd_first) & (jd_tt <= self.jd_last)))

    def range_text(self) -> str:
        """'de421.bsp covers 1899-07-30 to 2053-10-07': the days any
        search can ask for, stated the same everywhere."""
        return f"{self.name} covers {format_date(self.first_day)} to {format_date(self.last_day)}"

    def times(self, jd_tt):
        """Skyfield Time for TT Julian dates (any shape)."""
        return self.timescale.tt_jd(np.asarray(jd_tt, dtype=float))

    def delta_t_seconds(self, jd_tt) -> np.ndarray:
        """Delta T = TT - UT1 in seconds at the given TT Julian dates."""
        return np.asarray(self.times(jd_tt).delta_t, dtype=float)

    def sun_moon(self, jd_tt):
        """Apparent geocentric Sun and Moon in Earth radii, GCRS axes.

        Light time, deflection and aberration as Skyfield's ``apparent()``
        (Explanatory Supplement 2013, ch. 7).  Returns ``(t, sun, moon)``
        where ``sun`` and ``moon`` have shape ``(3,) + jd_tt.shape``.
        """
        if self.kernel is None:
            raise EphemerisError(f"{self.name} holds Besselian elements only, not positions")
        t = self.times(jd_tt)
        if not self.covers(t.tt):
            raise EphemerisError(f"date outside the ephemeris: {self.range_text()}")
        earth = self.kernel["earth"].at(t)
        sun = earth.observe(self.kernel["sun"]).apparent().position.au
        moon = earth.observe(self.kernel["moon"]).apparent().position.au
        return t, sun * AU_EARTH_RADII, moon * AU_EARTH_RADII


#: The Delta T (seconds) a user may set in place of the model's: finite and
#: within these bounds, about twice the largest value any model gives over
#: -2999..+2999 (Skyfield's: 75,000 s at -2999).
DELTA_T_RANGE = (-1000.0, 150000.0)


def check_delta_t(delta_t) -> float | None:
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


def load(path: str | None = None, delta_t: float | None = None, delta_t_model: str | None = None) -> Ephemeris:
    """Load a JPL SPK kernel (DE421 from skyfield-data when ``path`` is None).

    ``delta_t`` replaces the Delta T model by a constant number of seconds
    (``check_delta_t``); ``delta_t_model`` names the model (eclipse.deltat:
    "skyfield", the default, or "espenak-meeus").
    """
    kernel = _load(os.path.abspath(path) if path else default_ephemeris_path())
    return kernel.with_delta_t(delta_t, delta_t_model)


@functools.lru_cache(maxsize=None)
def _timescale(delta_t: float | None, model: str):
    """A Skyfield timescale (built-in tables) with a constant Delta T, or a
    model's."""
    from skyfield.api import load as skyfield_load

    if delta_t is not None:
        return skyfield_load.timescale(delta_t=delta_t, builtin=True)
    return deltat.timescale(model)


@functools.lru_cache(maxsize=8)
def _load(path: str) -> Ephemeris:
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
    return Ephemeris(
        path=path,
        name=os.path.basename(path),
        kernel=kernel,
        timescale=_timescale(None, "skyfield"),
        delta_t=None,
        jd_first=jd_first,
        jd_last=jd_last,
    )


#: Bytes of a DAF record; an SPK's summaries: ND doubles and NI integers.
RECORD_BYTES = 1024
SPK_ND, SPK_NI = 2, 6
#: Summaries a record holds after its NEXT, PREV and NSUM: (1024 - 24) // 40.
SUMMARIES_PER_RECORD = (RECORD_BYTES - 24) // (8 * SPK_ND + 4 * SPK_NI)


def check_spk(path: str) -> None:
    """EphemerisError, in one line, unless ``path`` is a regular file whose
    DAF structure an SPK reader can follow to the end (NAIF, DAF Required
    Reading): its file record (ID word, ND = 2, NI = 6, FWARD, BWARD and
    FREE within the file), then the chain of summary records from FWARD by
    their NEXT, each with its name record inside the file, visited once,
    NSUM within what a record holds, and every segment's words in the file
    in order.  jplephem follows the records as they come: a NEXT pointing
    back made it loop until memory ran out."""
    if os.path.isdir(path):
        raise EphemerisError(f"cannot read ephemeris file {path}: it is a directory")
    if not os.path.exists(path):
        raise EphemerisError(f"ephemeris file not found: {path}")
    if not os.path.isfile(path):
        raise EphemerisError(f"cannot read ephemeris file {path}: it is not a regular file")
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            endian, fward = _daf_file_record(f.read(RECORD_BYTES), size, path)
            _check_summaries(f, endian, fward, size, path)
    except OSError as exc:
        raise EphemerisError(f"cannot read ephemeris file {path}: {reason(exc)}") from None


def _daf_file_record(record: bytes, size: int, path: str):
    """(endian, FWARD) from a DAF file record (DAF Required Reading,
    "The file record": LOCIDW, ND, NI, LOCIFN, FWARD, BWARD, FREE, LOCFMT),
    checked: 'DAF/SPK ' (or the older 'NAIF/DAF'), ND = 2, NI = 6, FREE (the
    first free word) at most one past the file's end, and the first and
    last summary records FWARD and BWARD, with the name records after them,
    within the file."""
    if len(record) < RECORD_BYTES or not record.startswith((b"DAF/SPK ", b"NAIF/DAF")):
        raise EphemerisError(f"cannot read ephemeris file {path}: not a JPL SPK kernel "
                             f"(it begins {record[:8].decode('latin-1')!r}, not 'DAF/SPK ')")
    endians = {b"LTL-IEEE": "<", b"BIG-IEEE": ">"}
    candidates = [endians.get(record[88:96])] if record.startswith(b"DAF/") else list(endians.values())
    for endian in filter(None, candidates):
        nd, ni, _, fward, bward, free = struct.unpack(endian + "ii60siii", record[8:88])
        if (nd, ni) == (SPK_ND, SPK_NI):
            break
    else:
        raise EphemerisError(f"cannot read ephemeris file {path}: not a JPL SPK kernel (no ND = 2, NI = 6 "
                             f"in a known byte order)")
    if not 1 <= free <= size // 8 + 1:
        raise EphemerisError(f"ephemeris file {path} is truncated: {size:,} bytes of the {8 * (free - 1):,} "
                             "its file record counts")
    records = size // RECORD_BYTES
    for name, number in (("FWARD", fward), ("BWARD", bward)):
        if not 2 <= number < records:  # (its names in the record after it)
            raise EphemerisError(f"cannot read ephemeris file {path}: its file record's {name} points to record "
                                 f"{number:,}, outside the file's {records:,} records")
    return endian, fward


def _whole(value: float) -> bool:
    """Whether a double of a summary record is a whole number."""
    return math.isfinite(value) and value == int(value)


def _check_summaries(f, endian: str, fward: int, size: int, path: str) -> None:
    """Walk the summary records from FWARD (DAF Required Reading, "Summary
    records": NEXT, PREV and NSUM as doubles, then NSUM summaries of ND
    doubles and NI integers), refusing a record outside the file, one met
    twice and a count NSUM out of range, and check each segment's words."""
    records, words = size // RECORD_BYTES, size // 8
    seen, number, came_from = set(), fward, "its file record's FWARD"
    summary = struct.Struct(endian + "2d6i")
    while number:
        if not (_whole(number) and 2 <= number < records):
            raise EphemerisError(f"cannot read ephemeris file {path}: {came_from} points to record {number:,g}, "
                                 f"outside the file's {records:,} records")
        number = int(number)
        if number in seen:
            raise EphemerisError(f"cannot read ephemeris file {path}: its summary records form a loop at "
                                 f"record {number}")
        seen.add(number)
        f.seek((number - 1) * RECORD_BYTES)
        record = f.read(RECORD_BYTES)
        following, _, count = struct.unpack(endian + "3d", record[:24])
        if not (_whole(count) and 0 <= count <= SUMMARIES_PER_RECORD):
            raise EphemerisError(f"cannot read ephemeris file {path}: its summary record {number} counts "
                                 f"{count:,g} summaries, not 0 to {SUMMARIES_PER_RECORD}")
        for i in range(int(count)):
            *_, start, end = summary.unpack_from(record, 24 + i * summary.size)
            if end > words:
                raise EphemerisError(f"ephemeris file {path} is truncated: {size:,} bytes of the {8 * end:,} "
                                     "its segments need")
            if not 1 <= start <= end:
                raise EphemerisError(f"cannot read ephemeris file {path}: segment {i + 1} of summary record "
                                     f"{number} spans words {start:,} to {end:,}")
        number, came_from = following, f"its summary record {number}'s NEXT"


def _segment_span(kernel, name: str) -> tuple[float, float]:
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
