"""The path of the Moon's shadow on the WGS84 ellipsoid (observer at sea level).

From Besselian elements: the central line, the northern and southern limits
of the umbra (antumbra) and of the penumbra (limits.py), the instants P1, P4
(penumbra first and last touches the Earth) and U1, U4 (umbra), the point
of greatest duration, the curves where the partial phase begins or ends at
sunrise or sunset, and the shadow's regions (regions.py); ``eclipse.io``
writes them as GeoJSON and KML.  Everything numerical is vectorised over
the time steps.

Time steps are whole multiples of ``step_s`` seconds of UTC; vertices are
added between them where a chord would stray more than 0.5 km from the
curve (chords.py).  At fine steps the limits are first solved on a subgrid
and the other instants start from interpolated zeta; the central line's
contacts likewise (tests check both against the full solution).

Formulas: Explanatory Supplement to the Astronomical Almanac (3rd ed., 2013)
ch. 11; Meeus, *Elements of Solar Eclipses 1951-2200* (1989);
docs/formulas.md, "Curves and instants".
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

import numpy as np
import numpy.typing as npt

from ..constants import DEG, EARTH_RADIUS_KM
from ..dates import ut_from_tt
from ..errors import EclipseError
from ..sources.elements import BesselianElements, HasElements
from . import limits, regions
from .arrays import BoolArray, FloatArray, IntArray
from .chords import densify, spread
from .earth import (
    ellipsoid_quadric,
    nearest_outline_point,
    observer_under,
    outline_excess,
    outline_minor_axis,
    point_under,
    sun_altitude_azimuth,
    surface_zeta,
    wrap_degrees,
)
from .shadow import (
    axis_meets_outline,
    axis_nearest,
    contact_time,
    outline_gap,
    path_width,
    penumbra_outline_crossings,
    penumbra_within_outline,
    shadow_at,
)
from .solvers import bracketed_root, crossings, in_chunks, sign_changes

if TYPE_CHECKING:  # shapely has no type information: Any to mypy, names to a reader
    from shapely import MultiPolygon, Polygon

#: The least step: vertices are added between steps wherever a chord would
#: stray 0.5 km from the curve (chords.py), so finer steps add nothing to the
#: lines' accuracy, only vertices (1 s: 53,000 vertices and 40 ms for
#: 2024-04-08; 0.01 s would be 5 million and gigabytes).
MIN_STEP_S = 1.0
#: Span searched for P1 and P4, hours from t0 (t0 is within half an hour of
#: greatest eclipse; no penumbral phase lasts longer than about 6.5 hours).
SEARCH_HOURS = 5.0
#: Spacing of the grid on which P1, P4, U1, U4 are bracketed before refining.
CONTACT_GRID_HOURS = 1.0 / 60.0
#: Contact iterations from contacts interpolated between neighbouring points
#: of the central line: one leaves < 4e-5 s against the full iteration
#: (measured at 1-s steps for 2024-04-08, 2021-12-04, 2012-11-13, 2023-04-20,
#: 2017-08-21; tested).
WARM_CONTACT_ITERATIONS = 1
#: L2 on the central line is sampled at least this often (hours) to bracket
#: its changes of sign (a hybrid's changes between annular and total),
#: whatever the path's step.  Two changes closer than this would be missed:
#: of the 13 hybrids of 1901-2100 the shortest total stretch between two
#: changes lasts 1.9 min (1986-10-03; the others 36 min or more), measured
#: at 1-s samples.
KIND_SAMPLE_HOURS = 20.0 / 3600.0

class CentralPoints(NamedTuple):
    """Points of the central line at some hours and what is seen there
    (``central_points``): latitude, longitude, the Sun's altitude and azimuth
    (radians), the path's width (km), the central duration (s), the second
    and third contacts (hours from t0).  A NamedTuple, so that ``in_chunks``
    joins it field by field."""

    latitude: FloatArray
    longitude: FloatArray
    sun_altitude: FloatArray
    sun_azimuth: FloatArray
    width_km: FloatArray
    duration_s: FloatArray
    second: FloatArray
    third: FloatArray


# --- results -------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Curve:
    """A curve on the ground, sampled in time: one or more continuous parts.

    ``jd_tt`` are the instants (TT Julian dates) at which the shadow is at each
    vertex; ``latitude`` (geodetic) and ``longitude`` (east, in [-180, 180))
    are in degrees; ``part`` numbers the continuous pieces (0, 1, ...).
    """

    name: str
    jd_tt: FloatArray
    latitude: FloatArray
    longitude: FloatArray
    part: IntArray
    delta_t: float = field(repr=False)
    #: True for the vertices at whole steps of UTC; False for the solved ends
    #: and for the vertices added where the curve bends between steps
    on_step: BoolArray = field(repr=False)

    def __len__(self) -> int:
        """The number of vertices."""
        return len(self.jd_tt)

    @property
    def jd_ut(self) -> FloatArray:
        """UT Julian dates of the vertices (TT - Delta T)."""
        return ut_from_tt(self.jd_tt, self.delta_t)

    def parts(self) -> list[np.ndarray]:
        """Indices of the vertices of each continuous piece."""
        return [np.flatnonzero(self.part == k) for k in np.unique(self.part)]

    def between(self: _Curve, start: float, end: float) -> _Curve | None:
        """The curve from TT Julian date ``start`` to ``end``: its vertices
        then, and vertices interpolated (linearly in time) at ``start`` and
        ``end`` where a part runs across them; None when no part does.
        (The central line has vertices at a hybrid's changes of kind, so that
        it is cut there exactly; elsewhere an interpolated vertex lies on a
        chord, within CHORD_TOLERANCE_KM of the curve.)"""
        arrays = [f.name for f in fields(self) if isinstance(getattr(self, f.name), np.ndarray)
                  and np.shape(getattr(self, f.name)) == self.jd_tt.shape]
        pieces: dict[str, list[npt.NDArray[Any]]] = {name: [] for name in arrays}
        for index in self.parts():
            jd = self.jd_tt[index]
            lo, hi = max(start, float(jd[0])), min(end, float(jd[-1]))
            if not hi > lo:
                continue
            inner = index[(jd > lo) & (jd < hi)]
            times = np.concatenate([[lo], self.jd_tt[inner], [hi]])
            for name in arrays:
                values = getattr(self, name)
                if name == "longitude":  # across the antimeridian: interpolated unwrapped
                    piece = wrap_degrees(np.interp(times, jd, np.unwrap(values[index], period=360.0)))
                elif values.dtype == bool:  # (on_step) the ends only where they are vertices
                    piece = np.concatenate([[bool(np.any(values[index][jd == lo]))], values[inner],
                                            [bool(np.any(values[index][jd == hi]))]])
                elif values.dtype.kind in "iu":  # (part)
                    piece = np.full(len(times), values[index[0]])
                else:
                    piece = np.interp(times, jd, values[index])
                pieces[name].append(piece)
        if not pieces["jd_tt"]:
            return None
        joined: dict[str, Any] = {name: np.concatenate(p) for name, p in pieces.items()}
        return replace(self, **joined)


#: A Curve or a subclass (``Curve.between`` returns the same).
_Curve = TypeVar("_Curve", bound=Curve)


@dataclass(frozen=True, eq=False)
class CentralLine(Curve):
    """The central line with the Sun's altitude and azimuth (degrees), the
    path's width (km) and the central duration (s) at each vertex."""

    sun_altitude: FloatArray = field(repr=False)
    sun_azimuth: FloatArray = field(repr=False)
    width_km: FloatArray = field(repr=False)
    duration_s: FloatArray = field(repr=False)


@dataclass(frozen=True)
class Instant:
    """A named instant with its point on the ground (degrees)."""

    name: str
    jd_tt: float
    latitude: float
    longitude: float
    delta_t: float = field(repr=False)
    value: float | None = None  # e.g. the greatest duration in seconds

    @property
    def jd_ut(self) -> float:
        """UT Julian date of the instant."""
        return ut_from_tt(self.jd_tt, self.delta_t)


#: The kinds of central phase, by the sign of L2 = l2 - zeta tan f2 (negative: total).
KIND_CHANGES = {True: "annular_to_total", False: "total_to_annular"}


class Stretch(NamedTuple):
    """A stretch of time (TT Julian dates) while the central phase is seen
    as one kind on the ground: 'annular' or 'total'.  A hybrid eclipse has
    two or three; other central eclipses one."""

    kind: str
    jd_tt_start: float
    jd_tt_end: float


@dataclass(frozen=True, eq=False)
class Path:
    """The path of an eclipse; curves are None where they do not exist.

    ``kind_changes`` are the instants (in time order) when the umbra's
    vertex meets the ground on the central line, where a hybrid's path
    changes between annular and total (named 'annular_to_total' or
    'total_to_annular'); ``stretches`` the kinds between them, from U1 to U4.
    """

    elements: BesselianElements = field(repr=False)
    delta_t: float
    step_s: float
    central_line: CentralLine | None
    umbra_north_limit: Curve | None
    umbra_south_limit: Curve | None
    penumbra_north_limit: Curve | None
    penumbra_south_limit: Curve | None
    p1: Instant
    p4: Instant
    u1: Instant | None
    u4: Instant | None
    greatest_duration: Instant | None
    kind_changes: tuple[Instant, ...]
    stretches: tuple[Stretch, ...]
    #: the penumbra's time grid and its whole steps, for the curves computed
    #: on demand
    penumbra_grid: tuple[FloatArray, BoolArray] = field(repr=False)

    @functools.cached_property
    def _rise_set(self) -> tuple[Curve | None, Instant | None, Instant | None]:
        grid, on_step = self.penumbra_grid
        span = ((self.p1.jd_tt - float(self.elements.t0)) * 24.0, (self.p4.jd_tt - float(self.elements.t0)) * 24.0)
        return _rise_set(self.elements, grid, on_step, span, self.delta_t)

    @property
    def rise_set(self) -> Curve | None:
        """The curves where the partial phase begins or ends with the Sun on
        the horizon: closed loops P1 -> P2 -> P1 and P3 -> P4 -> P3 (or
        P1 -> P4 -> P1 when the penumbra never lies wholly on the Earth).
        Computed on first use; not in the GeoJSON, whose contract (docs/contracts.md)
        names other features."""
        return self._rise_set[0]

    @property
    def p2(self) -> Instant | None:
        """The penumbra internally tangent to the outline (wholly on the Earth from then)."""
        return self._rise_set[1]

    @property
    def p3(self) -> Instant | None:
        """The penumbra internally tangent to the outline (leaving the Earth from then)."""
        return self._rise_set[2]

    @property
    def lines(self) -> dict[str, Curve]:
        """The curves that exist, by their GeoJSON feature name."""
        named = {
            "central_line": self.central_line,
            "umbra_north_limit": self.umbra_north_limit,
            "umbra_south_limit": self.umbra_south_limit,
            "penumbra_north_limit": self.penumbra_north_limit,
            "penumbra_south_limit": self.penumbra_south_limit,
        }
        return {k: v for k, v in named.items() if v is not None and len(v)}

    @functools.cached_property
    def umbra(self) -> Polygon | MultiPolygon | None:
        """Where the central phase is seen (shapely, lon/lat), or None."""
        if self.u1 is None:
            return None
        return regions.shadow_region(self, penumbral=False)

    def kind_at(self, jd_tt: npt.ArrayLike) -> npt.NDArray[np.str_]:
        """The kind of central phase seen at TT Julian dates ('annular' or
        'total', by ``stretches``; at a change, the kind it changes to;
        '' outside U1 to U4)."""
        jd = np.asarray(jd_tt, dtype=float)
        out = np.full(jd.shape, "", dtype="<U7")
        for s in self.stretches:
            out[(jd >= s.jd_tt_start) & (jd <= s.jd_tt_end)] = s.kind
        return out

    @functools.cached_property
    def umbra_parts(self) -> tuple[tuple[str, Polygon | MultiPolygon], ...]:
        """The umbra cut where its kind changes: (kind, region) for each of
        ``stretches`` (the footprints of its stretch of time; for an
        eclipse of one kind, the whole umbra)."""
        if self.u1 is None or not self.stretches:
            return ()
        if len(self.stretches) == 1:
            assert self.umbra is not None
            return ((self.stretches[0].kind, self.umbra),)
        return tuple((s.kind, regions.shadow_region(self, penumbral=False, span=(s.jd_tt_start, s.jd_tt_end)))
                     for s in self.stretches)

    @functools.cached_property
    def penumbra(self) -> Polygon | MultiPolygon:
        """Where any partial phase is seen (shapely, lon/lat)."""
        return regions.shadow_region(self, penumbral=True)


# --- building the path ----------------------------------------------------------


def path(source: HasElements | BesselianElements, step_s: float = 60.0) -> Path:
    """The path of an eclipse (an ``Eclipse`` or ``BesselianElements``) with
    vertices every ``step_s`` seconds of UTC, plus the exact ends."""
    elements = getattr(source, "elements", source)
    if not isinstance(elements, BesselianElements) or np.ndim(elements.t0):
        raise EclipseError("path() needs one eclipse or its Besselian elements")
    step = float(step_s)
    if not step >= MIN_STEP_S or not np.isfinite(step):
        raise EclipseError(f"the step must be at least {MIN_STEP_S:g} second, not {step:g} (vertices are "
                           "added between steps wherever a chord would stray 0.5 km from the curve)")
    delta_t = float(elements.delta_t)
    t0 = float(elements.t0)

    # the axis nearest the Earth's outline: the central line's middle
    t_greatest = float(axis_nearest(elements, 0.0, 5, scale_y=None))
    penumbra_span, umbra_span = _contacts(elements, extra=[t_greatest])
    if penumbra_span is None:
        raise EclipseError("the penumbra does not touch the Earth: no eclipse")

    def grid(span: tuple[float, float]) -> tuple[FloatArray, BoolArray]:
        # multiples of the step in UTC (whole steps since 0h of the day) and
        # the span's ends; when the step leaves fewer than 8 instants inside
        # the span, 8 more spread over it, so that short curves are found
        ut0 = (ut_from_tt(t0, delta_t) - 0.5) % 1.0 * 86400.0  # UT seconds of day at t0
        first = np.ceil((ut0 + span[0] * 3600.0) / step) * step
        last = np.floor((ut0 + span[1] * 3600.0) / step) * step
        times = (np.arange(first, last + step / 2, step) - ut0) / 3600.0
        if len(times) < 8:
            extra = np.linspace(span[0], span[1], 10)[1:-1]
            every = np.union1d(times, np.concatenate([[span[0], span[1]], extra]))
            return every, np.isin(every, times)
        # (times are sorted, within the span: no sort needed)
        inner = times[(times > span[0]) & (times < span[1])]
        every = np.concatenate([[span[0]], inner, [span[1]]])
        on_step = np.ones(len(every), bool)
        on_step[0], on_step[-1] = times[0] == span[0], times[-1] == span[1]
        return every, on_step

    p1 = _contact_instant(elements, "P1", penumbra_span[0], delta_t)
    p4 = _contact_instant(elements, "P4", penumbra_span[1], delta_t)
    penumbra_grid, penumbra_steps = grid(penumbra_span)
    shadows = [("penumbra", penumbra_grid, penumbra_steps)]

    central: CentralLine | None = None
    u1: Instant | None = None
    u4: Instant | None = None
    greatest_duration: Instant | None = None
    changes: tuple[Instant, ...] = ()
    stretches: tuple[Stretch, ...] = ()
    if umbra_span is not None:
        u1 = _contact_instant(elements, "U1", umbra_span[0], delta_t)
        u4 = _contact_instant(elements, "U4", umbra_span[1], delta_t)
        umbra_grid, umbra_steps = grid(umbra_span)
        shadows.append(("umbra", umbra_grid, umbra_steps))
        central, greatest_duration, changes = _central_line(elements, umbra_grid, umbra_steps, t_greatest, delta_t)
        stretches = _stretches(elements, u1, u4, changes, t_greatest)
    curves = _limit_curves(elements, shadows, delta_t)
    north_p, south_p = curves["penumbra"]
    north_u, south_u = curves.get("umbra", (None, None))

    return Path(
        elements=elements, delta_t=delta_t, step_s=step, central_line=central,
        umbra_north_limit=north_u, umbra_south_limit=south_u,
        penumbra_north_limit=north_p, penumbra_south_limit=south_p,
        p1=p1, p4=p4, u1=u1, u4=u4, greatest_duration=greatest_duration,
        kind_changes=changes, stretches=stretches,
        penumbra_grid=(penumbra_grid, penumbra_steps),
    )



def _limit_curves(elements: BesselianElements, shadows: Sequence[limits.ShadowGrid],
                  delta_t: float) -> dict[str, tuple[Curve | None, ...]]:
    """The limits (limits.py) as Curves: {shadow name: (north, south)}."""
    curves: dict[str, tuple[Curve | None, ...]] = {}
    for name, pair in limits.limit_curves(elements, shadows).items():
        curves[name] = tuple(
            None if c is None else
            Curve(f"{name}_{which}_limit", elements.t0 + c.hours / 24.0, c.latitude * DEG,
                  c.longitude * DEG, c.part, delta_t, c.on_step)
            for which, c in zip(("north", "south"), pair))
    return curves


def _contacts(elements: BesselianElements, extra: Sequence[float] = ()) -> tuple[
        tuple[float, float] | None, tuple[float, float] | None]:
    """First and last instants when the penumbra and the umbra touch the
    Earth, hours from t0: ((P1, P4), (U1, U4)), None for a shadow that never
    does.  Bracketed on a grid (plus the instants ``extra``), refined on the
    true outline; both shadows at once."""
    grid = np.union1d(np.arange(-SEARCH_HOURS, SEARCH_HOURS + 1e-9, CONTACT_GRID_HOURS), extra)
    shadows = np.array([[True], [False]])  # penumbra, umbra
    touching = outline_gap(elements.at(grid), shadows) < 0
    enter, leave = (list(v) for v in zip(*(sign_changes(row) for row in touching)))
    index = np.concatenate(enter + leave)
    penumbral = np.repeat([True, False, True, False], [len(i) for i in enter + leave])
    roots = bracketed_root(lambda t: -outline_gap(elements.at(t), penumbral), grid[index], grid[index + 1])
    entering = np.arange(len(index)) < sum(len(i) for i in enter)
    spans: list[tuple[float, float] | None] = []
    for k in range(2):
        if not touching[k].any():
            spans.append(None)
            continue
        kind = penumbral == (k == 0)
        first, last = roots[kind & entering], roots[kind & ~entering]
        if not len(first) or not len(last):
            raise EclipseError("the shadow touches the Earth beyond the span of the elements")
        spans.append((float(first.min()), float(last.max())))
    return spans[0], spans[1]


def _rise_set(elements: BesselianElements, t: FloatArray, on_grid: BoolArray, span: tuple[float, float],
              delta_t: float) -> tuple[Curve | None, Instant | None, Instant | None]:
    """The sunrise/sunset curves of the partial phase and the instants P2, P3
    (the penumbra internally tangent to the outline), or None."""
    e = elements.at(t)

    def inside(tt: FloatArray) -> FloatArray:  # > 0 while the penumbra lies wholly within the outline
        return penumbra_within_outline(elements.at(tt))

    within = inside(t) > 0
    p2: float | None = None
    p3: float | None = None
    if within.any():
        enter, leave = crossings(t, within, inside)
        if len(enter) and len(leave):
            p2, p3 = float(enter[0]), float(leave[-1])
    spans = [(span[0], span[1])] if p2 is None or p3 is None else [(span[0], p2), (p3, span[1])]
    # per span: the vertices' hours, latitude, longitude (radians), parts and whole steps
    times: list[npt.NDArray[Any]] = []
    lat: list[npt.NDArray[Any]] = []
    lon: list[npt.NDArray[Any]] = []
    part: list[IntArray] = []
    step: list[npt.NDArray[Any]] = []
    for k, (start, end) in enumerate(spans):
        interior = (t > start) & (t < end)
        ti = t[interior]
        ei = e.select(interior)
        branches = []
        for branch in (1.0, -1.0):
            phi, ok = penumbra_outline_crossings(ei, branch)
            b = outline_minor_axis(ei.d)
            la, lo = point_under(np.cos(phi), b * np.sin(phi), ei.d, ei.mu)
            branches.append((ti[ok], la[ok], lo[ok], on_grid[interior][ok]))
        ends = []
        for tt in (start, end):
            ee = elements.at(tt)
            xi, eta, _ = nearest_outline_point(ee.x, ee.y, ee.d)
            la, lo = point_under(xi, eta, ee.d, ee.mu)
            ends.append((np.array([tt]), np.atleast_1d(la), np.atleast_1d(lo), np.array([False])))
        forward, backward = branches[0], tuple(a[::-1] for a in branches[1])
        loop = [ends[0], forward, ends[1], backward, ends[0]]
        for group, values in zip((times, lat, lon, step), zip(*loop)):
            group.append(np.concatenate(values))
        part.append(np.full(len(times[-1]), k))
    if not times:
        return None, None, None
    curve = Curve("rise_set", elements.t0 + np.concatenate(times) / 24.0,
                  np.concatenate(lat) * DEG, np.concatenate(lon) * DEG,
                  np.concatenate(part), delta_t, np.concatenate(step))
    if p2 is None or p3 is None:
        return curve, None, None
    return curve, _contact_instant(elements, "P2", p2, delta_t), _contact_instant(elements, "P3", p3, delta_t)


def _contact_instant(elements: BesselianElements, name: str, t: float, delta_t: float) -> Instant:
    """An instant when a shadow's circle touches the outline, at the point of contact."""
    e = elements.at(t)
    xi, eta, _ = nearest_outline_point(e.x, e.y, e.d)
    lat, lon = point_under(xi, eta, e.d, e.mu)
    return Instant(name, float(elements.t0) + t / 24.0, float(lat * DEG), float(lon * DEG), delta_t)


def central_points(elements: BesselianElements, t: FloatArray,
                   contacts: tuple[FloatArray, FloatArray] | None = None) -> CentralPoints:
    """Central line points and what is seen there at hours t from t0: lat,
    lon, Sun's altitude and azimuth, width (km), duration (s), and the
    instants of the second and third contacts (hours).

    ``contacts``, guesses of those instants (interpolated from neighbouring
    points of the line), saves iterations.
    """
    e = elements.at(t)
    place = observer_under(e.x, e.y, e.d, e.mu)
    lat, lon = place.latitude, place.longitude
    # the place is under the axis: (xi, eta) = (x, y)
    s = shadow_at(e, e.x, e.y, surface_zeta(ellipsoid_quadric(e.d), e.x, e.y))
    width = path_width(s, e) * EARTH_RADIUS_KM
    if contacts is None:
        # from the maximum (t itself on the central line) Meeus's iteration
        # converges fast: 3 steps leave < 2e-6 s (measured against 12 steps on
        # 2024-04-08, 2021-12-04, 2023-04-20)
        start, iterations = (t, t), 3
    else:
        start, iterations = contacts, WARM_CONTACT_ITERATIONS
    second = contact_time(elements, start[0], place, umbral=True, ending=False, iterations=iterations)
    third = contact_time(elements, start[1], place, umbral=True, ending=True, iterations=iterations)
    altitude, azimuth = sun_altitude_azimuth(lat, lon, e.d, e.mu)
    return CentralPoints(lat, lon, altitude, azimuth, width, (third - second) * 3600.0, second, third)


def central_umbra(elements: BesselianElements, t: npt.ArrayLike) -> FloatArray:
    """L2 = l2 - zeta tan f2 on the ground under the shadow axis at hours t
    from t0 (Earth radii): negative where the central line is total,
    positive where annular, zero where the umbra's vertex meets the ground.
    (Off the Earth, zeta of the outline.)"""
    e = elements.at(t)
    return shadow_at(e, e.x, e.y, surface_zeta(ellipsoid_quadric(e.d), e.x, e.y)).umbra


def kind_changes(elements: BesselianElements, begin: float, end: float) -> tuple[FloatArray, FloatArray]:
    """Hours from t0 between ``begin`` and ``end`` (the central line's
    ends) when L2 on the central line changes sign: from annular to total,
    and from total to annular.  Bracketed every KIND_SAMPLE_HOURS, solved by
    the Illinois method (``solvers.crossings``) to 1e-10 h."""
    n = max(int(np.ceil((end - begin) / KIND_SAMPLE_HOURS)), 2)
    t = np.linspace(begin, end, n + 1)
    return crossings(t, central_umbra(elements, t) < 0, lambda tt: central_umbra(elements, tt))


def _stretches(elements: BesselianElements, u1: Instant, u4: Instant, changes: Sequence[Instant],
               t_greatest: float) -> tuple[Stretch, ...]:
    """The kinds seen from U1 to U4, cut at the changes of kind.  With no
    change the kind is L2's sign on the ground under the axis nearest the
    Earth (zeta of the outline for a non-central eclipse)."""
    if changes:
        first = "annular" if changes[0].name == KIND_CHANGES[True] else "total"
    else:
        first = "total" if float(central_umbra(elements, t_greatest)) < 0 else "annular"
    ends = [u1.jd_tt] + [c.jd_tt for c in changes] + [u4.jd_tt]
    kinds = [first]
    for c in changes:
        kinds.append("total" if c.name == KIND_CHANGES[True] else "annular")
    return tuple(Stretch(k, a, b) for k, a, b in zip(kinds, ends[:-1], ends[1:]))


def _central_line(elements: BesselianElements, t: FloatArray, on_grid: BoolArray, t_greatest: float,
                  delta_t: float) -> tuple[CentralLine | None, Instant | None, tuple[Instant, ...]]:
    """The central line on a grid (None for a non-central eclipse), the
    point of greatest duration on it and the instants where its kind
    changes (``kind_changes``: vertices of the line)."""
    e = elements.at(t_greatest)
    if outline_excess(e.x, e.y, e.d) >= 0:
        return None, None, ()
    begin = float(axis_meets_outline(elements, t_greatest, -1.0))
    end = float(axis_meets_outline(elements, t_greatest, 1.0))
    to_total, to_annular = kind_changes(elements, begin, end)
    change_hours = np.concatenate([to_total, to_annular])
    change_names = [KIND_CHANGES[True]] * len(to_total) + [KIND_CHANGES[False]] * len(to_annular)
    order = np.argsort(change_hours)
    changes = tuple(_central_instant(elements, change_names[i], float(change_hours[i]), delta_t) for i in order)
    within = (t > begin) & (t < end) & ~np.isin(t, change_hours)
    times = np.concatenate([[begin], t[within], change_hours, [end]])
    on_step = np.concatenate([[False], on_grid[within], np.zeros(len(change_hours), bool), [False]])
    sort = np.argsort(times, kind="stable")
    times, on_step = times[sort], on_step[sort]

    def locate(tt: FloatArray, _: IntArray | None = None) -> tuple[FloatArray, FloatArray]:
        ee = elements.at(tt)
        return point_under(ee.x, ee.y, ee.d, ee.mu)

    times, _, _, _, kept = densify(times, np.zeros(len(times), int), *locate(times), locate)
    on_step = spread(on_step, kept)
    every = max(1, int(np.ceil(len(times) / limits.COARSE_POINTS)))
    if every > 1:
        # contacts on a subgrid, interpolated as the start of the iteration
        coarse = np.union1d(times[::every], times[-1:])
        sparse = central_points(elements, coarse)
        guesses = (times - np.interp(times, coarse, coarse - sparse.second),
                   times + np.interp(times, coarse, sparse.third - coarse))
        points = CentralPoints(*in_chunks(lambda tt, c2, c3: central_points(elements, tt, (c2, c3)), times, *guesses))
    else:
        points = central_points(elements, times)
    # where L2 = 0 the central phase lasts no time (the contacts' iteration
    # divides 0 by 0 there)
    duration = np.where(np.isin(times, change_hours), 0.0, points.duration_s)
    line = CentralLine(
        "central_line", elements.t0 + times / 24.0, points.latitude * DEG, points.longitude * DEG,
        np.zeros(len(times), dtype=int), delta_t, on_step,
        sun_altitude=points.sun_altitude * DEG, sun_azimuth=points.sun_azimuth * DEG,
        width_km=points.width_km, duration_s=duration,
    )
    # greatest duration: the vertex of parabolas fitted to the durations around
    # the best vertex, at spacings of 20 s then 1 s (the duration is smooth
    # there: its cubic term moves the vertex by far less than a second)
    tg = times[int(np.nanargmax(duration))]
    for spacing in (20.0, 1.0):
        offsets = np.array([-2.0, -1.0, 0.0, 1.0, 2.0]) * spacing / 3600.0
        samples = np.clip(tg + offsets, begin, end)
        values = central_points(elements, samples).duration_s
        c2, c1, _ = np.polyfit(samples - tg, values, 2)
        tg = float(np.clip(tg - c1 / (2.0 * c2) if c2 < 0 else tg, begin, end))
    best = central_points(elements, np.array(tg))
    greatest = Instant("greatest_duration", elements.t0 + tg / 24.0, float(best.latitude * DEG),
                       float(best.longitude * DEG), delta_t, float(best.duration_s))
    return line, greatest, changes


def _central_instant(elements: BesselianElements, name: str, t: float, delta_t: float) -> Instant:
    """An instant at the central line's point then."""
    e = elements.at(t)
    lat, lon = point_under(e.x, e.y, e.d, e.mu)
    return Instant(name, float(elements.t0) + t / 24.0, float(lat * DEG), float(lon * DEG), delta_t)

