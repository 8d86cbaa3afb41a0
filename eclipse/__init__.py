"""Solar eclipses computed from a JPL planetary ephemeris.

    >>> import eclipse
    >>> e = eclipse.at("2024-04-08")
    >>> e.kind, e.magnitude, e.saros
    ('total', 1.0565352530141834, 139)

Pipeline: ephemeris -> Besselian elements -> search -> geometry -> outputs.
"""

from .besselian import BesselianElements
from .ephemeris import EphemerisError
from .errors import EclipseError, NoEclipseError
from .search import Eclipse, at, find

__all__ = ["at", "find", "Eclipse", "BesselianElements", "EclipseError",
           "EphemerisError", "NoEclipseError"]
