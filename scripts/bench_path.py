"""Benchmark: the whole path of 2024-04-08 at 1-second steps.

    PYTHONPATH=. python scripts/bench_path.py [--repeat N]

Times ``path(eclipse, step=1)`` (central line, both umbral limits, both
penumbral limits, P1/P4/U1/U4, greatest duration) once the eclipse is found,
and, for scale, one central-line point found by brute force: scipy's
minimisation over latitude and longitude of astropy's topocentric Sun-Moon
separation (same DE421 file, same UT1).  Prints the time per point of each
and their ratio.  The goal is under 50 ms for the whole path.
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np

import eclipse
from eclipse.ephemeris import default_ephemeris_path
from eclipse.path import path


def brute_force_point(jd_tt: float, delta_t: float, guess):
    """Latitude and longitude (degrees) minimising the topocentric separation."""
    import astropy.units as u
    from astropy.coordinates import EarthLocation, get_body, solar_system_ephemeris
    from astropy.time import Time
    from astropy.utils import iers
    from scipy.optimize import minimize

    iers.conf.auto_download = False
    solar_system_ephemeris.set(default_ephemeris_path())
    t = Time(jd_tt, format="jd", scale="tt")
    tt_minus_utc = ((t.tt.jd1 - t.utc.jd1) + (t.tt.jd2 - t.utc.jd2)) * 86400.0
    t.delta_ut1_utc = tt_minus_utc - delta_t

    def separation(p):
        place = EarthLocation.from_geodetic(p[1] * u.deg, p[0] * u.deg, 0 * u.m)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return get_body("sun", t, location=place).separation(get_body("moon", t, location=place)).arcsec

    result = minimize(separation, guess, method="Nelder-Mead",
                      options={"xatol": 1e-5, "fatol": 1e-3, "maxiter": 400})
    return result.x, result.fun, result.nfev


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    e = eclipse.at("2024-04-08")
    path(e, step=1)  # warm up
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        p = path(e, step=1)
        times.append(time.perf_counter() - start)
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
    found, separation, evaluations = brute_force_point(c.jd_tt[i], p.delta_t, guess)
    brute = time.perf_counter() - start
    offset_km = np.hypot(found[0] - c.latitude[i],
                         (found[1] - c.longitude[i]) * np.cos(np.radians(c.latitude[i]))) * 111.2
    print(f"brute force (scipy Nelder-Mead on astropy's separation): {brute * 1e3:.0f} ms for one point, "
          f"{evaluations} evaluations, separation {separation:.3f} arcsec, {offset_km * 1000:.0f} m from ours")
    print(f"ratio per point: {brute / per_point:,.0f} x")


if __name__ == "__main__":
    main()
