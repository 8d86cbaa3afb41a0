"""Kernels are checked before they are followed (issue 16).

A kernel whose summary record pointed to itself made jplephem loop until
memory ran out (5.8 GB, then MemoryError).  eclipse.sources.daf.check_spk
walks the DAF structure first (NAIF, DAF Required Reading).  Each broken
kernel below is a small valid one (eclipse.io.spk.write_spk: the Sun, the
Earth-Moon barycentre, the Moon, the Earth and 26 more segments, so that
the summaries fill two summary records) with a few bytes changed, loaded in
a process of its own under a 1 GB address-space limit: the old reader hit
the limit, the check answers at once.  The 60 s timeout is only there so
that a loop fails the test instead of hanging it; nothing is timed.
"""

from __future__ import annotations

import os
import resource
import shutil
import struct
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from eclipse.io.spk import BARYCENTRE, EARTH, EARTH_MOON_BARYCENTRE, MOON, SUN, write_spk
from eclipse.sources import kernel as ephemeris
from eclipse.sources.daf import check_spk
from support.cli import one_line_error, run

RECORD = 1024
#: Generous: the check takes a millisecond, loading the package a second.
TIMEOUT_S = 60
MEMORY_LIMIT = 1 << 30

LOAD = textwrap.dedent("""
    import sys
    from eclipse.sources import kernel as ephemeris
    try:
        ephemeris.load(sys.argv[1])
    except ephemeris.EphemerisError as exc:
        print(exc)
    else:
        print("loaded")
""")


def limited():
    """In the child: at most MEMORY_LIMIT bytes of address space."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def in_a_process(*argv):
    """(exit status, standard output, standard error) of Python running
    ``argv`` under MEMORY_LIMIT, with TIMEOUT_S to spare."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MPLBACKEND="Agg")
    result = subprocess.run([sys.executable, *map(str, argv)], capture_output=True, text=True,
                            timeout=TIMEOUT_S, preexec_fn=limited, env=env)
    return result.returncode, result.stdout.strip(), result.stderr.strip()


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    """A valid SPK of 30 type 2 segments (two summary records, after two
    records of comments), 64 days from J2000."""
    path = tmp_path_factory.mktemp("kernel") / "small.bsp"
    coefficients = np.zeros((2, 3, 4))
    bodies = [(SUN, BARYCENTRE), (EARTH_MOON_BARYCENTRE, BARYCENTRE), (MOON, EARTH_MOON_BARYCENTRE),
              (EARTH, EARTH_MOON_BARYCENTRE)] + [(2000 + i, BARYCENTRE) for i in range(26)]
    write_spk(str(path), [(target, center, 2451545.0, 32.0, coefficients) for target, center in bodies],
              comment="a kernel for tests\n" * 100)
    return path


def summary_records(path) -> list[int]:
    """The record numbers of the chain of summary records, from FWARD."""
    data = path.read_bytes()
    chain, number = [], struct.unpack_from("<i", data, 76)[0]
    while number:
        chain.append(number)
        number = int(struct.unpack_from("<d", data, (number - 1) * RECORD)[0])
    return chain


def broken(kernel, tmp_path, changes):
    """A copy of ``kernel`` with ``changes`` (byte offset, struct format,
    value) written into it."""
    path = tmp_path / "bad.bsp"
    shutil.copy(kernel, path)
    data = bytearray(path.read_bytes())
    for offset, fmt, value in changes:
        struct.pack_into(fmt, data, offset, value)
    path.write_bytes(bytes(data))
    return path


def next_of(record):
    return (record - 1) * RECORD


def nsum_of(record):
    return (record - 1) * RECORD + 16


def segment_words_of(record, index):
    """Offset of a summary's start word address (its end follows)."""
    return (record - 1) * RECORD + 24 + 40 * index + 16 + 4 * 4


def test_the_small_kernel_is_whole(kernel):
    """The kernel the others are broken from loads, with its two summary records."""
    first, second = summary_records(kernel)
    assert first == 4 and second > first
    code, out, err = in_a_process("-c", LOAD, kernel)
    assert (code, out) == (0, "loaded"), err


def cases(first, second, words):
    """(name, changes, what the error says) for a kernel whose summary
    records are ``first`` and ``second``, of ``words`` 8-byte words."""
    end = words // 2
    return [
        ("NEXT to itself", [(next_of(first), "<d", first)], f"its summary records form a loop at record {first}"),
        ("a <-> b", [(next_of(second), "<d", first)], f"its summary records form a loop at record {first}"),
        ("FWARD beyond the end", [(76, "<i", 10 ** 6)], "FWARD points to record 1,000,000, outside the file's"),
        ("NEXT beyond the end", [(next_of(second), "<d", 5e9)],
         f"its summary record {second}'s NEXT points to record 5e+09, outside"),
        ("NEXT not a number", [(next_of(first), "<d", float("nan"))], "points to record nan, outside"),
        ("NSUM of a million", [(nsum_of(first), "<d", 1e6)],
         f"its summary record {first} counts 1e+06 summaries, not 0 to 25"),
        ("a segment past the end", [(segment_words_of(second, 2) + 4, "<i", words + 1000)], "is truncated"),
        ("a segment reversed",
         [(segment_words_of(first, 3), "<i", end + 10), (segment_words_of(first, 3) + 4, "<i", end)],
         f"segment 4 of summary record {first} spans words {end + 10:,} to {end:,}"),
        ("FREE beyond the end", [(84, "<i", words + 100)], "is truncated"),
        ("not ND = 2, NI = 6", [(8, "<i", 3)], "not a JPL SPK kernel (no ND = 2, NI = 6"),
    ]


CASE_NAMES = [case[0] for case in cases(2, 9, 1000)]


@pytest.mark.parametrize("name", CASE_NAMES)
def test_a_broken_kernel_is_refused_at_once(kernel, tmp_path, name):
    first, second = summary_records(kernel)
    _, changes, message = next(c for c in cases(first, second, kernel.stat().st_size // 8) if c[0] == name)
    bad = broken(kernel, tmp_path, changes)
    code, out, err = in_a_process("-c", LOAD, bad)
    assert code == 0 and message in out and out.startswith(("cannot read ephemeris file", "ephemeris file")), err
    assert str(bad) in out and "\n" not in out


def test_the_command_says_so_in_one_line(kernel, tmp_path):
    """`eclipse find --year 2024 --ephemeris bad.bsp`: one line, status 2."""
    first, _ = summary_records(kernel)
    bad = broken(kernel, tmp_path, [(next_of(first), "<d", first)])
    code, out, err = in_a_process("-m", "eclipse", "find", "--year", "2024", "--ephemeris", bad)
    assert code == 2 and out == "" and one_line_error(err + "\n") and "form a loop at record" in err


def test_real_kernels_pass_the_check():
    """DE421 passes (a check of a millisecond or so: a file record and one
    summary record read)."""
    check_spk(ephemeris.default_ephemeris_path())


@pytest.mark.parametrize("make,message", [
    (lambda tmp: tmp, "it is a directory"),
    (lambda tmp: tmp / "missing.bsp", "ephemeris file not found"),
    (lambda tmp: "/dev/null", "it is not a regular file"),
])
def test_a_path_that_is_no_file(tmp_path, make, message):
    with pytest.raises(ephemeris.EphemerisError, match=message):
        ephemeris.load(str(make(tmp_path)))


def test_the_command_names_a_directory(tmp_path):
    code, _out, err = run("find", "--year", "2024", "--ephemeris", tmp_path)
    assert code == 2 and one_line_error(err) and f"cannot read ephemeris file {tmp_path}: it is a directory" in err
