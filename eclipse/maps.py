"""Maps of eclipses with cartopy and matplotlib, drawn offline.

Coastlines, land, lakes, borders and cities come from the Natural Earth
GeoJSON files shipped in ``eclipse/data/naturalearth`` (public domain); cartopy's
own downloader is never reached.  Matplotlib and cartopy are imported here
only, so the rest of the package starts fast.

    >>> import eclipse, eclipse.maps
    >>> fig = eclipse.maps.plot(eclipse.at("2024-04-08"))
    >>> eclipse.maps.save(fig, "eclipse-2024-04-08.png")
"""

from __future__ import annotations

import functools
import gzip
import json
import os
import tempfile
from importlib.resources import files

import numpy as np

from .errors import EclipseError

DATA = files("eclipse") / "data" / "naturalearth"
EXTENSIONS = ("png", "svg", "pdf")
PROJECTIONS = {
    "orthographic": "Orthographic",
    "platecarree": "PlateCarree",
    "robinson": "Robinson",
    "mollweide": "Mollweide",
    "equalearth": "EqualEarth",
    "mercator": "Mercator",
    "lambertconformal": "LambertConformal",
    "azimuthalequidistant": "AzimuthalEquidistant",
    "nearsideperspective": "NearsidePerspective",
}
#: Colours by kind of central eclipse, and of the layers.
KIND_COLOURS = {"total": "#b2182b", "annular": "#2166ac", "hybrid": "#762a83", "partial": "#7f7f7f"}
PENUMBRA_COLOUR = "#fee8c8"
MAGNITUDE_COLOUR = "#d95f0e"
HORIZON_COLOUR = "#4d4d4d"
LAND_COLOUR = "#f2efe6"
WATER_COLOUR = "#dbe9f4"
MAGNITUDE_LEVELS = (0.2, 0.4, 0.6, 0.8)
CREDIT = "Ephemeris JPL {ephemeris}; Delta T {delta_t:.1f} s; map data Made with Natural Earth; eclipse-path"


class MapError(EclipseError):
    """A map that cannot be drawn or written as asked."""


# --- Natural Earth -----------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def natural_earth(layer: str, scale: str = "110m"):
    """Shapely geometries of a Natural Earth layer ('coastline', 'land', 'lakes',
    'admin_0_boundary_lines_land', 'admin_1_states_provinces_lines')."""
    from shapely.geometry import shape

    return [shape(f["geometry"]) for f in _features(layer, scale) if f["geometry"]]


@functools.lru_cache(maxsize=None)
def cities(scale: str = "50m") -> list[dict]:
    """Populated places: name, country, latitude, longitude, population."""
    return [
        {"name": p["name"], "country": p["adm0name"], "latitude": p["latitude"],
         "longitude": p["longitude"], "population": p["pop_max"]}
        for p in (f["properties"] for f in _features("populated_places_simple", scale))
    ]


def _features(layer: str, scale: str) -> list[dict]:
    with gzip.open(DATA.joinpath(f"ne_{scale}_{layer}.geojson.gz").open("rb")) as f:
        return json.load(f)["features"]


# --- projections and files -------------------------------------------------------------


def projection(name: str, central_longitude: float = 0.0, central_latitude: float = 0.0):
    """A cartopy projection by its lower-case name, centred where it can be."""
    import cartopy.crs as ccrs

    key = name.lower().replace("_", "").replace("-", "")
    if key not in PROJECTIONS:
        raise MapError(f"unknown projection {name!r}: choose from {', '.join(PROJECTIONS)}")
    cls = getattr(ccrs, PROJECTIONS[key])
    kwargs = {"central_longitude": central_longitude}
    if key in ("orthographic", "lambertconformal", "azimuthalequidistant", "nearsideperspective"):
        kwargs["central_latitude"] = central_latitude
    return cls(**kwargs)


def check_output(filename: str) -> str:
    """The format of an output file from its extension; raises MapError."""
    extension = os.path.splitext(filename)[1].lower().lstrip(".")
    if extension not in EXTENSIONS:
        raise MapError(f"cannot write {filename!r}: the extension must be one of .png, .svg, .pdf")
    directory = os.path.dirname(os.path.abspath(filename))
    if not os.path.isdir(directory) or not os.access(directory, os.W_OK):
        raise MapError(f"cannot write {filename}: {directory} is not a writable directory")
    return extension


def save(fig, filename: str, dpi: float = 150) -> str:
    """Write a figure whole or not at all (a temporary file, then a rename)."""
    extension = check_output(filename)
    directory = os.path.dirname(os.path.abspath(filename))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".eclipse-map-", suffix="." + extension)
    os.close(fd)
    try:
        fig.savefig(tmp, format=extension, dpi=dpi)
        os.replace(tmp, filename)
    except BaseException as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise MapError(f"cannot write {filename}: {exc.strerror or exc}") from None
        raise
    return filename


def _pyplot():
    import matplotlib

    if not os.environ.get("DISPLAY") and not os.environ.get("MPLBACKEND"):
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


# --- layers -------------------------------------------------------------------------


def draw_base(ax, scale: str = "110m", states: bool = False) -> None:
    """Water, land, lakes, coastlines, borders and a graticule."""
    import cartopy.crs as ccrs

    geo = ccrs.PlateCarree()
    ax.set_facecolor(WATER_COLOUR)
    ax.add_geometries(natural_earth("land", scale), geo, facecolor=LAND_COLOUR, edgecolor="none", zorder=0)
    ax.add_geometries(natural_earth("lakes", scale), geo, facecolor=WATER_COLOUR, edgecolor="none", zorder=0.1)
    ax.add_geometries(natural_earth("coastline", scale), geo, facecolor="none",
                      edgecolor="#6b6b6b", linewidth=0.5, zorder=3)
    ax.add_geometries(natural_earth("admin_0_boundary_lines_land", scale), geo, facecolor="none",
                      edgecolor="#8c8c8c", linewidth=0.4, zorder=3)
    if states:
        ax.add_geometries(natural_earth("admin_1_states_provinces_lines", scale), geo, facecolor="none",
                          edgecolor="#b0b0b0", linewidth=0.3, linestyle=":", zorder=3)
    ax.gridlines(crs=geo, color="#9a9a9a", linewidth=0.3, alpha=0.6,
                 xlocs=np.arange(-180, 181, 30), ylocs=np.arange(-90, 91, 30), zorder=3.5)


def magnitude_grid(eclipse, resolution_deg: float = 1.0):
    """Magnitude at maximum over a longitude-latitude grid, NaN where the
    Sun is down at maximum or no eclipse is seen: what the equal-magnitude
    lines and the shading are drawn from."""
    lon = np.arange(-180.0, 180.0 + resolution_deg / 2, resolution_deg)
    lat = np.arange(-90.0, 90.0 + resolution_deg / 2, resolution_deg)
    grid_lon, grid_lat = np.meshgrid(lon, lat)
    seen = eclipse.local(grid_lat, grid_lon)
    magnitude = np.where(seen.magnitude > 0, seen.magnitude, np.nan)
    magnitude = np.where(seen.sun_altitude_deg > 0, magnitude, np.nan)
    return lon, lat, magnitude


def draw_penumbra(ax, eclipse, resolution_deg: float = 1.0) -> None:
    """The partial phase: shading and lines of equal magnitude 0.2 ... 0.8."""
    import cartopy.crs as ccrs

    geo = ccrs.PlateCarree()
    lon, lat, magnitude = magnitude_grid(eclipse, resolution_deg)
    filled = np.where(np.isfinite(magnitude), 1.0, 0.0)
    ax.contourf(lon, lat, filled, levels=[0.5, 1.5], colors=[PENUMBRA_COLOUR], alpha=0.8,
                transform=geo, zorder=1, transform_first=True)
    if np.nanmax(np.nan_to_num(magnitude, nan=0)) > MAGNITUDE_LEVELS[0]:
        lines = ax.contour(lon, lat, np.nan_to_num(magnitude, nan=0.0), levels=MAGNITUDE_LEVELS,
                           colors=MAGNITUDE_COLOUR, linewidths=0.7, transform=geo, zorder=4,
                           transform_first=True)
        ax.clabel(lines, fmt="%.1f", fontsize=7, inline=True)


def draw_path(ax, path, colour: str, label_times: bool = True) -> None:
    """The umbral path filled, its limits, the central line with time marks."""
    import cartopy.crs as ccrs

    geo = ccrs.PlateCarree()
    if path.umbra is not None and not path.umbra.is_empty:
        ax.add_geometries([path.umbra], geo, facecolor=colour, edgecolor="none", alpha=0.45, zorder=5)
    for name in ("umbra_north_limit", "umbra_south_limit"):
        _draw_curve(ax, getattr(path, name), color=colour, linewidth=0.8, zorder=6)
    line = path.central_line
    _draw_curve(ax, line, color=colour, linewidth=1.0, zorder=6, linestyle="--")
    if label_times and line is not None and len(line) > 1:
        _time_marks(ax, path, colour)


def _draw_curve(ax, curve, **style) -> None:
    import cartopy.crs as ccrs

    if curve is None or not len(curve):
        return
    for part in curve.parts():
        if len(part) > 1:
            ax.plot(curve.longitude[part], curve.latitude[part], transform=ccrs.Geodetic(), **style)


def _time_marks(ax, path, colour: str) -> None:
    """Marks on the central line every 10 minutes or so of UTC, labelled."""
    import cartopy.crs as ccrs

    from .dates import format_time
    from .earth import point_under

    line = path.central_line
    ut = line.jd_ut
    span_min = (ut.max() - ut.min()) * 1440.0
    every = next((m for m in (5, 10, 15, 20, 30, 60) if span_min / m <= 14), 60)
    start = np.ceil(ut.min() * 1440.0 / every) * every
    marks = np.arange(start, ut.max() * 1440.0, every) / 1440.0
    if not len(marks):
        return
    elements = path.elements
    t = elements.hours(marks + path.delta_t / 86400.0)
    e = elements.at(t)
    lat, lon = np.degrees(point_under(e.x, e.y, e.d, e.mu))
    ok = np.isfinite(lat)
    geo = ccrs.PlateCarree()
    ax.plot(lon[ok], lat[ok], "o", color=colour, markersize=2.5, transform=geo, zorder=7)
    for jd, la, lo in zip(marks[ok], lat[ok], lon[ok]):
        ax.annotate(format_time(jd)[:5], xy=(lo, la), xycoords=geo._as_mpl_transform(ax),
                    xytext=(4, -9), textcoords="offset points", fontsize=6.5, color="#222222",
                    zorder=8, annotation_clip=True)


def draw_greatest(ax, eclipse) -> None:
    import cartopy.crs as ccrs

    ax.plot(eclipse.longitude, eclipse.latitude, marker="*", color="black", markersize=9,
            markeredgecolor="white", markeredgewidth=0.6, transform=ccrs.PlateCarree(), zorder=9)


def draw_cities(ax, extent, path=None, count: int = 12) -> None:
    """Label the larger cities inside a lon/lat extent, off the path's line."""
    import cartopy.crs as ccrs

    west, east, south, north = extent
    inside = [c for c in cities("50m")
              if south <= c["latitude"] <= north and _lon_between(c["longitude"], west, east)]
    inside.sort(key=lambda c: -c["population"])
    geo = ccrs.PlateCarree()
    line = getattr(path, "central_line", None) if path is not None else None
    for c in inside[:count]:
        dy = 5
        if line is not None and len(line):
            nearest = np.argmin(np.hypot(line.latitude - c["latitude"],
                                         (line.longitude - c["longitude"] + 180) % 360 - 180))
            dy = 5 if c["latitude"] >= line.latitude[nearest] else -11
        ax.plot(c["longitude"], c["latitude"], "o", color="#333333", markersize=2, transform=geo, zorder=8)
        ax.annotate(c["name"], xy=(c["longitude"], c["latitude"]), xycoords=geo._as_mpl_transform(ax),
                    xytext=(3, dy), textcoords="offset points", fontsize=7, color="#333333",
                    zorder=8, annotation_clip=True)


def _lon_between(lon, west, east) -> bool:
    return (lon - west) % 360 <= (east - west) % 360


# --- whole maps ---------------------------------------------------------------------


def plot(eclipse, ax=None, *, projection_name: str = "orthographic", region: str | None = None,
         size: tuple[float, float] = (8.0, 8.6), path=None, resolution_deg: float = 1.0):
    """Map of one eclipse; returns the matplotlib figure.

    The default is NASA's global view: orthographic, centred on greatest
    eclipse, with the penumbra shaded, lines of equal magnitude, the umbral
    path with its limits and central line, time marks, greatest eclipse, a
    title block and a credit line.  ``region='auto'`` zooms on the path over
    land with state borders and city names.  With ``ax`` (a cartopy GeoAxes)
    it draws there and adds no title block.
    """
    path = path if path is not None else eclipse.path()
    zoom = _region_extent(eclipse, path) if region == "auto" else None
    if region not in (None, "auto", "world", "global"):
        raise MapError(f"unknown region {region!r}: use 'auto'")
    centre_lon, centre_lat = eclipse.longitude, eclipse.latitude
    if zoom is not None:
        centre_lon = _mid_longitude(zoom[0], zoom[1])
        centre_lat = (zoom[2] + zoom[3]) / 2
    fig, ax, own = _figure_and_axes(ax, projection(projection_name, centre_lon, centre_lat), size)
    if zoom is not None:
        import cartopy.crs as ccrs

        ax.set_extent(zoom, crs=ccrs.PlateCarree())
    else:
        ax.set_global()
    scale = "50m" if zoom is not None else "110m"
    draw_base(ax, scale, states=zoom is not None)
    draw_penumbra(ax, eclipse, resolution_deg if zoom is None else min(resolution_deg, 0.5))
    draw_path(ax, path, KIND_COLOURS[eclipse.kind])
    draw_greatest(ax, eclipse)
    if zoom is not None:
        draw_cities(ax, zoom, path)
    if own:
        _title_block(fig, eclipse, path)
    return fig


def plot_span(eclipses, ax=None, *, projection_name: str = "robinson", size=(11.0, 6.6), title=None):
    """All central paths of a list of eclipses on one world map, coloured by
    kind and labelled with their dates."""
    from matplotlib.lines import Line2D

    central = [e for e in eclipses if e.central]
    fig, ax, own = _figure_and_axes(ax, projection(projection_name), size, top=0.9)
    ax.set_global()
    draw_base(ax, "110m")
    import cartopy.crs as ccrs

    for e in central:
        path = e.path()
        colour = KIND_COLOURS[e.kind]
        draw_path(ax, path, colour, label_times=False)
        ax.annotate(e.date, xy=(e.longitude, e.latitude),
                    xycoords=ccrs.PlateCarree()._as_mpl_transform(ax), xytext=(0, 6),
                    textcoords="offset points", fontsize=6.5, color=colour, ha="center", zorder=9,
                    bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "alpha": 0.7,
                          "edgecolor": "none"})
    kinds = [k for k in ("total", "annular", "hybrid") if any(e.kind == k for e in central)]
    ax.legend(handles=[Line2D([], [], color=KIND_COLOURS[k], linewidth=4, alpha=0.6, label=k)
                       for k in kinds], loc="lower left", fontsize=8, framealpha=0.8)
    if own:
        years = sorted({e.date[:4] for e in eclipses})
        span = years[0] if len(years) == 1 else f"{years[0]}-{years[-1]}"
        fig.suptitle(title or f"Central solar eclipses {span}", fontsize=13, y=0.96)
        if eclipses:
            fig.text(0.5, 0.02, _credit(eclipses[0]), ha="center", fontsize=7, color="#555555")
    return fig


def _figure_and_axes(ax, crs, size, top: float = 0.83):
    if ax is not None:
        return ax.figure, ax, False
    plt = _pyplot()
    fig = plt.figure(figsize=size)
    ax = fig.add_axes((0.03, 0.05, 0.94, top - 0.05), projection=crs)
    return fig, ax, True


def _title_block(fig, eclipse, path) -> None:
    duration = path.greatest_duration.value if getattr(path, "greatest_duration", None) else None
    kind = eclipse.kind if eclipse.central or eclipse.kind == "partial" else f"{eclipse.kind} (non-central)"
    fig.text(0.5, 0.965, f"{kind.capitalize()} solar eclipse of {eclipse.date}",
             ha="center", fontsize=14, weight="bold")
    parts = [f"Greatest eclipse {eclipse.time_utc[11:19]} UT", f"saros {eclipse.saros}",
             f"magnitude {eclipse.magnitude:.4f}", f"gamma {eclipse.gamma:.4f}"]
    if duration:
        minutes, seconds = divmod(int(round(duration)), 60)
        parts.append(f"greatest duration {minutes}m{seconds:02d}s")
    parts.append(f"Delta T {eclipse.delta_t_s:.1f} s")
    fig.text(0.5, 0.93, ", ".join(parts[:3]), ha="center", fontsize=9.5)
    fig.text(0.5, 0.905, ", ".join(parts[3:]), ha="center", fontsize=9.5)
    fig.text(0.5, 0.015, _credit(eclipse), ha="center", fontsize=7, color="#555555")


def _credit(eclipse) -> str:
    name = os.path.splitext(getattr(eclipse, "ephemeris_name", "de421.bsp"))[0].upper()
    return CREDIT.format(ephemeris=name, delta_t=eclipse.delta_t_s)


def _region_extent(eclipse, path):
    """Lon/lat box of the path over land (the whole path if it crosses none)."""
    from shapely.ops import unary_union

    shape = path.umbra if path.umbra is not None and not path.umbra.is_empty else path.penumbra
    land = unary_union(natural_earth("land", "110m"))
    over_land = shape.intersection(land)
    target = over_land if not over_land.is_empty and over_land.area > 0.01 * shape.area else shape
    west, south, east, north = target.bounds
    if east - west > 300:  # split at the antimeridian: take the box across it
        lons = np.concatenate([np.asarray(g.exterior.coords)[:, 0] for g in getattr(target, "geoms", [target])])
        lons = np.mod(lons, 360)
        west, east = lons.min(), lons.max()
        west = west - 360 if west > 180 else west
        east = east - 360 if east > 180 else east
    width, height = (east - west) % 360 or 360, north - south
    pad_x, pad_y = max(3.0, 0.15 * width), max(3.0, 0.25 * height)
    return (west - pad_x, west + width + pad_x, max(-89.0, south - pad_y), min(89.0, north + pad_y))


def _mid_longitude(west, east) -> float:
    return float((west + ((east - west) % 360) / 2 + 180) % 360 - 180)
