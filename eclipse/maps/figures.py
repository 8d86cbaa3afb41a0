"""Maps of eclipses with cartopy and matplotlib, drawn offline.

Coastlines, land, lakes, borders and cities come from the Natural Earth
GeoJSON files shipped in ``eclipse/data/naturalearth`` (public domain); cartopy's
own downloader is never reached.  Matplotlib and cartopy are imported here
only, so the rest of the package starts fast.

A map of 2024-04-08, written as a PNG::

    import eclipse, eclipse.maps
    fig = eclipse.maps.plot(eclipse.at("2024-04-08"))
    eclipse.maps.save(fig, "eclipse-2024-04-08.png")
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import cartopy.crs as ccrs
import matplotlib.path as mpath
import numpy as np
import numpy.typing as npt
import shapely
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.transforms import offset_copy

from ..dates import tt_from_ut
from ..geometry import regions
from ..geometry.earth import point_under, wrap_degrees
from ..geometry.isolines import contour_lines, duration_lines, greatest_obscuration, magnitude_grid
from ..io import files
from ..io.mapdata import (
    DURATION_COLOUR,
    HORIZON_COLOUR,
    KIND_COLOURS,
    LAND_COLOUR,
    MAGNITUDE_COLOUR,
    MAGNITUDE_LEVELS,
    PENUMBRA_COLOUR,
    WATER_COLOUR,
    Cities,
    MapError,
    check_span,
    credit,
    duration_levels,
    gazetteer_cities,
    natural_earth,
    span_label,
)
from ..io.text import eclipse_title, subtitle_lines
from . import framing, labels, maplabels
from .legend import draw_legend, draw_note, legend_entries
from .maplabels import PlaceSpec, as_mark, to_display

if TYPE_CHECKING:
    from cartopy.mpl.geoaxes import GeoAxes

    from ..geometry.path import Curve, Path
    from ..search.results import Eclipse

#: A longitude-latitude box: west, east, south, north (degrees).
Box = tuple[float, float, float, float]

#: The file formats a static map is written in, by extension.
EXTENSIONS = ("png", "svg", "pdf")
#: The projections ``projection`` knows: lower-case name -> cartopy's class.
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
#: Lines a label's white box may cover when no place is free of them.
SECONDARY_LINES = maplabels.secondary_lines(MAGNITUDE_LEVELS)


# --- projections and files -------------------------------------------------------------


def projection(name: str, central_longitude: float = 0.0, central_latitude: float = 0.0) -> ccrs.Projection:
    """A cartopy projection by its lower-case name, centred where it can be."""
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
        raise MapError(f"cannot write {filename!r}: the extension must be one of .png, .svg, .pdf "
                       "(or .html for the interactive page, with `eclipse map` or eclipse.web.page)")
    files.check_writable(filename)
    return extension


#: The largest PNG written: pixels per side (Agg's limit is 2**16) and in all
#: (100 million pixels take 400 MB as RGBA while drawn).
MAX_SIDE_PIXELS = 32768
MAX_PIXELS = 100_000_000


def check_pixels(size_inches: Iterable[float], dpi: float) -> None:
    """Raise MapError when a figure of this size at this dpi would exceed MAX_SIDE_PIXELS or MAX_PIXELS."""
    width, height = (float(v) * dpi for v in size_inches)
    if max(width, height) > MAX_SIDE_PIXELS or width * height > MAX_PIXELS:
        raise MapError(f"a {width:.0f} x {height:.0f} pixel image is too large (at most {MAX_SIDE_PIXELS} "
                       f"pixels a side and {MAX_PIXELS / 1e6:.0f} million in all): lower the dpi or the size")


def save(fig: Figure, filename: str, dpi: float = 150) -> str:
    """Write a figure whole or not at all (a temporary file, then a rename);
    a PNG is first checked against MAX_PIXELS."""
    extension = check_output(filename)
    if extension == "png":
        check_pixels(fig.get_size_inches(), dpi)
    files.write_atomically(filename, lambda tmp: fig.savefig(tmp, format=extension, dpi=dpi))
    return filename


# --- layers -------------------------------------------------------------------------


def draw_base(ax: GeoAxes, scale: str = "110m", states: bool = False, box: Box | None = None) -> None:
    """Water, land, coastlines, lakes, borders and a graticule.

    With ``box`` (west, east, south, north) the layers are first clipped to
    it: cartopy projects every vertex it is given, and the world at 1:50m is
    seconds of work for a map of one country.
    """
    def layer(name: str) -> list[shapely.Geometry]:
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


def _clipped(geometries: list[shapely.Geometry], box: Box | None, margin: float = 1.0) -> list[shapely.Geometry]:
    """Geometries cut to a lon/lat box (west, east, south, north) widened by
    ``margin`` degrees; a box across the antimeridian is cut in two."""
    if box is None:
        return geometries

    west, east, south, north = box
    width = ((east - west) % 360 or 360.0) + 2 * margin
    if width >= 360:
        return geometries
    south, north = max(-90.0, south - margin), min(90.0, north + margin)
    west = float(wrap_degrees(west - margin))
    east = west + width
    spans = [(west, east)] if east <= 180 else [(west, 180.0), (-180.0, east - 360)]
    pieces = [shapely.clip_by_rect(np.asarray(geometries, dtype=object), x0, south, x1, north)
              for x0, x1 in spans]
    return [g for piece in pieces for g in piece if not g.is_empty]


def draw_penumbra(ax: GeoAxes, eclipse: Eclipse, path: Path, resolution_deg: float = 1.0,
                  box: Box | None = None) -> None:
    """The partial phase: the region where it is seen shaded, lines of equal
    magnitude 0.2 ... 0.8 at maximum, and the curve where maximum happens at
    sunrise or sunset (dotted).  Labels come later (``label_magnitudes``),
    when every line is drawn; each level's lines carry the gid
    'magnitude 0.8' and so on.

    Lines are traced on the longitude-latitude grid (contourpy) and drawn as
    geodesics, so the projection clips them at the globe's edge cleanly.
    """
    if path.penumbra is not None and not path.penumbra.is_empty:
        ax.add_geometries([path.penumbra], ccrs.PlateCarree(), facecolor=PENUMBRA_COLOUR,
                          edgecolor="none", alpha=0.45, zorder=1)
    grid = magnitude_grid(eclipse, resolution_deg, box)
    lon, lat, magnitude, altitude = grid.lon, grid.lat, grid.magnitude, grid.sun_altitude
    geodetic = ccrs.Geodetic()
    for level in MAGNITUDE_LEVELS:
        for line in contour_lines(lon, lat, magnitude, level):
            ax.plot(line[:, 0], line[:, 1], color=MAGNITUDE_COLOUR, linewidth=0.7,
                    transform=geodetic, zorder=4, gid=maplabels.magnitude_gid(level))
    for line in contour_lines(lon, lat, altitude, 0.0):
        ax.plot(line[:, 0], line[:, 1], color=HORIZON_COLOUR, linewidth=0.8, linestyle=":",
                transform=geodetic, zorder=4, gid=maplabels.HORIZON_GID)


def draw_obscuration(ax: GeoAxes, eclipse: Eclipse, resolution_deg: float = 1.0, box: Box | None = None) -> None:
    """The "how dark" layer: the greatest obscuration seen with the Sun up
    (``geometry.isolines.greatest_obscuration``) shaded cell by cell, with a colour
    bar; cells where nothing is seen are left clear."""
    west, east, south, north = box if box is not None else (-180.0, 180.0, -90.0, 90.0)
    width = (east - west) % 360 or 360.0
    lon = np.arange(west + resolution_deg / 2, west + width, resolution_deg)
    lat = np.arange(max(south, -90.0) + resolution_deg / 2, min(north, 90.0), resolution_deg)
    darkness = greatest_obscuration(eclipse, lat, lon)
    mesh = ax.pcolormesh(lon, lat, np.ma.masked_less_equal(darkness, 0.0), cmap="magma_r",
                         vmin=0.0, vmax=1.0, shading="nearest", antialiased=False,
                         transform=ccrs.PlateCarree(), zorder=1.5, rasterized=True)
    bar = ax.figure.colorbar(mesh, cax=ax.inset_axes((0.03, 0.03, 0.28, 0.02)), orientation="horizontal")
    bar.set_label("greatest obscuration seen", fontsize=7)
    bar.ax.tick_params(labelsize=7)


#: Time marks stand at least this far apart along the central line, points.
TIME_MARK_SPACING_PT = 30.0


def draw_path(ax: GeoAxes, path: Path, colour: str, label_times: bool = True, coarse: bool = False,
              umbra: shapely.Geometry | None = None) -> tuple[shapely.Geometry | None, maplabels.TimeMarks | None]:
    """The umbral path filled, its limits (gid 'umbra limit'), the central
    line (gid 'central line'), and with ``label_times`` dots on it at round
    minutes of UTC.  ``coarse`` draws the umbra of a world map
    (``regions.span_umbra``); ``umbra`` gives the region to fill instead.  Returns
    the umbra drawn (a shapely geometry or None) and the time marks
    (TimeMarks or None), for the labels placed later."""
    geo = ccrs.PlateCarree()
    by_kind = len(path.stretches) > 1 and not coarse and umbra is None  # a hybrid's parts apart
    if umbra is None and coarse and path.u1 is not None:
        umbra = regions.span_umbra(path)
    elif umbra is None:
        umbra = path.umbra
    parts = path.umbra_parts if by_kind else [(None, umbra)]
    for kind, region in parts:
        if region is not None and not region.is_empty:
            ax.add_geometries([region], geo, facecolor=KIND_COLOURS.get(kind or "", colour), edgecolor="none",
                              alpha=0.45, zorder=5)
    line = path.central_line
    stretches = [(s.jd_tt_start, s.jd_tt_end, KIND_COLOURS[s.kind]) for s in path.stretches] if by_kind else [
        (-np.inf, np.inf, colour)]
    for start, end, shade in stretches:
        limits = [_cut(getattr(path, name), start, end, by_kind) for name in ("umbra_north_limit", "umbra_south_limit")]
        for limit in limits:
            _draw_curve(ax, limit, color=shade, linewidth=0.8, zorder=6, gid="umbra limit")
        _draw_curve(ax, _cut(line, start, end, by_kind), color=shade, linewidth=1.0, zorder=6, linestyle="--",
                    gid="central line")
    if by_kind:  # where the kind changes: a ring on the central line
        for change in path.kind_changes:
            ax.plot(change.longitude, change.latitude, "o", markersize=4.5, markerfacecolor="white",
                    markeredgecolor="#222222", markeredgewidth=0.9, transform=geo, zorder=7.5, gid="kind change")
    marks = _time_marks(ax, path) if label_times and line is not None and len(line) > 1 else None
    if marks is not None:
        shades = ([KIND_COLOURS.get(k, colour) for k in path.kind_at(tt_from_ut(marks.jd_ut, path.delta_t))]
                  if by_kind else [colour] * len(marks.jd_ut))
        for shade in dict.fromkeys(shades):
            i = np.array([s == shade for s in shades])
            ax.plot(marks.longitude[i], marks.latitude[i], "o", color=shade, markersize=2.8, markeredgecolor="white",
                    markeredgewidth=0.5, transform=geo, zorder=7, gid="time marks")
    return umbra, marks


#: Lines of equal central duration stand at least DURATION_GAP_PT apart,
#: and DURATION_ROOM_PT from the central line and the limits: half the
#: height of a label written along a line (maplabels.label_durations: its
#: white box is 7.9 pt high at 6.5 pt, measured) and the placer's margin.
#: Closer, the map draws fewer (``io.mapdata.duration_levels``).
DURATION_GAP_PT = 3.0
DURATION_ROOM_PT = 5.5


def draw_durations(ax: GeoAxes, path: Path) -> list[float]:
    """Lines of equal central duration inside the path
    (``geometry.isolines.duration_lines``), as many as the scale allows
    (``io.mapdata.duration_levels``: every 30 s, or every minute, ...), thin
    and dashed, gid 'duration 210' and so on; labels come later
    (``maplabels.label_durations``).  Returns the levels drawn (s)."""
    lines = duration_lines(path)
    line = path.central_line
    if not lines or line is None:
        return []
    # the map's scale (pixels per km) where the central line is nearest the
    # view's centre, and the path's half-width at greatest duration
    xy = to_display(ax, line.longitude, line.latitude)
    centre = np.array(ax.bbox.extents).reshape(2, 2).mean(axis=0)
    near = int(np.nanargmin(np.where(np.all(np.isfinite(xy), axis=1), np.hypot(*(xy - centre).T), np.inf)))
    step = to_display(ax, [line.longitude[near]] * 2, [line.latitude[near], line.latitude[near] + 0.1])
    px_per_km = float(np.hypot(*(step[1] - step[0]))) / (0.1 * KM_PER_DEGREE)
    half_width_px = float(line.width_km[int(np.nanargmax(line.duration_s))]) / 2 * px_per_km
    px_per_pt = ax.figure.dpi / 72.0
    levels = duration_levels({d.level_s: d.offset for d in lines}, half_width_px, DURATION_GAP_PT * px_per_pt,
                             DURATION_ROOM_PT * px_per_pt)
    for d in lines:
        if d.level_s in levels:
            for part in d.parts:
                ax.plot(part[:, 0], part[:, 1], color=DURATION_COLOUR, linewidth=0.6, linestyle=(0, (3, 1.5)),
                        transform=ccrs.Geodetic(), zorder=5.5, gid=maplabels.duration_gid(d.level_s))
    return levels


#: Kilometres in a degree of latitude (the map's scale, for spacing lines only).
KM_PER_DEGREE = 111.2


def draw_uncertainty(ax: GeoAxes, eclipse: Eclipse, path: Path, colour: str) -> shapely.Geometry | None:
    """For an eclipse before 1600 or after 2100: the band the umbral path
    sweeps as Delta T runs over +-1 sigma (``regions.sigma_band``), hatched
    and named in a legend.  Returns the band (shapely, lon/lat) or None."""
    band = regions.sigma_band(eclipse, path.umbra)
    if band is None:
        return None
    ax.add_geometries([band], ccrs.PlateCarree(), facecolor="none", edgecolor=colour, hatch="////",
                      linewidth=0.6, alpha=0.6, zorder=4.8)
    return band


def _cut(curve: Curve | None, start: float, end: float, cut: bool) -> Curve | None:
    """A curve from TT Julian date start to end (``Curve.between``) if ``cut``, else whole."""
    return curve.between(start, end) if curve is not None and cut else curve


def _draw_curve(ax: GeoAxes, curve: Curve | None, **style: Any) -> None:
    if curve is None or not len(curve):
        return
    for part in curve.parts():
        if len(part) > 1:
            ax.plot(curve.longitude[part], curve.latitude[part], transform=ccrs.Geodetic(), **style)


def _time_marks(ax: GeoAxes, path: Path) -> maplabels.TimeMarks | None:
    """Marks every 1, 2, 5, 10, 15, 20, 30 or 60 minutes: the shortest step
    that keeps them TIME_MARK_SPACING_PT apart on this map."""
    line = path.central_line
    if line is None:
        return None
    ut = line.jd_ut
    length_px, shown_min = _shown_stretch(ax, line)
    room = length_px / (TIME_MARK_SPACING_PT * ax.figure.dpi / 72.0)
    every = next((m for m in (1, 2, 5, 10, 15, 20, 30, 60) if shown_min / m <= max(room, 1.0)), 60)
    start = np.ceil(ut.min() * 1440.0 / every) * every
    marks = np.arange(start, ut.max() * 1440.0, every) / 1440.0
    lat, lon = _under_axis(path, marks)
    ahead_lat, ahead_lon = _under_axis(path, marks + 20.0 / 86400.0)
    ok = np.isfinite(lat) & np.isfinite(ahead_lat)
    if not ok.any():
        return None
    return maplabels.TimeMarks(marks[ok], lon[ok], lat[ok], ahead_lon[ok], ahead_lat[ok])


def _under_axis(path: Path, jd_ut: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Latitude and longitude (degrees) of the point under the shadow axis at UT Julian dates."""
    elements = path.elements
    e = elements.at(elements.hours(tt_from_ut(jd_ut, path.delta_t)))
    return np.degrees(point_under(e.x, e.y, e.d, e.mu))


def _shown_stretch(ax: GeoAxes, line: Curve) -> tuple[float, float]:
    """Length in display pixels and duration in minutes of the part of the
    central line the axes show (its segments with an end inside)."""
    xy = to_display(ax, line.longitude, line.latitude)
    x0, y0, x1, y1 = ax.bbox.extents
    inside = np.all(np.isfinite(xy), axis=1) & (xy[:, 0] > x0) & (xy[:, 0] < x1) & (xy[:, 1] > y0) & (xy[:, 1] < y1)
    steps = np.hypot(*np.diff(xy, axis=0).T)
    shown = (inside[1:] | inside[:-1]) & (steps < 0.25 * ax.bbox.width)  # not a jump across the map
    minutes = np.diff(line.jd_ut) * 1440.0
    return float(np.nansum(np.where(shown, steps, 0.0))), float(np.nansum(np.where(shown, minutes, 0.0)))


def draw_greatest(ax: GeoAxes, eclipse: Eclipse) -> None:
    """Greatest eclipse as a black star (gid 'greatest eclipse')."""
    ax.plot(eclipse.longitude, eclipse.latitude, marker="*", color="black", markersize=9,
            markeredgecolor="white", markeredgewidth=0.6, transform=ccrs.PlateCarree(), zorder=9,
            gid="greatest eclipse")




# --- whole maps ---------------------------------------------------------------------

#: Figure width by default, inches; the height follows the map's shape.
FIGURE_WIDTH = 8.0
#: A view reaching less than this far (degrees of arc) from its centre is
#: regional: 1:50m coasts, state borders and city names; a wider one gets 1:110m
#: (and city names too when it frames a region).
REGIONAL_RADIUS_DEG = 50.0
#: A partial eclipse's auto frame is drawn as a globe when the land where it
#: is seen reaches farther than this (degrees of arc) from its centre.
PARTIAL_FRAME_RADIUS_DEG = 75.0


def plot(eclipse: Eclipse, ax: GeoAxes | None = None, *, projection_name: str | None = None,
         region: str | Sequence[float] | framing.Frame | None = None, size: tuple[float, float] | None = None,
         path: Path | None = None, resolution_deg: float = 1.0, marks: Iterable[PlaceSpec] = (),
         obscuration: bool = False) -> Figure:
    """Map of one eclipse; returns the matplotlib figure.

    The default is NASA's global view: orthographic (or ``projection_name``), centred on greatest
    eclipse, with the penumbra shaded, lines of equal magnitude, the umbral
    path with its limits and central line, time marks, greatest eclipse, a
    title block and a credit line.  ``region`` zooms: 'auto' (where people
    can watch the central phase: ``auto_frame``; for a partial eclipse, the
    land where it is seen with the Sun up), a box (lon1, lat1, lon2, lat2) or its
    text 'lon1,lat1,lon2,lat2', a country or continent ('Spain', 'Europe'),
    or a place name (framed around it and marked), drawn in the projection
    that suits the frame (``framing.view_projection``: a conic in middle
    latitudes) unless ``projection_name`` is given.  Regional views get 1:50m
    coasts and state borders; they and every framed region get city names,
    those inside the path first (``maplabels.draw_cities``).  ``marks`` are the user's places
    (place names, eclipse.places.Place, (lat, lon) or (name, lat, lon)), each labelled
    with what is seen there.  With ``ax`` (a cartopy GeoAxes) it draws there,
    in that axes' extent unless ``region`` is given, and adds no title block.
    No label overlaps another, a marker or a line (eclipse.labels).
    ``obscuration=True`` shades the greatest obscuration seen
    (``draw_obscuration``, the "how dark" map) instead of the penumbra and
    its lines of equal magnitude.
    """
    path = path if path is not None else eclipse.path()
    frame = region_frame(eclipse, path, region)
    shown = [as_mark(m) for m in marks]
    if frame is not None and frame.place is not None:
        shown.append(as_mark(frame.place))
    centre_lon, centre_lat = ((eclipse.longitude, eclipse.latitude) if frame is None
                              else framing.centre(frame.longitude, frame.latitude))
    crs = (framing.view_projection(frame.longitude, frame.latitude) if frame is not None and projection_name is None
           else projection(projection_name or "orthographic", centre_lon, centre_lat))
    fig, ax, own = _figure_and_axes(ax, crs, size or (FIGURE_WIDTH, FIGURE_WIDTH))
    if frame is not None:
        ax.set_extent(framing.extent(ax.projection, frame.longitude, frame.latitude, pad=frame.pad),
                      crs=ax.projection)
    elif own:
        ax.set_global()
    if own and size is None:
        _fit_height(fig, ax)
    ax.apply_aspect()  # where the map lands in the figure, for everything measured in pixels
    box, radius = _view(ax)
    regional = radius < REGIONAL_RADIUS_DEG
    draw_base(ax, "50m" if regional else "110m", states=regional, box=box)
    resolution = min(resolution_deg, 0.4) if regional else resolution_deg
    if obscuration:
        draw_obscuration(ax, eclipse, resolution, box=box if regional else None)
    else:
        draw_penumbra(ax, eclipse, path, resolution, box=box if regional else None)
    umbra, time_marks = draw_path(ax, path, KIND_COLOURS[eclipse.kind])
    durations = draw_durations(ax, path) if regional else []
    band = draw_uncertainty(ax, eclipse, path, KIND_COLOURS[eclipse.kind])
    draw_greatest(ax, eclipse)
    maplabels.draw_marks(ax, shown)
    placer = labels.LabelPlacer(ax)  # the labels, most important first
    maplabels.add_umbra_area(placer, umbra)
    kept = [b for a in ax.child_axes if (b := a.get_tightbbox()) is not None]  # a colour bar, its label
    for taken in kept:
        placer.exclude(labels.box_shape(taken))
    note = region_note(eclipse, path, frame)
    if note is not None:
        kept.append(draw_note(ax, note[:1].upper() + note[1:]).get_window_extent())
        placer.exclude(labels.box_shape(kept[-1]))
    draw_legend(placer, legend_entries(eclipse, path, umbra, band, obscuration, bool(durations), _kinds_in_view(ax, path)),
                avoid=kept)
    # lines a label's box may cover where no place is free of them: those of equal magnitude and duration
    soft = SECONDARY_LINES + tuple(maplabels.duration_gid(level) for level in durations)
    maplabels.label_marks(placer, eclipse, shown, soft=soft)
    kinds = _city_kinds(ax, path) if regional or frame is not None else []
    in_path = maplabels.draw_cities(placer, kinds[:1], path, soft=soft, marks=shown)  # before the times: they move
    maplabels.label_kinds(placer, path, soft=soft)
    if time_marks is not None:
        maplabels.label_times(placer, time_marks, soft=soft)
    maplabels.label_magnitudes(placer, MAGNITUDE_LEVELS, MAGNITUDE_COLOUR)
    maplabels.draw_cities(placer, kinds[1:], path, soft=soft, named=in_path, marks=shown)
    # after the cities: a city in the path comes before the duration's label there
    maplabels.label_durations(placer, durations, DURATION_COLOUR, path)
    if own:
        _title_block(fig, eclipse, path)
    return fig


def _kinds_in_view(ax: GeoAxes, path: Path) -> set[str] | None:
    """The kinds of a hybrid's stretches whose central line the map shows
    (None for an eclipse of one kind)."""
    line = path.central_line
    if len(path.stretches) < 2 or line is None:
        return None
    xy = to_display(ax, line.longitude, line.latitude)
    shown = np.all(np.isfinite(xy), axis=1)
    shown[shown] = shapely.contains_xy(labels.axes_outline(ax), xy[shown, 0], xy[shown, 1])
    return {str(k) for k in path.kind_at(line.jd_tt[shown])}


def _city_kinds(ax: GeoAxes, path: Path) -> list[tuple[str, Cities]]:
    """The gazetteer's cities and towns the map shows, by kind (``maplabels.city_kinds``)."""
    umbra = path.umbra
    towns = framing.towns_inside(umbra) if umbra is not None and not umbra.is_empty else Cities.empty()
    return maplabels.city_kinds(path, maplabels.in_view(ax, gazetteer_cities(maplabels.CITY_PEOPLE)),
                                maplabels.in_view(ax, towns))


def region_frame(eclipse: Eclipse, path: Path,
                 region: str | Sequence[float] | framing.Frame | None) -> framing.Frame | None:
    """The framing.Frame a ``region`` argument asks for (see ``plot``), or
    None for the whole globe; raises MapError for a region it cannot use."""
    if region is None or isinstance(region, framing.Frame):
        return region
    if isinstance(region, (tuple, list)) and len(region) == 4:
        region = ",".join(str(v) for v in region)
    if not isinstance(region, str):
        raise MapError(f"cannot use region {region!r}: give 'auto', a box, a country or a place")
    if region.strip().lower() in ("world", "global"):
        return None
    try:
        if region.strip().lower() == "auto":
            return auto_frame(eclipse, path)
        return framing.resolve(region, seen=path.penumbra)
    except framing.RegionError as exc:
        raise MapError(str(exc)) from None


def region_note(eclipse: Eclipse, path: Path, frame: framing.Frame | None) -> str | None:
    """'the eclipse of 2024-04-08 is not seen from Bavaria, Germany' when a
    framed country, continent or division lies wholly outside where any of
    the eclipse is seen with the Sun up (``path.penumbra``); else None.
    ``plot`` writes it on the map, the command line on stderr too."""
    if frame is None or frame.shape is None:
        return None
    seen = path.penumbra
    if seen is not None and not seen.is_empty and frame.shape.intersects(seen):
        return None
    return f"the eclipse of {eclipse.date} is not seen from {frame.name}"


def auto_frame(eclipse: Eclipse, path: Path) -> framing.Frame | None:
    """Where people can watch the central phase: the path over land with the
    Sun up, from the first to the last of the towns in it, its empty ends
    left out (``framing.watched_frame``); for a partial eclipse, the land
    where any of it is seen with the Sun up, or None (the globe) when that
    is most of a hemisphere (PARTIAL_FRAME_RADIUS_DEG)."""
    umbra = path.umbra
    if umbra is None or umbra.is_empty:
        grid = magnitude_grid(eclipse, 2.0)
        lon, lat, visible = grid.lon, grid.lat, grid.visible
        on_land = visible & shapely.contains_xy(_land(), lon, lat)
        chosen = on_land if on_land.any() else visible
        lon, lat = lon[chosen], lat[chosen]
        centre_lon, centre_lat = framing.centre(lon, lat)
        if framing.arc_deg(centre_lat, centre_lon, lat, lon).max() > PARTIAL_FRAME_RADIUS_DEG:
            return None
        return framing.Frame(lon, lat, name="where the partial phase is seen")
    return framing.watched_frame(path, _land())


@functools.lru_cache(maxsize=1)
def _land() -> shapely.Geometry:
    land = shapely.union_all(natural_earth("land", "110m"))
    shapely.prepare(land)
    return land


#: Paths reaching beyond this latitude get a polar inset on a span map: the
#: world projections flatten the poles into their top and bottom edges.
POLAR_INSET_LAT = 70.0


def plot_span(eclipses: Sequence[Eclipse], ax: GeoAxes | None = None, *, projection_name: str = "robinson",
              size: tuple[float, float] | None = None, title: str | None = None) -> Figure:
    """All central paths of a list of eclipses on one world map, coloured by
    kind and labelled with their dates; paths beyond POLAR_INSET_LAT are
    drawn again, around the pole, in insets beside the map (own figures).
    More than MAX_SPAN_PATHS paths are refused before any work
    (``io.mapdata.check_span``)."""
    if eclipses:
        check_span(eclipses, picture=True)
    central = [e for e in eclipses if e.central]
    paths = [e.path() for e in central]
    fig, ax, own = _figure_and_axes(ax, projection(projection_name), size or (11.0, 6.6))
    ax.set_global()
    poles = [pole for pole in (1, -1) if any(_polar(p, pole) for p in paths)] if own else []
    if poles:
        _place_axes(fig, ax, width=SPAN_MAP_WIDTH)
    if own and size is None:
        _fit_height(fig, ax)
    draw_base(ax, "110m")
    umbras = [draw_path(ax, path, KIND_COLOURS[e.kind], label_times=False, coarse=True)[0]
              for e, path in zip(central, paths)]
    kinds = [k for k in ("total", "annular", "hybrid") if any(e.kind == k for e in central)]
    entries: list[Artist] = [Patch(facecolor=KIND_COLOURS[k], alpha=0.6, edgecolor="none", label=f"{k.capitalize()} path")
                             for k in kinds]  # the page's legend of a span (panel.js)
    entries.append(Line2D([], [], color="#555555", linewidth=1.0, linestyle="--",
                          label="Central line; date at greatest eclipse"))
    legend = ax.legend(handles=entries, loc="lower left", fontsize=8, framealpha=0.8)
    placer = labels.LabelPlacer(ax)
    placer.exclude(labels.box_shape(legend.get_window_extent()))
    for e, path in zip(central, paths):
        maplabels.label_date(placer, e, path, KIND_COLOURS[e.kind])
    for pole in poles:
        polar = [(e, p, u) for e, p, u in zip(central, paths, umbras) if _polar(p, pole)]
        _polar_inset(fig, ax, pole, polar)
    if own:
        span = span_label(eclipses)
        _text_from_top(fig, 14, title or f"Central solar eclipses {span}", fontsize=14, weight="bold")
        if eclipses:
            _credit_line(fig, eclipses)
    return fig


def _polar(path: Path, pole: int) -> bool:
    """Whether a path's central line reaches beyond POLAR_INSET_LAT towards
    the north (pole 1) or south (-1) pole."""
    line = path.central_line
    return line is not None and bool(np.nanmax(pole * line.latitude) > POLAR_INSET_LAT)


#: Width of the world map on a span figure with polar insets, as a fraction of the figure.
SPAN_MAP_WIDTH = 0.74
#: The latitude (degrees from the equator) at the edge of a polar inset's disc.
INSET_EDGE_LAT = 55.0


def _polar_inset(fig: Figure, main_ax: GeoAxes, pole: int,
                 items: Sequence[tuple[Eclipse, Path, shapely.Geometry | None]]) -> None:
    """A disc around the north (pole 1) or south (-1) pole, poleward of
    INSET_EDGE_LAT, right of the main map: the polar paths drawn again with
    their dates, where the world projection squeezes them into an edge."""
    _x0, y0, x1, y1 = main_ax.get_position().extents
    fig_w, fig_h = fig.get_size_inches()
    side = min(0.2 * fig_w, (y1 - y0) * fig_h / 2 - 0.3)  # inches, room for the titles
    left = (x1 + 1.0) / 2 - side / fig_w / 2
    bottom = y1 - side / fig_h - 0.02 if pole == 1 else y0 + 0.02
    inset: GeoAxes = fig.add_axes((left, bottom, side / fig_w, side / fig_h),
                                  projection=ccrs.Orthographic(0, 90 * pole))
    inset.set_extent((-180, 180, INSET_EDGE_LAT * pole, 90 * pole), crs=ccrs.PlateCarree())
    theta = np.linspace(0, 2 * np.pi, 120)
    circle = np.column_stack([np.sin(theta), np.cos(theta)]) * 0.5 + 0.5
    inset.set_boundary(mpath.Path(circle), transform=inset.transAxes)
    draw_base(inset, "110m", box=(-180, 180, min(INSET_EDGE_LAT * pole, 90 * pole) - 5, max(INSET_EDGE_LAT * pole, 90 * pole)))
    for e, path, umbra in items:
        draw_path(inset, path, KIND_COLOURS[e.kind], label_times=False, umbra=umbra)
    inset.set_title("Arctic" if pole == 1 else "Antarctic", fontsize=8, pad=3)
    placer = labels.LabelPlacer(inset, outline=shapely.Polygon(inset.transAxes.transform(circle)).buffer(-2))
    for e, path, _ in items:
        maplabels.label_date(placer, e, path, KIND_COLOURS[e.kind])



#: Inches kept above the map for the title block and below it for the credit.
TITLE_INCHES = 1.0
CREDIT_INCHES = 0.35


def _figure_and_axes(ax: GeoAxes | None, crs: ccrs.Projection,
                     size: tuple[float, float]) -> tuple[Figure, GeoAxes, bool]:
    if ax is not None:
        return ax.figure, ax, False
    # a Figure of its own (not pyplot's): nothing global, no GUI backend
    fig = Figure(figsize=size)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.03, 0.0, 0.94, 1.0), projection=crs)
    _place_axes(fig, ax)
    return fig, ax, True


def _place_axes(fig: Figure, ax: Axes, width: float | None = None) -> None:
    """The map between the title block and the credit line, ``width`` of the figure wide from 0.03."""
    _, height = fig.get_size_inches()
    width = width if width is not None else ax.get_position(original=True).width
    ax.set_position((0.03, CREDIT_INCHES / height, width, 1.0 - (TITLE_INCHES + CREDIT_INCHES) / height))


#: A figure fitted to its map is at most this many times as tall as it is
#: wide (the frames of ``framing.extent`` fit within it; ``--size`` may ask for more).
MAX_HEIGHT_RATIO = 1.6


def _fit_height(fig: Figure, ax: GeoAxes) -> None:
    """Make the figure as tall as the map's shape needs, title and credit
    kept, up to MAX_HEIGHT_RATIO times its width."""
    x0, x1, y0, y1 = ax.get_extent()
    width, _ = fig.get_size_inches()
    map_width = width * ax.get_position(original=True).width
    height = map_width * (y1 - y0) / (x1 - x0) + TITLE_INCHES + CREDIT_INCHES
    fig.set_size_inches(width, min(height, MAX_HEIGHT_RATIO * width))
    _place_axes(fig, ax)


def _text_from_top(fig: Figure, points_down: float, text: str, **style: Any) -> None:
    transform = offset_copy(fig.transFigure, fig=fig, y=-points_down, units="points")
    fig.text(0.5, 1.0, text, transform=transform, ha="center", va="top", **style)


def _credit_line(fig: Figure, eclipse: Eclipse | Sequence[Eclipse]) -> None:
    transform = offset_copy(fig.transFigure, fig=fig, y=8, units="points")
    fig.text(0.5, 0.0, credit(eclipse), transform=transform, ha="center", va="bottom",
             fontsize=7, color="#555555")


def _title_block(fig: Figure, eclipse: Eclipse, path: Path) -> None:
    first, second = subtitle_lines(eclipse, path)
    _text_from_top(fig, 10, eclipse_title(eclipse), fontsize=14, weight="bold")
    _text_from_top(fig, 32, first, fontsize=9.5)
    _text_from_top(fig, 47, second, fontsize=9.5)
    _credit_line(fig, eclipse)


def _view(ax: GeoAxes) -> tuple[Box, float]:
    """What the axes show: a longitude-latitude box (west, east, south, north)
    around it (the whole circle of longitudes when a pole is in view), and its
    radius, the greatest arc in degrees from its centre to a point shown."""
    x0, x1, y0, y1 = ax.get_extent()
    xs, ys = np.meshgrid(np.linspace(x0, x1, 25), np.linspace(y0, y1, 25))
    lonlat = ccrs.PlateCarree().transform_points(ax.projection, xs.ravel(), ys.ravel())[:, :2]
    lon, lat = lonlat[np.all(np.isfinite(lonlat), axis=1)].T
    centre_lon, centre_lat = framing.centre(lon, lat)
    radius = float(framing.arc_deg(centre_lat, centre_lon, lat, lon).max())
    poles = ax.projection.transform_points(ccrs.PlateCarree(), np.zeros(2), np.array([90.0, -90.0]))[:, :2]
    shown = np.all(np.isfinite(poles), axis=1) & (poles[:, 0] >= x0) & (poles[:, 0] <= x1) \
        & (poles[:, 1] >= y0) & (poles[:, 1] <= y1)
    south, north = max(-90.0, lat.min() - 2), min(90.0, lat.max() + 2)
    if shown.any() or radius > 89:
        south, north = (-90.0 if shown[1] else south), (90.0 if shown[0] else north)
        return (centre_lon - 180.0, centre_lon + 180.0, south, north), radius
    unwrapped = (lon - centre_lon + 180) % 360 - 180 + centre_lon
    return (unwrapped.min() - 2, unwrapped.max() + 2, south, north), radius
