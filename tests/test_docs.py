"""The documentation stays a documentation: a short README that says how to
build the site, a command-line reference made from the parser (never typed
twice), an API reference that lists every public name.  Cheap: no Sphinx run
(CI builds the site, warnings as errors)."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
BUILD = "python -m sphinx -W --keep-going -n -b html docs docs/_build/html"


def test_readme_is_short_and_says_how_to_build_the_docs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 150
    assert BUILD in readme
    assert "docs/_build/html/index.html" in readme


def test_ci_builds_the_docs_as_the_readme_says():
    assert BUILD in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_cli_reference_is_made_from_the_parser():
    page = (DOCS / "guide" / "cli.md").read_text(encoding="utf-8")
    assert re.search(r"^\.\. argparse::\n   :module: eclipse\.cli\n   :func: build_parser$", page, re.M)
    import eclipse.cli
    assert callable(eclipse.cli.build_parser)
    # no option typed out in the page: the directive lists them
    assert "--delta-t" not in page and "--resolution-deg" not in page


def test_every_public_name_is_in_the_api_reference():
    pages = {path.stem: path.read_text(encoding="utf-8") for path in (DOCS / "api").glob("eclipse*.md")}
    missing = []
    for package in pages:
        module = importlib.import_module(package)
        for name in module.__all__:
            # listed in the page's autosummary, or linked where it is documented first
            if not re.search(rf"^   {re.escape(name)}$", pages[package], re.M) and f"`{package}.{name}`" not in pages[package]:
                missing.append(f"{package}.{name}")
    assert not missing
    assert set(pages) == {"eclipse", "eclipse.sources", "eclipse.geometry", "eclipse.search", "eclipse.io",
                          "eclipse.maps", "eclipse.web", "eclipse.fields"}


def test_no_development_history_in_the_docs():
    phrases = re.compile(r"before the layering|the issue's|this stop|as before|no longer|used to be", re.I)
    pages = [ROOT / "README.md", *DOCS.glob("*.md"), *DOCS.glob("guide/*.md")]
    found = [f"{page.relative_to(ROOT)}: {m.group(0)}" for page in pages
             for m in phrases.finditer(page.read_text(encoding="utf-8"))]
    assert not found
