"""The horizon the Sun is seen on: the apparent one (atmospheric refraction
lifts the Sun) or the geometric one (no atmosphere).

Apparent (the default): altitudes are what an observer sees, the geometric
altitude h plus the refraction R of Saemundsson's formula (Sky and Telescope
72, 70, 1986; Meeus, *Astronomical Algorithms*, 2nd ed. 1998, eq. 16.4),
which takes the true altitude, as the geometry gives it::

    R = 1.02' / tan(h + 10.3 / (h + 5.11)) + 0.0019279'      (h in degrees)

(the constant, Meeus's, makes R vanish at the zenith) for 10 degrees C and 1010 hPa, scaled by (P / 1010) (283 / (273 + T)) for
others (Meeus ch. 16).  Sunrise and sunset are the almanac's: the Sun's upper
limb on the apparent horizon, its centre at the geometric altitude
-(34' + s) with s its semidiameter and the 34' of refraction at the horizon
scaled likewise (-0.8333 degree with the 16' of the Explanatory Supplement,
2013, section 7.2).  s is taken from the Besselian elements at t0
(``sun_semidiameter``), 15.7' to 16.3' over the year.  "Seen with the Sun
up" means the upper limb above the apparent horizon.

Geometric: altitudes are those of the Sun's centre, and the Sun is up when
its centre is above the astronomical horizon (altitude 0): the package's
numbers before refraction was counted.

Neither counts the dip of the horizon seen from high up (eclipse.fields does,
for its altitudes).

NASA's city tables of local circumstances take another sunrise: the Sun's
centre 0.3 degree below the true horizon (Espenak and O'Byrne's JavaScript
Solar Eclipse Explorer, getsunriset: sin h0 = sin(-0.00524); "the Sun's lower
limb on the horizon", 34' - 16'), 90 to 115 s from the geometric one at
Sydney and Chicago, 2.5 to 3.5 min after the almanac's sunrise (before its
sunset).  ``Horizon.rise_set_altitude`` is the one place that says which.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ..constants import K_PENUMBRA, K_UMBRA
from ..errors import EclipseError
from .arrays import FloatArray

#: The horizons: "apparent" (refraction, the default) or "geometric".
HORIZONS = ("apparent", "geometric")
#: The standard atmosphere of the refraction formula: 10 degrees C, 1010 hPa.
STANDARD_TEMPERATURE_C = 10.0
STANDARD_PRESSURE_HPA = 1010.0
#: Temperatures and pressures accepted (degrees C, hPa): the coldest and
#: hottest air measured on the Earth (-89.2 and 56.7 C) and from no air to
#: above the highest sea-level pressure recorded (1084 hPa).
TEMPERATURE_RANGE_C = (-90.0, 60.0)
PRESSURE_RANGE_HPA = (0.0, 1100.0)
#: Saemundsson's coefficients: R = A' / tan(h + B / (h + C)) + D', degrees.
SAEMUNDSSON = (1.02, 10.3, 5.11, 0.0019279)
#: The formula's argument h + B / (h + C) is least at h = sqrt(B) - C
#: (-1.90 degree), where R is greatest (44.6'); below, the formula turns back
#: (it is meant for the Sun above the horizon), and the refraction is held at
#: that value, so that the apparent altitude keeps growing with the true one.
LOWEST_ALTITUDE_DEG = math.sqrt(SAEMUNDSSON[1]) - SAEMUNDSSON[2]
#: Refraction at the horizon for the standard atmosphere, the almanac's 34'.
HORIZON_REFRACTION_DEG = 34.0 / 60.0


class HorizonError(EclipseError):
    """A horizon, temperature or pressure that cannot be used."""


@dataclass(frozen=True)
class Horizon:
    """The horizon of local circumstances: ``kind`` "apparent" (refraction at
    ``temperature_c`` and ``pressure_hpa``) or "geometric" (no refraction;
    temperature and pressure are None).  ``horizon`` builds one from
    options; HorizonError for a kind, temperature or pressure out of place."""

    kind: str = "apparent"
    temperature_c: float | None = STANDARD_TEMPERATURE_C
    pressure_hpa: float | None = STANDARD_PRESSURE_HPA

    def __post_init__(self) -> None:
        """Refuse what is not a horizon (HorizonError, one line)."""
        if self.kind not in HORIZONS:
            raise HorizonError(f"unknown horizon {self.kind!r}: choose apparent or geometric")
        if self.kind == "geometric":
            if self.temperature_c is not None or self.pressure_hpa is not None:
                raise HorizonError("a temperature or pressure is for the apparent horizon, not the geometric one")
            return
        # as floats (a number given as text or NumPy's is kept as a float)
        object.__setattr__(self, "temperature_c", _number("temperature", self.temperature_c, TEMPERATURE_RANGE_C, "°C"))
        object.__setattr__(self, "pressure_hpa", _number("pressure", self.pressure_hpa, PRESSURE_RANGE_HPA, "hPa"))

    @property
    def scale(self) -> float:
        """(P / 1010) (283 / (273 + T)): the refraction over the standard
        atmosphere's (Meeus 1998 ch. 16); 0 for the geometric horizon."""
        if self.temperature_c is None or self.pressure_hpa is None:
            return 0.0
        return (self.pressure_hpa / STANDARD_PRESSURE_HPA) * ((273.0 + STANDARD_TEMPERATURE_C)
                                                              / (273.0 + self.temperature_c))

    def refraction(self, altitude: npt.ArrayLike) -> FloatArray:
        """Refraction (radians) of the Sun at true altitudes (radians):
        Saemundsson's formula, scaled; held at its value at
        LOWEST_ALTITUDE_DEG below it; 0 for the geometric horizon."""
        a, b, c, zenith = SAEMUNDSSON
        h = np.maximum(np.degrees(altitude), LOWEST_ALTITUDE_DEG)
        arcmin = a / np.tan(np.radians(h + b / (h + c))) + zenith
        return np.radians(arcmin / 60.0) * self.scale

    def apparent(self, altitude: npt.ArrayLike) -> FloatArray:
        """The altitudes seen (radians) of true altitudes (radians)."""
        altitude = np.asarray(altitude, dtype=float)
        return altitude + self.refraction(altitude) if self.scale else altitude

    def rise_set_altitude(self, semidiameter: npt.ArrayLike) -> FloatArray:
        """The true altitude (radians) of the Sun's centre at sunrise and
        sunset, with the Sun's semidiameter (radians): -(34' scaled +
        semidiameter) on the apparent horizon, 0 on the geometric one."""
        if self.kind == "geometric":
            return np.zeros_like(np.asarray(semidiameter, dtype=float))
        return -(np.radians(HORIZON_REFRACTION_DEG) * self.scale + np.asarray(semidiameter, dtype=float))

    def options(self) -> dict[str, Any]:
        """The keyword arguments that make this horizon (``horizon``,
        ``temperature_c``, ``pressure_hpa``), for calls that take them."""
        return {"horizon": self.kind, "temperature_c": self.temperature_c, "pressure_hpa": self.pressure_hpa}


def _number(name: str, value: Any, bounds: tuple[float, float], unit: str) -> float:
    """A temperature or pressure as a float within ``bounds`` (HorizonError)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise HorizonError(f"the {name} must be a number, not {value!r}") from None
    low, high = bounds
    if not low <= number <= high:  # (NaN too)
        raise HorizonError(f"{name} {number:g} {unit} is outside [{low:g}, {high:g}] {unit}")
    return number


#: The default: the apparent horizon of the standard atmosphere.
APPARENT = Horizon()
#: No refraction: the Sun's centre on the astronomical horizon.
GEOMETRIC = Horizon("geometric", None, None)


def horizon(kind: str | Horizon = "apparent", temperature_c: float | None = None,
            pressure_hpa: float | None = None) -> Horizon:
    """The Horizon of ``kind`` ("apparent" or "geometric", or a Horizon),
    with a temperature (degrees C) and pressure (hPa) for the apparent one
    (default 10 C, 1010 hPa).

    Raises HorizonError for another kind, a temperature outside
    TEMPERATURE_RANGE_C, a pressure outside PRESSURE_RANGE_HPA, anything not
    a finite number, or a temperature or pressure given with the geometric
    horizon (which has no air).
    """
    if isinstance(kind, Horizon):
        if temperature_c is None and pressure_hpa is None:
            return kind
        kind = kind.kind
    if kind == "apparent":
        return Horizon("apparent", STANDARD_TEMPERATURE_C if temperature_c is None else temperature_c,
                       STANDARD_PRESSURE_HPA if pressure_hpa is None else pressure_hpa)
    return Horizon(kind, temperature_c, pressure_hpa)


def sun_semidiameter(l1: npt.ArrayLike, tan_f1: npt.ArrayLike, tan_f2: npt.ArrayLike) -> FloatArray:
    """The Sun's geocentric semidiameter (radians) from the elements at an
    instant (l1 and the cone angles; docs/formulas.md): sin f1 = (r + k1) / g
    and sin f2 = (r - k2) / g, g the Sun's distance from the Moon, give
    1 / g = (sin f1 - sin f2) / (k1 + k2) and the Sun's radius r =
    g sin f1 - k1; l1 = z tan f1 + k1 / cos f1 the Moon's distance z from the
    fundamental plane, so that the Sun lies g + z from the Earth's centre
    (to 1.6 Earth radii across, 1e-9 of it), and sin s = r / (g + z)."""
    f1, f2 = np.arctan(np.asarray(tan_f1, dtype=float)), np.arctan(np.asarray(tan_f2, dtype=float))
    sin_f1, sin_f2 = np.sin(f1), np.sin(f2)
    g = (K_PENUMBRA + K_UMBRA) / (sin_f1 - sin_f2)
    z = (np.asarray(l1, dtype=float) - K_PENUMBRA / np.cos(f1)) / np.tan(f1)
    return np.arcsin((g * sin_f1 - K_PENUMBRA) / (g + z))
