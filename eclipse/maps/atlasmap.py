"""The map of an atlas (``eclipse atlas --png``): its variable on a world
map, cell by cell, with a colour bar.  Reads only the Dataset: its variable,
that variable's attributes and the atlas's parameters (the root attribute
``eclipse_atlas``), so that maps need nothing of ``eclipse.fields``."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import cartopy.crs as ccrs
import cftime
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import BoundaryNorm
from matplotlib.figure import Figure

from ..constants import SECONDS_PER_DAY
from ..dates import calendar_from_jd, parse_date
from ..io.text import years_text
from .figures import draw_base, projection

if TYPE_CHECKING:  # (xarray only for its types: maps need not the fields extra)
    import xarray as xr
    from cartopy.mpl.geoaxes import GeoAxes


def atlas_figure(dataset: xr.Dataset, size: tuple[float, float] = (11.0, 6.2)) -> Figure:
    """A world map (Robinson) of an atlas: its variable shaded cell by cell
    with a colour bar, coastlines and borders over it, a title."""
    parameters = json.loads(dataset.attrs["eclipse_atlas"])
    what = parameters["what"]
    name = next(iter(dataset.data_vars))
    values = dataset[name].values
    if what == "next-total" and values.dtype.kind == "O":  # dates before 1582 decode to cftime
        values = np.array([np.nan if v is None or v != v else _days(v) for v in values.ravel()]).reshape(values.shape)
    style: dict[str, Any] = {"cmap": "viridis"}
    label = dataset[name].attrs["long_name"]
    if what == "next-total":  # decimal years for the colour bar (xarray decodes the days to datetime64)
        days = values.astype("datetime64[s]").astype(float) / SECONDS_PER_DAY if values.dtype.kind == "M" else values
        values = np.where(np.isnat(values) if values.dtype.kind == "M" else np.isnan(values), np.nan,
                          1970.0 + days / 365.2425)
        label = "year of the next total eclipse seen"
    elif what == "max-duration":
        values = values / 60.0
        label = "longest totality seen (minutes)"
    elif what == "max-obscuration":
        style = {"cmap": "magma_r", "vmin": 0.0, "vmax": 1.0}
    else:  # counts: one colour per whole number
        top = max(1, int(np.nanmax(values)))
        style = {"cmap": "viridis", "norm": BoundaryNorm(np.arange(0.5, top + 1.0), 256)}
    fig = Figure(figsize=size)
    FigureCanvasAgg(fig)
    ax: GeoAxes = fig.add_axes((0.02, 0.16, 0.96, 0.75), projection=projection("robinson"))
    ax.set_global()
    draw_base(ax, "110m")
    shown = np.ma.masked_invalid(np.where(values == 0, np.nan, values) if what != "max-duration" else values)
    mesh = ax.pcolormesh(dataset.lon.values, dataset.lat.values, shown, shading="nearest",
                         antialiased=False, transform=ccrs.PlateCarree(), zorder=1.5, rasterized=True, **style)
    bar = fig.colorbar(mesh, cax=fig.add_axes((0.3, 0.1, 0.4, 0.022)), orientation="horizontal")
    bar.set_label(label, fontsize=9)
    if "norm" in style:
        bar.set_ticks(range(1, top + 1, max(1, top // 10)))
    span = years_text(*(calendar_from_jd(parse_date(parameters[key]))[0] for key in ("start", "end")))
    title = (f"{label[0].upper()}{label[1:]}, {span} "
             f"({parameters['eclipses']} eclipses, {parameters['resolution_deg']:g}-degree cells)")
    fig.text(0.5, 0.955, title, ha="center", va="center", fontsize=12, weight="bold")
    fig.text(0.5, 0.015, f"Local circumstances at each cell's centre; ephemeris JPL {parameters['ephemeris']}; "
             "map data Made with Natural Earth; eclipse-path", ha="center", fontsize=7, color="#555555")
    return fig


def _days(moment: cftime.datetime) -> float:
    """Days since 1970-01-01 of a cftime date (an atlas's dates before 1582)."""
    return float(cftime.date2num(moment, "days since 1970-01-01 00:00:00", calendar="standard"))
