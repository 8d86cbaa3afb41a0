"""Atlases over many eclipses: one number per cell of a longitude-latitude grid.

How many total (annular, central) eclipses each place sees in a span of
years, when the next total one comes, the longest totality, the greatest
obscuration (``measures``).  Tasks (a batch of eclipses x a tile of cells,
``culling.tile_values``) run on dask.distributed (``cluster``); each result
lands in the Zarr store as a chunk of the ``partial`` array, its digest
recorded first (``store``), and a tile's final chunk is reduced from its
partials when all are in.  Killed at any moment, the same command resumes
from the chunks present and whole.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import os
import sys
from collections.abc import Iterable, Sequence
from concurrent.futures import CancelledError
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import xarray as xr
from distributed import as_completed
from tqdm import tqdm

from ..dates import day_of, format_date
from ..errors import EclipseError, RunError, reason
from ..io import files, stores
from ..search import find
from ..sources.elements import BesselianElements, stack_elements
from .cluster import connect, lost
from .culling import BLOCK, tile_values
from .grids import cell_centres, check_fits
from .measures import MEASURES, AtlasError, measure
from .store import LAYOUT, PARTIAL, Store, Tile, _writing, create_store

if TYPE_CHECKING:
    from distributed import Client, Future

    from ..search.results import Eclipse
    from ..sources import Source

#: Default cells along each side of a tile (a Zarr chunk, a task's area).
CHUNK = 256


#: Default eclipses per task.
BATCH = 32


def atlas(start: str | float | datetime.date | np.datetime64, end: str | float | datetime.date | np.datetime64,
          what: str, resolution_deg: float = 1.0, bbox: Sequence[float] | None = None, path: str = "atlas.zarr", *,
          workers: int | None = None, scheduler: str | None = None, chunk: int = CHUNK, batch: int = BATCH,
          ephemeris: str | Source | None = None, delta_t: float | None = None, delta_t_model: str | None = None,
          progress: bool | None = None, overwrite: bool = False) -> xr.Dataset:
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
               hint="use a coarser --resolution-deg, a --bbox or a smaller --chunk")
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
                if store is None or todo is None:  # (either both or neither)
                    create_store(real, parameters, m, lat, lon, len(batches), chunk)
                    store = Store(real, m, lat, lon, len(batches), chunk)
                    todo, damaged = store.todo()
                _say_resumed(path, store, todo, damaged)
                run(client, store, batches, todo, progress)
            store.finish()
    return xr.open_zarr(real)


def run_parameters(start: str, end: str, what: str, resolution_deg: float, bbox: Sequence[float] | None = None,
                   chunk: int = CHUNK, batch: int = BATCH, eclipses: Sequence[Eclipse] = (), delta_t: float | None = None,
                   delta_t_model: str | None = None, ephemeris: str | Source | None = None) -> dict[str, Any]:
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


def _check_counts(workers: int | None, chunk: int, batch: int) -> None:
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


def _say_resumed(path: str, store: Store, todo: dict[Tile, list[int]], damaged: int) -> None:
    """A line on standard error when a run goes on from an earlier one."""
    total = len(store.tiles) * store.batches
    left = sum(len(batches) for batches in todo.values())
    if damaged:
        print(f"{path}: {damaged} chunk{'s' * (damaged != 1)} damaged or not the one expected, "
              "to be computed again", file=sys.stderr)
    if todo and left < total:
        print(f"resuming {path}: {total - left} of {total} tasks already done", file=sys.stderr)


def run(client: Client, store: Store, batches: Sequence[Sequence[BesselianElements]], todo: dict[Tile, list[int]],
        progress: bool | None) -> None:
    """Submit the tasks ``todo`` (tile -> batches), write their results as
    they come, reduce each tile when its partials are all in."""
    sizes = [len(b) for b in batches]
    done_pairs = sum(sizes) * len(store.tiles) - sum(sizes[b] for left in todo.values() for b in left)
    bar = tqdm(total=sum(sizes) * len(store.tiles), initial=done_pairs, unit=" eclipse-tiles",
               disable=None if progress is None else not progress, file=sys.stderr, smoothing=0.05)
    futures: dict[Future, tuple[int, Tile, int]] = {}

    packed = [pack(batch) for batch in batches]

    def submit(b: int, tile: Tile, attempt: int = 0) -> Future:
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


def pack(batch: Iterable[BesselianElements]) -> dict[str, npt.NDArray[np.float64]]:
    """A batch of eclipses' elements as plain arrays, one per field (Dask
    sends numpy arrays as they are; objects it pickles one by one)."""
    stacked = stack_elements(list(batch))
    return {f.name: getattr(stacked, f.name) for f in dataclasses.fields(stacked)}


def task(packed: dict[str, npt.NDArray[np.float64]], lat: npt.NDArray[np.float64], lon: npt.NDArray[np.float64],
         what: str) -> npt.NDArray[Any]:
    """An atlas task: ``tile_values`` on a batch from ``pack``."""
    return tile_values(BesselianElements(**packed), lat, lon, what)


#: How many times a task whose result was lost with a worker is run again.
RETRIES = 3


def _result(future: Future, result: Any, attempt: int) -> npt.NDArray[Any] | None:
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


def _reduce_tile(store: Store, tile: Tile) -> int:
    m = store.measure
    reduced = m.reduce.reduce(store.read_partials(tile), axis=0).astype(m.dtype)
    with _writing(store.path):
        store.write(m.name, tile, reduced)
    return 1


def describe(dataset: xr.Dataset) -> str:
    """One line about an atlas: its variable, cells and eclipses."""
    parameters = json.loads(dataset.attrs["eclipse_atlas"])
    name = MEASURES[parameters["what"]].name
    return (f"{name}: {dataset.sizes['lat']} x {dataset.sizes['lon']} cells, {parameters['eclipses']} eclipses "
            f"{parameters['first_eclipse']} to {parameters['last_eclipse']}")
