"""Checking a JPL SPK file's DAF structure before a reader follows it.

NAIF, DAF Required Reading: a file record (ID word, ND, NI, FWARD, BWARD,
FREE), then a chain of summary records (NEXT, PREV, NSUM and the summaries),
each followed by a record of names.  jplephem follows the records as they
come: a NEXT pointing back made it loop until memory ran out, so every
pointer is checked here first.
"""

from __future__ import annotations

import math
import os
import struct
from typing import BinaryIO

from ..errors import reason
from .base import EphemerisError

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


def _daf_file_record(record: bytes, size: int, path: str) -> tuple[str, int]:
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


def _check_summaries(f: BinaryIO, endian: str, fward: int, size: int, path: str) -> None:
    """Walk the summary records from FWARD (DAF Required Reading, "Summary
    records": NEXT, PREV and NSUM as doubles, then NSUM summaries of ND
    doubles and NI integers), refusing a record outside the file, one met
    twice and a count NSUM out of range, and check each segment's words."""
    records, words = size // RECORD_BYTES, size // 8
    seen: set[int] = set()
    number, came_from = fward, "its file record's FWARD"
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
