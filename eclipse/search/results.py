"""What a search finds: eclipses, and what one place sees of them.

Results hold numbers at full precision; instants are TT Julian dates (``jd_tt``;
``jd_ut`` = TT - Delta T).  They become text (dates, ISO times, rounded
values) only in ``eclipse.io``, which also writes the JSON contract of
docs/contracts.md from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from ..constants import DEGREES_PER_DELTA_T_SECOND, KINDS_SEEN
from ..dates import format_date, ut_from_tt
from ..geometry.earth import wrap_degrees
from ..geometry.horizon import APPARENT, Horizon
from ..geometry.local import LocalCircumstances, local_circumstances
from ..geometry.path import Path, path
from ..sources.elements import BesselianElements

#: Spacing of the places sampled by Eclipse.kinds_seen_within_sigma.
SIGMA_SAMPLE_DEG = 0.05


@dataclass(frozen=True)
class Eclipse:
    """A solar eclipse at greatest eclipse, at full precision.

    ``jd_tt`` is the TT Julian date of greatest eclipse, ``delta_t_s`` the
    Delta T then (``jd_ut``); ``latitude`` and ``longitude`` (degrees, east
    positive) the point of greatest eclipse; ``magnitude`` follows NASA's
    catalog (the Moon/Sun diameter ratio there for a central eclipse, the
    largest fraction of the Sun's diameter covered for the others);
    ``elements`` the Besselian elements, evaluable at arrays of times;
    ``ephemeris`` names the source (a kernel's file name, or the canon's);
    ``delta_t_model`` is "skyfield", "espenak-meeus" or "fixed" and
    ``delta_t_sigma_s`` one standard deviation of Delta T then.
    """

    kind: str
    central: bool
    jd_tt: float
    latitude: float
    longitude: float
    gamma: float
    magnitude: float
    sun_altitude_deg: float
    sun_azimuth_deg: float
    duration_s: float | None
    path_width_km: float | None
    saros: int
    delta_t_s: float
    lunation: int = field(repr=False)
    elements: BesselianElements = field(repr=False, compare=False)
    ephemeris: str = field(default="de421.bsp", repr=False)
    delta_t_model: str = field(default="skyfield", repr=False)
    delta_t_sigma_s: float = field(default=0.0, repr=False)

    @property
    def jd_ut(self) -> float:
        """UT Julian date of greatest eclipse."""
        return ut_from_tt(self.jd_tt, self.delta_t_s)

    @property
    def date(self) -> str:
        """The UT date of greatest eclipse, '2024-04-08' ('-0135-04-15' for
        136 BCE: astronomical years, Julian calendar before 1582-10-15)."""
        return format_date(self.jd_ut)

    def __repr__(self) -> str:
        """'<Eclipse 2024-04-08 total, magnitude 1.0565, saros 139>'."""
        return f"<Eclipse {self.date} {self.kind}, magnitude {self.magnitude:.4f}, saros {self.saros}>"

    def path(self, step_s: float = 60.0) -> Path:
        """The path on the Earth (``eclipse.geometry.Path``): central line,
        limits, P1, P4, U1, U4, shadow regions; vertices every ``step_s``
        seconds of UTC.

        Examples
        --------
        >>> import eclipse
        >>> p = eclipse.at("2024-04-08").path(step_s=60)
        >>> import shapely
        >>> p.umbra.contains(shapely.Point(-96.80, 32.78))    # Dallas
        True
        """
        return path(self, step_s)

    def local(self, lat: npt.ArrayLike, lon: npt.ArrayLike, elevation_m: npt.ArrayLike = 0.0, *,
              horizon: str | Horizon = "apparent", temperature_c: float | None = None,
              pressure_hpa: float | None = None, distances: bool = True) -> LocalCircumstances:
        """Local circumstances for observers at geodetic latitudes, east
        longitudes (degrees) and elevations (m); numpy arrays welcome
        (``eclipse.geometry.local_circumstances``).  ``horizon``: "apparent"
        (refraction at ``temperature_c`` degrees C and ``pressure_hpa`` hPa,
        10 and 1010 unless given) or "geometric".  With ``distances`` (the
        default), ``.distances`` holds each observer's signed distances (km)
        to the central line and the limits of the umbra
        (``eclipse.geometry.PathDistances``); ``distances=False`` skips
        them (and the path they are measured on).

        Examples
        --------
        >>> import eclipse
        >>> lc = eclipse.at("2024-04-08").local([32.78, 40.71], [-96.80, -74.01])  # Dallas, New York
        >>> lc.kind_seen, lc.duration_s.round(1)
        (array(['total', 'partial'], dtype='<U7'), array([230.8,   nan]))
        """
        return local_circumstances(self, lat, lon, elevation_m, horizon=horizon, temperature_c=temperature_c,
                                   pressure_hpa=pressure_hpa, distances=distances)

    @property
    def sigma_shift_deg(self) -> float:
        """How far (degrees of longitude) one standard deviation of Delta T
        turns the whole path: a later UT1 for the same TT, a less turned Earth."""
        return self.delta_t_sigma_s * DEGREES_PER_DELTA_T_SECOND

    @property
    def sigma_samples(self) -> int:
        """How many turns of the path, from -1 to +1 sigma, ``kinds_seen_within_sigma``
        samples: every SIGMA_SAMPLE_DEG, at least 3, at most 4001."""
        return int(min(max(3, 2 * np.ceil(self.sigma_shift_deg / SIGMA_SAMPLE_DEG) + 1), 4001))

    def kinds_seen_within_sigma(self, lat: float, lon: float, elevation_m: float = 0.0,
                                horizon: Horizon = APPARENT) -> tuple[str, ...]:
        """The kinds seen from a place as Delta T runs over +-1 sigma: the
        place's circumstances with the path turned by up to sigma_shift_deg
        either way (equivalently, the place moved the other way), sampled
        every SIGMA_SAMPLE_DEG (5 km at the equator; narrower paths than that
        are not central anywhere for long); seen on ``horizon``."""
        shift = self.sigma_shift_deg
        offsets = np.linspace(-shift, shift, self.sigma_samples)
        seen = local_circumstances(self, np.full(len(offsets), float(lat)), wrap_degrees(float(lon) + offsets),
                                   elevation_m, horizon=horizon).kind_seen
        return tuple(k for k in KINDS_SEEN if k in set(seen))


@dataclass(frozen=True)
class SeenEclipse:
    """One eclipse and what a single observer sees of it."""

    eclipse: Eclipse
    local: LocalCircumstances  # 0-d arrays


@dataclass(frozen=True)
class Upcoming:
    """The result of ``next_eclipses``: what was found and how far it looked.

    The search covered the days from ``jd_from`` to ``jd_to`` (Julian dates
    of 0h UT).  ``ephemeris_end`` is True when it stopped at the end of its
    source (by default the long-range canon: the end of 2999; a kernel
    given: the kernel's end) before ``years`` years or ``count`` eclipses;
    ``ephemeris`` names that source.  ``horizon`` is the one the eclipses
    were seen on.
    """

    eclipses: list[SeenEclipse]
    jd_from: float
    jd_to: float
    ephemeris_end: bool
    ephemeris: str
    horizon: Horizon = APPARENT
