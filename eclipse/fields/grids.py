"""Obscuration and magnitude over time, altitude, latitude and longitude.

For every instant and every observer, from the Besselian elements
(docs/formulas.md, "An observer"): the observer's fundamental coordinates
(xi, eta, zeta), its distance Delta from the shadow axis and the shadow's
radii L1, L2 in its plane; magnitude (L1 - Delta) / (L1 + L2) and the
obscuration, the overlap of the discs of radii (L1 + L2) / 2 and
(L1 - L2) / 2 whose centres lie Delta apart (``shadow.obscuration``), both 0
outside the penumbra (Delta >= L1).

Seen from a height the Sun is up while it is above the solid Earth's
horizon there, which dips below the astronomical one: on the fundamental
plane the Sun lies along +zeta, so an observer at (xi, eta, zeta) sees it
unless the ray (xi, eta, zeta + s), s > 0, meets the ellipsoid.  Along the
line (xi, eta) the ellipsoid's equation is a quadratic in zeta whose roots,
when the line meets the Earth at all (inside the outline), lie either side
of their mean, ``earth.outline_zeta``; an observer outside the ellipsoid
is above both roots or below both, so the Sun is up exactly where

    the line misses the Earth (outside the outline), or zeta >= outline_zeta.

On the ground this is the geodetic horizon (the ellipsoid's tangent plane),
as in ``eclipse.local``.  Where the Sun is down the fields are NaN.

Results are xarray DataArrays with CF-1.8 attributes; ``grid`` builds a
lazy (Dask) Dataset over a longitude-latitude grid for files of any size.

    >>> import eclipse, eclipse.fields
    >>> e = eclipse.at("2024-04-08")
    >>> eclipse.fields.obscuration(e, "2024-04-08T18:40", lat=[30, 32.8], lon=-96.8).values.round(3)
    array([0.975, 0.994])
"""

from __future__ import annotations

import contextlib
import datetime
import itertools
import json
import os
import shutil
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import dask.array as da
import h5py
import numpy as np
import numpy.typing as npt
import psutil
import xarray as xr
import zarr

from .. import interrupts
from ..constants import EARTH_RADIUS_KM, SECONDS_PER_DAY
from ..dates import (
    UNIX_EPOCH_JD,
    DateError,
    datetime64_from_jd,
    format_datetime,
    parse_datetime,
    ut_from_tt,
)
from ..errors import EclipseError
from ..geometry.earth import (
    Observer,
    ellipsoid_quadric,
    fundamental_coordinates,
    observer,
    outline_excess,
    outline_zeta,
)
from ..geometry.isolines import greatest_obscuration
from ..geometry.local import VALID_HOURS, check_location
from ..geometry.shadow import magnitude as disc_magnitude
from ..geometry.shadow import obscuration as disc_overlap
from ..io import files, stores

if TYPE_CHECKING:
    from ..search.results import Eclipse
    from ..sources.elements import BesselianElements

#: Times ``field`` takes: UT as datetime64, ISO text or datetime objects (one,
#: or a 1-D sequence), or an xarray.DataArray of datetime64.
Times = npt.ArrayLike | datetime.datetime | Sequence[datetime.datetime] | xr.DataArray
#: A coordinate ``field`` takes: a number, a 1-D array, or an xarray.DataArray
#: with dimensions of its own.
Coordinate = npt.ArrayLike | xr.DataArray
#: A float array.
Floats = npt.NDArray[np.float64]

#: Heights (km above the WGS84 ellipsoid) a field may be computed at: from
#: below the deepest ground to well above the ionosphere's F layer.
ALTITUDE_RANGE_KM = (-1.0, 2000.0)
#: Points computed at a time: 125 kB per temporary, below glibc's 128 KiB
#: mmap threshold, so that temporaries come from the heap and not from fresh
#: pages (at 1 << 15 each one faulted its pages in again: 5% slower).
BLOCK = 16000
DIMS = ("time", "altitude", "lat", "lon")
VARIABLES: dict[str, dict[str, Any]] = {
    "obscuration": {
        "long_name": "fraction of the Sun's disc area covered by the Moon",
        "units": "1",
        "valid_min": 0.0,
        "valid_max": 1.0,
        "comment": "0 outside the penumbra; NaN where the Sun's centre is below the horizon "
                   "of the solid Earth (WGS84 ellipsoid) seen from the observer's height",
    },
    "magnitude": {
        "long_name": "fraction of the Sun's diameter covered by the Moon",
        "units": "1",
        "valid_min": 0.0,
        "comment": "(L1 - Delta) / (L1 + L2): above 1 inside a path of totality; 0 outside the "
                   "penumbra; NaN where the Sun's centre is below the horizon of the solid Earth",
    },
}
COORDINATES: dict[str, dict[str, Any]] = {
    "time": {"standard_name": "time", "long_name": "time (UT)", "axis": "T"},
    "altitude": {"standard_name": "height_above_reference_ellipsoid", "long_name": "height above the WGS84 ellipsoid",
                 "units": "km", "positive": "up", "axis": "Z"},
    "lat": {"standard_name": "latitude", "long_name": "geodetic latitude (WGS84)", "units": "degrees_north",
            "axis": "Y"},
    "lon": {"standard_name": "longitude", "long_name": "longitude", "units": "degrees_east", "axis": "X"},
}


class FieldError(EclipseError):
    """Times, places or grids that the fields cannot be computed for."""


# --- the kernel -------------------------------------------------------------------


def evaluate(elements: BesselianElements, hours: npt.ArrayLike, latitude: npt.ArrayLike, longitude: npt.ArrayLike,
             altitude_km: npt.ArrayLike = 0.0) -> tuple[Floats, Floats]:
    """Obscuration and magnitude (numpy arrays of the broadcast shape) at
    ``hours`` from t0 (TT) for observers at geodetic latitude, east longitude
    (radians) and height (km); NaN where the Sun is down.

    The inputs broadcast against each other (numpy rules).  They are worked
    on in blocks of about BLOCK points along the leading axes, so that the
    separable parts (the elements per time, the observer per place) are
    computed once per block and the temporaries stay small.
    """
    hours, latitude, longitude, altitude_km = (np.asarray(v, dtype=float)
                                               for v in (hours, latitude, longitude, altitude_km))
    shape = np.broadcast_shapes(hours.shape, latitude.shape, longitude.shape, altitude_km.shape)
    if not shape:  # one point: as an array of one
        obscured, covered = evaluate(elements, *(v.reshape(1) for v in (hours, latitude, longitude, altitude_km)))
        return obscured.reshape(()), covered.reshape(())
    # the places once (not per block): rho sin phi', rho cos phi', longitude, latitude
    obs = observer(latitude, longitude, altitude_km * 1000.0)
    aloft = altitude_km > 0.0
    arrays = [hours, *obs, aloft]
    arrays = [a.reshape((1,) * (len(shape) - a.ndim) + a.shape) for a in arrays]
    obscured = np.empty(shape)
    magnitude = np.empty(shape)
    for index in _blocks(shape, BLOCK):
        parts = [a[tuple(_along(i, a.shape[k]) for k, i in enumerate(index))] for a in arrays]
        _evaluate_block(elements, obscured[index], magnitude[index], *parts)
    return obscured, magnitude


def _evaluate_block(elements: BesselianElements, obscured: Floats, magnitude: Floats, hours: Floats, rho_sin: Floats,
                    rho_cos: Floats, longitude: Floats, latitude: Floats, aloft: npt.NDArray[np.bool_]) -> None:
    """``evaluate`` on one block, into the (contiguous) views ``obscured``
    and ``magnitude``."""
    e = elements.at(hours)
    xi, eta, zeta = fundamental_coordinates(Observer(rho_sin, rho_cos, longitude, latitude), e.d, e.mu)
    u, v = e.x - xi, e.y - eta
    delta_squared = u * u + v * v
    penumbra = e.l1 - zeta * e.tan_f1
    sun_up = zeta >= outline_zeta(ellipsoid_quadric(e.d), eta)
    if np.any(aloft):  # (on the ground the line through a place always meets the Earth)
        sun_up |= outline_excess(xi, eta, e.d) > 0.0
    obscured[...] = 0.0
    obscured[~sun_up] = np.nan
    magnitude[...] = obscured
    obscured, magnitude = _flat(obscured), _flat(magnitude)
    inside = np.flatnonzero((delta_squared < penumbra * penumbra) & sun_up)
    if inside.size:
        shape = sun_up.shape

        def pick(value: npt.ArrayLike) -> Floats:
            return np.broadcast_to(value, shape).ravel()[inside]

        delta = np.sqrt(pick(delta_squared))
        l1 = pick(penumbra)
        l2 = pick(e.l2 - zeta * e.tan_f2)
        obscured[inside] = disc_overlap(delta, l1, l2)
        magnitude[inside] = disc_magnitude(delta, l1, l2)


def _blocks(shape: Sequence[int], size: int) -> Iterator[tuple[int | slice, ...]]:
    """Index tuples (ints, then one slice) cutting an array of ``shape`` into
    contiguous blocks of at most ``size`` elements along its leading axes
    (pieces of the last axis when one row alone is larger)."""
    shape = tuple(shape)
    axis, trailing = len(shape), 1
    while axis > 0 and trailing * shape[axis - 1] <= size:
        axis -= 1
        trailing *= shape[axis]
    if axis == 0:
        yield (slice(None),) * len(shape)
        return
    step = max(1, size // trailing)  # rows of the axis before the trailing block
    for outer in np.ndindex(*shape[:axis - 1]):
        for start in range(0, shape[axis - 1], step):
            yield outer + (slice(start, start + step),)


def _along(index: int | slice, length: int) -> int | slice:
    """``index`` of an axis, or its only element where the axis is broadcast."""
    if length > 1:
        return index
    return 0 if isinstance(index, int) else slice(None)


def _flat(view: Floats) -> Floats:
    """A 1-D view of a contiguous array (never a copy: writes must land)."""
    flat = view.view()
    flat.shape = (-1,)
    return flat


# --- xarray: fields at any times and places ---------------------------------------------


def obscuration(e: Eclipse, times: Times, lat: Coordinate, lon: Coordinate, altitude_km: Coordinate = 0.0) -> xr.DataArray:
    """Fraction of the Sun's disc area covered by the Moon, as an
    xarray.DataArray (``field``); NaN where the Sun is down."""
    return field(e, times, lat, lon, altitude_km)["obscuration"]


def magnitude(e: Eclipse, times: Times, lat: Coordinate, lon: Coordinate, altitude_km: Coordinate = 0.0) -> xr.DataArray:
    """Fraction of the Sun's diameter covered by the Moon, as an
    xarray.DataArray (``field``); above 1 inside a path of totality."""
    return field(e, times, lat, lon, altitude_km)["magnitude"]


def field(e: Eclipse, times: Times, lat: Coordinate, lon: Coordinate, altitude_km: Coordinate = 0.0) -> xr.Dataset:
    """Obscuration and magnitude of eclipse ``e`` as an xarray.Dataset.

    ``times`` are UT (numpy datetime64, ISO strings such as
    '2024-04-08T18:40:00', datetime objects); ``lat``, ``lon`` geodetic
    latitude and east longitude in degrees, ``altitude_km`` the height above
    the WGS84 ellipsoid.  Each is a scalar (no dimension), a 1-D array (its
    own dimension: time, lat, lon, altitude; the result is their outer
    product) or an xarray.DataArray keeping its own dimensions, which
    broadcast by name: lat and lon along a shared ``site`` dimension give a
    time series per site.  Dimensions come out in the order time, altitude,
    lat, lon, then any others.  Times must lie within VALID_HOURS of the
    elements' reference instant t0 (greatest eclipse, to the hour).
    """
    inputs = {"time": _as_times(times), "altitude": altitude_km, "lat": lat, "lon": lon}
    arrays = {name: _as_data_array(value, name) for name, value in inputs.items()}
    arrays = dict(zip(arrays, xr.align(*arrays.values(), join="exact")))
    _check_inputs(arrays)
    present = [d for d in DIMS if any(d in a.dims for a in arrays.values())]
    others = [d for a in arrays.values() for d in a.dims if d not in present]
    dims = present + list(dict.fromkeys(others))
    hours = _hours(e.elements, arrays["time"].values)
    data = {name: _expanded(a, dims) for name, a in arrays.items()}
    data["time"] = _expanded(arrays["time"].copy(data=hours), dims)
    rad = np.pi / 180.0
    obscured, covered = evaluate(e.elements, data["time"], data["lat"] * rad, data["lon"] * rad, data["altitude"])
    coords = {}
    for a in arrays.values():
        coords.update(dict(a.coords.items()))
    dataset = xr.Dataset({"obscuration": (dims, obscured), "magnitude": (dims, covered)}, coords=coords)
    return _with_attributes(dataset, e)


def _as_times(times: Times) -> Times:
    """UT instants as numpy datetime64[ms] (an xarray.DataArray passes
    through).  Text is read in the package's calendar (Julian before
    1582-10-15, as every date it prints), then held as the same instants in
    numpy's proleptic Gregorian datetime64."""
    if hasattr(times, "dims"):
        return times
    values = np.asarray(times)
    if values.dtype.kind in "US":
        try:
            jd = np.vectorize(parse_datetime, otypes=[float])(values.astype(str))
        except DateError as exc:
            raise FieldError(str(exc)) from None
        return datetime64_from_jd(jd)
    try:
        return np.asarray(values, dtype="datetime64[ms]")
    except (TypeError, ValueError):
        raise FieldError(f"cannot read times {str(times)[:60]!r}: give UT as ISO strings or datetime64") from None


def _as_data_array(value: Times, name: str) -> xr.DataArray:
    if isinstance(value, xr.DataArray):
        return value
    array = np.asarray(value) if name == "time" else np.asarray(value, dtype=float)
    if array.ndim > 1:
        raise FieldError(f"{name} has {array.ndim} dimensions: give a 1-D array, or an xarray.DataArray "
                         "with named dimensions")
    if array.ndim == 0:
        return xr.DataArray(array, coords={name: array})
    return xr.DataArray(array, dims=(name,), coords={name: array})


def _check_inputs(arrays: dict[str, xr.DataArray]) -> None:
    time = arrays["time"]
    if time.dtype.kind != "M":
        raise FieldError("times must be datetime64 (UT)")
    if np.any(np.isnat(time.values)):
        raise FieldError("times must not be NaT")
    check_location(arrays["lat"].values, arrays["lon"].values)
    check_altitudes(arrays["altitude"].values)


def check_altitudes(altitudes_km: npt.ArrayLike) -> Floats:
    """Heights in km as a 1-D float array; FieldError outside ALTITUDE_RANGE_KM."""
    altitudes = np.atleast_1d(np.asarray(altitudes_km, dtype=float))
    low, high = ALTITUDE_RANGE_KM
    if altitudes.ndim != 1 or not np.all(np.isfinite(altitudes)) or np.any((altitudes < low) | (altitudes > high)):
        raise FieldError(f"altitudes must be finite numbers from {low:g} km (below the deepest ground) to "
                         f"{high:g} km (well above the ionosphere)")
    return altitudes


def ut_epoch_seconds(elements: BesselianElements) -> float:
    """t0 of the elements as UT seconds since 1970-01-01 (TT - Delta T)."""
    return (ut_from_tt(float(elements.t0), float(elements.delta_t)) - UNIX_EPOCH_JD) * SECONDS_PER_DAY


def _hours(elements: BesselianElements, times: npt.ArrayLike) -> Floats:
    """Hours from t0 (TT) of UT datetime64 instants; FieldError beyond VALID_HOURS."""
    seconds = np.asarray(times, dtype="datetime64[ms]").astype(np.int64) / 1000.0
    hours = (seconds - ut_epoch_seconds(elements)) / 3600.0
    if np.any(np.abs(hours) > VALID_HOURS):
        first, last = (format_datetime(ut_from_tt(float(elements.t0), float(elements.delta_t)) + sign * VALID_HOURS / 24.0)
                       for sign in (-1, 1))
        raise FieldError(f"times must lie between {first} and {last} UT, within {VALID_HOURS:g} h of "
                         "this eclipse's elements (the shadow is off the Earth beyond)")
    return hours


def _expanded(array: xr.DataArray, dims: Sequence[Hashable]) -> npt.NDArray[Any]:
    """The values of a DataArray with an axis (maybe of length 1) per output dimension."""
    own = [d for d in dims if d in array.dims]
    values = np.asarray(array.transpose(*own).values, dtype=float if array.dtype.kind != "M" else None)
    return values[tuple(slice(None) if d in array.dims else None for d in dims)]


def _with_attributes(dataset: xr.Dataset, e: Eclipse) -> xr.Dataset:
    """CF-1.8 attributes of the variables, coordinates and the whole."""
    for name, attrs in VARIABLES.items():
        if name in dataset:
            dataset[name].attrs.update(attrs)
    for name, attrs in COORDINATES.items():
        if name in dataset.coords:
            dataset[name].attrs.update(attrs)
    dataset.attrs.update({
        "Conventions": "CF-1.8",
        "title": f"Solar eclipse of {e.date}: obscuration and magnitude",
        "source": f"eclipse-path: Besselian elements from JPL {e.ephemeris}, Delta T {float(e.elements.delta_t):.2f} s",
        "references": "Explanatory Supplement to the Astronomical Almanac (2013) ch. 11; "
                      "Espenak and Meeus, Five Millennium Canon of Solar Eclipses (2006)",
        "eclipse_date": e.date,
        "eclipse_kind": e.kind,
        "delta_t_s": float(e.elements.delta_t),
    })
    return dataset


# --- grids over the whole eclipse ----------------------------------------------------------

#: Cells of one chunk of a grid (a few tens of MB of temporaries while computed).
CHUNK_CELLS = 1 << 20
#: The finest grid: 0.0001 degree is 11 m (3.6 million cells around the equator).
MIN_RESOLUTION = 1e-4
#: Bytes of memory per cell while a chunk is computed (float64 temporaries).
WORKING_BYTES_PER_CELL = 200
#: Chunks ``save`` writes into a file before closing and opening it again:
#: while a file is open HDF5 keeps bookkeeping that grows with the chunks
#: written, about 1 kB a chunk (measured with h5py 3.16, HDF5 2.0: 10 MB
#: more at 2,000 chunks, 29 MB at 20,000, given back when the file closes).
CHUNKS_PER_OPENING = 1000
#: Output formats of ``save`` by file extension.
FORMATS = (".nc", ".zarr")


def cell_centres(resolution_deg: float, bbox: Sequence[float] | None = None) -> tuple[Floats, Floats]:
    """Latitudes and longitudes (degrees) of the centres of a grid's cells.

    Cells of ``resolution_deg`` tile the globe from (-180, -90); ``bbox``
    (west, south, east, north) keeps those whose centres lie in it.  When
    west > east the box crosses the antimeridian and its longitudes run east
    from ``west`` past 180 (to east + 360), so that they keep increasing.
    """
    res = float(resolution_deg)
    if not (np.isfinite(res) and MIN_RESOLUTION <= res <= 90):
        raise FieldError(f"resolution {resolution_deg:g} is not between {MIN_RESOLUTION:g} and 90 degrees")
    lat = np.arange(-90 + res / 2, 90, res)
    lon = np.arange(-180 + res / 2, 180, res)
    if bbox is None:
        return lat, lon
    west, south, east, north = (float(v) for v in bbox)
    if not all(np.isfinite((west, south, east, north))):
        raise FieldError("the box's corners must be finite numbers")
    if not -90 <= south < north <= 90:
        raise FieldError(f"the box's latitudes must satisfy -90 <= south < north <= 90, not {south:g}, {north:g}")
    if not (-180 <= west <= 180 and -180 <= east <= 180) or west == east:
        raise FieldError(f"the box's longitudes must be distinct and within [-180, 180], not {west:g}, {east:g}")
    lat = lat[(lat >= south) & (lat <= north)]
    if west < east:
        lon = lon[(lon >= west) & (lon <= east)]
    else:
        lon = np.concatenate([lon[lon >= west], lon[lon <= east] + 360.0])
    if not (lat.size and lon.size):
        raise FieldError(f"no cell centre of the {res:g}-degree grid lies in the box")
    return lat, lon


def eclipse_times(e: Eclipse, step_s: float, altitude_km: float = 0.0) -> npt.NDArray[np.datetime64]:
    """UT instants (datetime64[s]), whole multiples of ``step_s`` seconds,
    from before the penumbra first touches the shell ``altitude_km`` above
    the ellipsoid to after it leaves.

    Some point of that shell (within the sphere of radius rho = 1 + h / a)
    can be in the penumbra only while the axis passes within rho + L1 of the
    Earth's centre, L1 <= l1 + rho tan f1; this is tested every minute with
    0.02 radii to spare (the axis moves less than 1 radius an hour).
    """
    if not (np.isfinite(step_s) and step_s == int(step_s) and 1 <= step_s <= 3600):
        raise FieldError(f"the time step must be a whole number of seconds from 1 to 3600, not {step_s:g}")
    step = int(step_s)
    rho = 1.0 + float(altitude_km) / EARTH_RADIUS_KM
    hours = np.arange(-VALID_HOURS, VALID_HOURS + 1e-9, 1.0 / 60.0)
    el = e.elements.at(hours)
    reached = np.hypot(el.x, el.y) < rho + el.l1 + rho * el.tan_f1 + 0.02
    if not np.any(reached):
        raise FieldError(f"the penumbra of {e.date} does not reach {altitude_km:g} km")
    epoch = ut_epoch_seconds(e.elements)
    first = epoch + hours[reached][0] * 3600.0
    last = epoch + hours[reached][-1] * 3600.0
    # whole steps around [first, last], kept within VALID_HOURS of t0
    start = max(np.floor(first / step), np.ceil((epoch - VALID_HOURS * 3600.0) / step))
    end = min(np.ceil(last / step), np.floor((epoch + VALID_HOURS * 3600.0) / step))
    return (np.arange(int(start), int(end) + 1) * step).astype("datetime64[s]")


#: One cell of a grid's chunk under Dask: both fields, computed together.
GRID_RECORD = np.dtype([(name, np.float32) for name in VARIABLES])
#: Where ``grid`` leaves its plan in the Dataset's encoding, for ``save``.
_PLAN_KEY = "eclipse_grid_plan"


def grid(e: Eclipse, resolution_deg: float = 1.0, step_s: float = 300.0, altitudes_km: npt.ArrayLike = (0.0,),
         bbox: Sequence[float] | None = None, chunk_cells: int = CHUNK_CELLS) -> xr.Dataset:
    """Obscuration and magnitude over (time, altitude, lat, lon) as a lazy
    xarray.Dataset backed by Dask: cells of ``resolution_deg`` (``cell_centres``),
    times every ``step_s`` seconds over the eclipse (``eclipse_times``).

    Nothing is computed until the values are asked for (``.compute()``,
    ``save``).  A chunk is one time and one altitude by as many whole rows
    of cells as fit in ``chunk_cells`` (at least one row).  The Dask graph
    does not grow with the number of chunks (Blockwise layers: each chunk is
    computed from its index, ``_GridPlan``), and ``save`` writes the chunks
    one at a time without Dask.  Values are float32.
    """
    lat, lon = cell_centres(resolution_deg, bbox)
    altitudes = check_altitudes(altitudes_km)
    times = eclipse_times(e, step_s, altitudes.max())
    rows = int(min(len(lat), max(1, int(chunk_cells) // len(lon))))
    plan = _GridPlan(e.elements, _hours(e.elements, times), altitudes, lat, lon, rows)
    stacked = da.map_blocks(_grid_records, plan=plan, chunks=plan.chunks(), dtype=GRID_RECORD,
                            meta=np.empty((0,) * 4, dtype=GRID_RECORD))
    variables = {name: stacked[name] for name in VARIABLES}
    dataset = xr.Dataset(
        {name: (DIMS, values) for name, values in variables.items()},
        coords={"time": times.astype("datetime64[ms]"), "altitude": altitudes, "lat": lat, "lon": lon},
    )
    dataset.encoding[_PLAN_KEY] = (plan, {name: values.name for name, values in variables.items()})
    dataset = _with_attributes(dataset, e)
    dataset.attrs.update(stores.attributes("grid", grid_parameters(e, resolution_deg, step_s, altitudes, bbox)))
    return dataset


def grid_parameters(e: Eclipse, resolution_deg: float, step_s: float, altitudes_km: npt.ArrayLike,
                    bbox: Sequence[float] | None = None) -> dict[str, Any]:
    """What a grid's store records of how it was made: a store of the same
    parameters is the same grid (eclipse.stores)."""
    return {"date": e.date, "resolution_deg": float(resolution_deg), "step_s": float(step_s),
            "altitudes_km": [float(a) for a in np.atleast_1d(altitudes_km)],
            "bbox": [float(v) for v in bbox] if bbox is not None else None,
            "ephemeris": e.ephemeris, "delta_t_s": float(e.elements.delta_t), "delta_t_model": e.delta_t_model}


@dataclass(frozen=True, eq=False)
class _GridPlan:
    """How ``grid`` cuts its cells into chunks and computes them: chunk
    (i, j, k, 0) is time i, altitude j, the latitudes of rows k * rows to
    (k + 1) * rows and every longitude.  Dask's ``map_blocks`` computes a
    chunk from its index (``block_id``: no task per chunk is stored) and
    ``save`` from its region, both through ``block``."""

    elements: BesselianElements
    hours: Floats  # hours from t0 (TT) of the times
    altitudes: Floats  # km
    lat: Floats  # degrees
    lon: Floats  # degrees
    rows: int

    def chunks(self) -> tuple[tuple[int, ...], ...]:
        """Dask's chunks: the sizes of the chunks along each dimension."""
        starts = range(0, len(self.lat), self.rows)
        return ((1,) * len(self.hours), (1,) * len(self.altitudes),
                tuple(min(self.rows, len(self.lat) - y) for y in starts), (len(self.lon),))

    def region(self, index: tuple[int, ...]) -> tuple[slice, ...]:
        """The slices of chunk ``index`` (a Dask block_id) in the grid."""
        t, a, k, _ = index
        return (slice(t, t + 1), slice(a, a + 1), slice(k * self.rows, (k + 1) * self.rows), slice(None))

    def regions(self) -> Iterator[tuple[slice, ...]]:
        """Every chunk's region, in the file's order (C order)."""
        for index in np.ndindex(*(len(sizes) for sizes in self.chunks())):
            yield self.region(index)

    def block(self, region: tuple[slice, ...]) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
        """Obscuration and magnitude (float32) of the cells of ``region``."""
        t, a, y, x = region
        return _grid_block(self.elements, self.hours[t], self.altitudes[a], self.lat[y], self.lon[x])


def _grid_block(elements: BesselianElements, hours: Floats, altitudes: Floats, lat: Floats,
                lon: Floats) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """Obscuration and magnitude (float32) at every combination of
    ``hours`` (from t0, TT), ``altitudes`` (km), ``lat`` and ``lon``
    (degrees), shaped (time, altitude, lat, lon): one chunk of ``grid``."""
    rad = np.pi / 180.0
    obscured, covered = evaluate(elements, hours[:, None, None, None], lat[None, None, :, None] * rad,
                                 lon[None, None, None, :] * rad, altitudes[None, :, None, None])
    return obscured.astype(np.float32), covered.astype(np.float32)


def _grid_records(plan: _GridPlan, block_id: tuple[int, ...] | None = None) -> npt.NDArray[np.void]:
    """Chunk ``block_id`` of a grid as GRID_RECORD cells (Dask's form of ``_GridPlan.block``)."""
    assert block_id is not None  # (Dask passes it: the keyword is in the signature)
    obscured, covered = plan.block(plan.region(block_id))
    records = np.empty(obscured.shape, dtype=GRID_RECORD)
    records["obscuration"], records["magnitude"] = obscured, covered
    return records


def save(dataset: xr.Dataset, path: str, overwrite: bool = False) -> None:
    """Write a Dataset to netCDF-4 (``.nc``, h5netcdf, zlib) or Zarr (``.zarr``),
    whole or not at all (eclipse.files).  An existing directory is replaced
    only when it is a grid store of ours made with the same parameters, or
    with ``overwrite`` one of ours made with others (``check_store``).

    The fields of a ``grid`` (unchanged since) are written a chunk at a
    time, each computed, written and let go before the next
    (``_write_grid``): memory stays the same whatever the number of
    chunks.  Any other Dataset is written by xarray (``to_netcdf``,
    ``to_zarr``), Dask chunk by Dask chunk when it has them.  The two give
    the same files.
    """
    extension = next((x for x in FORMATS if path.endswith(x)), None)
    if extension is None:
        raise FieldError(f"cannot write {path}: the name must end in .nc (netCDF) or .zarr")
    plan = _own_plan(dataset)
    # time as CF numbers written here, not by xarray's encoder (which cannot
    # take years before 1 CE): the instants as seconds since 1970, read in
    # the "standard" calendar, Julian before 1582-10-15 as the package's dates
    dataset = dataset.assign_coords(time=cf_time(dataset["time"]))
    encoding = _encoding(dataset, extension)

    def write(tmp: str) -> None:
        if plan is not None:
            _write_grid(dataset, tmp, extension, encoding, plan)
        elif extension == ".nc":
            dataset.to_netcdf(tmp, engine="h5netcdf", encoding=encoding)
        else:
            dataset.to_zarr(tmp, mode="w", encoding=encoding, zarr_format=2, consolidated=True)

    def may_replace(real: str) -> None:
        check_store(real, dataset, overwrite, path)

    if extension == ".nc":
        files.write_atomically(path, write)
    else:
        files.write_tree_atomically(path, write, may_replace)


def _encoding(dataset: xr.Dataset, extension: str) -> dict[str, dict[str, Any]]:
    """How the fields are stored: float32 with NaN for missing values and,
    in netCDF, zlib level 1 in the Dask chunks (Zarr takes them itself)."""
    encoding: dict[str, dict[str, Any]] = {}
    for name in VARIABLES:
        if name in dataset:
            encoding[name] = {"_FillValue": np.float32(np.nan), "dtype": "float32"}
            if extension == ".nc":
                chunked = dataset[name].chunks
                chunks = tuple(c[0] for c in chunked) if chunked else None
                encoding[name].update(zlib=True, complevel=1, **({"chunksizes": chunks} if chunks else {}))
    return encoding


def _own_plan(dataset: xr.Dataset) -> _GridPlan | None:
    """The ``_GridPlan`` of a Dataset from ``grid`` whose fields are still the
    grid's own (the same Dask arrays: a Dask name names its computation),
    else None."""
    plan, names = dataset.encoding.get(_PLAN_KEY, (None, {}))
    present = [name for name in VARIABLES if name in dataset]
    if plan is None or not present:
        return None
    own = all(getattr(dataset[name].data, "name", None) == names.get(name) for name in present)
    return plan if own else None


def _write_grid(dataset: xr.Dataset, tmp: str, extension: str, encoding: dict[str, dict[str, Any]],
                plan: _GridPlan) -> None:
    """A grid's file at ``tmp``: xarray lays it out as ``to_netcdf`` or
    ``to_zarr`` would (dimensions, coordinates, attributes, the fields'
    types, fill values, compression and chunks) but computes nothing, then
    each chunk is computed (``_GridPlan.block``) and written into its region
    with h5py or zarr, one at a time, in this thread."""
    if extension == ".nc":
        store = xr.backends.H5NetCDFStore.open(tmp, mode="w")
    else:
        store = xr.backends.ZarrStore.open_group(tmp, mode="w", zarr_format=2, consolidated=False,
                                                 consolidate_on_close=True)
    try:
        dataset.dump_to_store(store, encoding=encoding)  # the fields' Dask arrays are left uncomputed
    finally:
        store.close()
    names = [name for name in VARIABLES if name in dataset]
    regions = plan.regions()
    while batch := list(itertools.islice(regions, CHUNKS_PER_OPENING)):
        with _opened_fields(tmp, extension, names) as targets:
            for region in batch:
                interrupts.check()  # a signal whose exception h5py's C code swallowed stops the next chunk
                values = dict(zip(VARIABLES, plan.block(region)))
                for name in names:
                    targets[name][region] = values[name]
                del values  # (before the next chunk is computed)


@contextlib.contextmanager
def _opened_fields(tmp: str, extension: str, names: Sequence[str]) -> Iterator[dict[str, h5py.Dataset | zarr.Array]]:
    """The fields of a file laid out by ``_write_grid``, open for writing
    (h5py datasets or zarr arrays, by name).  h5py, not h5netcdf: writing
    through h5netcdf's variables kept about 0.4 kB a write, and took three
    times as long (h5netcdf 1.8.3)."""
    if extension == ".nc":
        with h5py.File(tmp, "r+") as f:
            yield {name: f[name] for name in names}
    else:
        group = zarr.open_group(tmp, mode="r+", zarr_format=2)
        yield {name: group[name] for name in names}


TIME_UNITS = "seconds since 1970-01-01 00:00:00"


def cf_time(time: xr.DataArray) -> xr.DataArray:
    """A datetime64 time coordinate as CF numbers: seconds since 1970 (UT),
    calendar "standard" (Julian before 1582-10-15, Gregorian after, as the
    package's dates), the coordinate's attributes kept."""
    seconds = (time.values - np.datetime64("1970-01-01T00:00:00")) / np.timedelta64(1, "ms") / 1000.0
    return time.copy(data=seconds.astype(np.float64)).assign_attrs(units=TIME_UNITS, calendar="standard")


def check_store(path: str, dataset: xr.Dataset, overwrite: bool = False, name: str | None = None) -> str:
    """Whether ``dataset`` may be written as a Zarr store at the directory
    ``path`` (eclipse.stores.check_target): "new", "same" or "replace"."""
    parameters = json.loads(dataset.attrs.get(stores.parameters_attribute("grid"), "{}"))
    return stores.check_target(path, "grid", parameters, overwrite, name)


def check_fits(shape: Sequence[int], path: str, variables: int = 2, bytes_per_value: int = 4, row_bytes: int | None = None,
               hint: str = "use a coarser --resolution-deg, a longer --step-s, a --bbox or fewer --altitude-km") -> None:
    """Refuse, with the numbers, a grid of ``shape`` whose values would not
    fit on the disk holding ``path`` (uncompressed: an upper bound) or of
    which the part computed at once (``row_bytes``, by default one row of
    cells) would not fit in memory."""
    values = int(np.prod([int(n) for n in shape], dtype=object))
    size = values * variables * bytes_per_value
    directory = os.path.dirname(os.path.abspath(path))
    free = shutil.disk_usage(directory).free if os.path.isdir(directory) else None
    shown = " x ".join(f"{int(n):,}" for n in shape)
    if free is not None and size > free:
        raise FieldError(f"a grid of {shown} = {values:,} values would take up to {_bytes(size)} "
                         f"uncompressed; {directory} has {_bytes(free)} free: {hint}")
    row = int(shape[-1]) * WORKING_BYTES_PER_CELL if row_bytes is None else row_bytes
    available = psutil.virtual_memory().available
    if row > available / 4:
        raise FieldError(f"computing a grid of {shown} needs {_bytes(row)} of memory at once; "
                         f"{_bytes(available)} is available: {hint}")


def _bytes(n: float) -> str:
    for unit in ("bytes", "kB", "MB", "GB", "TB", "PB"):
        if n < 1000 or unit == "PB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000.0
    return ""


def grid_shape(e: Eclipse, resolution_deg: float, step_s: float, altitudes_km: npt.ArrayLike = (0.0,),
               bbox: Sequence[float] | None = None) -> tuple[int, int, int, int]:
    """The (time, altitude, lat, lon) sizes of ``grid``, counted without building it."""
    res = float(resolution_deg)
    if not (np.isfinite(res) and MIN_RESOLUTION <= res <= 90):
        raise FieldError(f"resolution {resolution_deg:g} is not between {MIN_RESOLUTION:g} and 90 degrees")
    if bbox is None:
        lat_span, lon_span = 180.0, 360.0
    else:
        west, south, east, north = (float(v) for v in bbox)
        lat_span, lon_span = abs(north - south), (east - west) % 360.0
    times = eclipse_times(e, step_s, float(np.max(check_altitudes(altitudes_km))))
    return (len(times), len(np.atleast_1d(altitudes_km)), int(lat_span / res) + 1, int(lon_span / res) + 1)


def max_obscuration(e: Eclipse, lat: npt.ArrayLike, lon: npt.ArrayLike) -> xr.DataArray:
    """The greatest obscuration seen with the Sun up from the ground at each
    cell (lat x lon, degrees, 1-D each) during eclipse ``e``, from its local
    circumstances (``obscuration_visible``: at maximum, or at sunrise or
    sunset when the Sun is down at maximum; 0 where nothing is seen)."""
    lat, lon = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
    values = xr.DataArray(greatest_obscuration(e, lat, lon), dims=("lat", "lon"), coords={"lat": lat, "lon": lon},
                          name="max_obscuration", attrs={
                              "long_name": "greatest fraction of the Sun's disc area covered, seen with the Sun up",
                              "units": "1"})
    for name in ("lat", "lon"):
        values[name].attrs.update(COORDINATES[name])
    return values
