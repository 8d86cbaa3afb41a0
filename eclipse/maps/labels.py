"""Labels on a map that overlap nothing: a greedy placement in display space.

Each label is offered candidate positions, best first; the first whose box
(the text's extent as the renderer measures it, plus a small margin) lies
inside the map's outline and touches no other label, no marker and no line
drawn on the axes is taken.  A label with no free candidate is dropped.  This
is the "candidate positions" model of point-feature label placement (Christensen,
Marks and Shieber, "An empirical study of algorithms for point-feature label
placement", ACM Transactions on Graphics 14, 1995), solved greedily in order
of priority: the caller places the most important labels first.

Obstacles are read from the axes themselves when a placer is made: every
Line2D (its path in display coordinates, as matplotlib would draw it) and
every marker.  Only matplotlib and shapely are used; the module knows
nothing of eclipses.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

import numpy as np
import numpy.typing as npt
import shapely
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox

#: Space kept around every label, points (covers the label's rounded white box).
MARGIN_PT = 1.5


class LabelPlacer:
    """Places labels on one axes so that none overlaps another, a marker or a line.

    Make it after everything but the labels is drawn: the lines and markers on
    the axes then are the obstacles.  ``outline`` (a shapely polygon in display
    pixels) is where labels may go; by default the axes' box cut to the
    projection's boundary on a cartopy map.
    """

    def __init__(self, ax: Axes, outline: shapely.Geometry | None = None) -> None:
        ax.apply_aspect()  # the axes' final place: a fixed aspect moves it when drawn
        self.ax = ax
        self.px_per_pt = ax.figure.dpi / 72.0
        self.margin = MARGIN_PT * self.px_per_pt
        self.outline = outline if outline is not None else axes_outline(ax)
        shapely.prepare(self.outline)
        geometries, gids, _ = obstacles(ax)
        self.gids: npt.NDArray[np.object_] = np.array(gids, dtype=object)
        self.tree = shapely.STRtree(geometries)
        self.areas: list[tuple[shapely.Geometry, str]] = []  # (shapely geometry, name): avoided only when asked
        self.boxes: npt.NDArray[np.float64] = np.empty((0, 4))  # labels placed, display (x0, y0, x1, y1)
        self.markers: npt.NDArray[np.float64] = np.empty((0, 4))  # markers added after the placer was made

    # --- obstacles added later ---------------------------------------------------

    def exclude(self, geometry: shapely.Geometry) -> None:
        """Keep labels out of a region (display pixels): a legend, an inset."""
        self.outline = self.outline.difference(geometry)
        shapely.prepare(self.outline)

    def add_area(self, geometry: shapely.Geometry, name: str) -> None:
        """A region (display pixels) that labels avoid when ``place`` names it."""
        shapely.prepare(geometry)
        self.areas.append((geometry, name))

    def marker_free(self, xy: npt.NDArray[np.float64], radius_px: float) -> bool:
        """True when a marker at ``xy`` would lie under no placed label."""
        box = np.array([xy[0] - radius_px, xy[1] - radius_px, xy[0] + radius_px, xy[1] + radius_px])
        return not _overlapping(box[None], self.boxes).any()

    def add_marker(self, xy: npt.NDArray[np.float64], radius_px: float) -> None:
        """A marker drawn after the placer was made: later labels avoid it."""
        box = [xy[0] - radius_px, xy[1] - radius_px, xy[0] + radius_px, xy[1] + radius_px]
        self.markers = np.vstack([self.markers, box])

    # --- placing ----------------------------------------------------------------------

    def text_size(self, artist: Text) -> npt.NDArray[np.float64]:
        """Width and height of a text artist in display pixels, as the figure's renderer lays it out."""
        extent = artist.get_window_extent()
        return np.array([extent.width, extent.height])

    def free(self, centres: npt.ArrayLike, size: npt.ArrayLike, *, ignore: Collection[str | None] = (),
             avoid: Collection[str] = ()) -> npt.NDArray[np.bool_]:
        """Which label boxes of ``size`` centred at ``centres`` (N x 2, display)
        are inside the outline and touch nothing; lines and markers whose gid
        is in ``ignore`` (the line a label names, say) do not count, areas
        named in ``avoid`` do."""
        centres = np.asarray(centres, dtype=float).reshape(-1, 2)
        half = np.asarray(size) / 2 + self.margin
        boxes = np.hstack([centres - half, centres + half])
        shapes = shapely.box(*boxes.T)
        ok = shapely.contains(self.outline, shapes)
        ok &= ~_overlapping(boxes, self.boxes) & ~_overlapping(boxes, self.markers)
        hit_box, hit_obstacle = self.tree.query(shapes, predicate="intersects")
        if ignore:
            hit_box = hit_box[np.array([gid not in ignore for gid in self.gids[hit_obstacle]], dtype=bool)]
        ok[hit_box] = False
        for geometry, name in self.areas:
            if name in avoid:
                ok &= ~shapely.intersects(geometry, shapes)
        return ok

    def place(self, artist: Annotation, anchor: npt.ArrayLike, centres: npt.ArrayLike, *,
              ignore: Iterable[str | None] = (), avoid: Collection[str] = (),
              or_else_ignore: Iterable[str | None] = ()) -> int | None:
        """Move an annotation (made with ``ha='center', va='center'``,
        ``textcoords='offset points'``, at display point ``anchor``) to the
        first free centre of ``centres`` and return that centre's index;
        failing that, to the first centre free once the gids ``or_else_ignore``
        are ignored too (lines a label's white box may cover); else remove it
        and return None."""
        size = self.text_size(artist)
        centres = np.asarray(centres, dtype=float).reshape(-1, 2)
        ok = np.zeros(len(centres), dtype=bool)
        for ignored in (set(ignore), set(ignore) | set(or_else_ignore)):
            if len(centres) and not ok.any():
                ok = self.free(centres, size, ignore=ignored, avoid=avoid)
        if not ok.any():
            artist.remove()
            return None
        index = int(np.argmax(ok))
        centre = centres[index]
        artist.xyann = tuple((centre - np.asarray(anchor)) / self.px_per_pt)
        half = size / 2 + self.margin
        self.boxes = np.vstack([self.boxes, np.concatenate([centre - half, centre + half])])
        return index

    # --- candidate positions ----------------------------------------------------------

    def around(self, anchor: npt.ArrayLike, size: npt.ArrayLike, gaps_pt: npt.ArrayLike,
               directions: npt.ArrayLike | None = None) -> npt.NDArray[np.float64]:
        """Centres of a box of ``size`` standing off a point in each of
        ``directions`` (unit vectors, best first; default the 8 compass
        directions, east first) at each gap (points), nearest first."""
        if directions is None:
            directions = COMPASS
        directions = np.asarray(directions, dtype=float)
        half = np.asarray(size) / 2 + self.margin
        support = np.abs(directions) @ half  # distance from a box's centre to its edge along each direction
        gaps = np.asarray(gaps_pt, dtype=float)[:, None] * self.px_per_pt
        centres = np.asarray(anchor) + directions[None] * (gaps + support[None])[..., None]
        return centres.reshape(-1, 2)


_EIGHT = np.array([(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, 1), (1, -1), (-1, -1)], dtype=float)
#: Unit vectors east, west, north, south, then the diagonals (display axes).
COMPASS = _EIGHT / np.hypot(_EIGHT[:, 0], _EIGHT[:, 1])[:, None]


def _overlapping(boxes: npt.NDArray[np.float64], others: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
    """For each box (N x 4), whether it overlaps any of ``others`` (M x 4)."""
    if not len(others):
        return np.zeros(len(boxes), dtype=bool)
    b, o = boxes[:, None, :], others[None, :, :]
    return np.any((b[..., 0] < o[..., 2]) & (o[..., 0] < b[..., 2]) & (b[..., 1] < o[..., 3]) & (o[..., 1] < b[..., 3]),
                  axis=1)


def axes_outline(ax: Axes) -> shapely.Geometry:
    """The part of the figure where a label may go, display pixels: the axes'
    box, cut to the projection's boundary on a cartopy map (a globe's disc)."""
    x0, y0, x1, y1 = ax.bbox.extents
    outline = shapely.box(x0, y0, x1, y1)
    boundary = getattr(getattr(ax, "projection", None), "boundary", None)
    if boundary is not None:
        ring = ax.transData.transform(np.asarray(boundary.coords)[:, :2])
        outline = outline.intersection(shapely.Polygon(ring).buffer(0))
    return outline


def display_lines(line: Line2D) -> list[npt.NDArray[np.float64]]:
    """A Line2D's path in display pixels, as drawn: one array per connected
    piece (cartopy splits lines at a map's edge)."""
    path = line.get_transform().transform_path(line.get_path())
    pieces = [np.asarray(p, dtype=float) for p in path.to_polygons(closed_only=False)]
    return [p[np.all(np.isfinite(p), axis=1)] for p in pieces if len(p) > 1]


def marker_points(line: Line2D) -> tuple[npt.NDArray[np.float64], float]:
    """Display positions of a Line2D's markers and their radius in pixels."""
    xy = line.get_transform().transform(np.asarray(line.get_xydata(), dtype=float))
    radius = (line.get_markersize() + line.get_markeredgewidth()) / 2 * line.figure.dpi / 72.0
    return xy[np.all(np.isfinite(xy), axis=1)], radius


def has_line(line: Line2D) -> bool:
    """Whether a Line2D draws a line (visible, with a style and a width)."""
    return line.get_visible() and line.get_linestyle() not in ("None", " ", "") and line.get_linewidth() > 0


def has_markers(line: Line2D) -> bool:
    """Whether a Line2D draws markers (visible, with a marker)."""
    return line.get_visible() and line.get_marker() not in (None, "None", " ", "")


def obstacles(ax: Axes) -> tuple[list[shapely.Geometry], list[str | None], list[str]]:
    """Shapely geometries (display pixels) of the lines and markers on the
    axes, with each one's gid and kind ('line' or 'marker')."""
    geometries, gids, kinds = [], [], []
    for line in ax.lines:
        if has_line(line):
            for piece in display_lines(line):
                if len(piece) > 1:
                    geometries.append(shapely.LineString(piece))
                    gids.append(line.get_gid())
                    kinds.append("line")
        if has_markers(line):
            xy, radius = marker_points(line)
            geometries.extend(shapely.box(xy[:, 0] - radius, xy[:, 1] - radius, xy[:, 0] + radius, xy[:, 1] + radius))
            gids.extend([line.get_gid()] * len(xy))
            kinds.extend(["marker"] * len(xy))
    return geometries, gids, kinds


def box_shape(bbox: Bbox) -> shapely.Geometry:
    """A matplotlib box (display pixels) as a shapely rectangle."""
    return shapely.box(*bbox.extents)
