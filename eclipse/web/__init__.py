"""The interactive page: one self-contained, offline HTML file per eclipse or
span, computing what is seen from any place in the browser.

An optional back end of the pipeline's last stage: it takes the geometry and
the shared map data of ``eclipse.io.mapdata``, inlines the scripts of
``eclipse/web/static`` and imports nothing of ``eclipse.maps`` or
``eclipse.fields``.

The page of 2024-04-08, written as one HTML file::

    import eclipse, eclipse.web
    page = eclipse.web.page(eclipse.at("2024-04-08"))
    page.save("eclipse-2024-04-08.html")
"""

from __future__ import annotations

from .document import InteractiveMap, page

__all__ = ["page", "InteractiveMap"]
