"""Time local circumstances for 100,000 observers (what an obscuration map needs).

    python scripts/bench_local.py [DATE]

Two sets of observers: spread uniformly over the globe (most see nothing and
stop after the maximum), and a 400 x 250 grid over the region the penumbra
covers around greatest eclipse (all go through every contact).  Then
next_eclipses from Madrid over the 100 years 1953-2052 (DE421's span).
Prints the best of three runs of each.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # tests/support

import eclipse
from eclipse.dates import format_date
from eclipse.geometry.distances import _measured_chains
from eclipse.geometry.local import LocalCircumstances, local_circumstances
from eclipse.search import next_eclipses
from support.timing import best_of


def main(date: str = "2024-04-08") -> None:
    e = eclipse.at(date)
    n = 100_000
    rng = np.random.default_rng(0)
    lat = np.degrees(np.arcsin(rng.uniform(-1, 1, n)))
    lon = rng.uniform(-180, 180, n)
    local_circumstances(e, lat[:10], lon[:10])  # warm up
    seconds, lc = best_of(3, local_circumstances, e, lat, lon)
    print(f"{date}: {n} observers over the globe: {seconds:.3f} s "
          f"({np.count_nonzero(lc.kind_seen != 'none')} see an eclipse)")

    lat_grid, lon_grid = np.meshgrid(
        np.linspace(e.latitude - 25, e.latitude + 25, 250),
        np.linspace(e.longitude - 40, e.longitude + 40, 400), indexing="ij")
    lat_grid = np.clip(lat_grid, -90, 90)
    lon_grid = (lon_grid + 180) % 360 - 180
    seconds, lc = best_of(3, local_circumstances, e, lat_grid, lon_grid)
    print(f"{date}: {lat_grid.size} observers around greatest eclipse: {seconds:.3f} s "
          f"({np.count_nonzero(lc.kind_seen != 'none')} see an eclipse)")

    def with_distances() -> LocalCircumstances:
        _measured_chains.cache_clear()  # the path's 1-s curves each time, as a first call
        return e.local(lat_grid, lon_grid)

    seconds, lc = best_of(3, with_distances)
    assert lc.distances is not None
    print(f"{date}: the same with e.local's distances to the path (its 1-s curves included): {seconds:.3f} s "
          f"({np.count_nonzero(np.isfinite(lc.distances.central_line_km))} within 2000 km of the central line)")


    seconds, upcoming = best_of(3, lambda: next_eclipses(40.4168, -3.7038, count=1000, start="1953-01-01"))
    print(f"next_eclipses from Madrid, {format_date(upcoming.jd_from)} to {format_date(upcoming.jd_to)}: {seconds:.3f} s "
          f"({len(upcoming.eclipses)} eclipses seen)")


if __name__ == "__main__":
    main(*sys.argv[1:])
