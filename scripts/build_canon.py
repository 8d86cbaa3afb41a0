"""Build the shipped canon: the Besselian elements of every solar eclipse from
-2999 to 2999, computed by this package from JPL DE422.

    pip install -e '.[build]'          # the de422 package (545 MB), build time only
    python scripts/build_canon.py [--spk build/de422.bsp] [--output eclipse/data/canon.npz]

1. DE422's Chebyshev arrays -> an SPK kernel (eclipse.io.spk.de422_to_spk),
   unless --spk already exists.
2. eclipse.find over the span with that kernel and Delta T = 0 (UT1 = TT), so
   that mu comes out on the ephemeris meridian, as NASA tabulates it, and no
   stored number depends on Delta T (eclipse.sources.canon says how mu is moved to
   Greenwich).  The span is in TT dates of greatest eclipse.
3. The elements (NASA's layout) and lunation numbers, with a provenance
   string, into a compressed .npz, written whole or not at all.

Prints the time of each step and the file's size.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import os
import subprocess
import sys
import time

import numpy as np

import eclipse
from eclipse.constants import EARTH_RADIUS_KM, K_PENUMBRA, K_UMBRA, SUN_RADIUS
from eclipse.io.files import write_atomically
from eclipse.io.spk import de422_to_spk
from eclipse.sources import canon
from eclipse.sources import kernel as ephemeris
from eclipse.sources.elements import DEGREES, FIT_HOURS, stack_elements

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
START, END = "-2999-01-01", "2999-12-31"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spk", default=os.path.join(ROOT, "build", "de422.bsp"),
                        help="the DE422 kernel (converted from the de422 package if missing)")
    parser.add_argument("--output", default=os.path.join(ROOT, "eclipse", "data", canon.CANON_FILE))
    parser.add_argument("--start", default=START)
    parser.add_argument("--end", default=END)
    args = parser.parse_args(argv)

    if not os.path.exists(args.spk):
        os.makedirs(os.path.dirname(os.path.abspath(args.spk)), exist_ok=True)
        t = time.perf_counter()
        de422_to_spk(args.spk)
        print(f"converted DE422 to {args.spk} in {time.perf_counter() - t:.1f} s "
              f"({os.path.getsize(args.spk) / 1e6:.0f} MB)")

    t = time.perf_counter()
    found = eclipse.find(start=args.start, end=args.end, ephemeris=ephemeris.load(args.spk, delta_t=0.0))
    print(f"found {len(found)} eclipses from {found[0].date} to {found[-1].date} "
          f"in {time.perf_counter() - t:.1f} s")

    columns = canon.ephemeris_meridian(stack_elements([e.elements for e in found]))
    columns["lunation"] = np.array([e.lunation for e in found], dtype=np.int32)
    if np.any(np.diff(columns["t0"]) <= 0):
        raise SystemExit("the eclipses are not in time order")
    columns["provenance"] = np.array(provenance(args))
    write_atomically(args.output, lambda tmp: _save(tmp, columns))
    print(f"wrote {args.output}: {os.path.getsize(args.output) / 1e6:.2f} MB")
    return 0


def _save(path: str, columns: dict) -> None:
    with open(path, "wb") as f:
        np.savez_compressed(f, **columns)


def provenance(args) -> str:
    """Where every number of the file comes from."""
    def version(name):
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return "not installed"

    commit = _git("rev-parse", "HEAD")
    dirty = " (with uncommitted changes)" if _git("status", "--porcelain", "--untracked-files=no") else ""
    return "\n".join([
        "Besselian elements of the solar eclipses of the span below, computed by eclipse-path",
        f"from JPL DE422 (the de422 package {version('de422')}, converted to SPK by eclipse.io.spk),",
        "apparent geocentric Sun and Moon by Skyfield, true equator and equinox of date.",
        f"Span (TT dates of greatest eclipse): {args.start} to {args.end}.",
        f"Constants: k1 = {K_PENUMBRA}, k2 = {K_UMBRA}, solar radius = {SUN_RADIUS * EARTH_RADIUS_KM:.0f} km, "
        f"Earth radius = {EARTH_RADIUS_KM} km (WGS84).",
        f"Polynomials in TT hours from t0 (on the hour nearest greatest eclipse), least squares at "
        f"{FIT_HOURS.tolist()} h, degrees {DEGREES}.",
        "mu on the ephemeris meridian (fitted with Delta T = 0); d and mu in degrees.",
        f"Code: eclipse-path {version('eclipse-path')}, commit {commit}{dirty}; Skyfield {version('skyfield')}, "
        f"jplephem {version('jplephem')}, numpy {np.__version__}, Python {sys.version.split()[0]}.",
        f"Built {datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='seconds')} by: "
        f"python scripts/build_canon.py {' '.join(sys.argv[1:])}".rstrip(),
    ])


def _git(*arguments) -> str:
    try:
        return subprocess.run(["git", "-C", ROOT, *arguments], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


if __name__ == "__main__":
    sys.exit(main())
