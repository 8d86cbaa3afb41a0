"""The atlas's culling: which cells of a block an eclipse's shadow can reach.

A cell's value comes from the local circumstances at its centre
(``geometry.local.local_circumstances``, the same as
``e.local(..., horizon="geometric")``: the Sun up when its centre is above
the astronomical horizon): a cell counts as total exactly when they say
total.

Most cells never see a given eclipse's umbra, so a rigorous bound culls them
first; it never decides anything near a limit.  The shadow's course is
sampled every SAMPLE_HOURS over WINDOW_HOURS either side of t0 (beyond the
5 h over which ``local_circumstances`` looks for a maximum); between samples
a place's distance Delta from the axis changes by at most the speed of the
axis relative to the turning Earth times half a step, and the shadow's
radius |L| = |l - zeta tan f| by at most |l'| half a step plus |tan f|
(|zeta| <= 1 on the ground).  Orthogonal projection onto the fundamental
plane moves no two points further apart, so all the cells of a block lie
within the block's radius (in space) of its centroid's projection.  A block,
then a cell, is culled only when at every sample its distance exceeds the
shadow's radius by more than these margins: it can be in the shadow at no
instant, and ``local_circumstances`` cannot call it central (or partial).

Work is cut into blocks of BLOCK x BLOCK cells, each computed on its own,
so that the numbers do not depend on how cells are grouped into Zarr
chunks (tiles, multiples of BLOCK) or eclipses into tasks (batches): the
result is identical whatever the chunking, the worker count or the
scheduler.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ..geometry.earth import observer
from ..geometry.local import local_circumstances
from .measures import Measure, measure

if TYPE_CHECKING:
    from ..sources.elements import BesselianElements

#: Cells along each side of a block, the unit of computation.
BLOCK = 64


#: Hours either side of t0 over which the shadow's course is sampled, and
#: the sampling step (30 s: margins of about 30 km).
WINDOW_HOURS = 6.0


SAMPLE_HOURS = 30.0 / 3600.0


#: Added to the bounds on speeds (radii an hour) for what a sampled maximum
#: misses between samples: the elements' second derivatives are below
#: 1e-3 radii an hour^2, so over half a step this is a hundredfold margin.
SLACK = 0.01


class Sweep:
    """The shadow's course for one eclipse, sampled where it can reach the
    ground: the axis (x, y), the shadow's l and tan f, the rotation taking
    places in space to the fundamental plane at each sample, and the margin
    covering what happens between samples (module docstring).

    ``sign`` keeps only places where the umbral radius L2 can be negative
    (-1: totality), positive (+1: annularity) or either (0)."""

    def __init__(self, elements: BesselianElements, umbral: bool, sign: int = 0) -> None:
        hours = np.arange(-WINDOW_HOURS, WINDOW_HOURS + 1e-9, SAMPLE_HOURS)
        e = elements.at(hours)
        l, dl, tan_f = (e.l2, e.dl2, e.tan_f2) if umbral else (e.l1, e.dl1, e.tan_f1)
        self.umbral, self.sign, self.tan_f = umbral, sign, float(np.abs(tan_f))
        # rho <= 1 on the ground: a place moves at most (mu' + d') radii an
        # hour, and so does its zeta
        ground_speed = np.abs(e.dmu).max() + np.abs(e.dd).max()
        growth = np.abs(dl).max() + self.tan_f * ground_speed
        half_step = SAMPLE_HOURS / 2.0
        self.margin = (np.hypot(e.dx, e.dy).max() + ground_speed + growth + 3 * SLACK) * half_step
        self.growth = (growth + SLACK) * half_step
        self.zeta_floor = HORIZON_ZETA - (ground_speed + SLACK) * half_step
        keep = np.hypot(e.x, e.y) - np.abs(l) - self.tan_f < 1.0 + self.margin
        if sign:
            keep &= sign * l > -(self.tan_f + self.growth)
        self.x, self.y, self.l = e.x[keep], e.y[keep], l[keep]
        self.rotation = fundamental_rotation(e.d[keep], e.mu[keep])

    def __len__(self) -> int:
        return len(self.x)

    def near(self, xyz: npt.NDArray[np.float64], reach: float = 0.0,
             samples: npt.NDArray[np.intp] | None = None) -> npt.NDArray[np.bool_]:
        """(points, samples) booleans: False where no place within ``reach``
        (radii) of the places in space ``xyz`` (n x 3, Earth radii) can be
        in the shadow with the Sun up during the half steps around a sample
        (all samples, or the indices ``samples``)."""
        pick = slice(None) if samples is None else samples
        rotation = self.rotation[:, :, pick]
        n = rotation.shape[-1]
        product = xyz @ np.ascontiguousarray(rotation).reshape(3, 3 * n)
        xi, eta, zeta = product[:, :n], product[:, n:2 * n], product[:, 2 * n:]
        radius = self.l[pick] - zeta * self.tan_f
        slack = reach * self.tan_f + self.growth
        near = zeta > self.zeta_floor - reach
        if self.sign:
            near &= self.sign * radius > -slack
        if self.umbral:
            radius = np.abs(radius)
        xi -= self.x[pick]
        eta -= self.y[pick]
        limit = radius + (reach + slack + self.margin)
        near &= (xi * xi + eta * eta < limit * limit) & (limit > 0.0)
        return near


#: The least zeta of a place on the ground with the Sun up: the geodetic
#: horizon is zeta = -eta B / A (``earth.outline_zeta``), and |B / A| < f
#: sin 2d < 0.0034.
HORIZON_ZETA = -0.0034


def fundamental_rotation(d: npt.NDArray[np.float64], mu: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """(3, 3, n) matrices taking an Earth-fixed place in space (X toward
    longitude 0, Z north; Earth radii) to its (xi, eta, zeta) at n instants.

    ``earth.fundamental_coordinates`` in matrix form: with H = mu + lambda,
    xi = rho cos phi' sin H = X sin mu + Y cos mu; with
    w = rho cos phi' cos H = X cos mu - Y sin mu, eta = Z cos d - w sin d
    and zeta = Z sin d + w cos d.  (One product for many places and
    instants instead of sin H and cos H for each pair.)
    """
    sin_mu, cos_mu, sin_d, cos_d = np.sin(mu), np.cos(mu), np.sin(d), np.cos(d)
    zero = np.zeros_like(mu)
    return np.array([[sin_mu, -cos_mu * sin_d, cos_mu * cos_d],
                     [cos_mu, sin_mu * sin_d, -sin_mu * cos_d],
                     [zero, cos_d, sin_d]])


def positions(lat: npt.NDArray[np.float64], lon: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Places in space (Earth radii, Earth-fixed) of the cells lat x lon
    (degrees) at sea level: an array lat x lon x 3."""
    rad = np.pi / 180.0
    obs = observer(lat[:, None] * rad, lon[None, :] * rad)
    return np.stack(np.broadcast_arrays(obs.rho_cos * np.cos(obs.longitude), obs.rho_cos * np.sin(obs.longitude),
                                        obs.rho_sin), axis=-1)


def centroid(xyz: npt.NDArray[np.float64]) -> tuple[npt.NDArray[np.float64], float]:
    """The mean of places in space (n x 3) as a 1 x 3 array, and the
    greatest distance from it to any of them."""
    centre = xyz.mean(axis=0, keepdims=True)
    return centre, np.sqrt(((xyz - centre) ** 2).sum(axis=1)).max()


#: Cells along each side of the parts a block is cut into before its cells
#: are tested one by one (16 measured best at 0.25 and 1 degree, against 8
#: and against parts of parts).
PART = 16


class Group:
    """Cells of a block, or of a part of one: their places in space, their
    centroid and radius, and (for a block) its parts of PART x PART cells."""

    def __init__(self, xyz: npt.NDArray[np.float64], rows: slice, cols: slice, part: int = PART) -> None:
        self.rows, self.cols, self.shape = rows, cols, xyz.shape[:2]
        self.points = np.ascontiguousarray(xyz.reshape(-1, 3))
        self.centre, self.radius = centroid(self.points)
        large = part > 0 and (self.shape[0] > part or self.shape[1] > part)
        self.parts: list[Group] = [Group(xyz[i:i + part, j:j + part], slice(i, i + part), slice(j, j + part), 0)
                      for i in range(0, self.shape[0], part) for j in range(0, self.shape[1], part)] \
            if large else []

    def reached(self, sweep: Sweep, samples: npt.NDArray[np.intp] | None = None) -> npt.NDArray[np.bool_]:
        """Booleans (the group's shape): the cells the culling cannot rule
        out.  The group is tested as a whole (centroid and radius), then its
        parts, then its cells, each level with the samples the level above
        kept; a group wholly in the shadow at some sample is kept whole
        (keeping more than needed is safe: the local circumstances decide)."""
        out = np.zeros(self.shape, dtype=bool)
        kept = np.flatnonzero(sweep.near(self.centre, self.radius, samples)[0])
        samples = kept if samples is None else samples[kept]
        if not samples.size:
            return out
        if sweep.near(self.centre, -self.radius, samples).any():
            out[...] = True
        elif not self.parts:
            out[...] = np.any(sweep.near(self.points, 0.0, samples), axis=1).reshape(self.shape)
        else:
            for part in self.parts:
                out[part.rows, part.cols] = part.reached(sweep, samples)
        return out


def tile_values(batch: Iterable[BesselianElements] | BesselianElements, lat: npt.ArrayLike, lon: npt.ArrayLike,
                what: str) -> npt.NDArray[Any]:
    """The measure ``what`` over the cells lat x lon (degrees; a tile made of
    whole blocks, BLOCK cells from the grid's first row and column) for a
    batch of eclipses (their BesselianElements, in a list or stacked),
    reduced over the batch."""
    m = measure(what)
    lat, lon = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
    out = np.full((len(lat), len(lon)), m.fill, dtype=m.dtype)
    tile_centre, tile_radius, blocks = tile_blocks(lat.tobytes(), lon.tobytes())
    for elements in iter(batch):  # (iter() for the type checker: stacked elements iterate by __getitem__)
        sweep = Sweep(elements, m.umbral, m.sign)
        if not (len(sweep) and sweep.near(tile_centre, tile_radius).any()):
            continue  # (a shortcut: each block would be culled on its own)
        for block in blocks:
            values = block_values(elements, sweep, lat[block.rows], lon[block.cols], block, m)
            if values is not None:
                out[block.rows, block.cols] = m.reduce(out[block.rows, block.cols], values)
    return out


@functools.lru_cache(maxsize=4)
def tile_blocks(lat: bytes, lon: bytes) -> tuple[npt.NDArray[np.float64], float, list[Group]]:
    """A tile's centroid and radius and its blocks (Groups), kept for the
    next batches of eclipses over the same tile (a worker usually gets
    them in a row); from the bytes of its latitudes and longitudes."""
    lats, lons = np.frombuffer(lat), np.frombuffer(lon)
    xyz = positions(lats, lons)
    centre, radius = centroid(xyz.reshape(-1, 3))
    blocks = [Group(xyz[i:i + BLOCK, j:j + BLOCK], slice(i, i + BLOCK), slice(j, j + BLOCK))
              for i in range(0, len(lats), BLOCK) for j in range(0, len(lons), BLOCK)]
    return centre, radius, blocks


def block_values(elements: BesselianElements, sweep: Sweep, lat: npt.NDArray[np.float64], lon: npt.NDArray[np.float64],
                 block: Group, m: Measure) -> npt.NDArray[Any] | None:
    """The measure for one eclipse on one block (lat x lon, degrees), or None
    where the whole block is culled.  Everything here depends on the block's
    cells and the eclipse only, never on the tile or the batch around them."""
    reached = block.reached(sweep).ravel()
    if not reached.any():
        return None
    out = np.full(reached.shape, m.fill, dtype=m.dtype)
    cell_lat, cell_lon = (v.ravel()[reached] for v in np.meshgrid(lat, lon, indexing="ij"))
    seen = local_circumstances(elements, cell_lat, np.where(cell_lon >= 180.0, cell_lon - 360.0, cell_lon),
                               horizon="geometric")
    out[reached] = m.values(seen)
    return out.reshape(len(lat), len(lon))
