"""The doctests: the ``>>>`` examples of the package's docstrings and of the
documentation's Markdown pages run under the README's test command
(``--doctest-modules --doctest-glob='*.md'`` in pyproject.toml).

Each runs in a fresh temporary directory, so that an example that writes a
file writes it there, and draws with matplotlib's Agg backend."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")

# not doctests: Sphinx's configuration, the gallery's scripts (run by Sphinx)
# and what the build makes
collect_ignore = ["docs/conf.py", "setup.py"]
collect_ignore_glob = ["docs/examples/*", "docs/_build/*", "docs/gallery/*", "scripts/*"]


@pytest.fixture(autouse=True)
def _doctest_directory(request: pytest.FixtureRequest) -> None:
    """A doctest runs in a temporary directory of its own (the other tests
    make none here)."""
    if isinstance(request.node, pytest.DoctestItem):
        request.getfixturevalue("monkeypatch").chdir(request.getfixturevalue("tmp_path"))
