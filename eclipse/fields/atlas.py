"""Atlases over many eclipses: one number per cell of a longitude-latitude grid.

How many total (annular, central) eclipses each place sees in a span of
years, when the next total one comes, the longest totality, the greatest
obscuration.  A cell's value comes from the local circumstances at its
centre (``eclipse.local.local_circumstances``, the same as ``e.local``):
a cell counts as total exactly when they say total.

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
scheduler.  Tasks (a batch of eclipses x a tile) run on dask.distributed;
each result lands in the Zarr store as a chunk of the ``partial`` array
(Zarr writes each chunk under a temporary name, then renames it), and a
tile's final chunk is reduced from its partials when all are in.  A chunk
present is a chunk done: killed at any moment, the same command resumes
from the chunks present.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import functools
import hashlib
import json
import os
import shutil
import sys
import warnings
from concurrent.futures import CancelledError
from dataclasses import dataclass, field

import numpy as np

# Package internals, in one block.
from ..io import files, stores
from ..maps import figures as maps
from ..sources.elements import BesselianElements, stack_elements
from .cluster import check_scheduler, connect, lost
from ..constants import SECONDS_PER_DAY
from ..dates import UNIX_EPOCH_JD, day_of, format_date
from ..geometry.earth import observer
from ..errors import EclipseError, RunError, reason
from .grids import COORDINATES, cell_centres, check_fits, require
from ..geometry.local import local_circumstances
from ..io.report import date_year, years_text
from ..search.finder import find

#: Cells along each side of a block, the unit of computation.
BLOCK = 64
#: Default cells along each side of a tile (a Zarr chunk, a task's area).
CHUNK = 256
#: Default eclipses per task.
BATCH = 32
#: Hours either side of t0 over which the shadow's course is sampled, and
#: the sampling step (30 s: margins of about 30 km).
WINDOW_HOURS = 6.0
SAMPLE_HOURS = 30.0 / 3600.0
#: Added to the bounds on speeds (radii an hour) for what a sampled maximum
#: misses between samples: the elements' second derivatives are below
#: 1e-3 radii an hour^2, so over half a step this is a hundredfold margin.
SLACK = 0.01
#: Version of the store's layout; a store of another version is rebuilt.
LAYOUT = 1
PARTIAL = "partial"


class AtlasError(EclipseError):
    """An atlas that cannot be computed or written as asked."""


# --- what is counted ---------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    """One kind of atlas: the variable, how one eclipse's local circumstances
    give it, and how eclipses combine (an exact, order-free reduction)."""

    what: str
    name: str
    umbral: bool  # cull by the umbra (else by the penumbra)
    sign: int  # the sign L2 must be able to take (-1 total, +1 annular, 0 either)
    dtype: str
    fill: float  # where no eclipse contributes
    reduce: np.ufunc
    attrs: dict = field(default_factory=dict)

    def values(self, seen) -> np.ndarray:
        """This measure for one eclipse from its LocalCircumstances."""
        kind = seen.kind_seen
        if self.what == "total-count":
            return (kind == "total").astype(self.dtype)
        if self.what == "annular-count":
            return (kind == "annular").astype(self.dtype)
        if self.what == "central-count":
            return ((kind == "total") | (kind == "annular")).astype(self.dtype)
        if self.what == "next-total":
            ut_days = seen.time_ut("max") - UNIX_EPOCH_JD
            return np.where(kind == "total", ut_days, np.nan)
        if self.what == "max-duration":
            return np.where(kind == "total", seen.duration_s, np.nan).astype(self.dtype)
        return np.asarray(seen.obscuration_visible, dtype=self.dtype)


MEASURES = {m.what: m for m in (
    Measure("total-count", "total_count", True, -1, "int32", 0, np.add,
            {"long_name": "number of total solar eclipses seen", "units": "1"}),
    Measure("annular-count", "annular_count", True, 1, "int32", 0, np.add,
            {"long_name": "number of annular solar eclipses seen", "units": "1"}),
    Measure("central-count", "central_count", True, 0, "int32", 0, np.add,
            {"long_name": "number of total or annular solar eclipses seen", "units": "1"}),
    Measure("next-total", "next_total", True, -1, "float64", np.nan, np.fmin,
            {"long_name": "maximum of the first total solar eclipse seen (UT)",
             "units": "days since 1970-01-01 00:00:00", "calendar": "standard"}),
    Measure("max-duration", "max_duration", True, -1, "float32", np.nan, np.fmax,
            {"long_name": "longest totality seen", "units": "s"}),
    Measure("max-obscuration", "max_obscuration", False, 0, "float32", 0.0, np.fmax,
            {"long_name": "greatest fraction of the Sun's disc area covered, seen with the Sun up",
             "units": "1"}),
)}


def measure(what: str) -> Measure:
    """The Measure named ``what``; AtlasError listing the choices."""
    if what not in MEASURES:
        raise AtlasError(f"unknown --what {what!r}: choose from {', '.join(MEASURES)}")
    return MEASURES[what]


# --- exact values at the cells of a tile ---------------------------------------------


class Sweep:
    """The shadow's course for one eclipse, sampled where it can reach the
    ground: the axis (x, y), the shadow's l and tan f, the rotation taking
    places in space to the fundamental plane at each sample, and the margin
    covering what happens between samples (module docstring).

    ``sign`` keeps only places where the umbral radius L2 can be negative
    (-1: totality), positive (+1: annularity) or either (0)."""

    def __init__(self, elements, umbral: bool, sign: int = 0):
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

    def __len__(self):
        return len(self.x)

    def near(self, xyz, reach=0.0, samples=None):
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


def fundamental_rotation(d, mu):
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


def positions(lat, lon):
    """Places in space (Earth radii, Earth-fixed) of the cells lat x lon
    (degrees) at sea level: an array lat x lon x 3."""
    rad = np.pi / 180.0
    obs = observer(lat[:, None] * rad, lon[None, :] * rad)
    return np.stack(np.broadcast_arrays(obs.rho_cos * np.cos(obs.longitude), obs.rho_cos * np.sin(obs.longitude),
                                        obs.rho_sin), axis=-1)


def centroid(xyz):
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

    def __init__(self, xyz, rows: slice, cols: slice, part: int = PART):
        self.rows, self.cols, self.shape = rows, cols, xyz.shape[:2]
        self.points = np.ascontiguousarray(xyz.reshape(-1, 3))
        self.centre, self.radius = centroid(self.points)
        large = part > 0 and (self.shape[0] > part or self.shape[1] > part)
        self.parts = [Group(xyz[i:i + part, j:j + part], slice(i, i + part), slice(j, j + part), 0)
                      for i in range(0, self.shape[0], part) for j in range(0, self.shape[1], part)] \
            if large else []

    def reached(self, sweep, samples=None) -> np.ndarray:
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


def tile_values(batch, lat, lon, what: str) -> np.ndarray:
    """The measure ``what`` over the cells lat x lon (degrees; a tile made of
    whole blocks, BLOCK cells from the grid's first row and column) for a
    batch of eclipses (their BesselianElements, in a list or stacked),
    reduced over the batch."""
    m = measure(what)
    lat, lon = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
    out = np.full((len(lat), len(lon)), m.fill, dtype=m.dtype)
    tile_centre, tile_radius, blocks = tile_blocks(lat.tobytes(), lon.tobytes())
    for elements in batch:
        sweep = Sweep(elements, m.umbral, m.sign)
        if not (len(sweep) and sweep.near(tile_centre, tile_radius).any()):
            continue  # (a shortcut: each block would be culled on its own)
        for block in blocks:
            values = block_values(elements, sweep, lat[block.rows], lon[block.cols], block, m)
            if values is not None:
                out[block.rows, block.cols] = m.reduce(out[block.rows, block.cols], values)
    return out


@functools.lru_cache(maxsize=4)
def tile_blocks(lat: bytes, lon: bytes):
    """A tile's centroid and radius and its blocks (Groups), kept for the
    next batches of eclipses over the same tile (a worker usually gets
    them in a row); from the bytes of its latitudes and longitudes."""
    lat, lon = np.frombuffer(lat), np.frombuffer(lon)
    xyz = positions(lat, lon)
    centre, radius = centroid(xyz.reshape(-1, 3))
    blocks = [Group(xyz[i:i + BLOCK, j:j + BLOCK], slice(i, i + BLOCK), slice(j, j + BLOCK))
              for i in range(0, len(lat), BLOCK) for j in range(0, len(lon), BLOCK)]
    return centre, radius, blocks


def block_values(elements, sweep, lat, lon, block: Group, m: Measure):
    """The measure for one eclipse on one block (lat x lon, degrees), or None
    where the whole block is culled.  Everything here depends on the block's
    cells and the eclipse only, never on the tile or the batch around them."""
    reached = block.reached(sweep).ravel()
    if not reached.any():
        return None
    out = np.full(reached.shape, m.fill, dtype=m.dtype)
    cell_lat, cell_lon = (v.ravel()[reached] for v in np.meshgrid(lat, lon, indexing="ij"))
    seen = local_circumstances(elements, cell_lat, np.where(cell_lon >= 180.0, cell_lon - 360.0, cell_lon))
    out[reached] = m.values(seen)
    return out.reshape(len(lat), len(lon))


# --- the store -----------------------------------------------------------------------


class Store:
    """The Zarr store of an atlas and the bookkeeping of its chunks.

    Arrays: the measure (lat, lon), chunked by tiles, and PARTIAL (batch,
    lat, lon), one chunk per task; both in Zarr format 2 (GDAL, QGIS,
    netCDF-Java read it).  Root attributes hold the parameters (JSON) and
    whether the atlas is complete.

    Every chunk written is recorded in CHECKSUMS with a digest of what was
    computed for it: the array, the chunk's index and its values.  A chunk
    counts as done only when it is present, readable and its values give
    the digest recorded for its index: a chunk truncated, overwritten with
    other bytes, or copied from another tile or batch is found and computed
    again, as is one written by a run killed before it recorded the digest.
    """

    def __init__(self, path: str, m: Measure, lat, lon, batches: int, chunk: int):
        self.path, self.measure, self.lat, self.lon = path, m, lat, lon
        self.batches, self.chunk = batches, chunk
        self.tiles = [(i, j) for i in range(-(-len(lat) // chunk)) for j in range(-(-len(lon) // chunk))]
        self.digests = read_checksums(path)

    def window(self, tile):
        i, j = tile
        return slice(i * self.chunk, (i + 1) * self.chunk), slice(j * self.chunk, (j + 1) * self.chunk)

    def present(self, name: str) -> set:
        """Chunk indices (tuples) of the chunk files present in array ``name``."""
        directory = os.path.join(self.path, name)
        present = set()
        for entry in os.listdir(directory) if os.path.isdir(directory) else ():
            parts = entry.split(".")
            if all(p.isdigit() for p in parts):
                present.add(tuple(int(p) for p in parts))
            elif entry.endswith(".partial"):  # a write a kill interrupted (never trusted)
                os.unlink(os.path.join(directory, entry))
        return present

    def verified(self, name: str) -> tuple[set, int]:
        """The chunks of array ``name`` that are done (present, readable, with
        the digest recorded for them), and how many others were present:
        those are removed, to be computed again."""
        good, bad = set(), 0
        for index in sorted(self.present(name)):
            expected = self.digests.get((name, index))
            try:
                values = self.array(name)[self._region(name, index)] if expected else None
            except Exception:  # noqa: BLE001 - any decoding failure means a damaged chunk
                values = None
            if values is not None and digest(name, index, values) == expected:
                good.add(index)
            else:
                bad += 1
                os.unlink(os.path.join(self.path, name, ".".join(map(str, index))))
        return good, bad

    def _region(self, name: str, index: tuple):
        """The slices of a chunk of array ``name``."""
        return index[:-2] + self.window(index[-2:]) if name == PARTIAL else self.window(index)

    def array(self, name: str):
        """The Zarr array ``name``, opened once (every chunk written, even
        one of fill values: its presence says the task is done)."""
        import zarr

        opened = self.__dict__.setdefault("_arrays", {})
        if name not in opened:
            opened[name] = zarr.open_array(self.path, path=name, mode="r+").with_config({"write_empty_chunks": True})
        return opened[name]

    def write(self, name: str, index: tuple, values) -> None:
        """Record the digest of one chunk (its index), then write it.  In
        that order a kill between the two leaves a digest without its chunk
        (a chunk missing, computed again), never a chunk without its digest
        (Zarr puts a chunk in place whole, by a rename)."""
        array = self.array(name)
        values = np.asarray(values, dtype=array.dtype)
        self.digests[(name, index)] = digest(name, index, values)
        with open(os.path.join(self.path, CHECKSUMS), "a", encoding="ascii") as f:
            f.write(f"{name} {'.'.join(map(str, index))} {self.digests[(name, index)]}\n")
        array[self._region(name, index)] = values

    def read_partials(self, tile) -> np.ndarray:
        return self.array(PARTIAL)[(slice(None),) + self.window(tile)]

    def todo(self) -> tuple[dict, int]:
        """The batches still to compute for each tile not finished, and how
        many chunks present were damaged or not the ones expected."""
        with _writing(self.path):
            return self._todo()

    def _todo(self) -> tuple[dict, int]:
        finals, bad = self.verified(self.measure.name)
        unfinished = [tile for tile in self.tiles if tile not in finals]
        if not unfinished:
            return {}, bad
        self._mark_complete(False)
        self._ensure_partials()
        partials, bad_partials = self.verified(PARTIAL)
        return {tile: [b for b in range(self.batches) if (b,) + tile not in partials]
                for tile in unfinished}, bad + bad_partials

    def _ensure_partials(self) -> None:
        """The PARTIAL array, made again (empty) when a finished atlas lost a
        final chunk and its tile must be computed anew."""
        import zarr

        if os.path.isdir(os.path.join(self.path, PARTIAL)):
            return
        final = self.array(self.measure.name)
        array = zarr.create_array(self.path, name=PARTIAL, shape=(self.batches,) + final.shape,
                                  chunks=(1, self.chunk, self.chunk), dtype=final.dtype,
                                  fill_value=final.fill_value, zarr_format=2)
        array.attrs["_ARRAY_DIMENSIONS"] = ["batch", "lat", "lon"]

    def _mark_complete(self, complete: bool) -> None:
        """Set the root attribute "complete", metadata consolidated again."""
        import zarr

        group = zarr.open_group(self.path, mode="r+", zarr_format=2)
        if bool(group.attrs.get("complete", 0)) != complete:
            group.attrs["complete"] = int(complete)
            with warnings.catch_warnings():  # (Zarr names CHECKSUMS as not of the hierarchy)
                warnings.filterwarnings("ignore", message=".*not recognized as a component")
                zarr.consolidate_metadata(self.path, zarr_format=2)

    def finish(self) -> None:
        """Drop the partials, mark the atlas complete."""
        with _writing(self.path):
            shutil.rmtree(os.path.join(self.path, PARTIAL), ignore_errors=True)
            self.__dict__.get("_arrays", {}).pop(PARTIAL, None)
            self._mark_complete(True)


#: The file in a store recording the digest of every chunk written, a line
#: each: array, chunk index, SHA-256 (eclipse.stores.OWN_ROOT_FILES).
CHECKSUMS = ".eclipse-checksums"


def digest(name: str, index: tuple, values) -> str:
    """SHA-256 of what was computed for one chunk: its array's name, its
    index and its values (as stored)."""
    h = hashlib.sha256(f"{name} {'.'.join(map(str, index))} {values.dtype.str} {values.shape}\n".encode())
    h.update(np.ascontiguousarray(values).tobytes())
    return h.hexdigest()


def read_checksums(path: str) -> dict:
    """The digests recorded in a store, the last for each chunk; a line cut
    short by a kill is ignored (its chunk is then computed again)."""
    digests = {}
    try:
        with open(os.path.join(path, CHECKSUMS), encoding="ascii", errors="replace") as f:
            for line in f:
                parts = line.split()
                if len(parts) == 3 and len(parts[2]) == 64 and line.endswith("\n"):
                    try:
                        digests[(parts[0], tuple(int(p) for p in parts[1].split(".")))] = parts[2]
                    except ValueError:
                        continue
    except FileNotFoundError:
        pass
    return digests


def create_store(path: str, parameters: dict, m: Measure, lat, lon, batches: int, chunk: int) -> None:
    """A new, empty atlas store at ``path`` (built aside, then renamed onto it)."""
    import dask.array as da
    import xarray as xr

    def build(tmp):
        shape = (len(lat), len(lon))
        dataset = xr.Dataset(
            {m.name: (("lat", "lon"), da.full(shape, m.fill, chunks=chunk, dtype=m.dtype), m.attrs),
             PARTIAL: (("batch", "lat", "lon"), da.full((batches,) + shape, m.fill, chunks=(1, chunk, chunk),
                                                         dtype=m.dtype))},
            coords={"lat": ("lat", lat, COORDINATES["lat"]), "lon": ("lon", lon, COORDINATES["lon"])},
            attrs={"Conventions": "CF-1.8",
                   "title": f"Solar eclipses {parameters['start']} to {parameters['end']}: {m.attrs['long_name']}",
                   "source": f"eclipse-path: local circumstances at each cell's centre from JPL "
                             f"{parameters['ephemeris']}",
                   **stores.attributes("atlas", parameters), "complete": 0},
        )
        fill = None if np.dtype(m.dtype).kind == "i" else np.nan
        encoding = {name: {"chunks": dataset[name].data.chunksize, "_FillValue": fill}
                    for name in (m.name, PARTIAL)}
        dataset.to_zarr(tmp, mode="w", compute=False, encoding=encoding, zarr_format=2, consolidated=True)

    files.write_tree_atomically(path, build)


# --- the run -------------------------------------------------------------------------


def atlas(start, end, what: str, resolution_deg: float = 1.0, bbox=None, path: str = "atlas.zarr", *,
          workers: int | None = None, scheduler: str | None = None, chunk: int = CHUNK, batch: int = BATCH,
          ephemeris=None, delta_t=None, delta_t_model=None, progress: bool | None = None,
          overwrite: bool = False):
    """Compute (or finish) the atlas ``what`` (MEASURES) of every eclipse
    from ``start`` to ``end`` (years or dates, inclusive) into the Zarr store
    ``path``; returns it opened with xarray.

    Runs on dask.distributed: a local cluster of ``workers`` processes on
    127.0.0.1 (default: one per core), or the scheduler at ``scheduler``.
    ``chunk`` (cells, a multiple of BLOCK) and ``batch`` (eclipses) cut the
    work into tasks; the values do not depend on them.  The run holds an
    exclusive lock on the store for its whole life (another run on it is
    refused, eclipse.files.BusyError).  A store of ours with the same
    parameters is resumed (or found complete); any other directory is
    refused (eclipse.stores), but with ``overwrite`` a store of ours made
    with other parameters is replaced.  ``progress``: a bar on standard
    error (default: when it is a terminal).
    """
    require()
    import xarray as xr

    m = measure(what)
    _check_counts(workers, chunk, batch)
    lat, lon = cell_centres(resolution_deg, bbox)
    files.check_tree_writable(path, lambda real: None)  # (the kind of directory is checked below)
    first, last = format_date(day_of(start)), format_date(day_of(end, end=True))
    eclipses = find(start=first, end=last, ephemeris=ephemeris, delta_t=delta_t, delta_t_model=delta_t_model)
    if not eclipses:
        raise AtlasError(f"no solar eclipse from {first} to {last}")
    batches = [[e.elements for e in eclipses[k:k + batch]] for k in range(0, len(eclipses), batch)]
    check_fits((len(batches) + 1, len(lat), len(lon)), path, variables=1,
               bytes_per_value=np.dtype(m.dtype).itemsize,
               row_bytes=(len(batches) + 200) * min(chunk, len(lat)) * min(chunk, len(lon)) * 8,
               hint="use a coarser --res, a --bbox or a smaller --chunk")
    parameters = run_parameters(first, last, what, resolution_deg, bbox, chunk, batch, eclipses, delta_t,
                                delta_t_model, ephemeris)
    with files.locked(path) as real:
        state = stores.check_target(real, "atlas", parameters, overwrite, path)
        if state == "replace":
            files.remove_tree(real)
        store = Store(real, m, lat, lon, len(batches), chunk) if stores.read(real) is not None else None
        todo, damaged = store.todo() if store else (None, 0)
        if todo != {}:  # (a new store is made once the cluster is there)
            with connect(workers, scheduler) as client:
                if store is None:
                    create_store(real, parameters, m, lat, lon, len(batches), chunk)
                    store = Store(real, m, lat, lon, len(batches), chunk)
                    todo, damaged = store.todo()
                _say_resumed(path, store, todo, damaged)
                run(client, store, batches, todo, progress)
            store.finish()
    return xr.open_zarr(real)


def run_parameters(start: str, end: str, what, resolution_deg, bbox=None, chunk=CHUNK, batch=BATCH, eclipses=(),
                   delta_t=None, delta_t_model=None, ephemeris=None) -> dict:
    """What a store records of the run that made it: a resumed run must
    have the same (then its chunks mean the same thing): the span (dates),
    the grid, the Delta T (a value, or a model, as the eclipses carry it)
    and the sources that served (an ephemeris file given, by its absolute
    path; else the default ones, by name)."""
    return {"layout": LAYOUT, "what": what, "start": start, "end": end,
            "resolution_deg": float(resolution_deg), "bbox": list(bbox) if bbox is not None else None,
            "chunk": chunk, "batch": batch, "delta_t": delta_t,
            "delta_t_model": eclipses[0].delta_t_model if eclipses else delta_t_model,
            "ephemeris_file": os.path.abspath(ephemeris) if isinstance(ephemeris, str) else None,
            "ephemeris": " + ".join(sorted({e.ephemeris for e in eclipses})) or None, "eclipses": len(eclipses),
            "first_eclipse": eclipses[0].date if eclipses else None,
            "last_eclipse": eclipses[-1].date if eclipses else None}


#: The largest tile (cells a side) and batch (eclipses a task).
MAX_CHUNK, MAX_BATCH = 4096, 10000


def _check_counts(workers, chunk, batch) -> None:
    if workers is not None and not 1 <= workers <= 1024:
        raise AtlasError(f"--workers must be from 1 to 1024, not {workers}")
    if not (BLOCK <= chunk <= MAX_CHUNK and chunk % BLOCK == 0):
        raise AtlasError(f"--chunk must be a multiple of {BLOCK} cells up to {MAX_CHUNK}, not {_short(chunk)}")
    if not 1 <= batch <= MAX_BATCH:
        raise AtlasError(f"--batch must be from 1 to {MAX_BATCH}, not {_short(batch)}")


def _short(number: int) -> str:
    """A number as typed, cut when it is very long."""
    text = str(number)
    return text if len(text) <= 12 else f"{text[:6]}... ({len(text)} digits)"


def _say_resumed(path: str, store: Store, todo: dict, damaged: int) -> None:
    """A line on standard error when a run goes on from an earlier one."""
    total = len(store.tiles) * store.batches
    left = sum(len(batches) for batches in todo.values())
    if damaged:
        print(f"{path}: {damaged} chunk{'s' * (damaged != 1)} damaged or not the one expected, "
              "to be computed again", file=sys.stderr)
    if todo and left < total:
        print(f"resuming {path}: {total - left} of {total} tasks already done", file=sys.stderr)


def run(client, store: Store, batches, todo: dict, progress: bool | None) -> None:
    """Submit the tasks ``todo`` (tile -> batches), write their results as
    they come, reduce each tile when its partials are all in."""
    from distributed import as_completed
    from tqdm import tqdm

    sizes = [len(b) for b in batches]
    done_pairs = sum(sizes) * len(store.tiles) - sum(sizes[b] for left in todo.values() for b in left)
    bar = tqdm(total=sum(sizes) * len(store.tiles), initial=done_pairs, unit=" eclipse-tiles",
               disable=None if progress is None else not progress, file=sys.stderr, smoothing=0.05)
    futures = {}

    packed = [pack(batch) for batch in batches]

    def submit(b, tile, attempt=0):
        rows, cols = store.window(tile)
        future = client.submit(task, packed[b], store.lat[rows], store.lon[cols], store.measure.what,
                               key=f"eclipse-atlas-{b}-{tile[0]}-{tile[1]}-{attempt}-{os.getpid()}")
        futures[future] = (b, tile, attempt)
        return future

    # results are fetched in the background as tasks finish (with_results)
    queue = as_completed([submit(b, tile) for tile, left in todo.items() for b in left], loop=client.loop,
                         with_results=True, raise_errors=False)
    finished_tiles = len(store.tiles) - len(todo)
    for tile in [t for t, left in todo.items() if not left]:
        finished_tiles += _reduce_tile(store, tile)
    bar.set_postfix_str(f"tiles {finished_tiles}/{len(store.tiles)}")
    scheduler = getattr(client.scheduler, "address", None)  # (for an error: a closed client forgets it)
    try:
        for future, result in queue:
            b, tile, attempt = futures.pop(future)
            values = _result(future, result, attempt)
            if values is None:  # lost with a worker: run it again
                queue.add(submit(b, tile, attempt + 1))
                continue
            with _writing(store.path):
                store.write(PARTIAL, (b,) + tile, values)
            todo[tile].remove(b)
            if not todo[tile]:
                finished_tiles += _reduce_tile(store, tile)
            bar.update(sizes[b])
            bar.set_postfix_str(f"tiles {finished_tiles}/{len(store.tiles)}")
    except Exception as exc:
        error = None if isinstance(exc, files.WriteError) else lost(client, scheduler)
        if error is None:
            raise
        raise error from None
    finally:
        bar.close()


def pack(batch) -> dict:
    """A batch of eclipses' elements as plain arrays, one per field (Dask
    sends numpy arrays as they are; objects it pickles one by one)."""
    stacked = stack_elements(list(batch))
    return {f.name: getattr(stacked, f.name) for f in dataclasses.fields(stacked)}


def task(packed: dict, lat, lon, what: str) -> np.ndarray:
    """An atlas task: ``tile_values`` on a batch from ``pack``."""
    return tile_values(BesselianElements(**packed), lat, lon, what)


#: How many times a task whose result was lost with a worker is run again.
RETRIES = 3


def _result(future, result, attempt: int):
    """A task's values from what as_completed gave; None when they were lost
    with a worker and the task may run again; RunError (one line) when it
    failed, or was lost RETRIES times; the task's own EclipseError as it is."""
    if future.status == "error":
        exc = result[1]
        if isinstance(exc, EclipseError):
            raise exc
    elif isinstance(result, (CancelledError, OSError)):
        exc = result
        if attempt < RETRIES:
            return None
    else:
        return result
    name, why = type(exc).__name__, reason(exc)
    raise RunError(f"a task failed: {why if why == name else f'{name}: {why}'}; the tasks done are kept "
                   "(the same command resumes from them)") from None


def _reduce_tile(store: Store, tile) -> int:
    m = store.measure
    reduced = m.reduce.reduce(store.read_partials(tile), axis=0).astype(m.dtype)
    with _writing(store.path):
        store.write(m.name, tile, reduced)
    return 1


@contextlib.contextmanager
def _writing(path: str):
    """An OSError while the store ``path`` is written (a full disk, an I/O
    error) as files.WriteError: one line that says what to do.  The chunks
    written stay, and the same command resumes from them."""
    try:
        yield
    except OSError as exc:
        hint = "free some space and " if exc.errno in (errno.ENOSPC, errno.EDQUOT) else ""
        raise files.WriteError(f"cannot write {path}: {reason(exc)}; {hint}"
                               "run the same command again to resume") from None


def _days(moment) -> float:
    """Days since 1970-01-01 of a cftime date (an atlas's dates before 1582)."""
    import cftime

    return float(cftime.date2num(moment, "days since 1970-01-01 00:00:00", calendar="standard"))


def describe(dataset) -> str:
    """One line about an atlas: its variable, cells and eclipses."""
    parameters = json.loads(dataset.attrs["eclipse_atlas"])
    name = MEASURES[parameters["what"]].name
    return (f"{name}: {dataset.sizes['lat']} x {dataset.sizes['lon']} cells, {parameters['eclipses']} eclipses "
            f"{parameters['first_eclipse']} to {parameters['last_eclipse']}")


def figure(dataset, size=(11.0, 6.2)):
    """A world map (Robinson) of an atlas: its variable shaded cell by cell
    with a colour bar, coastlines and borders over it, a title."""
    import cartopy.crs as ccrs
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    parameters = json.loads(dataset.attrs["eclipse_atlas"])
    m = MEASURES[parameters["what"]]
    values = dataset[m.name].values
    if m.what == "next-total" and values.dtype.kind == "O":  # dates before 1582 decode to cftime
        values = np.array([np.nan if v is None or v != v else _days(v) for v in values.ravel()]).reshape(values.shape)
    style = {"cmap": "viridis"}
    label = m.attrs["long_name"]
    if m.what == "next-total":  # decimal years for the colour bar (xarray decodes the days to datetime64)
        days = values.astype("datetime64[s]").astype(float) / SECONDS_PER_DAY if values.dtype.kind == "M" else values
        values = np.where(np.isnat(values) if values.dtype.kind == "M" else np.isnan(values), np.nan,
                          1970.0 + days / 365.2425)
        label = "year of the next total eclipse seen"
    elif m.what == "max-duration":
        values = values / 60.0
        label = "longest totality seen (minutes)"
    elif m.what == "max-obscuration":
        style = {"cmap": "magma_r", "vmin": 0.0, "vmax": 1.0}
    else:  # counts: one colour per whole number
        from matplotlib.colors import BoundaryNorm

        top = max(1, int(np.nanmax(values)))
        style = {"cmap": "viridis", "norm": BoundaryNorm(np.arange(0.5, top + 1.0), 256)}
    fig = Figure(figsize=size)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.02, 0.16, 0.96, 0.75), projection=maps.projection("robinson"))
    ax.set_global()
    maps.draw_base(ax, "110m")
    shown = np.ma.masked_invalid(np.where(values == 0, np.nan, values) if m.what != "max-duration" else values)
    mesh = ax.pcolormesh(dataset.lon.values, dataset.lat.values, shown, shading="nearest",
                         antialiased=False, transform=ccrs.PlateCarree(), zorder=1.5, rasterized=True, **style)
    bar = fig.colorbar(mesh, cax=fig.add_axes((0.3, 0.1, 0.4, 0.022)), orientation="horizontal")
    bar.set_label(label, fontsize=9)
    if "norm" in style:
        bar.set_ticks(range(1, top + 1, max(1, top // 10)))
    span = years_text(date_year(parameters["start"]), date_year(parameters["end"]))
    title = (f"{label[0].upper()}{label[1:]}, {span} "
             f"({parameters['eclipses']} eclipses, {parameters['resolution_deg']:g}-degree cells)")
    fig.text(0.5, 0.955, title, ha="center", va="center", fontsize=12, weight="bold")
    fig.text(0.5, 0.015, f"Local circumstances at each cell's centre; ephemeris JPL {parameters['ephemeris']}; "
             "map data Made with Natural Earth; eclipse-path", ha="center", fontsize=7, color="#555555")
    return fig
