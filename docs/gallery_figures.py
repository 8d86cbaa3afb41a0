"""The gallery's second image scraper: the figures ``eclipse.maps`` returns.

``eclipse.maps`` makes its figures without pyplot (nothing global, no GUI
backend), so sphinx-gallery's matplotlib scraper, which asks pyplot for its
figures, does not see them.  This one takes, after each block of an example,
every matplotlib Figure held by a name of the example that pyplot does not
manage and that no block has shown yet, saves it where sphinx-gallery says,
and returns the reST that shows it.  docs/conf.py lists it in
``sphinx_gallery_conf["image_scrapers"]`` before "matplotlib", which shows
pyplot's figures and then closes them: this one marks them as shown first, or
it would take them for its own once closed.
"""

from __future__ import annotations

from typing import Any

#: The attribute a figure shown once gets, so that a later block does not show it again.
SHOWN = "_gallery_shown"


def scrape(block: Any, block_vars: dict[str, Any], gallery_conf: dict[str, Any], **kwargs: Any) -> str:
    """Save the example's new pyplot-less figures; their reST."""
    from matplotlib.figure import Figure  # (imported here: the doctests collect this file without Sphinx)
    from sphinx_gallery.scrapers import figure_rst

    figures: dict[int, Figure] = {}
    for value in block_vars["example_globals"].values():
        if not isinstance(value, Figure) or getattr(value, SHOWN, False):
            continue
        if value.canvas.manager is not None:  # pyplot's: the next scraper shows it
            setattr(value, SHOWN, True)
        else:
            figures[id(value)] = value
    images = []
    for fig, image_path in zip(figures.values(), block_vars["image_path_iterator"]):
        fig.savefig(image_path, **kwargs)
        setattr(fig, SHOWN, True)
        images.append(image_path)
    titles = ", ".join(ax.get_title() for fig in figures.values() for ax in fig.axes if ax.get_title())
    return figure_rst(images, gallery_conf["src_dir"], titles) if images else ""
