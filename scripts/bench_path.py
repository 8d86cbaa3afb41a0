"""Benchmark: the whole path of 2024-04-08 at 1-second steps.

    python scripts/bench_path.py [--repeat N]

Times ``path(eclipse, step_s=1)`` (central line, both umbral limits, both
penumbral limits, P1/P4/U1/U4, greatest duration) once the eclipse is found,
and, for scale, one central-line point found by brute force: scipy's
minimisation over latitude and longitude of astropy's topocentric Sun-Moon
separation (same DE421 file, same UT1).  Prints the time per point of each
and their ratio.  The goal is under 50 ms for the whole path.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path as FilePath

import numpy as np

sys.path.insert(0, str(FilePath(__file__).resolve().parent.parent))
sys.path.insert(0, str(FilePath(__file__).resolve().parent.parent / "tests"))  # tests/support

import eclipse
from eclipse.geometry.path import path
from support.oracle import brute_force_central_point
from support.timing import timed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    e = eclipse.at("2024-04-08")
    path(e, step_s=1)  # warm up
    times, p = timed(args.repeat, path, e, 1)
    best, median = min(times), float(np.median(times))
    points = sum(len(c) for c in p.lines.values())
    print(f"path 2024-04-08, step 1 s: best {best * 1e3:.1f} ms, median {median * 1e3:.1f} ms "
          f"over {args.repeat} runs (goal < 50 ms)")
    for name, curve in p.lines.items():
        print(f"  {name:22s} {len(curve):6d} vertices")
    per_point = best / points
    print(f"  {points} vertices: {per_point * 1e6:.2f} us per vertex")

    c = p.central_line
    i = len(c) // 2
    guess = np.array([c.latitude[i] + 0.5, c.longitude[i] - 0.5])  # ~70 km off
    start = time.perf_counter()
    found, separation, evaluations = brute_force_central_point(c.jd_tt[i], p.delta_t, guess)
    brute = time.perf_counter() - start
    offset_km = np.hypot(found[0] - c.latitude[i],
                         (found[1] - c.longitude[i]) * np.cos(np.radians(c.latitude[i]))) * 111.2
    print(f"brute force (scipy Nelder-Mead on astropy's separation): {brute * 1e3:.0f} ms for one point, "
          f"{evaluations} evaluations, separation {separation:.3f} arcsec, {offset_km * 1000:.0f} m from ours")
    print(f"ratio per point: {brute / per_point:,.0f} x")


if __name__ == "__main__":
    main()
