"""Static maps of eclipses (PNG, SVG, PDF) with cartopy and matplotlib.

An optional back end of the pipeline's last stage: it draws from the
geometry (paths, regions, local circumstances on a grid) and the shared map
data of ``eclipse.io.mapdata`` (palette, Natural Earth layers, cities), and
imports nothing of ``eclipse.web`` or ``eclipse.fields``.

A map of 2024-04-08, written as a PNG::

    import eclipse, eclipse.maps
    fig = eclipse.maps.plot(eclipse.at("2024-04-08"))
    eclipse.maps.save(fig, "eclipse-2024-04-08.png")
"""

from __future__ import annotations

from .atlasmap import atlas_figure
from .figures import (
    EXTENSIONS,
    MAX_PIXELS,
    PROJECTIONS,
    check_output,
    check_pixels,
    draw_base,
    plot,
    plot_span,
    projection,
    region_frame,
    region_note,
    save,
)
from .framing import Frame

__all__ = ["plot", "plot_span", "save", "projection", "region_frame", "region_note", "Frame", "draw_base", "atlas_figure",
           "check_output", "check_pixels", "EXTENSIONS", "PROJECTIONS", "MAX_PIXELS"]
