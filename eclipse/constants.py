"""Physical constants and the package's fixed vocabularies (a leaf module).

Lengths on the fundamental plane are in equatorial Earth radii (WGS84
a = 6378.137 km).  The lunar radii and the solar radius are those of the
Five Millennium Canon (Espenak and Meeus 2006, NASA/TP-2006-214141);
docs/formulas.md shows where each enters.
"""

from __future__ import annotations

import math

#: WGS84 equatorial radius, km: the unit of length of the fundamental plane.
EARTH_RADIUS_KM = 6378.137
#: The Earth's mean radius (IUGG), km, for distances on a sphere.
EARTH_MEAN_RADIUS_KM = 6371.0088
#: WGS84 flattening, and the ellipsoid's first eccentricity squared 2f - f^2.
FLATTENING = 1 / 298.257223563
ECCENTRICITY_SQUARED = FLATTENING * (2 - FLATTENING)

#: The astronomical unit (IAU 2012), km and Earth radii.
AU_KM = 149597870.700
AU_EARTH_RADII = AU_KM / EARTH_RADIUS_KM

#: Lunar radius in Earth radii for the penumbra (k1) and the umbra (k2), as in
#: the Five Millennium Canon: the mean radius and the radius of the valleys.
K_PENUMBRA = 0.2725076
K_UMBRA = 0.2722810
#: Solar radius, 696,000 km, in Earth radii.
SUN_RADIUS = 696000.0 / EARTH_RADIUS_KM

#: Sidereal / solar rate: mu moves 1.002738 x 15 arcsec per second of
#: Delta T between the Greenwich and the ephemeris meridian (NASA's value).
SIDEREAL_RATIO = 1.002737909
#: Turns of the Earth rotation angle per UT1 day (IAU 2000 Resolution B1.8;
#: Skyfield's earth_rotation_angle): a second of Delta T turns a path
#: 360 x ERA_RATE / 86400 = 0.0041781 degree in longitude.
ERA_RATE = 1.00273781191135448
DEGREES_PER_DELTA_T_SECOND = 360.0 * ERA_RATE / 86400.0

#: Degrees per radian.
DEG = 180.0 / math.pi
SECONDS_PER_DAY = 86400.0

#: The kinds of solar eclipse, and the kinds seen from a place.
KINDS = ("partial", "annular", "total", "hybrid")
KINDS_SEEN = ("none", "partial", "annular", "total")
