"""Solar eclipses computed from a JPL planetary ephemeris.

    >>> import eclipse
    >>> e = eclipse.at("2024-04-08")
    >>> e.kind, round(e.magnitude, 5), e.saros
    ('total', 1.05654, 139)

Pipeline: ephemeris -> Besselian elements -> search -> geometry -> outputs.
"""

__version__ = "0.2.0"

from .besselian import BesselianElements  # noqa: E402
from .ephemeris import EphemerisError  # noqa: E402
from .errors import EclipseError, NoEclipseError  # noqa: E402
from .search import Eclipse, at, find  # noqa: E402

__all__ = ["at", "find", "Eclipse", "BesselianElements", "EclipseError",
           "EphemerisError", "NoEclipseError"]
