"""The gallery's examples (docs/examples/plot_*.py), read without running
them or Sphinx: each has a title docstring as sphinx-gallery needs one, and
uses the public API only (the packages test_api lists, no module below them
and no name starting with an underscore), so that what the gallery shows is
what users may write."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from test_api import SUBPACKAGES

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "docs" / "examples").glob("plot_*.py"))
PUBLIC = frozenset(SUBPACKAGES)


def test_there_are_examples():
    assert len(EXAMPLES) >= 12, [p.name for p in EXAMPLES]


def title(source: str) -> str | None:
    """The title of an example's docstring: its first line, underlined by '='
    of the same length on the next (sphinx-gallery's rule); None otherwise."""
    docstring = ast.get_docstring(ast.parse(source), clean=True)
    lines = (docstring or "").strip().splitlines()
    if len(lines) < 2 or not lines[0].strip() or set(lines[1].strip()) != {"="}:
        return None
    return lines[0].strip() if len(lines[1].strip()) == len(lines[0].strip()) else None


def private_uses(source: str) -> list[str]:
    """The package's modules and names an example reaches that are not public:
    imports of eclipse modules not in PUBLIC, ``from eclipse... import _x``,
    and attribute chains ``eclipse.a.b`` (through an imported name) that pass
    a module outside PUBLIC or a name starting with an underscore."""
    found = []
    bound: dict[str, str] = {}  # local name -> the eclipse module it is
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "eclipse":
                    if alias.name not in PUBLIC:
                        found.append(alias.name)
                    bound[alias.asname or "eclipse"] = alias.name if alias.asname else "eclipse"
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "eclipse":
            if node.level or node.module not in PUBLIC:
                found.append(node.module or "")
                continue
            for alias in node.names:
                dotted = f"{node.module}.{alias.name}"
                if alias.name.startswith("_") or (alias.name not in _all(node.module) and dotted not in PUBLIC):
                    found.append(dotted)
                elif dotted in PUBLIC:
                    bound[alias.asname or alias.name] = dotted
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            chain = _chain(node)
            if chain and chain[0] in bound:
                found.extend(_outside(bound[chain[0]], chain[1:]))
    return sorted(set(found))


def _all(module: str) -> list[str]:
    """A public package's ``__all__``, read from its source (a literal list
    in each of them) rather than imported: cartopy, xarray and dask take
    seconds to load."""
    init = ROOT.joinpath(*module.split("."), "__init__.py")
    for node in ast.parse(init.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__all__" for t in node.targets):
            return list(ast.literal_eval(node.value))
    return []


def _chain(node: ast.Attribute) -> list[str] | None:
    """['eclipse', 'io', 'to_geojson'] for eclipse.io.to_geojson; None when the
    chain does not start at a plain name."""
    names = []
    current: ast.expr = node
    while isinstance(current, ast.Attribute):
        names.append(current.attr)
        current = current.value
    if not isinstance(current, ast.Name):
        return None
    return [current.id, *reversed(names)]


def _outside(module: str, attributes: list[str]) -> list[str]:
    """The first step of ``module.attributes...`` that leaves the public API:
    a submodule not in PUBLIC, a name not in a public module's __all__ or one
    starting with an underscore (past the public name, attributes are the
    objects' own, not checked here but for underscores)."""
    for i, name in enumerate(attributes):
        dotted = f"{module}.{name}"
        if name.startswith("_"):
            return [dotted]
        if dotted in PUBLIC:
            module = dotted
            continue
        if name not in _all(module):
            return [dotted]
        return [f"{dotted}.{a}" for a in attributes[i + 1:] if a.startswith("_")][:1]
    return []


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_example_has_a_title_and_uses_the_public_api_only(example):
    source = example.read_text(encoding="utf-8")
    assert title(source), f"{example.name}: no docstring with a title underlined by '='"
    assert private_uses(source) == [], example.name


def test_all_is_read():
    assert "plot" in _all("eclipse.maps") and "find" in _all("eclipse")


def test_the_checks_can_fail():
    """The checks above catch what they are for (else they could pass on anything)."""
    assert title('"""\nA title\n=======\n\nText.\n"""') == "A title"
    assert title('"""A title without its underline."""') is None
    assert title('"""\nA title\n====\n"""') is None
    assert title("x = 1") is None
    assert private_uses("import eclipse\nimport eclipse.maps\neclipse.maps.plot(eclipse.at('2024'))") == []
    assert private_uses("import eclipse.io\neclipse.io.to_geojson(p)") == []
    assert private_uses("import eclipse.sources.canon") == ["eclipse.sources.canon"]
    assert private_uses("from eclipse.geometry.earth import observer") == ["eclipse.geometry.earth"]
    assert private_uses("from eclipse import _PUBLIC") == ["eclipse._PUBLIC"]
    assert private_uses("from eclipse.fields import cluster") == ["eclipse.fields.cluster"]
    assert private_uses("from eclipse.fields import atlas") == []
    assert private_uses("import eclipse\neclipse.sources.canon.window(0, 1)") == ["eclipse.sources.canon"]
    assert private_uses("import eclipse.maps as m\nm._style") == ["eclipse.maps._style"]
    assert private_uses("import eclipse\neclipse.at('2024')._cache") == []  # (a call ends the chain)
    assert private_uses("import eclipse\neclipse.Eclipse._private") == ["eclipse.Eclipse._private"]
