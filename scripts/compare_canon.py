"""Our eclipses of -1999..3000 against NASA's Five Millennium Canon, by era.

    python scripts/compare_canon.py [--source canon | --spk build/de422.bsp] [--list]

Both sides use the Espenak-Meeus Delta T (NASA's) and the same code: NASA's
published Besselian elements (data/reference) and ours (the shipped canon,
or DE422 live through --spk) are characterised by eclipse.search.finder.characterise.
Eclipses are paired by the instant of greatest eclipse (within half a day).
Prints, for each era: NASA's eclipses, ours, those missing or extra, how many
have the same UT date, lunation (hence saros), and kind; the largest
differences of greatest eclipse (TT) and gamma against the issue's bars; and
lists the eclipses whose kind differs with the numbers that decide it.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "tests"))  # tests/support

import eclipse  # noqa: E402
from eclipse.geometry.earth import nearest_outline_point  # noqa: E402
from eclipse.geometry.shadow import axis_nearest  # noqa: E402
from eclipse.search import characterise  # noqa: E402
from eclipse.sources import canon, deltat  # noqa: E402
from eclipse.sources import kernel as ephemeris  # noqa: E402
from support import nasa  # noqa: E402

#: (first year, last year, TT bar in seconds, gamma bar) of issue 11.
ERAS = (
    (-1999, -1, 120.0, 1.5e-3),
    (0, 999, 30.0, 1.5e-3),
    (1000, 1499, 5.0, 1.5e-3),
    (1500, 2500, 2.0, 2e-4),
    (2501, 3000, 5.0, 1.5e-3),
)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spk", help="compute live from this kernel (DE422) instead of the shipped canon")
    parser.add_argument("--list", action="store_true", help="list every eclipse whose kind differs")
    args = parser.parse_args(argv)

    theirs = nasa_eclipses()
    t = time.perf_counter()
    ours = our_eclipses(args.spk)
    print(f"ours: {len(ours)} eclipses from {'DE422 live (' + args.spk + ')' if args.spk else 'the shipped canon'}"
          f" in {time.perf_counter() - t:.1f} s; NASA: {len(theirs)}")
    pairs, missing, extra = pair(theirs, ours)
    print_table(pairs, missing, extra)
    print_kind_differences(pairs, args.list)
    return 0


def em_ephemeris(path=None):
    """An ephemeris whose timescale has the Espenak-Meeus Delta T."""
    return dataclasses.replace(ephemeris.load(path), timescale=deltat.timescale("espenak-meeus"))


def nasa_eclipses():
    c = nasa.five_millennium()
    found = characterise(c.elements, c.lunation, dataclasses.replace(em_ephemeris(), name="NASA"))
    return sorted(found, key=lambda e: e.jd_tt)  # the file runs -1 to -1999, then 0 to 3000


def our_eclipses(spk):
    if spk:
        return eclipse.find(start="-1999-01-01", end="3000-01-28", ephemeris=em_ephemeris(spk))
    w = canon.window(-np.inf, np.inf, delta_t_model="espenak-meeus")
    keep = w.elements.t0 >= nasa.five_millennium().elements.t0.min() - 1
    return characterise(w.elements[np.flatnonzero(keep)], w.lunation[keep], em_ephemeris())


def pair(theirs, ours):
    """(NASA, ours) pairs by greatest eclipse within half a day; NASA's
    unpaired; ours unpaired within NASA's span."""
    jd = np.array([e.jd_tt for e in ours])
    pairs, missing, used = [], [], set()
    for n in theirs:
        i = int(np.argmin(np.abs(jd - n.jd_tt)))
        if abs(jd[i] - n.jd_tt) < 0.5:
            pairs.append((n, ours[i]))
            used.add(i)
        else:
            missing.append(n)
    first, last = theirs[0].jd_tt - 1, theirs[-1].jd_tt + 1
    extra = [o for i, o in enumerate(ours) if i not in used and first <= o.jd_tt <= last]
    return pairs, missing, extra


def year_of(e) -> int:
    return int(e.date[:-6])


def print_table(pairs, missing, extra):
    print(f"\n{'era':>11} {'NASA':>5} {'ours':>5} {'miss':>4} {'extra':>5} {'date=':>6} {'luna=':>6} "
          f"{'kind=':>6} {'max|dTT| s':>10} {'bar':>5} {'over':>4} {'mean dTT':>8} "
          f"{'max|dgamma|':>11} {'bar':>7} {'over':>4}")
    for first, last, tt_bar, gamma_bar in ERAS:
        era = [(n, o) for n, o in pairs if first <= year_of(n) <= last]
        miss = [n for n in missing if first <= year_of(n) <= last]
        more = [o for o in extra if first <= year_of(o) <= last]
        dtt = np.array([(o.jd_tt - n.jd_tt) * 86400 for n, o in era])
        dgamma = np.array([o.gamma - n.gamma for n, o in era])
        print(f"{first:>5}..{last:<5} {len(era) + len(miss):>5} {len(era) + len(more):>5} {len(miss):>4} "
              f"{len(more):>5} {sum(n.date == o.date for n, o in era):>6} "
              f"{sum(n.lunation == o.lunation and n.saros == o.saros for n, o in era):>6} "
              f"{sum(n.kind == o.kind for n, o in era):>6} {np.abs(dtt).max():>10.2f} {tt_bar:>5.0f} "
              f"{np.sum(np.abs(dtt) > tt_bar):>4} {dtt.mean():>8.2f} {np.abs(dgamma).max():>11.2e} "
              f"{gamma_bar:>7.1e} {np.sum(np.abs(dgamma) > gamma_bar):>4}")
    for n in missing:
        print(f"missing: NASA's {n.date} {n.kind} (TT {n.time_tt}, gamma {n.gamma:.4f}, magnitude {n.magnitude:.4f})")
    for o in extra:
        print(f"extra: our {o.date} {o.kind} (TT {o.time_tt}, gamma {o.gamma:.4f}, magnitude {o.magnitude:.5f})")
    differ = [(n, o) for n, o in pairs if n.date != o.date]
    for n, o in differ:
        print(f"UT date differs: NASA {n.date} {n.time_utc}, ours {o.date} {o.time_utc}")


def print_kind_differences(pairs, full):
    """The eclipses whose kind differs, with the numbers that decide it on
    both sides: for a non-central eclipse the margin by which the umbra's edge
    misses (+) or reaches over (-) the Earth's outline where the axis passes
    nearest it, |axis - outline| - |l2| (Earth radii); for a central one l2
    at greatest eclipse (total below 0, annular above; hybrid when L2 changes
    sign along the path)."""
    differ = [(n, o) for n, o in pairs if n.kind != o.kind]
    print(f"\nkind differs for {len(differ)} eclipses:")
    for n, o in differ if full else differ[:40]:
        print(f"  {n.date} NASA {n.kind:>7} {deciding(n)} | ours {o.kind:>7} {deciding(o)}")
    if not full and len(differ) > 40:
        print(f"  ... and {len(differ) - 40} more (--list)")


def deciding(e) -> str:
    el = e.elements
    t = (e.jd_tt - el.t0) * 24
    at_greatest = el.at(t)
    t_outline = axis_nearest(el, t, 4, scale_y=None)
    a = el.at(t_outline)
    _, _, distance = nearest_outline_point(a.x, a.y, a.d)
    margin = float(distance - abs(a.l2))
    return (f"gamma {e.gamma:+.5f} l2 {float(at_greatest.l2):+.6f} umbra-outline margin {margin:+.6f} "
            f"magnitude {e.magnitude:.5f}")


if __name__ == "__main__":
    sys.exit(main())
