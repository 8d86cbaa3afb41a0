"""Writing JPL SPK kernels (type 2, Chebyshev position) from coefficient arrays.

The long-range source of the canon is JPL DE422 (Folkner et al. 2009; the
PyPI package ``de422``, -3000 to 3000), which ships its series as NumPy arrays
for jplephem's old API: ``jpl-sun.npy``, ``jpl-earthmoon.npy`` (barycentric,
km) and ``jpl-moon.npy`` (geocentric Moon, km), each of shape
(intervals, 3, coefficients) over equal intervals from ``jalpha`` to
``jomega`` (TDB Julian dates).  Those Chebyshev series are exactly what an SPK
type 2 segment holds, so the conversion is a relabelling: the bodies a kernel
needs (NAIF SPK Required Reading, "Segments: type 2"; the DAF file record of
DAF Required Reading) are

    10 (Sun)   about 0 (solar-system barycentre)   the sun array
     3 (EMB)   about 0                              the earthmoon array
   301 (Moon)  about 3   the geocentric Moon times  EMRAT / (1 + EMRAT)
   399 (Earth) about 3   the geocentric Moon times -1 / (1 + EMRAT)
     5, 6 (Jupiter's and Saturn's barycentres) about 0: Skyfield's apparent()
          bends light by their gravity (a fraction of a milliarcsecond here)

the last two because the Earth-Moon barycentre divides the Earth-Moon vector
in the ratio of their masses (EMRAT = M_earth / M_moon), as in JPL's own .bsp
files.  jplephem's DAF class writes the arrays; Skyfield reads the result.

``de422`` is a build-time dependency only (the ``build`` extra): nothing in
the package imports it at run time.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import struct
from collections.abc import Iterable, Iterator
from typing import TypeAlias

import numpy as np
import numpy.typing as npt

from ..constants import SECONDS_PER_DAY
from .files import write_atomically

J2000 = 2451545.0
FRAME_J2000 = 1  # NAIF's frame code for the ICRF/J2000 axes of JPL kernels
SPK_TYPE_CHEBYSHEV = 2
SUN, EARTH_MOON_BARYCENTRE, MOON, EARTH, BARYCENTRE = 10, 3, 301, 399, 0
JUPITER_BARYCENTRE, SATURN_BARYCENTRE = 5, 6

#: A type 2 segment for ``write_spk``: (target, center, jd_start,
#: days_per_interval, coefficients of shape (intervals, 3, n) in km).
Segment: TypeAlias = tuple[int, int, float, float, npt.NDArray[np.float64]]


def write_spk(path: str, segments: Iterable[Segment], comment: str = "", internal_name: str = "") -> None:
    """Write an SPK file of type 2 segments, whole or not at all.

    ``segments`` yields ``(target, center, jd_start, days_per_interval,
    coefficients)`` with coefficients of shape (intervals, 3, n) in km over
    intervals of equal length from TDB Julian date ``jd_start``.
    """
    def write(temporary: str) -> None:
        from jplephem.daf import DAF

        records = 2 + _comment_records(comment)  # file record, comments, then summaries
        with open(temporary, "wb+") as f:
            f.write(_file_record(internal_name, records))
            f.write(_comment_area(comment))
            f.write(b"\0" * 1024)  # the first (empty) summary record
            f.write(b" " * 1024)  # its names
            daf = DAF(f)
            for target, center, jd_start, days, coefficients in segments:
                array, start_s, end_s = _type2_array(jd_start, days, coefficients)
                name = f"{target} about {center}".encode("ascii")
                summary = (start_s, end_s, target, center, FRAME_J2000, SPK_TYPE_CHEBYSHEV)
                daf.add_array(name, summary, array)

    write_atomically(path, write)


def _type2_array(jd_start: float, days: float,
                 coefficients: npt.NDArray[np.float64]) -> tuple[npt.NDArray[np.float64], float, float]:
    """The words of a type 2 segment: records [MID, RADIUS, X..., Y..., Z...]
    then INIT, INTLEN, RSIZE, N (seconds of TDB from J2000)."""
    n, _, degree = coefficients.shape
    init = (jd_start - J2000) * SECONDS_PER_DAY
    length = days * SECONDS_PER_DAY
    records = np.empty((n, 2 + 3 * degree))
    records[:, 0] = init + (np.arange(n) + 0.5) * length
    records[:, 1] = 0.5 * length
    records[:, 2:] = coefficients.reshape(n, 3 * degree)
    directory = np.array([init, length, 2 + 3 * degree, n], dtype=float)
    return np.concatenate([records.ravel(), directory]), init, init + n * length


def _file_record(internal_name: str, fward: int) -> bytes:
    """The DAF file record (DAF Required Reading, "The file record"): ND = 2
    doubles and NI = 6 integers per summary, little-endian IEEE."""
    from jplephem.daf import FTPSTR

    return struct.pack(
        "<8sII60sIII8s603s28s297s",
        b"DAF/SPK ", 2, 6, internal_name.encode("ascii")[:60].ljust(60),
        fward, fward, (fward + 1) * 128 + 1, b"LTL-IEEE",
        b"\0" * 603, FTPSTR.ljust(28, b"\0"), b"\0" * 297,
    )


def _comment_records(comment: str) -> int:
    """How many records of 1024 bytes the comment takes."""
    return len(_comment_area(comment)) // 1024


def _comment_area(comment: str) -> bytes:
    """Comment records: 1000 characters each, lines ended by NUL, text by EOT."""
    if not comment:
        return b""
    data = comment.encode("ascii").replace(b"\n", b"\0") + b"\4"
    blocks = [data[i : i + 1000] for i in range(0, len(data), 1000)]
    return b"".join(block.ljust(1024, b" ") for block in blocks)


def de422_folder() -> str:
    """Where the ``de422`` package keeps its arrays (found, not imported: its
    __init__ holds only a docstring)."""
    spec = importlib.util.find_spec("de422")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("the de422 package is not installed: pip install 'eclipse-path[build]'")
    return os.path.dirname(spec.origin)


def de422_segments(first_jd: float | None = None, last_jd: float | None = None) -> Iterator[Segment]:
    """The Sun, Earth-Moon barycentre, Moon and Earth of DE422 as segments
    for ``write_spk``, optionally cut to the intervals covering a span of
    TDB Julian dates."""
    folder = de422_folder()
    constants = {key.decode(): value for key, value in np.load(os.path.join(folder, "constants.npy"))}
    alpha, omega, emrat = constants["jalpha"], constants["jomega"], constants["EMRAT"]

    def series(name: str) -> tuple[float, float, npt.NDArray[np.float64]]:
        coefficients = np.load(os.path.join(folder, f"jpl-{name}.npy"), mmap_mode="r")
        days = (omega - alpha) / len(coefficients)
        i = 0 if first_jd is None else max(0, int((first_jd - alpha) // days))
        j = len(coefficients) if last_jd is None else min(len(coefficients), int((last_jd - alpha) // days) + 1)
        return alpha + i * days, days, np.asarray(coefficients[i:j])

    start, days, moon = series("moon")
    yield (SUN, BARYCENTRE) + series("sun")
    yield (EARTH_MOON_BARYCENTRE, BARYCENTRE) + series("earthmoon")
    yield (JUPITER_BARYCENTRE, BARYCENTRE) + series("jupiter")
    yield (SATURN_BARYCENTRE, BARYCENTRE) + series("saturn")
    yield MOON, EARTH_MOON_BARYCENTRE, start, days, moon * (emrat / (1.0 + emrat))
    yield EARTH, EARTH_MOON_BARYCENTRE, start, days, moon * (-1.0 / (1.0 + emrat))


def de422_comment() -> str:
    """Provenance written into the converted kernel's comment area."""
    return (
        "JPL planetary and lunar ephemeris DE422 (Folkner et al. 2009),\n"
        f"converted from the PyPI package de422 {importlib.metadata.version('de422')} (jplephem's .npy series)\n"
        "to SPK type 2 by eclipse.io.spk.de422_to_spk: Sun (10), Earth-Moon (3),\n"
        "Jupiter (5) and Saturn (6) barycentres about the solar-system barycentre,\n"
        "Moon (301) and Earth (399)\n"
        "about the barycentre, split from the geocentric Moon by EMRAT.\n"
        f"Source: {de422_folder()}\n"
    )


def de422_to_spk(path: str, first_jd: float | None = None, last_jd: float | None = None) -> str:
    """Convert DE422 (the ``de422`` package, build-time only) into an SPK file
    at ``path`` that Skyfield loads; returns the path."""
    write_spk(path, de422_segments(first_jd, last_jd), de422_comment(), "JPL DE422 via eclipse.io.spk")
    return path
