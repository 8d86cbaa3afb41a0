"""The northern and southern limits of the umbra and of the penumbra.

A limit at an instant is a point of the shadow's edge, Delta = |L| with
L = l - zeta tan f, where the edge moves along itself relative to the
rotating Earth, so that the minimum over time of Delta - |L| is zero there:

    d/dt (Delta - |L|) = (u a + v b) / Delta - d|L|/dt = 0.

With (u, v) = |L| (cos Q, sin Q) and (a, b) = S (cos A, sin A) this is
cos(Q - A) = (d|L|/dt) / S, so Q = A -+ acos(...): the northern limit lies to
the left of the shadow's motion (Q = A - acos), the southern to the right.
L and the rates of the ground point depend on the point through zeta, so the
point is iterated.  The rates of a ground point, written with its
fundamental coordinates only (no latitude needed):

    xi'   = mu' (zeta cos d - eta sin d)
    eta'  = mu' xi sin d - zeta d'
    zeta' = -mu' xi cos d + eta d'

A curve ends where its point reaches the Earth's outline (the ellipse of
semi-axes 1 and sqrt(1 - e^2 cos^2 d) on the fundamental plane, where the
Sun is on the horizon); those ends are solved as roots in time, never left
at the last time step.

Near the horizon the condition can have several solutions.  The limit is
the one highest above the horizon (largest zeta), except that a penumbral
limit often begins or ends at a fold a few degrees up, where that solution
is born or dies together with a second one: the fold is located by
bisection, and the limit continues from it along the second solution down to
the horizon, as a separate part of the curve (parts numbered from
SECOND_BRANCH).  The regions (regions.py), unions of the shadow's
footprints, do not depend on any of this.

Formulas: Explanatory Supplement to the Astronomical Almanac (3rd ed., 2013)
ch. 11; Meeus, *Elements of Solar Eclipses 1951-2200* (1989);
docs/formulas.md, "Curves and instants".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, NamedTuple, cast, overload

import numpy as np
import numpy.typing as npt

from ..sources.elements import BesselianElements, ElementsAt
from .arrays import BoolArray, FloatArray, IndexArray, IntArray
from .chords import assemble, densify, spread
from .earth import (
    ellipsoid_quadric,
    outline_excess,
    outline_zeta,
    point_under,
    quadric_residual,
    sin_cos,
    surface_zeta,
)
from .solvers import (
    CHUNK,
    bracketed_root,
    in_chunks,
    last_existing,
    secant_step,
    sign_changes,
)

#: Secant steps on zeta of a limit's point at the outline
#: (``Edge.with_outline_zeta``), after two plain steps from zeta = 0.
#: zeta there is small (|zeta| < 0.004) and depends on itself only through
#: the point (contraction ~1e-3 per step): the two plain steps leave 4e-12
#: radii, one secant step the rounding (measured against 12 steps at 2001
#: instants over t0 +- 3 h, both limits of both shadows, for 2024-04-08,
#: 2021-12-04, 2023-04-20, 2012-05-20, 2014-04-29).
OUTLINE_ITERATIONS = 1
#: Levels of zeta scanned from 1 down (in one vectorised call) to bracket the
#: limit's zeta, then regula falsi (to 1e-11).  Near a fold the two solutions
#: are close: 40 levels (0.025 apart) separate them early enough that every
#: chord of the limits can be checked against the curve (none left
#: unverifiable at 60-s steps, 2015-2030).
ZETA_SCAN = 40
#: The scan goes down to ZETA_FLOOR, below the least zeta of the outline
#: (-f sin 2d ~ -0.0034: the geodetic horizon is not zeta = 0), so that a
#: limit reaching the horizon is followed to it.
ZETA_FLOOR = -0.005
ZETA_ROOT_ITERATIONS = 40
#: Polishing steps from a zeta interpolated between neighbouring instants
#: (``Edge.from_guess``); see the test against the full iteration.
WARM_POLISH_ITERATIONS = 3
#: ... but only where zeta > WARM_MIN_ZETA (the Sun more than ~6 degrees up):
#: nearer the horizon zeta varies as a square root and interpolates badly.
WARM_MIN_ZETA = 0.1
#: Where a limit is solved only to tell whether it is on the Earth (the
#: search for a fold in ``_fold_ends``), zeta to 1e-7: the points then lie
#: within ~1e-7 radii of the solution, while the limit at a fold is mid-air
#: (1e-3 radii or more inside the outline, a few degrees up, where looked
#: at).  The same paths, bit for bit, as with 1e-11 for the 223 eclipses of
#: 1950-2050.
CHECK_TOLERANCE = 1e-7
#: How far above the branch through an end a solution must lie to make it
#: not the limit's end (``_fold_ends``).  Over the ends of 1950-2050
#: (60-s steps) the branch and the limit just inside agree within 1e-5 in
#: zeta at genuine ends and differ by 1e-3 to 0.3 at ends on another
#: branch, with a few (29 of 1300) in between.
GENUINE_ZETA = 1e-4
#: Rounds of a 32-instant search locating a limit's fold: 64 s / 32^5 = 2 us.
FOLD_ROUNDS = 5
#: Above this many instants, limits are first found on a subgrid of about
#: COARSE_POINTS instants (where they exist, where they end, their zeta), then
#: computed at the other instants from interpolated zeta with the polishing
#: iterations only (tests check them against the full iteration).  The
#: central line's contacts use the same subgrid size (path.py).
COARSE_POINTS = 300
#: Vertices of limit ``row`` have parts numbered from row * PART_OFFSET; a
#: second branch from a fold from row * PART_OFFSET + SECOND_BRANCH.
PART_OFFSET = 1_000_000
SECOND_BRANCH = PART_OFFSET // 2
#: The second branch from a fold is followed every SECOND_BRANCH_STEP hours
#: for up to SECOND_BRANCH_SAMPLES steps (3 minutes; over the 258 folds of
#: 1950-2050 the longest lived 100 s, the median 16 s), then its end on the
#: horizon solved; densification then follows it closely.
SECOND_BRANCH_STEP = 4.0 / 3600.0
SECOND_BRANCH_SAMPLES = 45

#: A shadow to find the limits of: its name ("penumbra" or "umbra"), its time
#: grid (hours from t0) and the mask of the grid's whole steps.
ShadowGrid = tuple[str, FloatArray, BoolArray]
#: A limit's vertices (``_fine_points``): hours, parts, latitude and
#: longitude (radians), whether at a whole step.
_Pieces = tuple[FloatArray, IntArray, FloatArray, FloatArray, BoolArray]
#: A second branch from a fold: hours, xi, eta, d and mu of its points.
_Branch = tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]
#: A point of a limit at each instant: xi, eta, zeta.
_Point = tuple[FloatArray, FloatArray, FloatArray]


class Edge:
    """The tangency condition of a shadow's edge at the instants of ``e``
    (``BesselianElements.at``): the limits' points, with a named solver for
    each way of finding them.

    ``side`` -1 for the northern limit (left of the motion), +1 for the
    southern; it and ``penumbral`` (a bool, or bools per point) broadcast
    against the instants.  Each solver returns xi, eta and zeta.

    For a given zeta (hence L and the zeta-dependent parts of the rates) the
    condition is linear in cos Q and sin Q, because the terms of the
    ground's rates in Q cancel in (a, b).(cos Q, sin Q):

        A cos Q + B sin Q = C,   A = a0 + s tan f |L| mu' cos d,
        B = b0 - s tan f |L| d',  C = s (l' - tan f c0),

    with a0 = x' - mu' zeta cos d + mu' y sin d, b0 = y' - mu' x sin d + zeta d',
    c0 = -mu' x cos d + y d', s the sign of L: Q = atan2(B, A) + side acos(C / |(A, B)|)
    (``at_zeta``).  Only zeta remains to be solved: zeta = zeta_surface(point(zeta)).
    """

    def __init__(self, e: ElementsAt, side: npt.ArrayLike, penumbral: bool | BoolArray) -> None:
        self._shape: tuple[int, ...] | None = None
        if np.ndim(e.x) == 0:
            # one instant: as an array of one instant (at_zeta works in place)
            self._shape = np.shape(side)
            e = type(e)(*(self._array(v) for v in e))
        if np.ndim(penumbral) == 0:
            l, dl, tan_f = (e.l1, e.dl1, e.tan_f1) if penumbral else (e.l2, e.dl2, e.tan_f2)
        else:  # per point
            l, dl, tan_f = (np.where(penumbral, one, two) for one, two in
                            ((e.l1, e.l2), (e.dl1, e.dl2), (e.tan_f1, e.tan_f2)))
        sin_d, cos_d = sin_cos(e.d)
        self.quadric = ellipsoid_quadric(e.d, sin_d, cos_d)
        mu_cos = e.dmu * cos_d
        self.c_part = dl - tan_f * (-mu_cos * e.x + e.y * e.dd)
        self.side = np.asarray(side, dtype=float)
        self.x, self.y, self.l, self.tan_f = e.x, e.y, l, tan_f
        # A and B are linear in zeta: with w = zeta - s tan f |L| =
        # zeta (1 + tan^2 f) - l tan f, A = a0' - mu' cos d (1 + tan^2 f) zeta and
        # B = b0' + d' (1 + tan^2 f) zeta
        spread_, offset = 1.0 + tan_f * tan_f, l * tan_f
        self.a_const = e.dx + e.dmu * e.y * sin_d + mu_cos * offset
        self.a_slope = mu_cos * spread_
        self.b_const = e.dy - e.dmu * e.x * sin_d - e.dd * offset
        self.b_slope = e.dd * spread_
        self.shape = np.broadcast_shapes(np.shape(self.x), np.shape(self.side))

    def _array(self, value: npt.ArrayLike) -> FloatArray:
        """One instant's value as an array of one instant."""
        assert self._shape is not None  # (called for one instant only)
        return None if value is None else np.reshape(value, (1,) * max(len(self._shape), 1))

    def _result(self, xi: FloatArray, eta: FloatArray, zeta: FloatArray) -> _Point:
        """A solver's xi, eta and zeta, back in the shape of one instant's
        ``side`` when the elements were one instant."""
        if self._shape is None:
            return xi, eta, zeta
        shape = self._shape
        return np.reshape(xi, shape)[()], np.reshape(eta, shape)[()], np.reshape(zeta, shape)[()]

    @overload
    def _point(self, zeta: FloatArray, with_zeta: Literal[True] = ..., outline: bool = ...) -> _Point: ...

    @overload
    def _point(self, zeta: FloatArray, with_zeta: Literal[False], outline: bool = ...) -> tuple[FloatArray, FloatArray, None]: ...

    def _point(self, zeta: FloatArray, with_zeta: bool = True,
               outline: bool = False) -> tuple[FloatArray, FloatArray, FloatArray | None]:
        """The edge's point for a trial zeta, and the zeta of the ground
        there (of the outline with ``outline``).  In-place operations where
        the arrays are the grid's: fewer temporaries."""
        signed = self.l - zeta * self.tan_f  # L
        big_a = self.a_const - self.a_slope * zeta
        big_b = self.b_slope * zeta
        big_b += self.b_const
        inverse_norm = np.hypot(big_a, big_b)
        np.divide(1.0, inverse_norm, out=inverse_norm)
        cos_b = np.sign(signed)
        cos_b *= self.c_part
        cos_b *= inverse_norm
        np.minimum(np.maximum(cos_b, -1.0, out=cos_b), 1.0, out=cos_b)
        sin_b = 1.0 - cos_b * cos_b
        np.sqrt(sin_b, out=sin_b)
        sin_b = self.side * sin_b
        # Q = alpha + side * beta, with (cos alpha, sin alpha) = (A, B) / |(A, B)|
        radius = np.abs(signed)
        radius *= inverse_norm
        xi = big_b * sin_b  # (sin_b has the full shape: side's too)
        np.subtract(big_a * cos_b, xi, out=xi)
        xi *= radius
        np.subtract(self.x, xi, out=xi)
        eta = big_a * sin_b
        np.add(big_b * cos_b, eta, out=eta)
        eta *= radius
        np.subtract(self.y, eta, out=eta)
        if not with_zeta:
            return xi, eta, None
        if outline:
            return xi, eta, outline_zeta(self.quadric, eta)
        return xi, eta, surface_zeta(self.quadric, xi, eta)

    def at_zeta(self, zeta: npt.ArrayLike) -> _Point:
        """Solves nothing: the point for a trial zeta, and the zeta of the
        ground there (equal at a solution)."""
        if self._shape is not None:
            zeta = self._array(zeta)
        return self._result(*self._point(np.asarray(zeta, dtype=float)))

    def with_outline_zeta(self) -> _Point:
        """The point with zeta of the outline: a smooth function of time,
        whose root of ``outline_excess`` is where the limit meets the
        outline.  zeta is small and smooth there: plain steps then secant
        steps."""
        return self._result(*self._outline_point())

    def _outline_point(self) -> _Point:
        """The point with zeta of the outline (``with_outline_zeta``), in
        the instants' shape."""
        z_old = self._point(np.zeros(np.shape(self.x)), outline=True)[2]
        z_new = self._point(z_old, outline=True)[2]
        g_old = z_new - z_old
        for _ in range(OUTLINE_ITERATIONS):
            g_new = self._point(z_new, outline=True)[2] - z_new
            z_old, g_old, z_new = z_new, g_new, z_new + secant_step(z_old, z_new, g_old, g_new, 1e-14, g_new)
        return self._point(z_new, outline=True)

    def from_guess(self, zeta_start: npt.ArrayLike) -> _Point:
        """From a close guess of zeta (interpolated from neighbouring
        instants): secant steps on the residual of the ellipsoid's equation
        at point(z), which, unlike zeta(point(z)) - z, stays smooth near the
        outline (where zeta grows like the square root of the distance from
        it)."""
        if self._shape is not None:
            zeta_start = self._array(zeta_start)
        z_old = np.asarray(zeta_start, dtype=float)
        xi, eta, z_new = self._point(z_old)
        g_old = quadric_residual(self.quadric, xi, eta, z_old)
        for _ in range(WARM_POLISH_ITERATIONS):
            g_new = quadric_residual(self.quadric, *self._point(z_new, with_zeta=False)[:2], z_new)
            step = secant_step(z_old, z_new, g_old, g_new, 1e-15, 0.0)
            z_old, g_old = z_new, g_new
            z_new = np.minimum(np.maximum(z_new + step, ZETA_FLOOR), 1.0)
        return self._result(*self._point(z_new, with_zeta=False)[:2], z_new)

    def highest(self, tolerance: float = 1e-11) -> _Point:
        """The limit: the largest root of g(z) = zeta(point(z)) - z in
        [ZETA_FLOOR, 1], zeta to ``tolerance`` (the point follows to about
        the same in Earth radii).  Near the horizon g can have other roots
        close to 0 whose points lie off the Earth (where zeta is clamped to
        the outline's), to which an iteration from zeta = 0 can be drawn
        while the true limit is on the Earth higher up: the largest root is
        bracketed by scanning down from 1, then refined."""
        top, floor = np.ones(self.shape), np.full(self.shape, ZETA_FLOOR)
        xi, eta, zeta, _ = self._scan(top, floor, 1.0, np.linspace(0.0, 1.0, ZETA_SCAN + 1), tolerance)
        return self._result(xi, eta, zeta)

    def next_below(self, below: npt.ArrayLike, tolerance: float = 1e-11) -> _Point:
        """The next root down from ``below`` (zeta of the largest root): the
        second branch born with the first at a fold; NaN where there is none.
        It ends by merging with the root on the outline (clamped zeta; the
        fixed point of the outline's zeta): levels closer and closer towards
        that one."""
        if self._shape is not None:
            below = self._array(below)
        top = np.broadcast_to(np.asarray(below, dtype=float) - 1e-7, self.shape)
        floor = np.broadcast_to(self._outline_point()[2] + 1e-12, self.shape)
        fractions = 1.0 - np.linspace(1.0, 0.0, 4 * ZETA_SCAN + 1) ** 3
        xi, eta, zeta, found = self._scan(top, floor, -1.0, fractions, tolerance)
        return self._result(np.where(found, xi, np.nan), np.where(found, eta, np.nan), zeta)

    def _scan(self, top: FloatArray, floor: FloatArray, sign: float, fractions: FloatArray,
              tolerance: float) -> tuple[FloatArray, FloatArray, FloatArray, BoolArray]:
        """The first root of g = sign (zeta(point(z)) - z) from the top down:
        levels top + (floor - top) * fractions evaluated in one call (in
        slices of about CHUNK points), the first bracket with g > 0 below
        it refined by regula falsi.  Returns xi, eta, zeta and whether a
        bracket was found."""
        shape = self.shape
        levels = top + (floor - top) * fractions.reshape((-1,) + (1,) * len(shape))
        rows = max(1, CHUNK // max(1, int(np.prod(shape))))
        g_levels = np.concatenate([self._point(levels[i:i + rows])[2] for i in range(0, len(levels), rows)])
        g_levels -= levels
        g_levels *= sign  # > 0 just below the root sought
        positive = g_levels > 0
        found = cast(BoolArray, positive.any(axis=0))  # (an array: positive has 2 axes or more)
        k = np.argmax(positive, axis=0)  # the first level from the top with g > 0
        above = np.maximum(k - 1, 0)
        columns = np.arange(k.size)

        def pick(values: FloatArray, rows: IndexArray) -> FloatArray:  # values[rows[...], ...]: new arrays, updated in place below
            return values.reshape(len(values), -1)[rows.ravel(), columns].reshape(shape)

        lo, hi, g_lo, g_hi = pick(levels, k), pick(levels, above), pick(g_levels, k), pick(g_levels, above)
        lo, hi = np.where(found, lo, floor), np.where(found, hi, floor)
        # g_lo > 0 >= g_hi from here on; where the bracket is a single level
        # (or none was found) any such values leave z there
        single = lo == hi
        np.copyto(g_lo, 1.0, where=single)
        np.copyto(g_hi, -1.0, where=single)

        def g(z: FloatArray) -> FloatArray:
            value = self._point(z)[2]
            value -= z
            if sign < 0:
                np.negative(value, out=value)
            return value

        z = bracketed_root(g, lo, hi, g_lo, g_hi, iterations=ZETA_ROOT_ITERATIONS,
                           x_tolerance=tolerance, f_tolerance=1e-13)
        return (*self._point(z), found)


def limit_outline_excess(elements: BesselianElements, t: npt.ArrayLike, side: npt.ArrayLike,
                         penumbral: bool | BoolArray) -> FloatArray:
    """``outline_excess`` of the limit's point with the outline's zeta at hours
    t: a smooth function of time whose roots are where a limit meets the
    Earth's outline."""
    e = elements.at(t)
    xi, eta, _ = Edge(e, side, penumbral).with_outline_zeta()
    return outline_excess(xi, eta, e.d)


class LimitCurve(NamedTuple):
    """A limit's vertices: hours from t0, geodetic latitude and east
    longitude (radians), parts (numbered from 0; second branches from
    SECOND_BRANCH) and whether each vertex is at a whole step of the grid."""

    hours: FloatArray
    latitude: FloatArray
    longitude: FloatArray
    part: IntArray
    on_step: BoolArray


class _Rows(NamedTuple):
    """Limit ``row`` 2 i + k is shadow i's northern (k = 0) or southern limit."""

    side: FloatArray
    penumbral: BoolArray


class _Ends(NamedTuple):
    """Where the limits meet the outline (or end at a fold): per end, its row,
    whether the limit enters there, the instant and its point."""

    row: IndexArray
    entering: BoolArray
    hours: FloatArray
    latitude: FloatArray
    longitude: FloatArray
    fold: BoolArray
    second: list[_Branch | None]  # per fold: the second branch's (hours, xi, eta, d, mu), or None


def limit_curves(elements: BesselianElements, shadows: Sequence[ShadowGrid]) -> dict[str, tuple[LimitCurve | None, ...]]:
    """Northern and southern limits of each shadow in ``shadows``, a list of
    (name, time grid, mask of its whole steps) with name "penumbra" or
    "umbra", with their ends solved where they meet the Earth's outline:
    {name: (north, south)}, each a LimitCurve or None.

    The four limits are worked on together, one array for all, so that each
    step costs one set of NumPy calls however many limits there are.  Limit
    ``row`` 2 i + k is shadow i's northern (k = 0) or southern limit; its
    vertices' parts are numbered from row * PART_OFFSET."""
    rows = _Rows(np.tile([-1.0, 1.0], len(shadows)),
                 np.repeat([name == "penumbra" for name, _, _ in shadows], 2))
    # each row's subgrid, all rows in one array
    coarse: list[FloatArray] = []
    for _, t, _ in shadows:
        every = max(1, int(np.ceil(len(t) / COARSE_POINTS)))
        coarse += [np.union1d(t[::every], t[-1:])] * 2
    row = np.repeat(np.arange(len(coarse)), [len(c) for c in coarse])
    t_coarse = np.concatenate(coarse)
    e = elements.at(t_coarse)
    xi, eta, zeta = Edge(e, rows.side[row], rows.penumbral[row]).highest()
    inside = outline_excess(xi, eta, e.d) < 0
    ends = _limit_ends(elements, rows, row, t_coarse, inside)
    fine = [_fine_instants(shadows[r // 2], c, row == r, inside, zeta, np.sort(ends.hours[ends.row == r]))
            for r, c in enumerate(coarse)]
    collected = _fine_points(elements, rows, fine, ends)
    times, part, lat, lon, on_step = _densified(elements, rows, collected)
    curves: dict[str, list[LimitCurve | None]] = {}
    for r in range(len(fine)):
        mine = part // PART_OFFSET == r
        curves.setdefault(shadows[r // 2][0], []).append(
            LimitCurve(times[mine], lat[mine], lon[mine], part[mine] - r * PART_OFFSET, on_step[mine])
            if mine.any() else None)
    return {name: tuple(pair) for name, pair in curves.items()}


def _limit_ends(elements: BesselianElements, rows: _Rows, row: IndexArray, t_coarse: FloatArray,
                inside: BoolArray) -> _Ends:
    """Where each limit meets the outline: the brackets of all rows at once
    on the subgrid, refined; ends that are not the limit's replaced by its
    fold, from which the second branch runs down to the horizon."""
    enter, leave = sign_changes(inside, row[1:] == row[:-1])
    index = np.concatenate([enter, leave])
    entering = np.arange(len(index)) < len(enter)
    bracket_row = row[index]
    side, penumbral = rows.side[bracket_row], rows.penumbral[bracket_row]
    roots = bracketed_root(lambda tt: limit_outline_excess(elements, tt, side, penumbral),
                           t_coarse[index], t_coarse[index + 1])
    e_roots = elements.at(roots)
    x_roots, y_roots, _ = Edge(e_roots, side, penumbral).with_outline_zeta()
    roots, e_roots, x_roots, y_roots, fold = _fold_ends(
        elements, penumbral, t_coarse[index], t_coarse[index + 1], entering, side,
        roots, e_roots, x_roots, y_roots)
    # from each fold, the second branch down to the horizon
    second = _second_branches(elements, penumbral[fold], roots[fold], np.where(entering, 1.0, -1.0)[fold],
                              side[fold], x_roots[fold], y_roots[fold])
    lat_roots, lon_roots = point_under(x_roots, y_roots, e_roots.d, e_roots.mu)
    return _Ends(bracket_row, entering, roots, lat_roots, lon_roots, fold, second)


def _fine_instants(shadow: ShadowGrid, c: FloatArray, here: BoolArray, inside: BoolArray, zeta: FloatArray,
                   changes: FloatArray) -> tuple[FloatArray, BoolArray, BoolArray, FloatArray]:
    """The instants of a row's grid where its limit is on the Earth, whether
    each is at a whole step, whether its point can start from zeta
    interpolated on the subgrid ``c`` ("warm"), and that zeta."""
    _, t, on_grid = shadow
    if len(t) == len(c):  # no subgrid: the grid's points, solved already
        on = inside[here]
        return t[on], on_grid[on], np.ones(on.sum(), bool), zeta[here][on]
    within = (np.searchsorted(changes, t) % 2 == 1) != inside[here][0]
    t_in = t[within]
    # interpolated zeta only between two subgrid points on the Earth whose
    # neighbours are on the Earth too; next to the ends (zeta ~ sqrt of the
    # distance to the outline, or of the time to a fold) the full iteration
    on = inside[here]
    right = np.clip(np.searchsorted(c, t_in), 1, len(c) - 1)
    guess = np.interp(t_in, c, zeta[here])
    warm = (on[right - 1] & on[right] & on[np.maximum(right - 2, 0)] & on[np.minimum(right + 1, len(c) - 1)]
            & (guess > WARM_MIN_ZETA))
    return t_in, on_grid[within], warm, guess


def _fine_points(elements: BesselianElements, rows: _Rows, fine: list[tuple[FloatArray, BoolArray, BoolArray, FloatArray]],
                 ends: _Ends) -> list[_Pieces]:
    """Every limit's points at its fine instants (from interpolated zeta where
    warm, else the full iteration), put together with its ends and second
    branches: per piece (hours, parts, lat, lon, on_step)."""
    t_all = np.concatenate([f[0] for f in fine])
    row_all = np.repeat(np.arange(len(fine)), [len(f[0]) for f in fine])
    warm = np.concatenate([f[2] for f in fine])
    guess = np.concatenate([f[3] for f in fine])
    step_all = np.concatenate([f[1] for f in fine])

    def fine_points(tt: FloatArray, which: IndexArray,
                    guess_tt: FloatArray | None = None) -> tuple[FloatArray, FloatArray, BoolArray]:
        e_tt = elements.at(tt)
        edge = Edge(e_tt, rows.side[which], rows.penumbral[which])
        x_tt, y_tt, _ = edge.highest() if guess_tt is None else edge.from_guess(guess_tt)
        return (*point_under(x_tt, y_tt, e_tt.d, e_tt.mu), outline_excess(x_tt, y_tt, e_tt.d) < 0)

    lat_all, lon_all, on_earth = (np.empty(len(t_all)) for _ in range(3))
    lat_all[warm], lon_all[warm], on_earth[warm] = in_chunks(fine_points, t_all[warm], row_all[warm], guess[warm])
    lat_all[~warm], lon_all[~warm], on_earth[~warm] = in_chunks(fine_points, t_all[~warm], row_all[~warm])
    # an instant between a solved end and the subgrid may fall just beyond
    # the end: the points on the Earth only
    keep = on_earth.astype(bool)
    collected: list[_Pieces] = []
    for r in range(len(fine)):
        mine = keep & (row_all == r)
        ends_r = ends.row == r
        first, last = ends_r & ends.entering, ends_r & ~ends.entering
        times, part, order = assemble(t_all[mine], ends.hours[first], ends.hours[last])
        lat = np.concatenate([lat_all[mine], ends.latitude[first], ends.latitude[last]])[order]
        lon = np.concatenate([lon_all[mine], ends.longitude[first], ends.longitude[last]])[order]
        on_step = np.concatenate([step_all[mine], np.zeros(ends_r.sum(), bool)])[order]
        collected.append((times, part + r * PART_OFFSET, lat, lon, on_step))
    for j, branch in enumerate(ends.second):
        if branch is None:
            continue
        r = ends.row[ends.fold][j]
        b_times, b_x, b_y, b_d, b_mu = branch
        lat, lon = point_under(b_x, b_y, b_d, b_mu)
        collected.append((b_times, np.full(len(b_times), r * PART_OFFSET + SECOND_BRANCH + j),
                          lat, lon, np.zeros(len(b_times), bool)))
    return collected


def _densified(elements: BesselianElements, rows: _Rows, collected: list[_Pieces]) -> _Pieces:
    """All rows densified together, in order of part then time; parts from
    r * PART_OFFSET + SECOND_BRANCH are row r's second branches."""
    times, part, lat, lon, on_step = (np.concatenate(v) for v in zip(*collected))
    order = np.lexsort((times, part))
    times, part, lat, lon, on_step = (v[order] for v in (times, part, lat, lon, on_step))

    def locate(tt: FloatArray, parts: IntArray) -> tuple[FloatArray, FloatArray]:
        ee = elements.at(tt)
        which = parts // PART_OFFSET
        side, penumbral = rows.side[which], rows.penumbral[which]
        x, y, z = Edge(ee, side, penumbral).highest()
        lower = parts % PART_OFFSET >= SECOND_BRANCH
        if lower.any():
            x_low, y_low, _ = Edge(ee.select(lower), side[lower], penumbral[lower]).next_below(z[lower])
            x, y = x.copy(), y.copy()
            x[lower], y[lower] = x_low, y_low
        return point_under(x, y, ee.d, ee.mu)

    times, part, lat, lon, kept = densify(times, part, lat, lon, locate)
    return times, part, lat, lon, spread(on_step, kept)


def _second_branches(elements: BesselianElements, penumbral: BoolArray, t_fold: FloatArray, direction: FloatArray,
                     side: FloatArray, x_fold: FloatArray, y_fold: FloatArray) -> list[_Branch | None]:
    """The second solution born at each fold, from the fold to where it meets
    the outline (the limit's true end on the horizon): a list with, per fold,
    (hours, xi, eta, d, mu) of its points in time order, or None.  Its end is
    solved where its point reaches the outline.

    ``direction`` +1 where the limit begins at the fold (the second branch
    lives after it), -1 where it ends there; ``penumbral``, ``side`` per fold.
    """
    if not len(t_fold):
        return []
    steps = np.arange(1, SECOND_BRANCH_SAMPLES + 1) * SECOND_BRANCH_STEP
    tt = t_fold[:, None] + direction[:, None] * steps[None, :]
    ee = elements.at(tt)
    edge = Edge(ee, side[:, None], penumbral[:, None])
    _, _, z_main = edge.highest()
    x_low, y_low, _ = edge.next_below(z_main)
    exists = np.isfinite(x_low) & (outline_excess(x_low, y_low, ee.d) < 0)
    missing = ~exists
    ends = missing.any(axis=1)
    first = np.argmax(missing, axis=1)  # samples 0 .. first - 1 exist
    before = np.where(first > 0, tt[np.arange(len(tt)), np.maximum(first - 1, 0)], t_fold)
    after = tt[np.arange(len(tt)), first]

    # where it meets the outline, the second branch's point is the limit's
    # point with the outline's zeta (a smooth function of time): the root of
    # that point's outline excess between the last sample where the branch
    # exists and the next.  (Over the 258 folds of 1950-2050 the same ends,
    # within 5 ms, as a search for where the branch stops existing.)
    def excess(t: FloatArray, which: slice | BoolArray = slice(None)) -> FloatArray:
        return limit_outline_excess(elements, t, side[which], penumbral[which])

    crossing = ends & (np.sign(excess(before)) != np.sign(excess(after)))
    t_end = t_fold.copy()
    t_end[crossing] = bracketed_root(lambda t: excess(t, crossing), before[crossing], after[crossing])
    e_end = elements.at(t_end)
    x_end, y_end, _ = Edge(e_end, side, penumbral).with_outline_zeta()
    excess_end = outline_excess(x_end, y_end, e_end.d)
    on_outline = crossing & (np.abs(excess_end) < 1e-6)
    # onto the outline itself (a move below 1e-6 radii)
    scale = np.where(on_outline, 1.0 / np.sqrt(np.abs(1.0 + excess_end)), 1.0)
    x_end, y_end = x_end * scale, y_end * scale
    e_fold = elements.at(t_fold)
    branches: list[_Branch | None] = []
    for i in range(len(tt)):  # a few folds, not time steps
        if not on_outline[i]:
            branches.append(None)
            continue
        keep = slice(0, first[i])
        b_t = np.concatenate([[t_fold[i]], tt[i, keep], [t_end[i]]])
        b_x = np.concatenate([[x_fold[i]], x_low[i, keep], [x_end[i]]])
        b_y = np.concatenate([[y_fold[i]], y_low[i, keep], [y_end[i]]])
        b_d = np.concatenate([[e_fold.d[i]], ee.d[i, keep], [e_end.d[i]]])
        b_mu = np.concatenate([[e_fold.mu[i]], ee.mu[i, keep], [e_end.mu[i]]])
        order = np.argsort(b_t)
        branches.append((b_t[order], b_x[order], b_y[order], b_d[order], b_mu[order]))
    return branches


def _fold_ends(elements: BesselianElements, penumbral: BoolArray, lo: FloatArray, hi: FloatArray, entering: BoolArray,
               side: FloatArray, roots: FloatArray, e_roots: ElementsAt, x_roots: FloatArray,
               y_roots: FloatArray) -> tuple[FloatArray, ElementsAt, FloatArray, FloatArray, BoolArray]:
    """Check the ends found where a limit meets the outline; replace those
    that are not ends of the limit by the limit's fold.

    Near the horizon the tangency condition can have two solutions on the
    Earth that are born together at a fold (a cusp of the envelope of the
    shadow's edge): the limit found (the solution highest above the horizon)
    then begins or ends there, in mid-air, and the crossing of the outline
    found in the bracket belongs to the other branch (or there is none).  An
    end is genuine when it lies on the outline and, just inside it (3.6 ms
    later or earlier), the branch through it is the limit, the highest
    solution: the solution followed from the end's zeta (secant steps) lies
    next to the end on the fundamental plane (1e-3 radii; it moves 2e-6
    radii in that time), and g(z) = zeta(point(z)) - z, which is negative
    at z = 1, is negative all the way down to just above it (ZETA_SCAN
    levels from GENUINE_ZETA above it): no solution above.  Otherwise the
    fold is located by bisection on whether the limit exists, and the
    limit's last point there is the end.  (The umbra's small radius puts
    the two branches within 1e-4 radii of each other on the fundamental
    plane, yet tens of kilometres apart on the ground near the horizon:
    hence the test on zeta.)
    """
    if not len(roots):
        return roots, e_roots, x_roots, y_roots, np.zeros(0, bool)
    step = np.where(entering, 1e-6, -1e-6)  # hours, toward the limit
    e_in = elements.at(roots + step)
    edge_in = Edge(e_in, side, penumbral)
    x_branch, y_branch, z_branch = edge_in.from_guess(outline_zeta(ellipsoid_quadric(e_roots.d), y_roots))
    start = z_branch + GENUINE_ZETA
    levels = start + (1.0 - start) * np.linspace(0.0, 1.0, ZETA_SCAN + 1)[:-1, None]
    _, _, zeta_above = edge_in.at_zeta(levels)
    on_outline = np.abs(outline_excess(x_roots, y_roots, e_roots.d)) < 1e-9
    genuine = (on_outline & (np.hypot(x_branch - x_roots, y_branch - y_roots) < 1e-3)
               & (zeta_above <= levels).all(axis=0))
    if genuine.all():
        return roots, e_roots, x_roots, y_roots, ~genuine
    bad = ~genuine
    # the limit exists at the bracket's end inside the curve, not at the other
    good_t = np.where(entering, hi, lo)[bad]
    none_t = np.where(entering, lo, hi)[bad]

    def exists(t: FloatArray) -> BoolArray:
        e_t = elements.at(t)
        x_t, y_t, _ = Edge(e_t, side[bad][:, None], penumbral[bad][:, None]).highest(CHECK_TOLERANCE)
        return outline_excess(x_t, y_t, e_t.d) < 0

    good_t, none_t = last_existing(exists, good_t, none_t, FOLD_ROUNDS)
    e_end = elements.at(good_t)
    x_end, y_end, _ = Edge(e_end, side[bad], penumbral[bad]).highest()
    roots, x_roots, y_roots = roots.copy(), x_roots.copy(), y_roots.copy()
    roots[bad], x_roots[bad], y_roots[bad] = good_t, x_end, y_end
    return roots, elements.at(roots), x_roots, y_roots, bad
