"""Benchmark: every eclipse of -2999..2999 from the shipped canon, and live.

    python scripts/bench_canon.py [--repeat 3] [--spk build/de422.bsp]

Times (best of --repeat; the machine is shared, so the best is the fair one):
- reading eclipse/data/canon.npz (first call, then cached);
- canon.window over the whole span (mu to Greenwich) with each Delta T model;
- search.characterise of all 14,260 batches of elements (every field of
  Eclipse: kind, gamma, magnitude, point, Sun, width, duration, saros);
- with --spk: eclipse.find over the same span computed live from DE422.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # tests/support

import eclipse
from eclipse.search import characterise
from eclipse.sources import (
    canon,
    deltat,
)
from support.timing import best_of


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--spk", help="also time the live search on this kernel (DE422)")
    args = parser.parse_args(argv)

    t = time.perf_counter()
    canon.load()
    print(f"canon read: {time.perf_counter() - t:.3f} s ({len(canon.load())} eclipses)")
    for model in deltat.MODELS:
        eph = canon.source().with_delta_t(None, model)
        seconds, w = best_of(args.repeat, lambda model=model: canon.window(-np.inf, np.inf, delta_t_model=model))
        print(f"window, {model} Delta T: {seconds:.3f} s")
        seconds, found = best_of(args.repeat, lambda w=w, eph=eph: characterise(w.elements, w.lunation, eph))
        print(f"characterise, {model} Delta T: {seconds:.2f} s for {len(found)} eclipses")
    if args.spk:
        seconds, found = best_of(args.repeat, lambda: eclipse.find(start="-2999-01-01", end="2999-12-31",
                                                                   ephemeris=args.spk))
        print(f"live find on {args.spk}: {seconds:.2f} s for {len(found)} eclipses")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
