"""
The interactive page
====================

:func:`eclipse.web.page` makes one self-contained HTML page (its script,
styles, map layers and the eclipse's data inside; it loads nothing from
anywhere): a globe or flat map of the path that can be turned and zoomed,
and a click anywhere gives the local circumstances there, computed in the
page.  Below is the page of 2024-04-08, live.

.. raw:: html

   <iframe src="eclipse-2024-04-08.html" title="The interactive page of 2024-04-08"
           style="width: 100%; height: min(760px, 85vh); border: 1px solid #ccc;" loading="lazy"></iframe>
   <p><a href="eclipse-2024-04-08.html">Open the page on its own</a>.</p>
"""

from pathlib import Path

import eclipse
import eclipse.web

page = eclipse.web.page(eclipse.at("2024-04-08"))

# The documentation's build runs this script from docs/examples and copies
# docs/gallery_html into the site, so the page written there sits next to
# this one; anywhere else, just ``page.save("eclipse-2024-04-08.html")``.
folder = Path("..", "gallery_html", "gallery")
folder.mkdir(parents=True, exist_ok=True)
written = page.save(str(folder / "eclipse-2024-04-08.html"))
print(f"{Path(written).name}: {Path(written).stat().st_size / 1e6:.1f} MB, self-contained")

# sphinx_gallery_thumbnail_path = "html-map-2024-04-08.png"
