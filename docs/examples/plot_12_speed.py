"""
Speed against the peers
=======================

How long it takes to find every solar eclipse of thirty years, 2001-2030,
timed here while the documentation is built (so on whatever machine builds
it, which may be busy: the numbers are indicative; ``scripts/bench_find.py``
makes the full benchmark).  :func:`eclipse.find` fills every field (kind,
gamma, magnitude, point of greatest eclipse, the Sun's altitude, path width,
duration, saros).  The peers, when installed (``pip install -e '.[bench]'``):
astronomy-engine's global eclipse search, and pyswisseph's
``sol_eclipse_when_glob`` then ``sol_eclipse_where`` for each eclipse.
"""

import os
import platform
import time

import matplotlib.pyplot as plt

import eclipse

FIRST, LAST = 2001, 2030


def best_of(repeat, run):
    """The shortest of ``repeat`` wall-clock times of ``run()``, and its result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), result


def ours():
    return len(eclipse.find(start=f"{FIRST}-01-01", end=f"{LAST}-12-31"))


def astronomy_engine():
    import astronomy

    end = astronomy.Time.Make(LAST + 1, 1, 1, 0, 0, 0)
    found = astronomy.SearchGlobalSolarEclipse(astronomy.Time.Make(FIRST, 1, 1, 0, 0, 0))
    count = 0
    while found.peak.ut < end.ut:
        count += 1
        found = astronomy.NextGlobalSolarEclipse(found.peak)
    return count


def pyswisseph():
    import swisseph as swe

    tjd, end = swe.julday(FIRST, 1, 1, 0.0), swe.julday(LAST + 1, 1, 1, 0.0)
    count = 0
    while True:
        _, when = swe.sol_eclipse_when_glob(tjd, swe.FLG_MOSEPH, 0)
        if when[0] >= end:
            return count
        swe.sol_eclipse_where(when[0], swe.FLG_MOSEPH)
        count += 1
        tjd = when[0] + 1.0


ours()  # the first call loads the ephemeris (DE421, shipped by skyfield-data)
rows = []
for name, run in (("eclipse (this package)", ours), ("astronomy-engine", astronomy_engine),
                  ("pyswisseph (Moshier)", pyswisseph)):
    try:
        seconds, count = best_of(2, run)
    except ImportError:
        print(f"{name}: not installed here, not timed")
        continue
    rows.append((name, seconds, count))

reference = rows[0][1]
print(f"Solar eclipses of {FIRST}-{LAST}, best of 2, on {platform.machine()} {platform.system()} "
      f"({os.cpu_count()} cores), Python {platform.python_version()}\n")
print(f"{'':<24} {'seconds':>8} {'eclipses':>8} {'x ours':>7}")
for name, seconds, count in rows:
    print(f"{name:<24} {seconds:8.3f} {count:8d} {seconds / reference:7.1f}")

fig, ax = plt.subplots(figsize=(8, 0.8 + 0.7 * len(rows)))
names = [name for name, _, _ in rows][::-1]
seconds = [s for _, s, _ in rows][::-1]
ax.barh(names, seconds, color=["C1"] * (len(rows) - 1) + ["C0"])
for i, s in enumerate(seconds):
    ax.text(s, i, f" {s:.2f} s", va="center")
ax.set_xlabel(f"seconds to find every solar eclipse of {FIRST}-{LAST} (best of 2)")
ax.set_xlim(0, max(seconds) * 1.25)
fig.tight_layout()
