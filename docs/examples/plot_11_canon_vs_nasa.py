"""
The canon against NASA, by era
==============================

Every solar eclipse of -1999 to 2999 found by :func:`eclipse.find` (from the
shipped canon of elements computed from JPL DE422, and DE421 live for
1899-2053) against NASA's Five Millennium Canon (Espenak and Meeus 2006),
whose Besselian elements ship in ``data/reference``.  Both sides use NASA's
Delta T (``delta_t_model="espenak-meeus"``).  From NASA's elements the
instant of greatest eclipse (the axis of the shadow nearest the Earth's
centre) and gamma are solved here with numpy; the eclipses are paired by that
instant.  ``scripts/compare_canon.py`` makes the full comparison.
"""

import csv
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

import eclipse

DATA = Path("..", "..", "data", "reference")  # (this script runs from docs/examples)

# NASA's elements: year, month, day, jd (TD, to 0.001 day), t0 (TD hour), Delta T,
# x0..x3, y0..y3 (Earth radii; polynomials in hours from t0), d, mu, l1, l2, tan f.
rows = np.genfromtxt(DATA / "nasa_5mcse_besselian.csv.gz", delimiter=",", comments="#", usecols=range(27))
year, jd, t0 = rows[:, 0], rows[:, 3], rows[:, 4]
x, y = rows[:, 6:10], rows[:, 10:14]

# t0 as a Julian date (TD): the hour t0 of the day nearest the published jd.
jd_t0 = np.round(jd - 0.5 - t0 / 24) + 0.5 + t0 / 24
t = (jd - jd_t0) * 24
powers = np.arange(4)
for _ in range(6):  # Newton's method on d/dt (x^2 + y^2) / 2 = x x' + y y' = 0
    p = t[:, None] ** powers
    dp = powers * t[:, None] ** np.maximum(powers - 1, 0)
    ddp = powers * (powers - 1) * t[:, None] ** np.maximum(powers - 2, 0)
    X, Y = (x * p).sum(1), (y * p).sum(1)
    X1, Y1, X2, Y2 = (x * dp).sum(1), (y * dp).sum(1), (x * ddp).sum(1), (y * ddp).sum(1)
    t = t - (X * X1 + Y * Y1) / (X1**2 + Y1**2 + X * X2 + Y * Y2)
p = t[:, None] ** powers
X, Y = (x * p).sum(1), (y * p).sum(1)
nasa_jd_tt = jd_t0 + t / 24
nasa_gamma = np.sign(Y) * np.hypot(X, Y)
order = np.argsort(nasa_jd_tt)
nasa_jd_tt, nasa_gamma, year = nasa_jd_tt[order], nasa_gamma[order], year[order]

ours = eclipse.find(start="-1999-01-01", end="2999-12-31", delta_t_model="espenak-meeus")
our_jd_tt = np.array([e.jd_tt for e in ours])
our_gamma = np.array([e.gamma for e in ours])
print(f"NASA: {len(nasa_jd_tt)} eclipses of -1999 to 3000; ours: {len(ours)} of -1999 to 2999")

# Pair each of NASA's eclipses with our nearest greatest eclipse, within half a day.
k = np.clip(np.searchsorted(our_jd_tt, nasa_jd_tt), 1, len(our_jd_tt) - 1)
k = np.where(np.abs(our_jd_tt[k - 1] - nasa_jd_tt) < np.abs(our_jd_tt[k] - nasa_jd_tt), k - 1, k)
paired = np.abs(our_jd_tt[k] - nasa_jd_tt) < 0.5
for j in np.flatnonzero(~paired):
    print(f"not paired: NASA's eclipse of year {year[j]:.0f} (TD JD {nasa_jd_tt[j]:.3f})")
for j in sorted(set(range(len(ours))) - set(k[paired])):
    print(f"not paired: our {ours[j]}")
d_tt = (our_jd_tt[k] - nasa_jd_tt) * 86400
d_gamma = our_gamma[k] - nasa_gamma

# %%
# By era: the largest and median differences of the instant of greatest
# eclipse (TT, seconds) and of gamma.  They grow far from the present, where
# NASA's canon, computed from other theories of the Sun's and the Moon's
# motions, and JPL DE422 part.

ERAS = ((-1999, -1), (0, 999), (1000, 1499), (1500, 2500), (2501, 3000))
print(f"\n{'era':>12} {'paired':>6} {'max|dTT| s':>10} {'median':>7} {'max|dgamma|':>11} {'median':>8}")
for first, last in ERAS:
    m = paired & (year >= first) & (year <= last)
    print(f"{first:>5}..{last:<6} {m.sum():>6} {np.abs(d_tt[m]).max():>10.2f} {np.median(np.abs(d_tt[m])):>7.2f} "
          f"{np.abs(d_gamma[m]).max():>11.1e} {np.median(np.abs(d_gamma[m])):>8.1e}")

# %%
# The kinds, from NASA's catalog of 1901-2100 (its type's first letter).

with open(DATA / "nasa_catalog_1901_2100.csv", encoding="utf-8") as f:
    catalog = list(csv.DictReader(line for line in f if not line.startswith("#")))
kinds = {"P": "partial", "A": "annular", "T": "total", "H": "hybrid"}
by_date = {e.date: e.kind for e in ours if 1901 <= int(e.date[:-6]) <= 2100}
same = sum(by_date.get(f"{int(r['year']):04d}-{int(r['month']):02d}-{int(r['day']):02d}") == kinds[r["type"][0]]
           for r in catalog)
print(f"1901-2100: {same} of NASA's {len(catalog)} eclipses have the same kind and UT date here")

fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 6.5), sharex=True)
top.semilogy(year[paired], np.abs(d_tt[paired]) + 1e-3, ",", color="C0", alpha=0.6)
top.set_ylabel("|our TT - NASA's| (s)\nof greatest eclipse")
bottom.semilogy(year[paired], np.abs(d_gamma[paired]) + 1e-9, ",", color="C1", alpha=0.6)
bottom.set_ylabel("|our gamma - NASA's|")
bottom.set_xlabel("year (astronomical: 0 = 1 BCE)")
for first, last in ERAS:
    m = paired & (year >= first) & (year <= last)
    top.hlines(np.abs(d_tt[m]).max(), first, last, color="k", lw=1)
    bottom.hlines(np.abs(d_gamma[m]).max(), first, last, color="k", lw=1)
    for ax in (top, bottom):
        ax.axvline(first, color="0.8", lw=0.5)
top.set_title("Solar eclipses of -1999 to 2999 against NASA's canon (black: each era's largest)")
fig.tight_layout()
