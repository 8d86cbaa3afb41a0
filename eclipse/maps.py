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
from importlib.resources import files as package_files

import numpy as np

from . import files
from .errors import EclipseError

DATA = package_files("eclipse") / "data" / "naturalearth"
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
    """Shapely geometries of a Natural Earth layer shipped in data/naturalearth
    ('land', 'coastline', 'lakes', 'admin_0_boundary_lines_land',
    'admin_1_states_provinces_lines'; see the README there)."""
    import shapely

    collection = shapely.from_geojson(_read(layer, scale))  # one C call for the whole file
    return list(shapely.get_parts(collection))


@functools.lru_cache(maxsize=None)
def cities(scale: str = "50m") -> list[dict]:
    """Populated places: name, country, latitude, longitude, population."""
    return [
        {"name": p["name"], "country": p["adm0name"], "latitude": p["latitude"],
         "longitude": p["longitude"], "population": p["pop_max"]}
        for p in (f["properties"] for f in _features("populated_places_simple", scale))
    ]


def _features(layer: str, scale: str) -> list[dict]:
    return json.loads(_read(layer, scale))["features"]


def _read(layer: str, scale: str) -> str:
    with gzip.open(DATA.joinpath(f"ne_{scale}_{layer}.geojson.gz").open("rb")) as f:
        return f.read().decode("utf-8")


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
    """The format of an output file from its extension; raises MapError or
    OutputError before any drawing."""
    extension = os.path.splitext(filename)[1].lower().lstrip(".")
    if extension not in EXTENSIONS:
        raise MapError(f"cannot write {filename!r}: the extension must be one of .png, .svg, .pdf")
    files.check_writable(filename)
    return extension


def save(fig, filename: str, dpi: float = 150) -> str:
    """Write a figure whole or not at all (a temporary file, then a rename)."""
    extension = check_output(filename)
    files.write_atomically(filename, lambda tmp: fig.savefig(tmp, format=extension, dpi=dpi))
    return filename


# --- layers -------------------------------------------------------------------------


def draw_base(ax, scale: str = "110m", states: bool = False, box=None) -> None:
    """Water, land, coastlines, lakes, borders and a graticule.

    With ``box`` (west, east, south, north) the layers are first clipped to
    it: cartopy projects every vertex it is given, and the world at 1:50m is
    seconds of work for a map of one country.
    """
    import cartopy.crs as ccrs

    def layer(name):
        return _clipped(natural_earth(name, scale), box)

    geo = ccrs.PlateCarree()
    ax.set_facecolor(WATER_COLOUR)
    ax.add_geometries(layer("land"), geo, facecolor=LAND_COLOUR, edgecolor="none", zorder=0)
    # the coast from its own lines: the land polygons' outlines carry seams
    # (Antarctica's along the antimeridian to the pole)
    ax.add_geometries(layer("coastline"), geo, facecolor="none", edgecolor="#6b6b6b", linewidth=0.5, zorder=3)
    # the large lakes only (1:110m) even on regional maps: 1:50m adds thousands
    # of small ones for a quarter of a second of projection
    ax.add_geometries(_clipped(natural_earth("lakes", "110m"), box), geo, facecolor=WATER_COLOUR,
                      edgecolor="#6b6b6b", linewidth=0.3, zorder=0.1)
    ax.add_geometries(layer("admin_0_boundary_lines_land"), geo, facecolor="none",
                      edgecolor="#8c8c8c", linewidth=0.4, zorder=3)
    if states:
        ax.add_geometries(layer("admin_1_states_provinces_lines"), geo, facecolor="none",
                          edgecolor="#b0b0b0", linewidth=0.3, linestyle=":", zorder=3)
    ax.gridlines(crs=geo, color="#9a9a9a", linewidth=0.3, alpha=0.6,
                 xlocs=np.arange(-180, 181, 30), ylocs=np.arange(-90, 91, 30), zorder=3.5)


def _clipped(geometries, box, margin: float = 10.0):
    """Geometries cut to a lon/lat box (west, east, south, north) widened by
    ``margin`` degrees; a box across the antimeridian is cut in two."""
    if box is None:
        return geometries
    import shapely

    west, east, south, north = box
    width = ((east - west) % 360 or 360.0) + 2 * margin
    if width >= 360:
        return geometries
    south, north = max(-90.0, south - margin), min(90.0, north + margin)
    west = (west - margin + 180) % 360 - 180
    east = west + width
    spans = [(west, east)] if east <= 180 else [(west, 180.0), (-180.0, east - 360)]
    pieces = [shapely.clip_by_rect(np.asarray(geometries, dtype=object), x0, south, x1, north)
              for x0, x1 in spans]
    return [g for piece in pieces for g in piece if not g.is_empty]


def magnitude_grid(eclipse, resolution_deg: float = 1.0, box=None):
    """Local circumstances over a longitude-latitude grid: what the shading,
    the equal-magnitude lines and the horizon curve are drawn from.

    Returns 2-D arrays lon, lat, magnitude at maximum (NaN where the Sun is
    down then or no eclipse reaches), where any part of the eclipse is seen
    with the Sun up, and the Sun's altitude at maximum (NaN outside the
    penumbra's reach).  ``box`` (west, east, south, north in degrees) limits
    the grid to a region; longitudes then run east from ``west``, past 180
    where the region crosses the antimeridian.
    """
    west, east, south, north = box if box is not None else (-180.0, 180.0, -90.0, 90.0)
    width = (east - west) % 360 or 360.0
    lon = np.arange(west, west + width + resolution_deg / 2, resolution_deg)
    lat = np.clip(np.arange(south, north + resolution_deg / 2, resolution_deg), -90.0, 90.0)
    grid_lon, grid_lat = np.meshgrid(lon, lat)
    seen = eclipse.local(grid_lat, grid_lon)
    reached = seen.magnitude > 0
    magnitude = np.where(reached & (seen.sun_altitude_deg > 0), seen.magnitude, np.nan)
    altitude = np.where(reached, seen.sun_altitude_deg, np.nan)
    return grid_lon, grid_lat, magnitude, np.asarray(seen.visible, dtype=bool), altitude


def draw_penumbra(ax, eclipse, path, resolution_deg: float = 1.0, box=None) -> None:
    """The partial phase: the region where it is seen shaded, lines of equal
    magnitude 0.2 ... 0.8 at maximum, and the curve where maximum happens at
    sunrise or sunset (dotted).

    Lines are traced on the longitude-latitude grid (contourpy) and drawn as
    geodesics, so the projection clips them at the globe's edge cleanly.
    """
    import cartopy.crs as ccrs

    if path.penumbra is not None and not path.penumbra.is_empty:
        ax.add_geometries([path.penumbra], ccrs.PlateCarree(), facecolor=PENUMBRA_COLOUR,
                          edgecolor="none", alpha=0.45, zorder=1)
    lon, lat, magnitude, _, altitude = magnitude_grid(eclipse, resolution_deg, box)
    geodetic = ccrs.Geodetic()
    for level in MAGNITUDE_LEVELS:
        lines = _contour_lines(lon, lat, magnitude, level)
        for line in lines:
            ax.plot(line[:, 0], line[:, 1], color=MAGNITUDE_COLOUR, linewidth=0.7,
                    transform=geodetic, zorder=4)
        _label_line(ax, lines, f"{level:.1f}", MAGNITUDE_COLOUR)
    for line in _contour_lines(lon, lat, altitude, 0.0):
        ax.plot(line[:, 0], line[:, 1], color=HORIZON_COLOUR, linewidth=0.8, linestyle=":",
                transform=geodetic, zorder=4)


def draw_obscuration(ax, eclipse, resolution_deg: float = 1.0, box=None) -> None:
    """The "how dark" layer: the greatest obscuration seen with the Sun up
    (``eclipse.fields.max_obscuration``) shaded cell by cell, with a colour
    bar; cells where nothing is seen are left clear."""
    import cartopy.crs as ccrs

    from .fields import max_obscuration

    west, east, south, north = box if box is not None else (-180.0, 180.0, -90.0, 90.0)
    width = (east - west) % 360 or 360.0
    lon = np.arange(west + resolution_deg / 2, west + width, resolution_deg)
    lat = np.arange(max(south, -90.0) + resolution_deg / 2, min(north, 90.0), resolution_deg)
    darkness = max_obscuration(eclipse, lat, lon)
    mesh = ax.pcolormesh(lon, lat, np.ma.masked_less_equal(darkness.values, 0.0), cmap="magma_r",
                         vmin=0.0, vmax=1.0, shading="nearest", antialiased=False,
                         transform=ccrs.PlateCarree(), zorder=1.5, rasterized=True)
    bar = ax.figure.colorbar(mesh, cax=ax.inset_axes((0.03, 0.03, 0.28, 0.02)), orientation="horizontal")
    bar.set_label("greatest obscuration seen", fontsize=7)
    bar.ax.tick_params(labelsize=7)


def _contour_lines(lon, lat, field, level) -> list[np.ndarray]:
    """Lines (lon, lat vertices) where a gridded field equals a level."""
    import contourpy

    generator = contourpy.contour_generator(lon, lat, np.ma.masked_invalid(field),
                                            line_type=contourpy.LineType.Separate)
    return [line for line in generator.lines(level) if len(line) > 2]


def _label_line(ax, lines, text: str, colour: str) -> None:
    """Label the longest visible line of a set at its middle vertex."""
    import cartopy.crs as ccrs

    best, best_len = None, 0
    x0, x1, y0, y1 = ax.get_extent()
    for line in lines:
        xy = ax.projection.transform_points(ccrs.PlateCarree(), line[:, 0], line[:, 1])[:, :2]
        finite = np.all(np.isfinite(xy), axis=1)
        finite &= (xy[:, 0] > x0) & (xy[:, 0] < x1) & (xy[:, 1] > y0) & (xy[:, 1] < y1)
        if finite.sum() > best_len:
            best, best_len = line[finite], finite.sum()
    if best is None or best_len < 5:
        return
    lon, lat = best[len(best) // 2]
    ax.text(lon, lat, text, color=colour, fontsize=7, ha="center", va="center", zorder=4.5,
            transform=ccrs.PlateCarree(), clip_on=True,
            bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "alpha": 0.8, "edgecolor": "none"})


#: Footprint spacing of the umbra on world maps of many paths: its edge dips
#: s^2 / 8r between footprints, 5 km for an umbra of r = 0.01 at one minute,
#: a quarter of a pixel at 1650 pixels for 360 degrees (geometry.py).
WORLD_UMBRA_SPACING = 1.0 / 60.0


def draw_path(ax, path, colour: str, label_times: bool = True, coarse: bool = False) -> None:
    """The umbral path filled, its limits, the central line with time marks.
    ``coarse`` draws the umbra from footprints a minute apart (world maps)."""
    import cartopy.crs as ccrs

    from . import geometry

    geo = ccrs.PlateCarree()
    if coarse and path.u1 is not None:
        umbra = geometry.shadow_region(path, penumbral=False, spacing=WORLD_UMBRA_SPACING)
    else:
        umbra = path.umbra
    if umbra is not None and not umbra.is_empty:
        ax.add_geometries([umbra], geo, facecolor=colour, edgecolor="none", alpha=0.45, zorder=5)
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


def draw_cities(ax, extent, path=None, count: int = 12, spacing_pt: float = 28.0,
                reach_deg: float = 12.0) -> None:
    """Name the larger cities inside a lon/lat extent, near the path.

    Only cities within ``reach_deg`` of arc of the central line are named when
    there is one.  Each label stands off the central line, on the city's side
    of it, turned inwards near the map's edges; a city too near one already
    named (``spacing_pt``) is skipped: names cover neither the path nor each
    other, and none runs off the map.
    """
    import cartopy.crs as ccrs
    from matplotlib.transforms import Affine2D

    west, east, south, north = extent
    inside = [c for c in cities("50m")
              if south <= c["latitude"] <= north and _lon_between(c["longitude"], west, east)]
    line = getattr(path, "central_line", None)
    if line is not None and len(line) > 1:
        inside = [c for c in inside
                  if _arc_deg(c["latitude"], c["longitude"], line.latitude, line.longitude).min() < reach_deg]
    inside.sort(key=lambda c: -c["population"])
    geo = ccrs.PlateCarree()
    to_points = ax.figure.dpi_scale_trans.inverted() + Affine2D().scale(72)  # display -> points
    box = to_points.transform(ax.bbox.get_points())  # axes corners in points
    line_xy = None
    if line is not None and len(line) > 1:
        xy = ax.projection.transform_points(geo, line.longitude, line.latitude)[:, :2]
        line_xy = to_points.transform(ax.transData.transform(xy[np.all(np.isfinite(xy), axis=1)]))
    placed = []
    for c in inside:
        if len(placed) >= count:
            break
        xy = ax.projection.transform_points(geo, np.array([c["longitude"]]), np.array([c["latitude"]]))[0, :2]
        if not np.all(np.isfinite(xy)):
            continue
        point = to_points.transform(ax.transData.transform(xy[None]))[0]
        if not np.all((point > box[0]) & (point < box[1])):
            continue
        if any(np.hypot(*(point - p)) < spacing_pt for p in placed):
            continue
        placed.append(point)
        offset = np.array([4.0, 4.0])
        if line_xy is not None and len(line_xy) > 1:
            away = point - line_xy[np.argmin(np.hypot(*(line_xy - point).T))]
            norm = np.hypot(*away)
            if norm > 1e-6:
                offset = 6.0 * away / norm
        # turn the label inwards near the left and right edges (names ~80 pt long)
        if point[0] + offset[0] + 80 > box[1][0] and offset[0] > 0:
            offset[0] = -abs(offset[0]) - 2
        if point[0] + offset[0] - 80 < box[0][0] and offset[0] < 0:
            offset[0] = abs(offset[0]) + 2
        ax.plot(c["longitude"], c["latitude"], "o", color="#333333", markersize=2, transform=geo, zorder=8)
        ax.annotate(c["name"], xy=(c["longitude"], c["latitude"]), xycoords=geo._as_mpl_transform(ax),
                    xytext=tuple(offset), textcoords="offset points", fontsize=7, color="#222222",
                    ha="left" if offset[0] >= 0 else "right", va="bottom" if offset[1] >= 0 else "top",
                    zorder=8, annotation_clip=True,
                    bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "alpha": 0.6, "edgecolor": "none"})


def _arc_deg(lat, lon, lats, lons):
    """Great-circle distances in degrees from one point to many."""
    lat, lon, lats, lons = (np.radians(v) for v in (lat, lon, lats, lons))
    cos_arc = np.sin(lat) * np.sin(lats) + np.cos(lat) * np.cos(lats) * np.cos(lons - lon)
    return np.degrees(np.arccos(np.clip(cos_arc, -1.0, 1.0)))


def _lon_between(lon, west, east) -> bool:
    return (lon - west) % 360 <= (east - west) % 360


# --- whole maps ---------------------------------------------------------------------


def plot(eclipse, ax=None, *, projection_name: str = "orthographic", region: str | None = None,
         size: tuple[float, float] = (8.0, 8.6), path=None, resolution_deg: float = 1.0,
         obscuration: bool = False):
    """Map of one eclipse; returns the matplotlib figure.

    The default is NASA's global view: orthographic, centred on greatest
    eclipse, with the penumbra shaded, lines of equal magnitude, the umbral
    path with its limits and central line, time marks, greatest eclipse, a
    title block and a credit line.  ``region='auto'`` zooms on the path over
    land with state borders and city names.  With ``ax`` (a cartopy GeoAxes)
    it draws there and adds no title block.  ``obscuration=True`` shades the
    greatest obscuration seen (``draw_obscuration``, the "how dark" map)
    instead of the penumbra and its lines of equal magnitude.
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
        if own:
            _fit_height(fig, ax)
    else:
        ax.set_global()
    scale = "50m" if zoom is not None else "110m"
    draw_base(ax, scale, states=zoom is not None, box=zoom)
    shade = draw_obscuration if obscuration else draw_penumbra
    shade(ax, eclipse, *(() if obscuration else (path,)),
          resolution_deg if zoom is None else min(resolution_deg, 0.4),
          box=_view_box(ax, centre_lon) if zoom is not None else None)
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
    fig, ax, own = _figure_and_axes(ax, projection(projection_name), size)
    ax.set_global()
    draw_base(ax, "110m")
    import cartopy.crs as ccrs

    for e in central:
        path = e.path()
        colour = KIND_COLOURS[e.kind]
        draw_path(ax, path, colour, label_times=False, coarse=True)
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
        _text_from_top(fig, 14, title or f"Central solar eclipses {span}", fontsize=14, weight="bold")
        if eclipses:
            _credit_line(fig, eclipses[0])
    return fig


#: Inches kept above the map for the title block and below it for the credit.
TITLE_INCHES = 1.0
CREDIT_INCHES = 0.35


def _figure_and_axes(ax, crs, size):
    if ax is not None:
        return ax.figure, ax, False
    # a Figure of its own (not pyplot's): nothing global, no GUI backend
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=size)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.03, 0.0, 0.94, 1.0), projection=crs)
    _place_axes(fig, ax)
    return fig, ax, True


def _place_axes(fig, ax) -> None:
    width, height = fig.get_size_inches()
    bottom = CREDIT_INCHES / height
    ax.set_position((0.03, bottom, 0.94, 1.0 - (TITLE_INCHES + CREDIT_INCHES) / height))


def _fit_height(fig, ax) -> None:
    """Make the figure as tall as a zoomed map needs, title and credit kept."""
    x0, x1, y0, y1 = ax.get_extent()
    width, _ = fig.get_size_inches()
    fig.set_size_inches(width, width * 0.94 * (y1 - y0) / (x1 - x0) + TITLE_INCHES + CREDIT_INCHES)
    _place_axes(fig, ax)


def _text_from_top(fig, points_down: float, text: str, **style) -> None:
    from matplotlib.transforms import offset_copy

    transform = offset_copy(fig.transFigure, fig=fig, y=-points_down, units="points")
    fig.text(0.5, 1.0, text, transform=transform, ha="center", va="top", **style)


def _credit_line(fig, eclipse) -> None:
    from matplotlib.transforms import offset_copy

    transform = offset_copy(fig.transFigure, fig=fig, y=8, units="points")
    fig.text(0.5, 0.0, _credit(eclipse), transform=transform, ha="center", va="bottom",
             fontsize=7, color="#555555")


def _title_block(fig, eclipse, path) -> None:
    from .report import duration_text, eclipse_title

    duration = path.greatest_duration.value if getattr(path, "greatest_duration", None) else None
    parts = [f"Greatest eclipse {eclipse.time_utc[11:19]} UT", f"saros {eclipse.saros}",
             f"magnitude {eclipse.magnitude:.4f}", f"gamma {eclipse.gamma:.4f}"]
    if duration:
        parts.append(f"greatest duration {duration_text(duration)}")
    parts.append(f"Delta T {eclipse.delta_t_s:.1f} s")
    _text_from_top(fig, 10, eclipse_title(eclipse), fontsize=14, weight="bold")
    _text_from_top(fig, 32, ", ".join(parts[:3]), fontsize=9.5)
    _text_from_top(fig, 47, ", ".join(parts[3:]), fontsize=9.5)
    _credit_line(fig, eclipse)


def _credit(eclipse) -> str:
    name = os.path.splitext(eclipse.ephemeris)[0].upper()
    return CREDIT.format(ephemeris=name, delta_t=eclipse.delta_t_s)


def _region_extent(eclipse, path):
    """Lon/lat box of the path over land (the whole path if it crosses none);
    None, for the global view, when that box would hold a pole or half the
    world (a partial eclipse's penumbra, say)."""
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
    if width > 150 or north > 84 or south < -84:
        return None
    pad_x, pad_y = max(3.0, 0.15 * width), max(3.0, 0.25 * height)
    return (west - pad_x, west + width + pad_x, max(-89.0, south - pad_y), min(89.0, north + pad_y))


def _view_box(ax, centre_lon: float, margin: float = 2.0):
    """The lon/lat box (west, east, south, north) that the axes show: a grid
    over the projected view taken back to longitude and latitude."""
    import cartopy.crs as ccrs

    x0, x1, y0, y1 = ax.get_extent()
    xs, ys = np.meshgrid(np.linspace(x0, x1, 25), np.linspace(y0, y1, 25))
    lonlat = ccrs.PlateCarree().transform_points(ax.projection, xs.ravel(), ys.ravel())
    ok = np.all(np.isfinite(lonlat[:, :2]), axis=1)
    lon = (lonlat[ok, 0] - centre_lon + 180) % 360 - 180 + centre_lon  # unwrapped about the centre
    lat = lonlat[ok, 1]
    return (lon.min() - margin, lon.max() + margin, max(-90.0, lat.min() - margin), min(90.0, lat.max() + margin))


def _mid_longitude(west, east) -> float:
    return float((west + ((east - west) % 360) / 2 + 180) % 360 - 180)
