"""Sphinx configuration of eclipse-path's documentation.

Built offline, warnings as errors, every cross-reference resolved:

    python -m sphinx -W --keep-going -n -b html docs docs/_build/html

No intersphinx: the build may not reach the network.  References to other
projects' types (numpy, shapely, xarray ...) are therefore listed in
``nitpick_ignore_regex`` below rather than resolved.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes

if TYPE_CHECKING:
    from docutils.nodes import Element
    from sphinx.addnodes import pending_xref
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "docs"))  # (gallery_figures, the gallery's scraper)
os.environ.setdefault("MPLBACKEND", "Agg")

import eclipse  # noqa: E402

project = "eclipse-path"
author = "the eclipse-path authors"
copyright = "2026, the eclipse-path authors (MIT)"
release = version = eclipse.__version__

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "sphinx.ext.mathjax",
    "sphinx_gallery.gen_gallery",
    "sphinxarg.ext",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "examples/README.txt", "**/GALLERY_HEADER.rst"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

nitpicky = True
# Types of other projects, which cannot be resolved without intersphinx (offline).
nitpick_ignore_regex = [
    (r"py:.*", r"(numpy|np|npt|shapely|xarray|xr|dask|distributed|zarr|matplotlib|cartopy|skyfield|pyproj)(\..*)?"),
    (r"py:.*", r"(NDArray|ArrayLike|Figure|Axes|Dataset|DataArray|Geometry|Client|Timescale|SpiceKernel)"),
    # the names that modules import only for type checking (shapely, cartopy, skyfield's and
    # astropy's Time), which autodoc therefore sees as bare names
    (r"py:.*", r"(Polygon|MultiPolygon|LineString|GeoAxes|Time)"),
    # Python's standard library: without intersphinx (offline) its types have no target
    (r"py:.*", r"(datetime|collections\.abc|abc|typing|pathlib|os|argparse|zoneinfo|json|enum|io|sqlite3)\..*"),
    (r"py:class", r"(optional|default.*|array[- ]like|sequence|iterable|callable|path[- ]like|file[- ]like)"),
]

autosummary_generate = True
templates_path = ["_templates"]
autodoc_typehints = "description"
autodoc_member_order = "bysource"
numpydoc_show_class_members = False
numpydoc_validation_checks: set[str] = set()

sphinx_gallery_conf = {
    "examples_dirs": "examples",
    "gallery_dirs": "gallery",
    "filename_pattern": r"/plot_",
    "download_all_examples": False,
    "remove_config_comments": True,
    "within_subsection_order": "FileNameSortKey",
    # a figure per example, made at build time: pyplot's, and eclipse.maps' (docs/gallery_figures.py)
    "image_scrapers": ("gallery_figures.scrape", "matplotlib"),
    "show_memory": False,
}
# what the gallery's examples write for the site (the interactive page), copied into it
html_extra_path = ["gallery_html"]

html_theme = "furo"
html_title = f"eclipse-path {release}"
html_static_path: list[str] = []
# the page may load nothing from anywhere (the offline rule of the package's own pages)
html_theme_options = {"navigation_with_keys": True}


# The package's own aliases of types, each documented in api/types.md.  Where autodoc cannot
# evaluate a signature's annotations (names imported only for type checking), it shows them
# as written, and an alias then appears by its bare name: link it to its documentation.
TYPE_ALIASES = {
    "Times": "eclipse.fields.grids.Times",
    "Coordinate": "eclipse.fields.grids.Coordinate",
    "Floats": "eclipse.fields.grids.Floats",
    "Record": "eclipse.io.records.Record",
    "GeoJSON": "eclipse.io.export.GeoJSON",
    "Box": "eclipse.maps.figures.Box",
    "PlaceSpec": "eclipse.maps.maplabels.PlaceSpec",
}


def _link_alias(app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: Element) -> Element | None:
    """Resolve a bare alias name (``Record``) to its entry in api/types.md."""
    target = TYPE_ALIASES.get(node.get("reftarget", ""))
    if node.get("refdomain") != "py" or target is None:
        return None
    return env.get_domain("py").resolve_xref(env, node["refdoc"], app.builder, "class", target, node, contnode)


def _trim_code(app: Sphinx, doctree: nodes.document) -> None:
    """Drop the blank line that ends a page's doctest blocks (it ends the expected output of
    their last example for pytest) so that the page does not show it."""
    for block in doctree.findall(nodes.literal_block):
        text = block.astext()
        if text.endswith("\n") and block.rawsource == text:
            block.rawsource = text.rstrip("\n")
            block.children = [nodes.Text(block.rawsource)]


def setup(app: Sphinx) -> None:
    app.connect("missing-reference", _link_alias)
    app.connect("doctree-read", _trim_code)
