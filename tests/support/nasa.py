"""NASA's Five Millennium Canon, for comparison only (data/reference/).

Espenak and Meeus, NASA/TP-2006-214141; "Eclipse Predictions by Fred Espenak,
NASA's GSFC".  The program never reads these: tests compare with them.
"""

from __future__ import annotations

import csv
import functools
import gzip
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from eclipse.constants import SIDEREAL_RATIO
from eclipse.dates import jd_from_calendar
from eclipse.sources.elements import BesselianElements

DATA = Path(__file__).resolve().parents[2] / "data" / "reference"
KIND = {"P": "partial", "A": "annular", "T": "total", "H": "hybrid"}


@dataclass(frozen=True)
class CatalogRow:
    date: str
    jd_tt: float
    delta_t: float
    lunation: int
    saros: int
    type: str
    gamma: float
    magnitude: float
    latitude: float
    longitude: float
    sun_altitude: float
    sun_azimuth: float
    width_km: float | None
    duration_s: float | None

    @property
    def kind(self) -> str:
        return KIND[self.type[0]]

    @property
    def central(self) -> bool:
        return self.type[0] != "P" and self.type[-1] not in "+-"


def catalog(first_year: int = 1901, last_year: int = 2100) -> list[CatalogRow]:
    """Catalog rows of the canon for whole years (1901-2100 available)."""
    rows = []
    with open(DATA / "nasa_catalog_1901_2100.csv") as f:
        for r in csv.DictReader(line for line in f if not line.startswith("#")):
            year, month, day = int(r["year"]), int(r["month"]), int(r["day"])
            if not first_year <= year <= last_year:
                continue
            h, m, s = (int(v) for v in r["td"].split(":"))
            rows.append(CatalogRow(
                date=f"{year:04d}-{month:02d}-{day:02d}",
                jd_tt=jd_from_calendar(year, month, day) + (h * 3600 + m * 60 + s) / 86400.0,
                delta_t=float(r["deltat"]),
                lunation=int(r["luna"]),
                saros=int(r["saros"]),
                type=r["type"],
                gamma=float(r["gamma"]),
                magnitude=float(r["mag"]),
                latitude=float(r["lat"]),
                longitude=float(r["lon"]),
                sun_altitude=float(r["sun_alt"]),
                sun_azimuth=float(r["sun_azm"]),
                width_km=float(r["width_km"]) if r["width_km"] else None,
                duration_s=float(r["dur_s"]) if r["dur_s"] else None,
            ))
    return rows


def besselian(date: str) -> BesselianElements:
    """NASA's polynomial elements of the eclipse of a date, as our type.

    mu is moved from the ephemeris meridian to Greenwich with NASA's Delta T,
    so that the same formulas apply to both.
    """
    year, month, day = (int(v) for v in date.split("-"))
    with open(DATA / "nasa_besselian_1899_2101.csv") as f:
        for line in f:
            if line.startswith("#"):
                continue
            v = [float(c) for c in line.strip().rstrip(",").split(",")]
            if (int(v[0]), int(v[1]), int(v[2])) != (year, month, day):
                continue
            jd_greatest, t0_hours, delta_t = v[3], v[4], v[5]
            t0 = jd_from_calendar(year, month, day) + t0_hours / 24.0
            if t0 < jd_greatest - 0.25:  # t0 = 0.000 is midnight after a late eclipse
                t0 += 1.0
            mu = np.array(v[17:20])
            mu[0] -= SIDEREAL_RATIO * 15.0 / 3600.0 * delta_t
            return BesselianElements(
                t0=np.float64(t0),
                delta_t=np.float64(delta_t),
                x=np.array(v[6:10]), y=np.array(v[10:14]), d=np.array(v[14:17]), mu=mu,
                l1=np.array(v[20:23]), l2=np.array(v[23:26]),
                tan_f1=np.float64(v[26]), tan_f2=np.float64(v[27]),
            )
    raise KeyError(date)


#: NASA's published l1 is computed with k = 0.272488 (tests/test_path.py
#: shows it), where DESIGN's convention (and ours) is k1 = 0.2725076: l1
#: differs by 2.3e-5 Earth radii (150 m on the fundamental plane), which moves
#: the penumbral limits, where the Sun is low, by up to 1.6 km.  To compare
#: path code alone, penumbral limits are compared with NASA's elements whose
#: l1 is moved to our k1.
NASA_K1 = 0.272488


def elements_with_our_k1(date: str) -> BesselianElements:
    """NASA's elements of a date with l1 recomputed for our lunar radius k1."""
    from dataclasses import replace

    from eclipse.constants import K_PENUMBRA

    n = besselian(date)
    cos_f1 = np.cos(np.arctan(n.tan_f1))
    l1 = n.l1.copy()
    l1[0] += (K_PENUMBRA - NASA_K1) / cos_f1
    return replace(n, l1=l1)


#: NASA's published l2 is computed with a solar radius of 695,988.9 km
#: (tests/test_path.py shows it: the mean of what their l2 implies for the
#: 150 central eclipses of 1950-2050, standard deviation 0.8 km), where DESIGN's convention (and ours) is
#: 696,000 km: tan f2 differs by 1.6e-5 of itself and l2 by 4.4e-6 Earth
#: radii (28 m on the fundamental plane).  That moves the points where a
#: hybrid's umbral vertex meets the ground by 4.5 to 6.5 km along the central
#: line (1 km there is 4.5 m of umbral radius).  To compare path code alone,
#: those points are compared with NASA's elements whose l2 is moved to our
#: solar radius.  (959.63 arcsec at 1 AU, Auwers's radius, is 695,992 km:
#: not what their l2 implies.)
NASA_SUN_RADIUS_KM = 695988.9


def elements_with_our_sun(date: str) -> BesselianElements:
    """NASA's elements of a date with tan f2 and l2 recomputed for our solar
    radius: sin f2 = (R - k2) / g, so tan f2 grows by the factor
    1 + r, r = dR / (R - k2) (f2 ~ 0.27 degree: sin and tan differ by 1e-5
    of themselves, which changes r by 1e-5 of itself); and l2 + k2 / cos f2
    = z tan f2 grows by the same factor at every instant (k2 / cos f2 changes
    by 1e-10)."""
    from dataclasses import replace

    from eclipse.constants import EARTH_RADIUS_KM, K_UMBRA, SUN_RADIUS

    n = besselian(date)
    r = (SUN_RADIUS - NASA_SUN_RADIUS_KM / EARTH_RADIUS_KM) / (NASA_SUN_RADIUS_KM / EARTH_RADIUS_KM - K_UMBRA)
    cos_f2 = np.cos(np.arctan(n.tan_f2))
    l2 = n.l2 * (1.0 + r)
    l2[0] += r * K_UMBRA / cos_f2
    return replace(n, l2=l2, tan_f2=np.float64(n.tan_f2 * (1.0 + r)))


@dataclass(frozen=True, eq=False)
class Canon:
    """NASA's Five Millennium Canon, all 11,898 eclipses of -1999..3000
    (data/reference/nasa_5mcse_besselian.csv.gz, copied from the canon's
    published Besselian elements, NASA/TP-2006-214141): the dates of greatest
    eclipse (TD, Julian calendar before 1582-10-15), NASA's Delta T, the
    lunation number (Meeus's k, from the date) and the elements as our batch,
    mu moved to Greenwich with NASA's Delta T as in ``besselian``."""

    year: np.ndarray
    month: np.ndarray
    day: np.ndarray
    jd_tt: np.ndarray  # NASA's "jd": greatest eclipse, TD
    delta_t: np.ndarray
    lunation: np.ndarray
    elements: BesselianElements


@functools.lru_cache(maxsize=1)
def five_millennium() -> Canon:
    """The whole canon (see ``Canon``)."""
    with gzip.open(DATA / "nasa_5mcse_besselian.csv.gz", "rt") as f:
        v = np.array([[float(c) for c in line.strip().rstrip(",").split(",")]
                      for line in f if not line.startswith("#")])
    year, month, day = (v[:, i].astype(int) for i in range(3))
    jd_greatest, delta_t = v[:, 3], v[:, 5]
    t0 = np.array([jd_from_calendar(*date) for date in zip(year, month, day)]) + v[:, 4] / 24.0
    t0 = np.where(t0 < jd_greatest - 0.25, t0 + 1.0, t0)  # t0 = 0.000: midnight after a late eclipse
    mu = v[:, 17:20].copy()
    mu[:, 0] -= SIDEREAL_RATIO * 15.0 / 3600.0 * delta_t
    elements = BesselianElements(
        t0=t0, delta_t=delta_t, x=v[:, 6:10], y=v[:, 10:14], d=v[:, 14:17], mu=mu,
        l1=v[:, 20:23], l2=v[:, 23:26], tan_f1=v[:, 26], tan_f2=v[:, 27],
    )
    lunation = np.round((jd_greatest - NEW_MOON_K0) / SYNODIC_MONTH).astype(np.int64)
    return Canon(year, month, day, jd_greatest, delta_t, lunation, elements)


#: Meeus's first new moon (k = 0, 2000 January 6) and the mean synodic month:
#: the lunation of a date rounds (date - K0) / month (Astronomical Algorithms
#: ch. 49; the periodic terms stay within a day).
NEW_MOON_K0 = 2451550.09766
SYNODIC_MONTH = 29.530588861
