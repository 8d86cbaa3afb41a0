"""The atlas's Zarr store: its arrays, its chunks' digests, its making.

Arrays: the measure (lat, lon), chunked by tiles, and PARTIAL (batch,
lat, lon), one chunk per task; both in Zarr format 2 (GDAL, QGIS,
netCDF-Java read it).  Root attributes hold the parameters (JSON) and
whether the atlas is complete (``io.stores`` reads them).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import dask.array as da
import numpy as np
import numpy.typing as npt
import xarray as xr
import zarr

from ..errors import reason
from ..io import files, stores
from .grids import COORDINATES
from .measures import Measure

if TYPE_CHECKING:
    from zarr.core.array_spec import ArrayConfigParams

#: A tile of the grid: its row and column of chunks.
Tile = tuple[int, int]
#: A chunk of an array: a tile, after the batch for the partials.
ChunkIndex = tuple[int, ...]

#: Version of the store's layout, part of its parameters (2: chunks with
#: digests): a store of another version is another store.
LAYOUT = 2
PARTIAL = "partial"


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

    def __init__(self, path: str, m: Measure, lat: npt.NDArray[np.float64], lon: npt.NDArray[np.float64],
                 batches: int, chunk: int) -> None:
        self.path, self.measure, self.lat, self.lon = path, m, lat, lon
        self.batches, self.chunk = batches, chunk
        self.tiles: list[Tile] = [(i, j) for i in range(-(-len(lat) // chunk)) for j in range(-(-len(lon) // chunk))]
        self.digests = read_checksums(path)

    def window(self, tile: ChunkIndex) -> tuple[slice, slice]:
        """The rows and columns of the grid in a tile."""
        i, j = tile
        return slice(i * self.chunk, (i + 1) * self.chunk), slice(j * self.chunk, (j + 1) * self.chunk)

    def present(self, name: str) -> set[ChunkIndex]:
        """Chunk indices (tuples) of the chunk files present in array ``name``."""
        directory = os.path.join(self.path, name)
        present: set[ChunkIndex] = set()
        for entry in os.listdir(directory) if os.path.isdir(directory) else ():
            parts = entry.split(".")
            if all(p.isdigit() for p in parts):
                present.add(tuple(int(p) for p in parts))
            elif entry.endswith(".partial"):  # a write a kill interrupted (never trusted)
                os.unlink(os.path.join(directory, entry))
        return present

    def verified(self, name: str) -> tuple[set[ChunkIndex], int]:
        """The chunks of array ``name`` that are done (present, readable, with
        the digest recorded for them), and how many others were present:
        those are removed, to be computed again."""
        good: set[ChunkIndex] = set()
        bad = 0
        for index in sorted(self.present(name)):
            expected = self.digests.get((name, index))
            try:
                values = np.asarray(self.array(name)[self._region(name, index)]) if expected else None
            except Exception:
                values = None
            if values is not None and digest(name, index, values) == expected:
                good.add(index)
            else:
                bad += 1
                os.unlink(os.path.join(self.path, name, ".".join(map(str, index))))
        return good, bad

    def _region(self, name: str, index: ChunkIndex) -> tuple[int | slice, ...]:
        """The slices of a chunk of array ``name``."""
        return index[:-2] + self.window(index[-2:]) if name == PARTIAL else self.window(index)

    def array(self, name: str) -> zarr.Array:
        """The Zarr array ``name``, opened once (every chunk written, even
        one of fill values: its presence says the task is done)."""
        opened: dict[str, zarr.Array] = self.__dict__.setdefault("_arrays", {})
        if name not in opened:
            # (zarr marks the keys NotRequired with typing.NotRequired, new in Python 3.11: mypy, checking
            # for 3.10 as configured, takes every key as required)
            config: ArrayConfigParams = {"write_empty_chunks": True}  # type: ignore[typeddict-item]
            opened[name] = zarr.open_array(self.path, path=name, mode="r+").with_config(config)
        return opened[name]

    def write(self, name: str, index: ChunkIndex, values: npt.ArrayLike) -> None:
        """Record the digest of one chunk (its index), then write it.  In
        that order a kill between the two leaves a digest without its chunk
        (a chunk missing, computed again), never a chunk without its digest
        (Zarr puts a chunk in place whole, by a rename)."""
        array = self.array(name)
        stored = np.asarray(values, dtype=array.dtype)
        self.digests[(name, index)] = digest(name, index, stored)
        with open(os.path.join(self.path, CHECKSUMS), "a", encoding="ascii") as f:
            f.write(f"{name} {'.'.join(map(str, index))} {self.digests[(name, index)]}\n")
        array[self._region(name, index)] = stored

    def read_partials(self, tile: Tile) -> npt.NDArray[Any]:
        """The partials of a tile: every batch's values there (batch, lat, lon)."""
        return np.asarray(self.array(PARTIAL)[(slice(None),) + self.window(tile)])

    def todo(self) -> tuple[dict[Tile, list[int]], int]:
        """The batches still to compute for each tile not finished, and how
        many chunks present were damaged or not the ones expected."""
        with _writing(self.path):
            return self._todo()

    def _todo(self) -> tuple[dict[Tile, list[int]], int]:
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
        if os.path.isdir(os.path.join(self.path, PARTIAL)):
            return
        final = self.array(self.measure.name)
        array = zarr.create_array(self.path, name=PARTIAL, shape=(self.batches,) + final.shape,
                                  chunks=(1, self.chunk, self.chunk), dtype=final.dtype,
                                  fill_value=final.fill_value, zarr_format=2)
        array.attrs["_ARRAY_DIMENSIONS"] = ["batch", "lat", "lon"]

    def _mark_complete(self, complete: bool) -> None:
        """Set the root attribute "complete", metadata consolidated again."""
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


def digest(name: str, index: ChunkIndex, values: npt.NDArray[Any]) -> str:
    """SHA-256 of what was computed for one chunk: its array's name, its
    index and its values (as stored)."""
    h = hashlib.sha256(f"{name} {'.'.join(map(str, index))} {values.dtype.str} {values.shape}\n".encode())
    h.update(np.ascontiguousarray(values).tobytes())
    return h.hexdigest()


def read_checksums(path: str) -> dict[tuple[str, ChunkIndex], str]:
    """The digests recorded in a store, the last for each chunk; a line cut
    short by a kill is ignored (its chunk is then computed again)."""
    digests: dict[tuple[str, ChunkIndex], str] = {}
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


def create_store(path: str, parameters: dict[str, Any], m: Measure, lat: npt.NDArray[np.float64],
                 lon: npt.NDArray[np.float64], batches: int, chunk: int) -> None:
    """A new, empty atlas store at ``path`` (built aside, then renamed onto it)."""
    def build(tmp: str) -> None:
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


@contextlib.contextmanager
def _writing(path: str) -> Iterator[None]:
    """An OSError while the store ``path`` is written (a full disk, an I/O
    error) as files.WriteError: one line that says what to do.  The chunks
    written stay, and the same command resumes from them."""
    try:
        yield
    except OSError as exc:
        hint = "free some space and " if exc.errno in (errno.ENOSPC, errno.EDQUOT) else ""
        raise files.WriteError(f"cannot write {path}: {reason(exc)}; {hint}"
                               "run the same command again to resume") from None
