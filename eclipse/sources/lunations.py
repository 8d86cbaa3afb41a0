"""The new moons near which a solar eclipse can happen.

Meeus, *Astronomical Algorithms*, 2nd ed., ch. 49 (the mean lunation with
its main periodic terms) gives each new moon to a few minutes; a solar
eclipse needs the Moon near a node of its orbit, |sin F| below NODE_LIMIT
(Meeus ch. 54 uses 0.36).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

#: The mean synodic month in days (Meeus, ch. 49).
SYNODIC_MONTH = 29.530588861
#: |sin F| above which no solar eclipse is possible (Meeus: 0.36).
NODE_LIMIT = 0.40
#: TT Julian date near new moon k = 0 (2000 January 6).
NEW_MOON_ZERO = 2451550.1


def new_moons(k: npt.ArrayLike) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """TT Julian dates of new moons k (k = 0 at 2000 January 6) and the Moon's
    argument of latitude F (radians) then.

    Meeus, Astronomical Algorithms, ch. 49, with the terms above 0.0005 day:
    good to a few minutes, which is all the search needs.
    """
    k = np.asarray(k, dtype=float)
    t = k / 1236.85
    jde = 2451550.09766 + SYNODIC_MONTH * k + 0.00015437 * t**2
    rad = np.pi / 180.0
    m_sun = (2.5534 + 29.10535670 * k - 0.0000014 * t**2) * rad
    m_moon = (201.5643 + 385.81693528 * k + 0.0107582 * t**2) * rad
    f = (160.7108 + 390.67050284 * k - 0.0016118 * t**2) * rad
    omega = (124.7746 - 1.56375588 * k + 0.0020672 * t**2) * rad
    e = 1 - 0.002516 * t - 0.0000074 * t**2
    jde += (
        -0.40720 * np.sin(m_moon)
        + 0.17241 * e * np.sin(m_sun)
        + 0.01608 * np.sin(2 * m_moon)
        + 0.01039 * np.sin(2 * f)
        + 0.00739 * e * np.sin(m_moon - m_sun)
        - 0.00514 * e * np.sin(m_moon + m_sun)
        + 0.00208 * e * e * np.sin(2 * m_sun)
        - 0.00111 * np.sin(m_moon - 2 * f)
        - 0.00057 * np.sin(m_moon + 2 * f)
        + 0.00056 * e * np.sin(2 * m_moon + m_sun)
        - 0.00042 * np.sin(3 * m_moon)
    )
    f_corrected = f - 0.02665 * rad * np.sin(omega)
    return jde, f_corrected


def eclipse_lunations(jd_start: float, jd_end: float) -> tuple[np.ndarray, np.ndarray]:
    """Lunation numbers k and TT Julian dates of the new moons from about a
    month before ``jd_start`` to a month after ``jd_end`` at which the Moon
    is near enough a node for a solar eclipse."""
    k = np.arange(np.floor((jd_start - NEW_MOON_ZERO) / SYNODIC_MONTH) - 1,
                  np.ceil((jd_end - NEW_MOON_ZERO) / SYNODIC_MONTH) + 2)
    jd_new, f = new_moons(k)
    near_node = np.abs(np.sin(f)) < NODE_LIMIT
    return k[near_node], jd_new[near_node]
