"""The array types the geometry's signatures name (numpy.typing).

Functions of the geometry take and give arrays of any shape, broadcast
against each other; where the inputs are scalars (one instant, one place)
NumPy gives scalars of the same types (``np.float64``, ``np.bool_``), which
these names cover too.  Units are those of the quantity named: lengths in
equatorial Earth radii, angles in radians, times in hours from t0, unless
a name says otherwise (``_deg``, ``_km``, ``jd_``).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

#: Floating-point values.
FloatArray = npt.NDArray[np.float64]
#: Booleans: masks and answers per element.
BoolArray = npt.NDArray[np.bool_]
#: Integers of any width: the numbers of the parts of a curve.
IntArray = npt.NDArray[np.integer]
#: Indices into other arrays (``np.flatnonzero``, ``np.searchsorted``).
IndexArray = npt.NDArray[np.intp]
