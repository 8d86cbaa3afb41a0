"""Validation of the path against NASA's elements and the astropy oracle.

    python scripts/validate_path.py

For each eclipse: the largest distance (km) between each of our curves and
the same curve computed by the same code from NASA's published Besselian
elements (NASA's Delta T; penumbral limits with NASA's l1 moved to our lunar
radius k1, see tests/support/nasa.py), and astropy's topocentric Sun-Moon
separation at 25 points of the central line (should be 0) and of the umbral
limits (should be the difference of the semi-diameters).
"""

from __future__ import annotations

import sys
from pathlib import Path as FilePath

import numpy as np

sys.path.insert(0, str(FilePath(__file__).resolve().parent.parent))
sys.path.insert(0, str(FilePath(__file__).resolve().parent.parent / "tests"))  # tests/support

from support.cache import nasa_path, path_of
from support.curves import curve_distance, sample
from support.oracle import topocentric

DATES = ["2017-08-21", "2024-04-08", "2023-04-20", "2021-12-04", "2026-08-12"]


def main():
    print("largest distance (km) from the curves computed from NASA's elements")
    worst = {}
    for date in DATES:
        theirs = nasa_path(date)
        ours = path_of(date, float(theirs.delta_t))
        cells = []
        for name, curve in ours.lines.items():
            other = (nasa_path(date, our_k1=True) if name.startswith("penumbra") else theirs).lines[name]
            km = curve_distance(curve, other)
            worst[name] = max(worst.get(name, 0.0), km)
            cells.append(f"{name} {km:.3f}")
        print(f"  {date}: " + ", ".join(cells))
    print("  worst: " + ", ".join(f"{k} {v:.3f}" for k, v in worst.items()))

    print("astropy: |separation - expected| (arcsec) at 25 points per curve")
    for date in DATES:
        p = path_of(date)
        cells = []
        for name in ("central_line", "umbra_north_limit", "umbra_south_limit"):
            curve = p.lines.get(name)
            if curve is None:
                continue
            i = sample(curve, 25)
            sky = topocentric(curve.jd_tt[i], curve.latitude[i], curve.longitude[i], delta_t=p.delta_t)
            expected = 0.0 if name == "central_line" else np.abs(sky.sun_sd - sky.moon_sd_umbra)
            cells.append(f"{name} {np.max(np.abs(sky.separation - expected)):.4f}")
        print(f"  {date}: " + ", ".join(cells))


if __name__ == "__main__":
    main()
