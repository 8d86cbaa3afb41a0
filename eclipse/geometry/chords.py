"""Curves on the ground as vertices: assembled in order, and densified so
that the straight chords between vertices follow the true curve.

A curve is sampled at instants (hours from t0) and numbered in parts
(continuous pieces).  ``densify`` adds vertices where a chord would stray
from the curve by more than CHORD_TOLERANCE_KM, by asking the caller's
``locate(t, part)`` for the curve's point at more instants; several curves
are densified at once, ordered by part then time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from ..constants import EARTH_RADIUS_KM
from .arrays import BoolArray, FloatArray, IndexArray, IntArray
from .earth import ellipsoid_points

#: Where the straight segment between two vertices strays from the curve by
#: more than CHORD_TOLERANCE_KM at its middle instant, a vertex is added there
#: (repeatedly), so that the drawn line follows the true one within CHORD_TOLERANCE_KM.
#: Segments shorter than MIN_CHECKED_KM are not checked: they could stray by
#: 0.5 km only where the curve turns with a radius under 25 km.  Measured
#: over the 223 eclipses of 1950-2050 at steps of 1, 10 and 60 s, chords of
#: 5-10 km strayed 48 m at most (R > 250 km; chords of 10-20 km up to
#: 245 m, hence not 20 km).  At 1-s steps the longer chords are the limits'
#: last seconds near the horizon, at ground speeds over 10 km/s.  (Chords are measured
#: after a cheap bound, R (|dlat| + |dlon|), loose by up to 1 / cos latitude.)
CHORD_TOLERANCE_KM = 0.5
MIN_CHECKED_KM = 10.0
DENSIFY_ROUNDS = 12
#: A segment longer than JUMP_KM whose middle instant lies within
#: JUMP_FRACTION of its length from one of its ends joins two branches.
JUMP_KM = 20.0
JUMP_FRACTION = 0.01

#: The caller's ``locate(t, part)``: the curve's latitudes and longitudes
#: (radians) at hours t on the given parts (NaN where it has no point).
Locate = Callable[[FloatArray, IntArray], tuple[FloatArray, FloatArray]]


def assemble(t: FloatArray, enter: FloatArray, leave: FloatArray) -> tuple[FloatArray, IntArray, IndexArray]:
    """Times of a curve's vertices (sorted times t on the curve and its
    refined ends), the number of the part each belongs to, and the order
    that sorts concatenate([t, enter, leave]) into them."""
    times = np.concatenate([t, enter, leave])
    order = np.argsort(times, kind="stable")
    times = times[order]
    # parts begin at the entries: numbered 0, 1, ... in time
    part = np.searchsorted(np.sort(enter), times, side="right")
    starts = np.zeros(len(times), int)
    starts[1:] = part[1:] != part[:-1]
    part = np.cumsum(starts)
    return times, part, order


def spread(values: BoolArray, kept: BoolArray) -> BoolArray:
    """Values of the kept vertices, False at the added ones."""
    out = np.zeros(len(kept), bool)
    out[kept] = values
    return out


class _Vertices:
    """The given vertices (numbered 0 .. n - 1) and those added (numbered on
    from n), each added one with the given vertex it follows (its anchor)."""

    def __init__(self, times: FloatArray, part: IntArray, lat: FloatArray, lon: FloatArray) -> None:
        self.n = len(times)
        self.given: tuple[npt.NDArray[Any], ...] = (times, part, lat, lon)
        self.added: list[npt.NDArray[Any]] = [np.zeros(0), np.zeros(0, part.dtype), np.zeros(0), np.zeros(0)]
        self.anchor: IndexArray = np.zeros(0, int)

    def gather(self, which: int, numbers: IndexArray) -> npt.NDArray[Any]:
        """Values (0 times, 1 part, 2 lat, 3 lon) of the vertices so numbered."""
        out = np.empty(len(numbers), self.given[which].dtype)
        new = numbers >= self.n
        out[~new] = self.given[which][numbers[~new]]
        out[new] = self.added[which][numbers[new] - self.n]
        return out

    def add(self, values: Sequence[npt.NDArray[Any]], owners_a: IndexArray, owner: IndexArray) -> IndexArray:
        """Add vertices (times, part, lat, lon) placed after the segments
        beginning at vertices ``owners_a``[owner]; returns their numbers."""
        start = self.n + len(self.added[0])
        self.added = [np.concatenate([old, new]) for old, new in zip(self.added, values)]
        owner_anchor = owners_a.copy()
        later = owners_a >= self.n
        owner_anchor[later] = self.anchor[owners_a[later] - self.n]
        self.anchor = np.concatenate([self.anchor, owner_anchor[owner]])
        return start + np.arange(len(values[0]))

    def in_order(self, cut: list[IndexArray]) -> tuple[FloatArray, IntArray, FloatArray, FloatArray, BoolArray]:
        """All vertices: the added ones put in after the given vertex they
        follow, in time; parts renumbered from the vertices in ``cut``
        (where a new part starts).  Returns times, part, lat, lon and a mask
        of the given vertices."""
        n, anchor = self.n, self.anchor
        order = np.lexsort((self.added[0], anchor))
        where = anchor[order] + 1
        is_cut = np.zeros(n + len(anchor), bool)
        if cut:
            is_cut[np.concatenate(cut)] = True
        times, part, lat, lon = (np.insert(one, where, more[order]) for one, more in zip(self.given, self.added))
        original = np.insert(np.ones(n, bool), where, False)
        is_cut = np.insert(is_cut[:n], where, is_cut[n:][order])
        return times, part + np.cumsum(is_cut), lat, lon, original


def _cheap_bound_km(lat_a: FloatArray, lon_a: FloatArray, lat_b: FloatArray, lon_b: FloatArray) -> FloatArray:
    """R (|dlat| + |dlon|): never less than the chord between two points."""
    d_lon = np.abs(lon_b - lon_a)
    return EARTH_RADIUS_KM * (np.abs(lat_b - lat_a) + np.minimum(d_lon, 2 * np.pi - d_lon))


def _long_segments(vertices: _Vertices, a: IndexArray, b: IndexArray) -> tuple[
        IndexArray, IndexArray, FloatArray, FloatArray, FloatArray]:
    """Of the segments (a[i], b[i]), those whose chord is over MIN_CHECKED_KM:
    a, b, the chord's ends p, p_next (km) and its squared length."""
    lat_a, lon_a = vertices.gather(2, a), vertices.gather(3, a)
    lat_b, lon_b = vertices.gather(2, b), vertices.gather(3, b)
    long = _cheap_bound_km(lat_a, lon_a, lat_b, lon_b) > MIN_CHECKED_KM
    a, b = a[long], b[long]
    p, p_next = ellipsoid_points(lat_a[long], lon_a[long]), ellipsoid_points(lat_b[long], lon_b[long])
    chord = p_next - p
    length2 = np.sum(chord * chord, -1)
    # then the chord itself (the bound is loose by up to 1 / cos(latitude))
    long = length2 > MIN_CHECKED_KM * MIN_CHECKED_KM
    return a[long], b[long], p[long], p_next[long], length2[long]


def _stray(p: FloatArray, p_next: FloatArray, length2: FloatArray, q: FloatArray) -> tuple[FloatArray, BoolArray]:
    """How far the curve's point q strays from the chord p -> p_next (km),
    and whether it lies at one of its ends (a jump between branches)."""
    chord = p_next - p
    along = np.clip(np.sum((q - p) * chord, -1) / length2, 0.0, 1.0)
    stray = np.linalg.norm(q - p - along[:, None] * chord, axis=-1)
    length = np.sqrt(length2)
    at_end = np.minimum(np.linalg.norm(q - p, axis=-1), np.linalg.norm(q - p_next, axis=-1))
    return stray, (length > JUMP_KM) & (at_end < JUMP_FRACTION * length)


def _pieces(stray: FloatArray) -> IntArray:
    """Pieces to cut each bad segment into: a chord's stray falls as the
    square of its length, so n pieces with n^2 ~ stray / tolerance (a power
    of 2, so that the middle is one of the cuts), to need few rounds."""
    return 2 ** np.clip(np.ceil(np.log2(np.sqrt(stray / CHORD_TOLERANCE_KM))), 1, 5).astype(int)


def _split_segments(vertices: _Vertices, locate: Locate, a: IndexArray, b: IndexArray, t_a: FloatArray, t_b: FloatArray,
                    segment_part: IntArray, mid_lat: FloatArray, mid_lon: FloatArray,
                    pieces: IntArray) -> tuple[IndexArray, IndexArray]:
    """Cut segments (a[i], b[i]) into pieces[i] parts; the curve's points at
    the cuts (the middle one known) become vertices.  Returns the segments
    to check next: consecutive vertices along each cut segment."""
    k = np.repeat(pieces, pieces - 1)
    j = np.arange(k.size) - np.repeat(np.cumsum(pieces - 1) - (pieces - 1), pieces - 1) + 1
    owner = np.repeat(np.arange(len(a)), pieces - 1)
    new_t = t_a[owner] + (t_b - t_a)[owner] * j / k
    new_part = segment_part[owner]
    is_middle = 2 * j == k
    new_lat, new_lon = np.empty(k.size), np.empty(k.size)
    new_lat[is_middle], new_lon[is_middle] = mid_lat, mid_lon
    if (~is_middle).any():
        new_lat[~is_middle], new_lon[~is_middle] = locate(new_t[~is_middle], new_part[~is_middle])
    found = np.isfinite(new_lat)  # none where a limit stops between vertices (a fold)
    number = np.full(k.size, -1)
    number[found] = vertices.add([v[found] for v in (new_t, new_part, new_lat, new_lon)], a, owner[found])
    # the new segments: each owner's a, its vertices found, b, in turn
    chain = np.concatenate([a, number, b])
    chain_owner = np.concatenate([np.arange(len(a)), owner, np.arange(len(a))])
    chain_rank = np.concatenate([np.zeros(len(a)), j / k, np.ones(len(a))])
    order = np.lexsort((chain_rank, chain_owner))
    chain, chain_owner = chain[order], chain_owner[order]
    chain_owner = chain_owner[chain >= 0]
    chain = chain[chain >= 0]
    consecutive = chain_owner[1:] == chain_owner[:-1]
    return chain[:-1][consecutive], chain[1:][consecutive]


def densify(times: FloatArray, part: IntArray, lat: FloatArray, lon: FloatArray, locate: Locate) -> tuple[
        FloatArray, IntArray, FloatArray, FloatArray, BoolArray]:
    """Add vertices where the chords between vertices stray from the curve.

    ``locate(t, part)`` gives (lat, lon) in radians at hours t on the given
    parts.  Vertices are ordered by part, then time (several curves can be
    densified at once).  Returns times, part, lat, lon and a mask of the
    vertices that were there before.

    A segment whose middle instant lies at one of its ends (within 1 % of a
    chord over 20 km) joins two branches of the curve, not one branch
    sampled coarsely (near the horizon a limit can switch branches at a
    fold): the curve is cut there into two parts rather than drawn across.

    Each round works on the segments still in question only (those added in
    the round before); the vertices are put in order once, at the end.
    """
    vertices = _Vertices(times, part, lat, lon)
    # the segments in question, by the numbers of their end vertices; first
    # those the cheap bound leaves
    bound = _cheap_bound_km(lat[:-1], lon[:-1], lat[1:], lon[1:])
    a = np.flatnonzero((part[1:] == part[:-1]) & (bound > MIN_CHECKED_KM))
    b = a + 1
    cut: list[IndexArray] = []  # vertices where a new part starts
    for _ in range(DENSIFY_ROUNDS):
        a, b, p, p_next, length2 = _long_segments(vertices, a, b)
        if not len(a):
            break
        segment_part, t_a, t_b = vertices.gather(1, a), vertices.gather(0, a), vertices.gather(0, b)
        mid_lat, mid_lon = locate(0.5 * (t_a + t_b), segment_part)
        stray, jump = _stray(p, p_next, length2, ellipsoid_points(mid_lat, mid_lon))
        cut.append(b[jump])
        add = (stray > CHORD_TOLERANCE_KM) & ~jump  # NaN (a point off the Earth) adds nothing
        if not add.any():
            break
        a, b = _split_segments(vertices, locate, a[add], b[add], t_a[add], t_b[add], segment_part[add],
                               mid_lat[add], mid_lon[add], _pieces(stray[add]))
        if not len(a):
            break
    if not len(vertices.added[0]) and not any(len(c) for c in cut):
        return times, part, lat, lon, np.ones(len(times), bool)
    return vertices.in_order(cut)
