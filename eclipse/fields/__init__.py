"""Gridded results with xarray: obscuration and magnitude fields, and atlases
over many eclipses on Dask (the ``fields`` extra).

An optional back end of the pipeline's last stage: ``grids`` evaluates the
shadow over time, altitude, latitude and longitude (``field``, ``grid``,
``save``); an atlas (``atlas``) counts over a span of eclipses what each
cell sees, cut into tiles and batches (``culling``) run on a Dask cluster
(``cluster``) into a checked, resumable Zarr store (``store``).  It imports
nothing of ``eclipse.maps`` or ``eclipse.web``.

    >>> import eclipse, eclipse.fields
    >>> e = eclipse.at("2024-04-08")
    >>> eclipse.fields.obscuration(e, "2024-04-08T18:40", lat=[30, 32.8], lon=-96.8).values.round(3)
    array([0.975, 0.994])
"""

from __future__ import annotations

from .atlases import atlas, describe, run_parameters
from .cluster import ClusterError, check_scheduler, connect
from .grids import (
    FORMATS,
    FieldError,
    cell_centres,
    check_fits,
    check_store,
    eclipse_times,
    evaluate,
    field,
    grid,
    grid_shape,
    magnitude,
    max_obscuration,
    obscuration,
    save,
)
from .measures import MEASURES, AtlasError, Measure, measure

__all__ = ["field", "obscuration", "magnitude", "max_obscuration", "grid", "save", "evaluate", "cell_centres",
           "eclipse_times", "grid_shape", "check_fits", "check_store", "FORMATS", "FieldError", "atlas", "describe",
           "run_parameters", "MEASURES", "Measure", "measure", "AtlasError", "connect", "check_scheduler",
           "ClusterError"]
