"""The legend and the note of a static map: the page's legend entries
(eclipse/web/static/panel.js) that a static map draws, placed in the corner
where they hide least."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Literal

import shapely
from matplotlib.artist import Artist
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from ..io.mapdata import DURATION_COLOUR, HORIZON_COLOUR, KIND_COLOURS, MAGNITUDE_COLOUR, PENUMBRA_COLOUR
from ..io.text import sigma_band_text
from . import labels
from .labels import box_shape

if TYPE_CHECKING:
    from cartopy.mpl.geoaxes import GeoAxes

    from ..geometry.path import Path
    from ..search.results import Eclipse


#: What the legend calls the central phase, by kind (as the page's legend, panel.js).
CENTRAL_WORDS = {"total": "totality", "annular": "annularity"}
#: Corners a legend may take, best first when none is freer than another.
Corner = Literal["lower left", "lower right", "upper left", "upper right"]
LEGEND_CORNERS: tuple[Corner, ...] = ("lower left", "lower right", "upper left", "upper right")


def legend_entries(eclipse: Eclipse, path: Path, umbra: shapely.Geometry | None = None,
                   band: shapely.Geometry | None = None, obscuration: bool = False,
                   durations: bool = False, kinds_in_view: Collection[str] | None = None) -> list[Artist]:
    """The legend of a map of one eclipse: the entries of the page's legend
    (eclipse/web/static/panel.js) that a static map draws.  The partial
    phase and its lines unless ``obscuration`` (the "how dark" map shades
    instead); the path and its central line with UT marks when the eclipse
    has an umbral path (a hybrid's stretches seen annular and seen total
    apart, and the rings where it changes kind); the lines of equal central
    duration when drawn; the band of +-1 sigma of Delta T when drawn;
    greatest eclipse.  (The page's shadow at the time shown is the page's
    alone.)  ``kinds_in_view``: a hybrid's kinds whose stretch the map shows
    (all when None); the ring where the kind changes only with two."""
    colour = KIND_COLOURS[eclipse.kind]
    entries: list[Artist] = []
    if not obscuration:
        entries += [Patch(facecolor=PENUMBRA_COLOUR, edgecolor="#bbbbbb", linewidth=0.6, label="Partial phase seen"),
                    Line2D([], [], color=MAGNITUDE_COLOUR, linewidth=1.0, label="Magnitude at maximum, 0.2 to 0.8"),
                    Line2D([], [], color=HORIZON_COLOUR, linewidth=1.0, linestyle=":",
                           label="Maximum at sunrise or sunset")]
    if (path.umbra is not None and not path.umbra.is_empty) or (umbra is not None and not umbra.is_empty):
        kinds = {s.kind for s in path.stretches}
        if kinds_in_view is not None:
            kinds &= set(kinds_in_view)
        if len(path.stretches) > 1:  # a hybrid: its stretches apart, as drawn (draw_path)
            entries += [Patch(facecolor=KIND_COLOURS[k], alpha=0.55, edgecolor="none",
                              label=f"Path seen {k} ({CENTRAL_WORDS[k]})") for k in ("annular", "total") if k in kinds]
            entries.append(Line2D([], [], color="#555555", linewidth=1.0, linestyle="--", marker="o", markersize=2.5,
                                  label="Central line, UT marks"))
            if len(kinds) > 1:
                entries.append(Line2D([], [], linestyle="none", marker="o", markersize=4.5, markerfacecolor="white",
                                      markeredgecolor="#222222", markeredgewidth=0.9,
                                      label="Where the path changes kind"))
        else:
            word = CENTRAL_WORDS.get(eclipse.kind, "the central eclipse")
            entries += [Patch(facecolor=colour, alpha=0.55, edgecolor="none", label=f"Path of {word}"),
                        Line2D([], [], color=colour, linewidth=1.0, linestyle="--", marker="o", markersize=2.5,
                               label="Central line, UT marks")]
    if durations:
        entries.append(Line2D([], [], color=DURATION_COLOUR, linewidth=0.8, linestyle=(0, (3, 1.5)),
                              label="Central duration"))
    if band is not None:
        text = sigma_band_text(eclipse)
        entries.append(Patch(facecolor="none", edgecolor=colour, hatch="////", label=text[:1].upper() + text[1:]))
    entries.append(Line2D([], [], linestyle="none", marker="*", color="black", markersize=9, markeredgecolor="white",
                          markeredgewidth=0.6, label="Greatest eclipse"))
    return entries


def draw_legend(placer: labels.LabelPlacer, entries: Sequence[Artist], avoid: Sequence[Bbox] = ()) -> Legend:
    """The legend in the corner of the map where it hides the fewest lines
    and markers (and none of ``avoid``: a colour bar, a note); labels placed
    later keep off it."""
    ax = placer.ax
    best: tuple[float, Corner] | None = None
    for corner in LEGEND_CORNERS:
        legend = ax.legend(handles=list(entries), loc=corner, fontsize=6.5, framealpha=0.88, borderpad=0.5,
                           handlelength=2.2, labelspacing=0.35)
        box = legend.get_window_extent()
        shape = box_shape(box)
        cost = len(placer.tree.query(shape, predicate="intersects"))
        cost += sum(shapely.area(shapely.intersection(area, shape)) / max(shape.area, 1.0) * 20
                    for area, _ in placer.areas)
        cost += 1000 * sum(bool(box.overlaps(other)) for other in avoid)
        if best is None or cost < best[0]:
            best = (cost, corner)
    assert best is not None
    legend = ax.legend(handles=list(entries), loc=best[1], fontsize=6.5, framealpha=0.88, borderpad=0.5,
                       handlelength=2.2, labelspacing=0.35)
    legend.set_zorder(12)
    placer.exclude(box_shape(legend.get_window_extent()).buffer(placer.margin))
    return legend


def draw_note(ax: GeoAxes, text: str) -> Text:
    """A note across the top of the map, on a white box ('the eclipse of ...
    is not seen from ...')."""
    return ax.text(0.5, 0.985, text, transform=ax.transAxes, ha="center", va="top", fontsize=8.5,
                   weight="bold", color="#8b0000", zorder=12,
                   bbox={"boxstyle": "round,pad=0.3", "facecolor": "white", "alpha": 0.9, "edgecolor": "#8b0000"})
