"""Delta T = TT - UT1: the models, their uncertainty, and Skyfield timescales.

Two models, named as the JSON's ``delta_t_model``:

- ``"skyfield"`` (the default): Skyfield's built-in Delta T: IERS daily
  values, the spline of Stephenson, Morrison, Hohenkerk and Zawilski
  (Morrison et al. 2021, Proc. R. Soc. A 477: 20200776, Table S15) back to
  -720, and the long-term parabola of Stephenson, Morrison and Hohenkerk
  (2016, Proc. R. Soc. A 472: 20160404) beyond.
- ``"espenak-meeus"``: the polynomials of Espenak and Meeus (2006), the Delta T
  of NASA's Five Millennium Canon (NASA/TP-2006-214141, section 2.3; the
  "Polynomial expressions for Delta T" of NASA's eclipse pages), with the
  canon's correction c = -0.000012932 (y - 1955)^2 s for ELP-2000/82's lunar
  secular acceleration (-25.858"/cy^2 instead of the -26"/cy^2 the
  polynomials assume).

``delta_t_sigma`` gives one standard deviation of Delta T at a date from the
model's published uncertainty (see ``espenak_meeus_sigma`` and
``skyfield_sigma``).  ``timescale(model)`` returns a Skyfield Timescale that
uses a model: Skyfield documents only a constant (``load.timescale(delta_t=
seconds)``), but its ``Timescale`` constructor takes a function of the TT
Julian date in place of the Delta T table ("Let a caller completely override
our approach to Delta T by passing a function of their own", skyfield/
timelib.py), which keeps the UTC leap-second table.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from ..dates import GREGORIAN_JD
from ..errors import EclipseError

if TYPE_CHECKING:  # Skyfield has no type information: Any to mypy, a name to a reader
    from skyfield.timelib import Timescale

#: The Delta T models, by their names in the JSON's ``delta_t_model``.
MODELS = ("skyfield", "espenak-meeus")
GREGORIAN_START_JD = int(GREGORIAN_JD + 0.5)  # Skyfield's GREGORIAN_START: the day number of 1582-10-15


class DeltaTError(EclipseError):
    """An unknown Delta T model."""


def decimal_year(jd_tt: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """The year and its elapsed fraction at Julian dates (Julian calendar
    before 1582-10-15): the argument y of the Espenak-Meeus polynomials.
    (NASA's page writes y = year + (month - 0.5) / 12 for a month's middle;
    the canon's tabulated Delta T follows the continuous y, within 0.15 s,
    against 1.06 s for the month's middle.)"""
    from skyfield.timelib import compute_calendar_date, julian_day

    jd_tt = np.asarray(jd_tt, dtype=float)
    year, _, _ = compute_calendar_date(np.floor(jd_tt + 0.5).astype(np.int64), GREGORIAN_START_JD)
    first = julian_day(year, 1, 1, GREGORIAN_START_JD) - 0.5
    following = julian_day(year + 1, 1, 1, GREGORIAN_START_JD) - 0.5
    return year + (jd_tt - first) / (following - first)


# Espenak and Meeus (2006): (first year, origin, scale, coefficients in
# increasing powers of u = (y - origin) / scale), valid from the first year to
# the next row's.  Before -500 and after 2150: -20 + 32 u^2, u = (y - 1820) / 100.
_POLYNOMIALS = (
    (-500, 0, 100, (10583.6, -1014.41, 33.78311, -5.952053, -0.1798452, 0.022174192, 0.0090316521)),
    (500, 1000, 100, (1574.2, -556.01, 71.23472, 0.319781, -0.8503463, -0.005050998, 0.0083572073)),
    (1600, 1600, 1, (120, -0.9808, -0.01532, 1 / 7129)),
    (1700, 1700, 1, (8.83, 0.1603, -0.0059285, 0.00013336, -1 / 1174000)),
    (1800, 1800, 1, (13.72, -0.332447, 0.0068612, 0.0041116, -0.00037436, 0.0000121272,
                     -0.0000001699, 0.000000000875)),
    (1860, 1860, 1, (7.62, 0.5737, -0.251754, 0.01680668, -0.0004473624, 1 / 233174)),
    (1900, 1900, 1, (-2.79, 1.494119, -0.0598939, 0.0061966, -0.000197)),
    (1920, 1920, 1, (21.20, 0.84493, -0.076100, 0.0020936)),
    (1941, 1950, 1, (29.07, 0.407, -1 / 233, 1 / 2547)),
    (1961, 1975, 1, (45.45, 1.067, -1 / 260, -1 / 718)),
    (1986, 2000, 1, (63.86, 0.3345, -0.060374, 0.0017275, 0.000651814, 0.00002373599)),
    (2005, 2000, 1, (62.92, 0.32217, 0.005589)),
)


def espenak_meeus(jd_tt: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Delta T (s) of NASA's Five Millennium Canon at TT Julian dates:
    Espenak and Meeus (2006) plus c = -0.000012932 (y - 1955)^2."""
    y = decimal_year(jd_tt)
    u = (y - 1820.0) / 100.0
    out = -20.0 + 32.0 * u * u  # before -500 and after 2150
    out = np.where((y >= 2050) & (y < 2150), out - 0.5628 * (2150.0 - y), out)
    for (first, origin, scale, coefficients), following in zip(_POLYNOMIALS, _POLYNOMIALS[1:] + ((2050,),)):
        inside = (y >= first) & (y < following[0])
        out = np.where(inside, np.polynomial.polynomial.polyval((y - origin) / scale, coefficients), out)
    return out - 0.000012932 * (y - 1955.0) ** 2


def espenak_meeus_sigma(jd_tt: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """One standard deviation (s) of the Espenak-Meeus Delta T, as NASA's
    canon states it (Espenak and Meeus 2006, "Uncertainty in Delta T"):
    Morrison and Stephenson's (2004) sigma = 0.8 t^2 s, t = (y - 1820) / 100,
    for -1000 to 1200 (and, as the same parabola, before -1000); about 20 s
    from 1300 to 1600 (decade fluctuations); 5, 1 and 0.1 s at 1700, 1800 and
    1900 (Stephenson and Houlden 1986), linearly between; 0.1 s while Delta T
    was observed (to 2005); after 2005, where the polynomials extrapolate,
    the prediction uncertainty of ``skyfield_sigma``'s table."""
    y = np.asarray(decimal_year(jd_tt), dtype=float)
    parabola = 0.8 * ((y - 1820.0) / 100.0) ** 2
    years = (1200.0, 1300.0, 1600.0, 1700.0, 1800.0, 1900.0, 2005.0)
    sigma = np.interp(y, years, (0.8 * 6.2**2, 20.0, 20.0, 5.0, 1.0, 0.1, 0.1))
    future = np.interp(y, _UKHO_YEARS, _UKHO_SIGMA)
    return np.where(y < 1200, parabola, np.where(y <= 2005, sigma, np.maximum(future, 0.1)))


# HM Nautical Almanac Office, "Delta T: past, present and future" tables of
# Stephenson, Morrison and Hohenkerk (2016) and Morrison et al. (2021)
# (astro.ukho.gov.uk/nao/lvm/): the standard error of Delta T, -2000 to 2500.
_UKHO_YEARS = (-2000, -1600, -900, -720, -700, -600, -500, -400, -300, -200, -100, 0, 100, 200,
               300, 400, 500, 700, 800, 900, 1000, 1620, 1660, 1670, 1680, 1730, 1770, 1800,
               1802, 1805, 1809, 1831, 1870, 2022, 2023, 2030, 2040, 2050, 2100, 2200, 2300,
               2400, 2500)
_UKHO_SIGMA = (1080, 720, 360, 180, 170, 160, 150, 130, 120, 110, 100, 90, 80, 70, 60, 50, 40,
               30, 25, 20, 15, 20, 15, 10, 5, 2, 1, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05, 0.1, 1, 2, 4,
               6, 10, 20, 30, 50, 100)


def skyfield_sigma(jd_tt: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """One standard deviation (s) of Skyfield's Delta T: the HMNAO table of
    the Stephenson-Morrison-Hohenkerk-Zawilski model's standard error,
    interpolated, for -2000 to 2500; beyond, the parabola (y - 1825)^2
    through the table's end value (1080 s at -2000, 100 s at 2500): the
    Brownian growth of the long-term model, an extrapolation, not a
    published number."""
    y = np.asarray(decimal_year(jd_tt), dtype=float)
    sigma = np.interp(y, _UKHO_YEARS, _UKHO_SIGMA)
    t = (y - 1825.0) / 100.0
    before = _UKHO_SIGMA[0] * t**2 / ((_UKHO_YEARS[0] - 1825.0) / 100.0) ** 2
    after = _UKHO_SIGMA[-1] * t**2 / ((_UKHO_YEARS[-1] - 1825.0) / 100.0) ** 2
    return np.where(y < _UKHO_YEARS[0], before, np.where(y > _UKHO_YEARS[-1], after, sigma))


def delta_t(model: str, jd_tt: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Delta T in seconds at TT Julian dates under a named model."""
    return np.asarray(timescale(model).delta_t_function(np.asarray(jd_tt, dtype=float)), dtype=float)


def delta_t_sigma(model: str, jd_tt: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """One standard deviation of Delta T (s) under a named model."""
    _check(model)
    return skyfield_sigma(jd_tt) if model == "skyfield" else espenak_meeus_sigma(jd_tt)


@functools.cache
def timescale(model: str = "skyfield") -> Timescale:
    """A Skyfield Timescale (built-in tables, no download) whose Delta T is
    the named model's."""
    from skyfield.api import load
    from skyfield.timelib import Timescale

    _check(model)
    builtin = load.timescale(builtin=True)
    if model == "skyfield":
        return builtin
    return Timescale(espenak_meeus, builtin.leap_dates, builtin.leap_offsets)


def _check(model: str) -> None:
    """DeltaTError unless ``model`` is one of MODELS."""
    if model not in MODELS:
        raise DeltaTError(f"unknown Delta T model {model!r}: choose from {', '.join(MODELS)}")
