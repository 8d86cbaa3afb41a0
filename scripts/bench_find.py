"""Benchmark: find every solar eclipse of 1900-2050, against the peers.

    python scripts/bench_find.py [--repeat 5]

Times, in one run on one machine:
- eclipse.find (every field filled: kind, gamma, magnitude, point of greatest
  eclipse, Sun altitude and azimuth, width, duration, saros), the first call
  (loading DE421 included) and the best of --repeat calls;
- astronomy-engine: a SearchGlobalSolarEclipse / NextGlobalSolarEclipse loop;
- pyswisseph: sol_eclipse_when_glob then sol_eclipse_where for each eclipse
  (Moshier's built-in ephemeris: Swiss Ephemeris reads no SPK file);
- `eclipse find --year 2024` as a whole process;
- every eclipse of -2999..2999 (the shipped canon) against pyswisseph over
  the same six thousand years.
It prints each time, the number of eclipses each found, and the ratios.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # tests/support

from support.timing import best_of

START, END = "1900-01-01", "2050-12-31"


def bench_ours(repeat):
    import eclipse
    from eclipse.sources import kernel as ephemeris

    t = time.perf_counter()
    found = eclipse.find(start=START, end=END)
    first = time.perf_counter() - t
    eph = ephemeris.load()
    best, found = best_of(repeat, lambda: eclipse.find(start=START, end=END, ephemeris=eph))
    return first, best, len(found)


def bench_astronomy_engine(repeat):
    import astronomy

    def run():
        count = 0
        e = astronomy.SearchGlobalSolarEclipse(astronomy.Time.Make(1900, 1, 1, 0, 0, 0))
        end = astronomy.Time.Make(2051, 1, 1, 0, 0, 0)
        while e.peak.ut < end.ut:
            count += 1
            e = astronomy.NextGlobalSolarEclipse(e.peak)
        return count

    return best_of(repeat, run)


def bench_swisseph(repeat, first_year=1900, last_year=2050):
    import swisseph as swe

    def run():
        flags = swe.FLG_MOSEPH
        calendar = swe.GREG_CAL if first_year > 1582 else swe.JUL_CAL
        tjd = swe.julday(first_year, 1, 1, 0.0, calendar)
        end = swe.julday(last_year + 1, 1, 1, 0.0, swe.GREG_CAL if last_year >= 1582 else swe.JUL_CAL)
        count = 0
        while True:
            _, tret = swe.sol_eclipse_when_glob(tjd, flags, 0)
            if tret[0] >= end:
                return count
            swe.sol_eclipse_where(tret[0], flags)
            count += 1
            tjd = tret[0] + 1.0

    return best_of(repeat, run)


def bench_process(repeat):
    command = [sys.executable, "-m", "eclipse", "find", "--year", "2024"]
    return best_of(repeat, lambda: subprocess.run(command, check=True, capture_output=True))[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-long", dest="long", action="store_false",
                        help="skip -2999..2999 (pyswisseph takes a minute or more there)")
    args = parser.parse_args()

    first, ours, n_ours = bench_ours(args.repeat)
    rows = [("eclipse (this package), first call", first, n_ours),
            ("eclipse (this package)", ours, n_ours)]
    for name, bench in (("astronomy-engine", bench_astronomy_engine), ("pyswisseph", bench_swisseph)):
        try:
            seconds, count = bench(max(1, args.repeat // 2))
        except ImportError:
            print(f"{name}: not installed (pip install -e '.[bench]')")
            continue
        rows.append((name, seconds, count))
    print(f"Solar eclipses {START} to {END}, best of {args.repeat}\n")
    print(f"{'method':<38} {'seconds':>9} {'eclipses':>9} {'x ours':>8}")
    for name, seconds, count in rows:
        print(f"{name:<38} {seconds:9.3f} {count:9d} {seconds / ours:8.1f}")
    print(f"\n`eclipse find --year 2024`, whole process: {bench_process(args.repeat):.3f} s")
    if args.long:
        bench_five_millennia(args.repeat)


def bench_five_millennia(repeat):
    """-2999 to 2999: the shipped canon (DE421 live for its own span) against
    pyswisseph's Moshier ephemeris over the same six thousand years."""
    import eclipse

    eclipse.find(start="-2999", end="2999")
    ours, found = best_of(repeat, lambda: eclipse.find(start="-2999", end="2999"))
    rows = [("eclipse (this package)", ours, len(found))]
    try:
        seconds, count = bench_swisseph(1, -2999, 2999)
        rows.append(("pyswisseph (Moshier)", seconds, count))
    except ImportError:
        print("pyswisseph: not installed (pip install -e '.[bench]')")
    print(f"\nSolar eclipses -2999 to 2999, every field (best of {repeat}; pyswisseph once)\n")
    print(f"{'method':<38} {'seconds':>9} {'eclipses':>9} {'x ours':>8}")
    for name, seconds, count in rows:
        print(f"{name:<38} {seconds:9.3f} {count:9d} {seconds / ours:8.1f}")


if __name__ == "__main__":
    main()
