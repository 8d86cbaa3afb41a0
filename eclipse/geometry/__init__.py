"""The geometry of the Moon's shadow on the WGS84 Earth, from Besselian elements.

The stage of the pipeline between the search and the outputs: the Earth on
the fundamental plane (``earth``), the one shadow primitive every question
uses (``shadow``), what a place sees (``local``) on which horizon
(``horizon``: refraction, sunrise and sunset) and how far it is from the
path's curves (``distances``), the limits and the central
line (``limits``, ``chords``), the whole path (``path``), the regions where
each phase is seen (``regions``, shapely) and local circumstances on a grid
and the lines of equal central duration (``isolines``).  Nothing here
writes an output format.

Angles of places are degrees at this package's edges (``lat``, ``lon``),
radians inside (``latitude``, ``longitude`` of ``earth``).
"""

from __future__ import annotations

from .distances import PathDistances, path_distances
from .horizon import Horizon, HorizonError
from .isolines import DurationLine, MagnitudeGrid, contour_lines, duration_lines, greatest_obscuration, magnitude_grid
from .local import CONTACTS, LocalCircumstances, LocationError, check_location, local_circumstances
from .path import MIN_STEP_S, CentralLine, Curve, Instant, Path, Stretch, path
from .regions import sigma_band, span_umbra

__all__ = ["local_circumstances", "LocalCircumstances", "LocationError", "check_location", "CONTACTS", "path",
           "Path", "Curve", "CentralLine", "Instant", "MIN_STEP_S", "magnitude_grid", "MagnitudeGrid",
           "contour_lines", "greatest_obscuration", "sigma_band", "span_umbra", "Horizon", "HorizonError",
           "duration_lines", "DurationLine", "Stretch",
           "PathDistances", "path_distances"]
