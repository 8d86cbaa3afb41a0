"""From Besselian elements to eclipses: greatest eclipse, kind, magnitude,
the point of greatest eclipse, path width, central duration and saros, all
vectorised over a batch of eclipses.

Greatest eclipse is the instant the shadow axis passes closest to the
Earth's centre (the minimum of x^2 + y^2 on the fundamental plane), gamma
that distance signed like y (Espenak and Meeus 2006, the Five Millennium
Canon's conventions; docs/formulas.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..constants import EARTH_RADIUS_KM
from ..geometry.earth import (
    fundamental_coordinates,
    nearest_outline_point,
    observer,
    outline_minor_axis,
    point_under,
    sun_altitude_azimuth,
)
from ..geometry.shadow import (
    axis_meets_outline,
    axis_nearest,
    central_duration,
    diameter_ratio,
    magnitude,
    path_width,
    shadow,
)
from ..sources.base import Source
from ..sources.elements import BesselianElements, ElementsAt
from .results import Eclipse


def characterise(elements: BesselianElements, lunation: npt.ArrayLike, source: Source) -> list[Eclipse]:
    """The eclipses of a batch of Besselian elements (the shipped canon's,
    NASA's, any): greatest eclipse, kind, magnitude, point, width, duration,
    saros from the lunation numbers; ``source`` gives Delta T and the name
    in ``Eclipse.ephemeris``.  Elements whose penumbra misses the Earth give
    no eclipse."""
    lunation = np.asarray(lunation, dtype=np.int64)
    g = greatest(elements)
    place = observer(g.latitude, g.longitude)
    s = shadow(elements, g.t_point, place)
    ep = elements.at(g.t_point)
    altitude, azimuth = sun_altitude_azimuth(g.latitude, g.longitude, ep.d, ep.mu)
    eo = g.at_outline
    size = np.where(
        g.central,
        diameter_ratio(s.penumbra, s.umbra),  # Moon/Sun diameter ratio
        magnitude(g.limb_distance, eo.l1, eo.l2),  # fraction of the Sun's diameter
    )
    kind = kinds(elements, g.central, g.umbral, eo.l2, g.t)
    duration = central_duration(elements, place, g.t) * 3600.0
    width = path_width(s, ep) * EARTH_RADIUS_KM
    # With the axis this near the limb the umbra hangs over the Earth's edge:
    # one limit is missing and the path has no width (NASA's types An, As).
    one_limit = g.central & (-g.limb_distance < np.abs(eo.l2))

    jd_tt = elements.t0 + g.t / 24.0
    delta_t, sigma = source.delta_t_seconds(jd_tt), source.delta_t_sigma(jd_tt)
    saros = saros_number(lunation)
    rad = np.pi / 180.0
    eclipses = []
    for i in np.flatnonzero(g.penumbral):
        central = bool(g.central[i])
        eclipses.append(Eclipse(
            kind=str(kind[i]),
            central=central,
            jd_tt=float(jd_tt[i]),
            latitude=float(g.latitude[i] / rad),
            longitude=float(g.longitude[i] / rad),
            gamma=float(g.gamma[i]),
            magnitude=float(size[i]),
            sun_altitude_deg=float(altitude[i] / rad),
            sun_azimuth_deg=float(azimuth[i] / rad),
            duration_s=float(duration[i]) if central else None,
            path_width_km=float(width[i]) if central and not one_limit[i] else None,
            saros=int(saros[i]),
            delta_t_s=float(delta_t[i]),
            lunation=int(lunation[i]),
            elements=elements[i],
            ephemeris=source.name,
            delta_t_model=source.delta_t_model,
            delta_t_sigma_s=float(sigma[i]),
        ))
    return eclipses


@dataclass(frozen=True)
class Greatest:
    """Greatest eclipse of each eclipse of a batch (arrays over the batch).

    ``t`` (hours from t0) and ``gamma``; ``t_outline``, when the axis comes
    nearest the Earth's outline (an ellipse on the fundamental plane), and
    the elements then (``at_outline``); whether the axis crosses the outline
    (``central``), how far outside it the axis passes (``limb_distance``,
    negative inside), whether the penumbra and the umbra reach the Earth;
    and the point of greatest eclipse (radians) and its instant ``t_point``.
    """

    t: npt.NDArray[np.float64]
    gamma: npt.NDArray[np.float64]
    at_outline: ElementsAt
    central: npt.NDArray[np.bool_]
    limb_distance: npt.NDArray[np.float64]
    penumbral: npt.NDArray[np.bool_]
    umbral: npt.NDArray[np.bool_]
    t_point: npt.NDArray[np.float64]
    latitude: npt.NDArray[np.float64]
    longitude: npt.NDArray[np.float64]


def greatest(elements: BesselianElements) -> Greatest:
    """Greatest eclipse of each eclipse of a batch, and its point: under the
    axis at greatest eclipse for a central eclipse, otherwise the point of
    the outline nearest the axis at the instant it is nearest (NASA's points
    for partial eclipses are these, up to 22 s from the minimum of x^2 + y^2
    along the limb)."""
    t = axis_nearest(elements, np.zeros(len(elements)), 4)
    e = elements.at(t)
    gamma = np.copysign(np.hypot(e.x, e.y), e.y)
    b = outline_minor_axis(e.d)
    t_outline = axis_nearest(elements, t, 4, scale_y=b)
    eo = elements.at(t_outline)
    central = eo.x**2 + (eo.y / b) ** 2 < 1.0
    limb_xi, limb_eta, limb_distance = nearest_outline_point(eo.x, eo.y, eo.d)
    t_point = np.where(central, t, t_outline)
    ep = elements.at(t_point)
    lat, lon = point_under(np.where(central, ep.x, limb_xi), np.where(central, ep.y, limb_eta), ep.d, ep.mu)
    return Greatest(t=t, gamma=gamma, at_outline=eo, central=central, limb_distance=limb_distance,
                    penumbral=limb_distance < eo.l1, umbral=central | (limb_distance < np.abs(eo.l2)),
                    t_point=t_point, latitude=lat, longitude=lon)


def kinds(elements: BesselianElements, central: npt.NDArray[np.bool_], umbral: npt.NDArray[np.bool_],
          l2_nearest: npt.NDArray[np.float64], t_greatest: npt.NDArray[np.float64]) -> npt.NDArray[np.str_]:
    """partial, annular, total or hybrid.

    A non-central eclipse is total or annular by the sign of l2 where the
    umbra grazes the Earth.  A central one is hybrid when L2 = l2 - zeta tan f2
    changes sign along the central line: sampled from the instant the axis
    meets the Earth to the instant it leaves (where zeta = 0, L2 = l2).
    """
    kind = np.where(umbral, np.where(l2_nearest < 0, "total", "annular"), "partial")
    if not np.any(central):
        return kind
    sub = elements[np.flatnonzero(central)]
    tc = t_greatest[central]
    ends = [axis_meets_outline(sub, tc, side) for side in (-1.0, 1.0)]
    fractions = np.linspace(0.0, 1.0, 65)[:, None]
    samples = ends[0] + (ends[1] - ends[0]) * fractions
    e = sub.at(samples)
    lat, lon = point_under(e.x, e.y, e.d, e.mu)
    _, _, zeta = fundamental_coordinates(observer(lat, lon), e.d, e.mu)
    umbra = e.l2 - np.nan_to_num(zeta, nan=0.0) * e.tan_f2
    total_somewhere = np.any(umbra < 0, axis=0)
    annular_somewhere = np.any(umbra > 0, axis=0)
    kind_central = np.where(total_somewhere & annular_somewhere, "hybrid",
                            np.where(total_somewhere, "total", "annular"))
    kind[central] = kind_central
    return kind


def saros_number(lunation: npt.ArrayLike) -> npt.NDArray[np.int_]:
    """Saros series from the lunation number (Meeus's k, as NASA's 'luna').

    Eclipses 223 lunations apart share a series; 358 lunations (an inex) lead
    to the next series.  Since 358 * 38 = 1 (mod 223), the series number is
    139 + 38 (k - 300) modulo 223 (2024 April 8: k = 300, saros 139); of the
    numbers that fit, take the one nearest the centre of the series active then,
    which drifts by one series per inex.
    """
    k = np.asarray(lunation, dtype=np.int64)
    offset = np.mod((k - 300) * 38, 223)
    centre = 139 + (k - 300) / 358.0
    return (139 + offset - 223 * np.round((139 + offset - centre) / 223.0)).astype(int)
